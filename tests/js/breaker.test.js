import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, CircuitBreaker, BrokenCircuitError, TimeoutError, EdgeguardError, ConfigError }
  from '../../js/entry.node.js';
import { FakeTime, armedClock, coreCalls, response, settle } from './resilience_fakes.js';
import { module } from '../../js/core.js';

before(() => init());

const ok = async () => 1;
const boom = async () => { throw new TypeError('fetch failed'); };

function breaker(time, options = {}) {
  return new CircuitBreaker({ clock: time.clock, timers: time.timers, ...options });
}

async function fail(b, n = 1) {
  for (let i = 0; i < n; i++) await assert.rejects(b.execute(boom), TypeError);
}

async function succeed(b, n = 1) {
  for (let i = 0; i < n; i++) assert.equal(await b.execute(ok), 1);
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

test('defaults never open on the first failure: 20 calls at 50% first', async () => {
  const time = new FakeTime();
  const b = breaker(time);
  await fail(b);
  assert.equal(b.state, 'closed');
  await fail(b, 18);
  assert.equal(b.state, 'closed');
  await fail(b);  // the 20th call reaches minimumCalls
  assert.equal(b.state, 'open');
  let called = false;
  const error = await b.execute(async () => { called = true; }).catch((e) => e);
  assert.equal(called, false);
  assert.ok(error instanceof BrokenCircuitError);
  assert.ok(error instanceof EdgeguardError);
  assert.equal(error.code, 'CIRCUIT_OPEN');
  assert.equal(error.state, 'open');
  assert.equal(error.retryAfterMs, 60000);
});

test('a count window trips exactly at the failure rate', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { type: 'count', size: 10 }, minimumCalls: 10 });
  await succeed(b, 5);
  await fail(b, 4);
  assert.equal(b.state, 'closed');
  assert.equal(b.metrics().failureRate, -1);
  await fail(b);
  assert.equal(b.state, 'open');
  assert.equal(b.metrics().failureRate, 50);
});

test('a success that completes minimumCalls trips at once, though successes cross in batches', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 10 }, minimumCalls: 4 });
  await succeed(b, 50);
  await fail(b, 4);  // the window: 6 successes, 4 failures
  assert.deepEqual([b.metrics().bufferedCalls, b.metrics().failureRate], [10, 40]);
  await succeed(b, 3);
  assert.equal(b.metrics().failureRate, 40);  // successes evicted successes
  await succeed(b, 4);
  assert.equal(b.metrics().failureRate, 30);  // one failure evicted
  assert.equal(b.state, 'closed');
  b.reset();
  await fail(b, 2);
  await succeed(b);
  assert.equal(b.state, 'closed');
  await succeed(b);  // the 4th call: 2 of 4 failed
  assert.equal(b.state, 'open');
  assert.equal(b.metrics().bufferedCalls, 4);
});

test('successes of calls started before a trip are dropped, not batched', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000 });
  const slow = deferred();
  const late = b.execute(() => slow.promise);
  await fail(b, 2);
  assert.equal(b.state, 'open');
  time.now = 1000;
  assert.equal(b.state, 'halfOpen');
  slow.resolve(1);
  await late;
  assert.equal(b.metrics().bufferedCalls, 0);
  assert.equal(b.state, 'halfOpen');
});

