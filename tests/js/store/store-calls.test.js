// StoreCalls with a fake engine and fake time: the deadline, the breaker in front of the store,
// typed errors, late answers, stats. The real engines are in redis-store / redis-faults tests.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, CircuitBreaker, ConfigError, EdgeguardError } from '../../../js/entry.node.js';
import { StoreCalls } from '../../../js/store/store-calls.js';
import { StoreError } from '../../../js/store/store-error.js';
import { FakeTime, settle } from '../resilience_fakes.js';

before(() => init());

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));

class ReplyError extends Error {}
const isDown = (error) => !(error instanceof ReplyError);

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function calls(time, options = {}) {
  return new StoreCalls({ clock: time.clock, timers: time.timers, deadlineMs: 30, ...options }, isDown);
}

const code = (c) => (e) => e instanceof StoreError && e.code === c;

test('an answer within the deadline resolves, and its latency is measured on the clock', async () => {
  const time = new FakeTime();
  const c = calls(time);
  const answer = deferred();
  const call = c.run(() => answer.promise, 30);
  await time.advance(12);
  answer.resolve('v');
  assert.equal(await call, 'v');
  // The deadline's timer is shared by the store's calls and left to run out: it expires nothing.
  await time.advance(30);
  assert.equal(time.pending, 0, 'the deadline timer is not armed again');
  const s = c.stats();
  assert.equal(s.ok, 1);
  assert.equal(s.timeouts, 0);
  assert.deepEqual(s.latencyMs, { p50: 12, p90: 12, p99: 12, max: 12 });
});

test('no answer by the deadline: STORE_TIMEOUT at the deadline; the late answer is consumed and counted', async () => {
  const time = new FakeTime();
  const c = calls(time);
  const answers = [deferred(), deferred()];
  const settled = [];
  for (const a of answers) c.run(() => a.promise, 30).then((v) => settled.push(v), (e) => settled.push(e.code));
  await time.advance(29);
  assert.deepEqual(settled, []);
  await time.advance(1);
  assert.deepEqual(settled, ['STORE_TIMEOUT', 'STORE_TIMEOUT']);
  answers[0].resolve('late');
  answers[1].reject(new Error('late failure'));
  await settle();
  const s = c.stats();
  assert.equal(s.timeouts, 2);
  assert.equal(s.late, 2);
  assert.deepEqual(unhandled, []);
});

test('send is told whether its call is still live: false once it has settled, by its answer or its deadline', async () => {
  const time = new FakeTime();
  const c = calls(time);
  const lives = [];
  await c.run((live) => { lives.push(live); return Promise.resolve(1); }, 30);
  const late = assert.rejects(c.run((live) => { lives.push(live); return new Promise(() => {}); }, 30), code('STORE_TIMEOUT'));
  assert.equal(lives[1](), true);
  await time.advance(30);
  await late;
  assert.deepEqual(lives.map((live) => live()), [false, false]);
});

test('an error the store answered with is STORE_ERROR and not a breaker failure', async () => {
  const time = new FakeTime();
  const c = calls(time, { breaker: { consecutiveFailures: 1 } });
  for (let i = 0; i < 5; i++) {
    await assert.rejects(c.run(() => Promise.reject(new ReplyError('WRONGTYPE')), 30),
      (e) => code('STORE_ERROR')(e) && e.cause instanceof ReplyError);
  }
  assert.equal(c.breaker.state, 'closed');
  assert.equal(c.stats().errors, 5);
});

test('a send() that throws synchronously is a typed rejection, not a throw', async () => {
  const time = new FakeTime();
  const c = calls(time);
  const call = c.run(() => { throw new Error('socket closed'); }, 30);
  await assert.rejects(call, code('STORE_UNAVAILABLE'));
});

test('the breaker opens after failures, refuses without sending, and probes after openMs', async () => {
  const time = new FakeTime();
  const c = calls(time, { breaker: { consecutiveFailures: 3, openMs: 1000 } });
  let sent = 0;
  const down = () => { sent++; return Promise.reject(new Error('ECONNREFUSED')); };
  for (let i = 0; i < 3; i++) await assert.rejects(c.run(down, 30), code('STORE_UNAVAILABLE'));
  assert.equal(c.breaker.state, 'open');
  await time.advance(400);
  await assert.rejects(c.run(down, 30), (e) => code('STORE_UNAVAILABLE')(e) && e.retryAfterMs === 600);
  assert.equal(sent, 3, 'an open breaker sends nothing');
  await time.advance(600);
  assert.equal(await c.run(() => { sent++; return Promise.resolve('back'); }, 30), 'back');
  assert.equal(sent, 4, 'one probe');
  assert.equal(c.breaker.state, 'closed');
  const s = c.stats();
  assert.equal(s.refused, 1);
  assert.equal(s.unavailable, 4);
  assert.equal(s.calls, 5);
});

