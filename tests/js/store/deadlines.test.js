// Deadlines: one timer per deadline length for all of a store's pending calls, on fake time; on
// workerd (whose timers end with their request) one per call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallDeadlines, Deadlines, deadlinesFor } from '../../../js/store/deadlines.js';
import { FakeTime } from '../resilience_fakes.js';

function deadlines(time, now = time.clock) {
  return new Deadlines(time.timers, now);
}

test('calls of one length expire in order, each at its own deadline, on one timer at a time', async () => {
  const time = new FakeTime();
  const d = deadlines(time);
  const expired = [];
  for (const [at, name] of [[0, 'a'], [10, 'b'], [25, 'c']]) {
    await time.advance(at - time.now);
    d.add(50, time.now, () => expired.push([name, time.now]));
    assert.equal(time.pending, 1, 'one timer, however many calls');
  }
  await time.advance(100);
  assert.deepEqual(expired, [['a', 50], ['b', 60], ['c', 75]]);
  assert.equal(time.pending, 0, 'nothing left: no timer armed again');
});

test('a clock that stands still (an injected one beside real timers): a call made after the first never expires before its own deadline', async () => {
  const time = new FakeTime();
  const d = deadlines(time, () => 0);  // the calls' clock never moves; the timers do
  const expired = [];
  d.add(250, 0, () => expired.push(['a', time.now]));
  await time.advance(200);
  d.add(250, 0, () => expired.push(['b', time.now]));  // the same due time by its clock
  await time.advance(50);
  assert.deepEqual(expired, [['a', 250]], 'b has waited 50 ms only');
  await time.advance(199);
  assert.deepEqual(expired, [['a', 250]]);
  await time.advance(300);
  assert.equal(expired.length, 2);
  const [, bAt] = expired[1];
  assert.ok(bAt >= 450 && bAt <= 500, `b expired at ${bAt}: at least 250 ms after it was made, at most one length late`);
});

test('a cancelled call never expires; the timer armed for it runs out and moves on to the next', async () => {
  const time = new FakeTime();
  const d = deadlines(time);
  const expired = [];
  const a = d.add(50, 0, () => expired.push('a'));
  await time.advance(20);
  d.add(50, 20, () => expired.push('b'));
  d.cancel(a);
  d.cancel(a);  // twice: nothing
  await time.advance(30);
  assert.deepEqual(expired, []);
  assert.equal(time.pending, 1, 'armed again for b');
  await time.advance(20);
  assert.deepEqual(expired, ['b']);
});

test('calls answered one after another arm one timer per deadline, not one each', async () => {
  const time = new FakeTime();
  let armed = 0;
  const timers = { setTimeout: (fn, ms) => { armed++; return time.timers.setTimeout(fn, ms); }, clearTimeout: time.timers.clearTimeout };
  const counted = new Deadlines(timers, time.clock);
  for (let i = 0; i < 100; i++) {
    counted.cancel(counted.add(50, time.now, () => assert.fail('answered')));
    await time.advance(1);
  }
  assert.equal(armed, 2, 'at 0, and again at 50 for the calls after it');
  await time.advance(100);
  assert.equal(time.pending, 0);
});

test('each length keeps its own order: a short deadline made later expires first', async () => {
  const time = new FakeTime();
  const d = deadlines(time);
  const expired = [];
  d.add(100, 0, () => expired.push('long'));
  d.add(10, 0, () => expired.push('short'));
  await time.advance(10);
  assert.deepEqual(expired, ['short']);
  await time.advance(90);
  assert.deepEqual(expired, ['short', 'long']);
});

test('a clock that cannot be read, or stands still, expires by the timer\'s account, and never early', async () => {
  const time = new FakeTime();
  let broken = false;
  const d = deadlines(time, () => {
    if (broken) throw new Error('CLOCK_INVALID');
    return 0;  // stands still
  });
  const expired = [];
  d.add(50, 0, () => expired.push('a'));
  d.add(50, 30, () => expired.push('b'));
  await time.advance(49);
  assert.deepEqual(expired, []);
  broken = true;
  await time.advance(1);
  assert.deepEqual(expired, ['a']);
  broken = false;
  await time.advance(29);
  assert.deepEqual(expired, ['a']);
  await time.advance(1);
  assert.deepEqual(expired, ['a', 'b']);
});

test('a runtime timer is unref\'d: a pending deadline alone does not keep a process alive', () => {
  let unrefs = 0;
  const timers = { setTimeout: () => ({ unref: () => { unrefs++; } }), clearTimeout: () => {} };
  new Deadlines(timers, () => 0).add(50, 0, () => {});
  assert.equal(unrefs, 1);
});

test('on workerd each call has a timer of its own, cleared when it is answered; elsewhere they share one', async (t) => {
  const time = new FakeTime();
  assert.ok(deadlinesFor(time.timers, time.clock) instanceof Deadlines, `here: ${globalThis.navigator?.userAgent}`);
  const navigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true });
  t.after(() => (navigator ? Object.defineProperty(globalThis, 'navigator', navigator) : delete globalThis.navigator));
  const d = deadlinesFor(time.timers, time.clock);
  assert.ok(d instanceof CallDeadlines);
  const expired = [];
  const a = d.add(50, 0, () => expired.push(['a', time.now]));
  await time.advance(10);
  d.add(50, 10, () => expired.push(['b', time.now]));
  assert.equal(time.pending, 2, 'a timer per call');
  d.cancel(a);
  await time.advance(100);
  assert.deepEqual(expired, [['b', 60]]);
  assert.equal(time.pending, 0);
});

// workerd gives no navigator to a Worker whose compatibility date is before 2022-03-21 (or with
// the no_global_navigator flag): seen with workerd serve, `typeof navigator` 'undefined' there,
// while WebSocketPair, workerd's own global, is a function at every date.
test('review: workerd without a global navigator (an older compatibility date) still gives each call a timer of its own', (t) => {
  const time = new FakeTime();
  const saved = ['navigator', 'WebSocketPair'].map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]);
  t.after(() => {
    for (const [name, d] of saved) {
      if (d) Object.defineProperty(globalThis, name, d);
      else delete globalThis[name];
    }
  });
  Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
  Object.defineProperty(globalThis, 'WebSocketPair', { value: function WebSocketPair() {}, configurable: true });
  assert.ok(deadlinesFor(time.timers, time.clock) instanceof CallDeadlines);
});

test('Vercel Edge (the EdgeRuntime global) gives each call a timer of its own too', (t) => {
  const time = new FakeTime();
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'EdgeRuntime');
  t.after(() => (saved ? Object.defineProperty(globalThis, 'EdgeRuntime', saved) : delete globalThis.EdgeRuntime));
  Object.defineProperty(globalThis, 'EdgeRuntime', { value: 'edge-runtime', configurable: true });
  assert.ok(deadlinesFor(time.timers, time.clock) instanceof CallDeadlines);
});