test('batched successes decide exactly as calls reported one by one, through execute and through tryAcquire', async () => {
  // Same seeded trace through the batching path (count window, no slow tracking), by execute()
  // and by tryAcquire() / onSuccess() / onFailure() (a store's calls), and through a breaker
  // that reports every call (slow tracking on, never slow on a still clock).
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const time = new FakeTime();
  const options = { window: { size: 8 }, minimumCalls: 5, openMs: 100, halfOpenCalls: 3, consecutiveFailures: 4 };
  const batched = breaker(time, options);
  const own = breaker(time, options);
  const single = breaker(time, { ...options, slowCallDurationMs: 2 ** 31 - 1 });
  const log = (b) => { const seen = []; b.on('stateChange', (e) => seen.push(`${time.now}:${e.to}:${e.reason}`)); return seen; };
  const a = log(batched), c = log(single), o = log(own);
  for (let i = 0; i < 3000; i++) {
    const failing = random() < (i % 600 < 300 ? 0.15 : 0.5);
    const call = failing ? boom : ok;
    const [x, y] = await Promise.allSettled([batched.execute(call), single.execute(call)]);
    assert.equal(x.status, y.status, `call ${i}`);
    assert.equal(x.reason?.name, y.reason?.name, `call ${i}`);
    assert.equal(batched.state, single.state, `call ${i}`);
    const permit = own.tryAcquire();
    assert.equal(permit > 0, y.status === 'fulfilled' || y.reason?.name !== 'BrokenCircuitError', `call ${i}`);
    if (permit > 0) own[failing ? 'onFailure' : 'onSuccess'](0, permit);
    assert.equal(own.state, single.state, `call ${i}`);
    if (random() < 0.05) {
      assert.deepEqual(batched.metrics(), single.metrics(), `call ${i}`);
      assert.deepEqual(own.metrics(), single.metrics(), `call ${i}`);
    }
    time.now += Math.floor(random() * 20);
  }
  assert.deepEqual(a, c);
  assert.deepEqual(o, c);
  assert.ok(a.length > 100, `only ${a.length} transitions`);
  assert.deepEqual(batched.snapshot(), single.snapshot());
});

test('a time window only counts calls within sizeMs', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { type: 'time', sizeMs: 10000 }, minimumCalls: 3 });
  await fail(b, 2);
  time.now = 10000;  // both failures left the window
  await fail(b);
  await succeed(b);
  assert.equal(b.state, 'closed');
  assert.equal(b.metrics().bufferedCalls, 2);
  await fail(b);
  assert.equal(b.state, 'open');
});

test('a time window in seconds, as resilience4j sizes it', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { type: 'time', size: 2 }, minimumCalls: 2, failureRateThreshold: 100 });
  await fail(b);
  time.now = 2000;
  await fail(b);
  assert.equal(b.state, 'closed');
  await fail(b);
  assert.equal(b.state, 'open');
});

test('slow calls open the circuit though they succeed', async () => {
  const time = new FakeTime();
  const b = breaker(time, {
    window: { size: 4 }, minimumCalls: 4, slowCallDurationMs: 1000, slowCallRateThreshold: 50,
  });
  const slow = (ms) => async () => { time.now += ms; return 'ok'; };
  const seen = [];
  b.on('slowCallRateExceeded', (e) => seen.push(e));
  await b.execute(slow(10));
  await b.execute(slow(999));
  await b.execute(slow(1000));
  assert.equal(b.state, 'closed');
  assert.equal(await b.execute(slow(3000)), 'ok');
  assert.equal(b.state, 'open');
  assert.deepEqual(seen, [{ state: 'open', failureRate: 0, slowCallRate: 50 }]);
});

test('consecutive failures open before minimumCalls', async () => {
  const time = new FakeTime();
  const b = breaker(time, { consecutiveFailures: 3 });
  const changes = [];
  b.on('stateChange', (e) => changes.push(e));
  await fail(b, 2);
  await succeed(b);
  await fail(b, 2);
  assert.equal(b.state, 'closed');
  await fail(b);
  assert.deepEqual(changes, [{ from: 'closed', to: 'open', reason: 'consecutiveFailures' }]);
});

test('HTTP 5xx and 429 are failures, 4xx successes, and an ignored outcome neither', async () => {
  const time = new FakeTime();
  const b = breaker(time, { minimumCalls: 1000 });
  for (const status of [200, 204, 301, 400, 404, 499]) await b.execute(async () => response(status));
  assert.equal(b.metrics().failedCalls, 0);
  for (const status of [429, 500, 503]) await b.execute(async () => response(status));
  const httpError = Object.assign(new Error('Not Found'), { status: 404 });
  await assert.rejects(b.execute(async () => { throw httpError; }));
  await fail(b);
  const m = b.metrics();
  assert.equal(m.bufferedCalls, 11);
  assert.equal(m.failedCalls, 4);
  assert.equal(m.successfulCalls, 7);

  const custom = breaker(time, { isFailure: (o) => (o === 'meh' ? 'ignore' : o === 'bad') });
  await custom.execute(async () => 'meh');
  await custom.execute(async () => 'bad');
  await custom.execute(async () => 'fine');
  assert.deepEqual([custom.metrics().bufferedCalls, custom.metrics().failedCalls], [2, 1]);
});