test('timeouts trip the breaker too: a store that answers too slowly is a failing store', async () => {
  const time = new FakeTime();
  const c = calls(time, { breaker: { consecutiveFailures: 2 } });
  const never = () => new Promise(() => {});
  for (let i = 0; i < 2; i++) {
    const call = assert.rejects(c.run(never, 30), code('STORE_TIMEOUT'));
    await time.advance(30);
    await call;
  }
  assert.equal(c.breaker.state, 'open');
  await assert.rejects(c.run(never, 30), code('STORE_UNAVAILABLE'));
  assert.equal(time.pending, 0, 'a refused call arms no timer');
});

test('a clock that runs backwards gives the answer; one that returns NaN is a CLOCK_INVALID rejection, never a throw', async () => {
  const back = new FakeTime();
  let i = 0;
  const readings = [100, 50];
  const c = new StoreCalls({ clock: () => readings[Math.min(i++, 1)], timers: back.timers }, isDown);
  assert.equal(await c.run(() => Promise.resolve(1), 30), 1);
  assert.ok(c.stats().latencyMs.max >= 0, 'no negative latency');
  for (const when of [0, 1, 2]) {  // at the start, when the answer comes, when the deadline passes
    const time = new FakeTime();
    let reads = 0;
    const bad = new StoreCalls({ clock: () => (reads++ < when ? 0 : NaN), timers: time.timers }, isDown);
    const answer = when === 2 ? new Promise(() => {}) : Promise.resolve(1);
    const call = bad.run(() => answer, 30);
    assert.ok(call instanceof Promise, 'run() returns a promise, it does not throw');
    if (when === 2) time.advance(30);
    await assert.rejects(call, (e) => e instanceof EdgeguardError && e.code === 'CLOCK_INVALID', `a NaN reading at step ${when}`);
  }
});

test('a clock that breaks while a call waits: the answer is a CLOCK_INVALID rejection, not also counted ok', async () => {
  const time = new FakeTime();
  let broken = false;
  const c = new StoreCalls({ clock: () => (broken ? NaN : 0), timers: time.timers }, isDown);
  const answer = deferred();
  const call = c.run(() => answer.promise, 30);
  broken = true;
  answer.resolve(1);
  await assert.rejects(call, (e) => e instanceof EdgeguardError && e.code === 'CLOCK_INVALID');
  broken = false;
  assert.equal(c.stats().ok, 0);
});

test('a shared CircuitBreaker may be given; bad options are CONFIG_INVALID before anything', () => {
  const time = new FakeTime();
  const breaker = new CircuitBreaker({ clock: time.clock });
  assert.equal(calls(time, { breaker }).breaker, breaker);
  for (const options of [{ deadlineMs: 0 }, { deadlineMs: 1.5 }, { breaker: 'x' }, { breaker: { clock: Date.now } },
    { breaker: { openMs: -1 } }, { timers: {} }, { clock: 1 }]) {
    assert.throws(() => calls(time, options), ConfigError, JSON.stringify(options));
  }
});

test('deadline(options) is the call\'s own, else the default', () => {
  const c = calls(new FakeTime());
  assert.equal(c.deadline({}), 30);
  assert.equal(c.deadline({ deadlineMs: 5 }), 5);
  assert.throws(() => c.deadline({ deadlineMs: -5 }), ConfigError);
});

test('a disconnected client is not handed the call (it would queue it and send it later): STORE_UNAVAILABLE, a breaker failure', async () => {
  const time = new FakeTime();
  let connected = false;
  const c = new StoreCalls({ clock: time.clock, timers: time.timers, breaker: { consecutiveFailures: 2 } }, isDown, () => connected);
  let sent = 0;
  const send = () => { sent++; return Promise.resolve('v'); };
  await assert.rejects(c.run(send, 30), (e) => code('STORE_UNAVAILABLE')(e) && /not connected/.test(e.message));
  assert.equal(sent, 0);
  assert.equal(time.pending, 0, 'no deadline armed');
  connected = true;
  assert.equal(await c.run(send, 30), 'v');
  connected = false;
  await assert.rejects(c.run(send, 30), code('STORE_UNAVAILABLE'));
  await assert.rejects(c.run(send, 30), code('STORE_UNAVAILABLE'));
  assert.equal(c.breaker.state, 'open');
  assert.equal(sent, 1);
});
