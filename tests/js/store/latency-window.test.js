import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyWindow } from '../../../js/store/latency-window.js';

test('percentiles of the samples, nearest rank; zeros before the first', () => {
  const w = new LatencyWindow();
  assert.deepEqual(w.percentiles(), { p50: 0, p90: 0, p99: 0, max: 0 });
  for (let ms = 100; ms >= 1; ms--) w.add(ms);
  assert.deepEqual(w.percentiles(), { p50: 50, p90: 90, p99: 99, max: 100 });
});

test('only the last 1024 samples count: memory stays fixed however many calls', () => {
  const w = new LatencyWindow();
  for (let i = 0; i < 5000; i++) w.add(1000);
  for (let i = 0; i < 1024; i++) w.add(2);
  assert.deepEqual(w.percentiles(), { p50: 2, p90: 2, p99: 2, max: 2 });
});