test('a call the caller cancels counts as neither success nor failure', async () => {
  const time = new FakeTime();
  const b = breaker(time, { minimumCalls: 1 });
  const controller = new AbortController();
  const call = b.execute((signal) => new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
  }), { signal: controller.signal });
  controller.abort(new Error('user left'));
  await assert.rejects(call, /user left/);
  assert.equal(b.metrics().bufferedCalls, 0);
  assert.equal(b.state, 'closed');
});

test('open -> half-open after openMs, growing by openBackoff on repeated trips', async () => {
  const time = new FakeTime();
  const b = breaker(time, {
    window: { size: 2 }, minimumCalls: 2, openMs: 1000, halfOpenCalls: 1,
    openBackoff: { multiplier: 2, maxMs: 3000 },
  });
  const changes = [];
  b.on('stateChange', (e) => changes.push(`${e.from}->${e.to}:${e.reason}`));
  await fail(b, 2);
  time.now = 999;
  await assert.rejects(b.execute(ok), { code: 'CIRCUIT_OPEN', retryAfterMs: 1 });
  time.now = 1000;
  assert.equal(b.state, 'halfOpen');  // advances when read, no timer
  await fail(b);  // the trial fails: open for 2000 ms
  assert.equal(b.metrics().retryAfterMs, 2000);
  time.now += 2000;
  await fail(b);  // 4000 capped to 3000
  assert.equal(b.metrics().retryAfterMs, 3000);
  time.now += 3000;
  await succeed(b);
  assert.equal(b.state, 'closed');
  assert.deepEqual(changes, [
    'closed->open:failureRate', 'open->halfOpen:openElapsed', 'halfOpen->open:failureRate',
    'open->halfOpen:openElapsed', 'halfOpen->open:failureRate', 'open->halfOpen:openElapsed',
    'halfOpen->closed:trialsPassed',
  ]);
  assert.equal(time.pending, 0);  // no timers were ever set
});

test('an open circuit refuses without asking the core, and counts, reports and ends exactly as the core would', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000 });
  const refused = [];
  await fail(b, 2);
  time.now = 400;
  assert.equal(b.tryAcquire(), 0);  // nobody listening: nothing built
  const off = b.on('callNotPermitted', (e) => refused.push(e));
  assert.equal(b.tryAcquire(), 0);
  await assert.rejects(b.execute(ok), (e) => e instanceof BrokenCircuitError && e.retryAfterMs === 600);
  time.now = 999.9;
  assert.equal(b.tryAcquire(), 0);
  assert.deepEqual(refused, [
    { state: 'open', retryAfterMs: 600 }, { state: 'open', retryAfterMs: 600 }, { state: 'open', retryAfterMs: 1 },
  ]);
  assert.equal(b.metrics().notPermittedCalls, 4);  // the refusals made here reached the core
  time.now = 1000;
  assert.ok(b.tryAcquire() > 0, 'the first trial goes ahead the moment openMs has passed');
  b.forceOpen();
  time.now = 1e9;
  assert.equal(b.tryAcquire(), 0);
  await assert.rejects(b.execute(ok), { code: 'CIRCUIT_OPEN', state: 'forcedOpen', retryAfterMs: undefined });
  assert.deepEqual(refused.slice(3), [{ state: 'forcedOpen', retryAfterMs: undefined }, { state: 'forcedOpen', retryAfterMs: undefined }]);
  off();
  assert.equal(b.metrics().notPermittedCalls, 6);
  b.dispose();
  assert.throws(() => b.tryAcquire(), { code: 'DISPOSED' });
});

