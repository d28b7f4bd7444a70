import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutageWatch } from '../../../web-demo/outage.js';

const T0 = 1_700_000_000_000;

test('nothing to say until the backend has been down', () => {
  const w = new OutageWatch();
  w.reading(T0, 10, false);
  w.record('error', true);
  assert.equal(w.summary(), null);
});

test('while down: cached answers and errors, uncached circuit-open refusals, backend calls per second before and during', () => {
  const w = new OutageWatch({ beforeMs: 60000 });
  w.reading(T0 - 120000, 0, false);  // outside the minute before: not the reference
  w.reading(T0 - 20000, 100, false);
  w.reading(T0 - 10000, 150, false);
  w.record('stale-if-error', true);  // before the outage: not counted
  w.reading(T0, 300, true);  // 200 calls in the 20 s before: 10/s
  for (const [outcome, cached] of [['stale-if-error', true], ['hit', true], ['stale', true], ['error', true],
    ['circuit-open', false], ['circuit-open', false], ['error', false], ['invalid', false], ['circuit-open', true]]) {
    w.record(outcome, cached);
  }
  w.reading(T0 + 10000, 305, true);
  assert.deepEqual(w.summary(), {
    down: true, seconds: 10, backendCalls: 5, callsPerSecond: { before: 10, during: 0.5 },
    cachedServed: 3, cachedErrors: 2, uncachedCircuitOpen: 2, uncachedErrors: 1,
  });
});

test('the outage ends at the reading that finds the backend up; its numbers stay; a new outage starts from zero', () => {
  const w = new OutageWatch();
  w.reading(T0, 0, false);
  w.reading(T0 + 1000, 20, true);
  w.record('hit', true);
  w.reading(T0 + 5000, 22, false);
  w.record('hit', true);  // after the outage: not counted
  w.reading(T0 + 9000, 90, false);
  assert.deepEqual(w.summary(), {
    down: false, seconds: 4, backendCalls: 2, callsPerSecond: { before: 20, during: 0.5 },
    cachedServed: 1, cachedErrors: 0, uncachedCircuitOpen: 0, uncachedErrors: 0,
  });
  w.reading(T0 + 10000, 100, true);
  const s = w.summary();
  assert.deepEqual([s.down, s.seconds, s.cachedServed, s.callsPerSecond.during], [true, 0, 0, null]);
  assert.equal(s.callsPerSecond.before, 10, '100 calls in the 10 s before, the first outage included');
});

test('no time to measure over is no rate, never a division by zero', () => {
  const w = new OutageWatch();
  w.reading(T0, 5, false);
  w.reading(T0, 9, true);  // the page's clock did not move (a frozen clock, or the same millisecond)
  assert.deepEqual(w.summary().callsPerSecond, { before: null, during: null });
  const fresh = new OutageWatch();
  fresh.reading(T0, 9, true);  // the page opened with the backend already down
  assert.deepEqual(fresh.summary().callsPerSecond, { before: null, during: null });
});

test('readings are kept in a ring: the reference before the outage is the oldest one still kept', () => {
  const w = new OutageWatch({ readings: 4, beforeMs: 60000 });
  for (let i = 0; i < 10; i++) w.reading(T0 + i * 1000, i * 10, false);
  assert.equal(w.ring.length, 4);
  w.reading(T0 + 10000, 100, true);  // kept: the readings at 6 to 9 s; from 6 s: 40 calls in 4 s
  assert.equal(w.summary().callsPerSecond.before, 10);
  assert.equal(w.count, 4);
});
