import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../../../web-demo/metrics.js';

const T0 = 1_700_000_000_000;

test('outcomes land in the second of the clock they happened at; totals add up', () => {
  const m = new Metrics({ seconds: 10 });
  m.record('fresh', 5, true, T0);
  m.record('hit', 1, true, T0 + 999);
  m.record('invalid', 1, false, T0 + 1000);
  const s = m.series();
  assert.equal(s.x.length, 10);
  assert.equal(s.x.at(-1), (T0 + 1000) / 1000);
  assert.deepEqual(s.perOutcome.fresh.slice(-2), [1, 0]);
  assert.deepEqual(s.perOutcome.hit.slice(-2), [1, 0]);
  assert.deepEqual(s.perOutcome.invalid.slice(-2), [0, 1]);
  assert.equal(m.totals.fresh + m.totals.hit + m.totals.invalid, 3);
});

test('the ring forgets seconds older than its window, and a jump clears the seconds skipped', () => {
  const m = new Metrics({ seconds: 4 });
  for (let i = 0; i < 4; i++) m.record('fresh', 1, false, T0 + i * 1000);
  m.record('error', 1, false, T0 + 5000);
  const s = m.series();
  assert.deepEqual(s.x, [2, 3, 4, 5].map((k) => (T0 + k * 1000) / 1000));
  assert.deepEqual(s.perOutcome.fresh, [1, 1, 0, 0]);
  assert.deepEqual(s.perOutcome.error, [0, 0, 0, 1]);
  m.record('fresh', 1, false, T0);  // too old for the window: counted, not charted
  assert.equal(m.totals.fresh, 5);
  assert.deepEqual(m.series().perOutcome.fresh, [1, 1, 0, 0]);
  m.record('fresh', 1, false, T0 + 60_000);
  assert.deepEqual(m.series().perOutcome.fresh, [0, 0, 0, 1]);
});

test('latency percentiles come from at most `samples` values per second', () => {
  const m = new Metrics({ seconds: 2, samples: 100 });
  for (let i = 1; i <= 100; i++) m.record('fresh', i, false, T0);
  let s = m.series();
  assert.deepEqual([s.p50.at(-1), s.p95.at(-1), s.p99.at(-1)], [51, 96, 100]);
  for (let i = 0; i < 1000; i++) m.record('fresh', 1000, false, T0);  // overwrites round-robin
  s = m.series();
  assert.equal(s.p50.at(-1), 1000);
  assert.equal(m.latency[0].length, 100);
  assert.equal(s.p50[0], null);
});

test('the hit ratio counts GETs served from cache among those that reached it', () => {
  const m = new Metrics({ seconds: 2 });
  for (const o of ['hit', 'stale', 'stale-if-error', 'fresh', 'error', 'rate-limited']) m.record(o, 1, true, T0);
  m.record('fresh', 1, false, T0);
  assert.equal(m.series().hitRatio.at(-1), 60);
  assert.equal(m.cachedRouteErrors, 1);
});

test('errors on cached routes count circuit-open refusals too, not only upstream errors', () => {
  const m = new Metrics({ seconds: 2 });
  for (let i = 0; i < 61; i++) m.record('circuit-open', 1, true, T0);
  for (let i = 0; i < 4; i++) m.record('stale-if-error', 1, true, T0);
  m.record('error', 1, true, T0);
  m.record('circuit-open', 1, false, T0);  // not a cached route
  assert.equal(m.cachedRouteErrors, 62);
});

test('the breaker band shows the worst state of each second; transitions are kept bounded', () => {
  const m = new Metrics({ seconds: 3 });
  m.breaker('closed', T0);
  m.breaker('open', T0 + 100);
  m.breaker('halfOpen', T0 + 1000);
  m.breaker('closed', T0 + 2000);
  const { bands } = m.series();
  assert.deepEqual(bands.open, [1, null, null]);
  assert.deepEqual(bands.halfOpen, [null, 1, null]);
  assert.deepEqual(bands.closed, [null, null, 1]);
  assert.deepEqual(m.transitions.map((t) => t.to), ['open', 'halfOpen', 'closed']);
  for (let i = 0; i < 200; i++) m.breaker(i % 2 ? 'open' : 'closed', T0 + 3000);
  assert.equal(m.transitions.length, 64);
});