test('half-open admits exactly halfOpenCalls concurrent trials and rejects the rest', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000, halfOpenCalls: 3 });
  await fail(b, 2);
  time.now = 1000;
  const trials = [deferred(), deferred(), deferred()];
  const running = trials.map((d) => b.execute(() => d.promise));
  const rejected = [];
  b.on('callNotPermitted', (e) => rejected.push(e));
  const extra = await b.execute(ok).catch((e) => e);
  assert.ok(extra instanceof BrokenCircuitError);
  assert.equal(extra.state, 'halfOpen');
  assert.equal(extra.retryAfterMs, 0);
  assert.deepEqual(rejected, [{ state: 'halfOpen', retryAfterMs: 0 }]);
  assert.equal(b.metrics().halfOpenPermitsLeft, 0);
  trials[0].resolve(1);
  trials[1].resolve(1);
  await Promise.all(running.slice(0, 2));
  assert.equal(b.state, 'closed');  // 2 of 3 succeeded: at most 1 of 3 can fail, below 50%
  trials[2].reject(new Error('late'));
  await assert.rejects(running[2], /late/);
  assert.equal(b.metrics().bufferedCalls, 0);  // a trial from half-open does not count once closed
});

test('failed trials reopen the circuit', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000, halfOpenCalls: 2 });
  await fail(b, 2);
  time.now = 1000;
  await fail(b);
  assert.equal(b.state, 'open');
  assert.equal(b.metrics().trips, 2);
});

test('forceOpen, disable, metricsOnly and reset', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2 });
  const changes = [];
  b.on('stateChange', (e) => changes.push(`${e.to}:${e.reason}`));
  b.forceOpen();
  time.now = 1e12;
  await assert.rejects(b.execute(ok), (e) => e.code === 'CIRCUIT_OPEN' && e.state === 'forcedOpen' &&
    e.retryAfterMs === undefined);
  assert.equal(b.state, 'forcedOpen');
  b.disable();
  await fail(b, 5);
  assert.equal(b.state, 'disabled');
  assert.equal(b.metrics().bufferedCalls, 0);
  b.metricsOnly();
  const exceeded = [];
  b.on('failureRateExceeded', (e) => exceeded.push(e.failureRate));
  await fail(b, 3);
  assert.equal(b.state, 'metricsOnly');
  assert.deepEqual(exceeded, [100]);
  b.reset();
  assert.equal(b.state, 'closed');
  assert.equal(b.metrics().notPermittedCalls, 0);
  assert.deepEqual(changes, ['forcedOpen:manual', 'disabled:manual', 'metricsOnly:manual', 'closed:manual']);
});

test('metrics report rates, buffered and not-permitted calls', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 4 }, minimumCalls: 4, openMs: 5000 });
  await succeed(b, 2);
  await fail(b, 2);
  await assert.rejects(b.execute(ok), BrokenCircuitError);
  time.now = 1000;
  assert.deepEqual(b.metrics(), {
    state: 'open', failureRate: 50, slowCallRate: 0, bufferedCalls: 4, failedCalls: 2, successfulCalls: 2,
    slowCalls: 0, slowFailedCalls: 0, notPermittedCalls: 1, consecutiveFailures: 2, trips: 1,
    retryAfterMs: 4000, halfOpenPermitsLeft: 0,
  });
});

test('snapshot and restore carry the state to another instance, as data', async () => {
  const time = new FakeTime();
  const options = { window: { size: 4 }, minimumCalls: 4, openMs: 1000 };
  const a = breaker(time, options);
  await fail(a, 4);
  const data = JSON.parse(JSON.stringify(a.snapshot()));  // e.g. through KV
  assert.equal(data.state, 'open');
  const b = breaker(time, options);
  const changes = [];
  b.on('stateChange', (e) => changes.push(e));
  b.restore(data);
  assert.deepEqual(changes, [{ from: 'closed', to: 'open', reason: 'restored' }]);
  await assert.rejects(b.execute(ok), { code: 'CIRCUIT_OPEN', retryAfterMs: 1000 });
  time.now = 1000;
  assert.equal(b.state, 'halfOpen');
  b.restore(JSON.stringify(a.snapshot()));  // text works too
  assert.equal(b.state, 'halfOpen');

  const other = breaker(time, { window: { size: 5 } });
  assert.throws(() => other.restore(data), { code: 'BREAKER_SNAPSHOT_MISMATCH' });
  assert.throws(() => other.restore({ ...data, version: 9 }), { code: 'BREAKER_INVALID_SNAPSHOT' });
  assert.throws(() => other.restore('{"state":'), { code: 'BREAKER_INVALID_SNAPSHOT' });
  assert.throws(() => other.restore(null), { code: 'BREAKER_INVALID_SNAPSHOT' });
  assert.equal(other.state, 'closed');
});

test('tryAcquire / onSuccess / onFailure for callers doing their own I/O', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000, halfOpenCalls: 1 });
  const stale = b.tryAcquire();
  assert.ok(stale > 0);
  b.onFailure(10, b.tryAcquire());
  b.onFailure(10, b.tryAcquire());
  assert.equal(b.state, 'open');
  assert.equal(b.tryAcquire(), 0);
  time.now = 1000;
  const trial = b.tryAcquire();
  assert.ok(trial > 0);
  assert.equal(b.tryAcquire(), 0);
  b.onFailure(5, stale);  // from before the trip: dropped
  assert.equal(b.state, 'halfOpen');
  b.onIgnored(trial);  // frees the trial permit
  const next = b.tryAcquire();
  assert.ok(next > 0);
  b.onSuccess(5, next);
  assert.equal(b.state, 'closed');
  assert.throws(() => b.onSuccess(-1), { code: 'INVALID_INPUT' });
  assert.throws(() => b.onSuccess(Number.NaN), { code: 'INVALID_INPUT' });
  assert.throws(() => b.onFailure(Infinity), { code: 'INVALID_INPUT' });
  assert.throws(() => b.onFailure(1, 1), { code: 'INVALID_INPUT' }, 'not a permit tryAcquire gives');
  assert.throws(() => b.onIgnored(-5), { code: 'INVALID_INPUT' });
  assert.throws(() => b.onFailure(1, 'x'), { code: 'INVALID_INPUT' });
});

test('timeoutMs aborts the call through its signal and counts a failure', async () => {
  const time = new FakeTime();
  const b = breaker(time, { timeoutMs: 500, minimumCalls: 1, failureRateThreshold: 100 });
  let seen;
  const call = b.execute((signal) => {
    seen = signal;
    return new Promise(() => {});  // never settles by itself
  });
  const outcome = call.catch((e) => e);
  await time.advance(499);
  assert.equal(seen.aborted, false);
  await time.advance(1);
  const error = await outcome;
  assert.ok(error instanceof TimeoutError);
  assert.equal(error.code, 'TIMEOUT');
  assert.equal(seen.aborted, true);
  assert.equal(seen.reason, error);
  assert.equal(b.state, 'open');
  assert.equal(time.pending, 0);
});

test('listeners: unsubscribe, unknown names refused, a throwing listener does not break calls', async () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 1 }, minimumCalls: 1 });
  const seen = [];
  const off = b.on('stateChange', (e) => seen.push(e.to));
  assert.throws(() => b.on('stateChanged', () => {}), { code: 'INVALID_INPUT' });
  const reported = [];
  const original = globalThis.reportError;
  globalThis.reportError = (e) => reported.push(e.message);
  try {
    b.on('callNotPermitted', () => { throw new Error('listener bug'); });
    await fail(b);
    await assert.rejects(b.execute(ok), BrokenCircuitError);
  } finally {
    globalThis.reportError = original;
  }
  assert.deepEqual(reported, ['listener bug']);
  off();
  b.reset();
  assert.deepEqual(seen, ['open']);
});

test('bad options are refused with CONFIG_INVALID naming the option', () => {
  const bad = [
    [{ failureRateThreshold: 0 }, /failureRateThreshold/],
    [{ failureRateThreshold: 101 }, /failureRateThreshold/],
    [{ minimumCalls: 0 }, /minimumCalls/],
    [{ window: { type: 'sliding' } }, /window\.type/],
    [{ window: { size: 0 } }, /window\.size/],
    [{ window: { type: 'time', size: 10, sizeMs: 10000 } }, /size/],
    [{ window: { type: 'time', sizeMs: 1000, buckets: 3 } }, /multiple/],
    [{ openMs: 0 }, /openMs/],
    [{ openMs: 1000, openBackoff: { multiplier: 2, maxMs: 10 } }, /openBackoff\.maxMs/],
    [{ halfOpenCalls: 1.5 }, /halfOpenCalls/],
    [{ isFailure: 'yes' }, /isFailure/],
    [{ clock: 1 }, /clock/],
    [{ timers: {} }, /timers/],
    ['fast', /options/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => new CircuitBreaker(options), (e) => e instanceof ConfigError &&
      e.code === 'CONFIG_INVALID' && message.test(e.message), JSON.stringify(options));
  }
});

test('execute refuses a non-function, and a disposed breaker refuses everything', async () => {
  const b = new CircuitBreaker();
  await assert.rejects(b.execute('nope'), { code: 'INVALID_INPUT' });
  b.dispose();
  await assert.rejects(b.execute(ok), { code: 'DISPOSED' });
  assert.throws(() => b.state, { code: 'DISPOSED' });
});

test('the default clock works without injection', async () => {
  const b = new CircuitBreaker();
  assert.equal(await b.execute(async (signal) => signal.aborted), false);
  assert.equal(b.metrics().bufferedCalls, 1);
  await settle();
});

test('a bad signal rejects before the call runs or a timer is armed', async () => {
  const time = new FakeTime();
  const b = breaker(time, { timeoutMs: 50 });
  let called = false;
  for (const signal of [{}, null, 7]) {
    const p = b.execute(async () => { called = true; }, { signal });
    await assert.rejects(p, { code: 'CONFIG_INVALID', option: 'signal' });
  }
  await assert.rejects(b.execute(ok, 'options'), { code: 'CONFIG_INVALID' });
  assert.equal(called, false);
  assert.equal(time.pending, 0);
  await time.advance(100);
  assert.equal(b.metrics().bufferedCalls, 0);
});

test('a half-open trial permit reported three times counts as one trial call', () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000, halfOpenCalls: 3 });
  b.onFailure(1, b.tryAcquire());
  b.onFailure(1, b.tryAcquire());
  time.now = 1000;
  const trial = b.tryAcquire();
  assert.ok(trial > 0);
  for (let i = 0; i < 3; i++) b.onSuccess(1, trial);  // a repeat is a no-op
  assert.equal(b.state, 'halfOpen', 'three trials would have closed it');
  assert.equal(b.metrics().bufferedCalls, 1);
  assert.equal(b.metrics().halfOpenPermitsLeft, 2);
  const second = b.tryAcquire();
  const third = b.tryAcquire();
  assert.notEqual(second, third, 'each trial has its own permit');
  b.onSuccess(1, second);
  b.onIgnored(second);
  b.onSuccess(1, third);
  assert.equal(b.state, 'closed');
});

test('a closed-state permit reported again is not another outcome', () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 10 }, minimumCalls: 3, failureRateThreshold: 50 });
  const permit = b.tryAcquire();
  for (let i = 0; i < 5; i++) b.onFailure(1, permit);
  assert.equal(b.state, 'closed', 'five reports of one call would have opened it');
  assert.equal(b.metrics().failedCalls, 1);
  assert.equal(b.metrics().bufferedCalls, 1);
  const permits = [b.tryAcquire(), b.tryAcquire()];
  assert.notEqual(permits[0], permits[1]);
  for (const p of permits) b.onFailure(1, p);
  assert.equal(b.state, 'open');
});

test('permits are remembered in fixed memory: one 65536 permits old reports as a no-op', () => {
  const time = new FakeTime();
  const b = breaker(time, { window: { size: 10 }, minimumCalls: 1 });
  const first = b.tryAcquire();
  for (let i = 0; i < 65536; i++) b.tryAcquire();
  b.onFailure(1, first);
  assert.equal(b.state, 'closed');
  assert.equal(b.metrics().bufferedCalls, 0);
});

test('a clock that steps back an hour holds an open circuit open for openMs, not the hour', async () => {
  const time = new FakeTime();
  time.now = 3_600_000;
  const b = breaker(time, { window: { size: 2 }, minimumCalls: 2, openMs: 1000 });
  await fail(b, 2);
  assert.equal(b.state, 'open');
  time.now = 0;
  await assert.rejects(b.execute(ok), { code: 'CIRCUIT_OPEN', retryAfterMs: 1000 });
  time.now = 999;
  assert.equal(b.tryAcquire(), 0);
  time.now = 1000;
  assert.ok(b.tryAcquire() > 0, 'half-open once openMs has passed on the clock that stepped back');
});

test('a clock that disposes the breaker during restore() makes it DISPOSED, never a restore into freed memory', () => {
  let disposing = false;
  const b = new CircuitBreaker({ clock: () => {
    if (disposing) b.dispose();
    return 1000;
  } });
  const snapshot = b.snapshot();
  disposing = true;
  assert.throws(() => b.restore(snapshot), (e) => e instanceof EdgeguardError && e.code === 'DISPOSED');
});

test('a getter or clock that disposes the breaker mid-call: DISPOSED or the call\'s own outcome, and the freed handle never reaches the core', async (t) => {
  const calls = coreCalls(t, module('resilience'), '_eg_breaker_');
  const made = () => {
    const clock = armedClock();
    const b = new CircuitBreaker({ clock, window: { type: 'count', size: 2 }, minimumCalls: 2 });
    clock.onRead = () => b.dispose();
    return { b, clock, handle: b.handle };
  };
  const disposed = (e) => e instanceof EdgeguardError && e.code === 'DISPOSED';
  const cases = {
    'an options getter': async ({ b }) => {
      await assert.rejects(b.execute(ok, { get signal() { b.dispose(); return undefined; } }), disposed);
    },
    'the clock, timing a failed call': async ({ b, clock }) => {
      const fail = async () => { clock.armed = true; throw new TypeError('x'); };
      await assert.rejects(b.execute(fail), TypeError);
      assert.equal(b.disposed, true);
    },
    'the clock, in snapshot()': ({ b, clock }) => {
      clock.armed = true;
      assert.throws(() => b.snapshot(), disposed);
    },
    'the clock, in onFailure()': ({ b, clock }) => {
      const permit = b.tryAcquire();
      clock.armed = true;
      assert.throws(() => b.onFailure(5, permit), disposed);
    },
    'the clock, refusing calls while open': async ({ b, clock }) => {
      b.forceOpen();
      clock.armed = true;
      await assert.rejects(b.execute(ok));
      assert.throws(() => b.metrics(), disposed);
    },
  };
  for (const [name, run] of Object.entries(cases)) {
    const made1 = made();
    const from = calls.length;
    await run(made1);
    const mine = calls.slice(from);
    const freed = mine.findIndex(([n, h]) => n === '_eg_breaker_free' && h === made1.handle);
    assert.ok(freed >= 0, `${name}: disposed`);
    assert.deepEqual(mine.filter(([, h], k) => h === 0 || (k > freed && h === made1.handle)), [], name);
  }
});

test('restore refuses what JSON cannot hold with a typed error and keeps its state', () => {
  const time = new FakeTime();
  const b = breaker(time);
  const cyclic = {};
  cyclic.self = cyclic;
  for (const snapshot of [{ n: 1n }, cyclic]) {
    assert.throws(() => b.restore(snapshot), { code: 'BREAKER_INVALID_SNAPSHOT' });
  }
  assert.equal(b.state, 'closed');
});
