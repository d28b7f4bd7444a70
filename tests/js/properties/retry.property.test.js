// Properties of Retry: at most maxAttempts attempts, every delay finite and within [0, maxMs]
// whatever the clock says; the last outcome or a typed error; execute() never throws
// synchronously; bad options are typed errors.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Retry } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attempt, attemptAsync, driveTimers, UserFailure, describe } from './verdict.js';
import { Clock, option, wrongType, edgeNumber, impossibleReading, extremeReading } from './hostile.js';
import { assertCanaries } from './canary.js';

const config = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 6 }),
  baseMs: fc.integer({ min: 1, max: 100 }),
  maxMs: fc.integer({ min: 100, max: 1000 }),
  jitter: fc.constantFrom('full', 'equal', 'decorrelated', 'none'),
  seed: fc.nat(),
  budget: fc.constantFrom(false, undefined),
});
const reading = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1e6 }) }, impossibleReading, extremeReading);
const outcome = fc.constantFrom('throws', 'rejects', '503', '429 retry-after', 'ok');

function respond(kind, attempt) {
  switch (kind) {
    case 'throws': throw new UserFailure(`attempt ${attempt}`);
    case 'rejects': return Promise.reject(new UserFailure(`attempt ${attempt}`));
    case '503': return { status: 503 };
    case '429 retry-after': return { status: 429, headers: { get: () => '1' } };
    default: return { status: 200 };
  }
}

property('attempts <= maxAttempts, delays finite in [0, maxMs] under any clock; execute never throws synchronously',
  [config, fc.array(outcome, { minLength: 1, maxLength: 6 }), fc.array(reading, { minLength: 1, maxLength: 6 })],
  async (c, outcomes, readings) => {
    const time = new FakeTime();
    const clock = new Clock();
    const retry = new Retry({ ...c, clock: () => { clock.now = readings[clock.reads % readings.length]; return clock.read(); }, sleep: time.sleep, timers: time.timers });
    let attempts = 0;
    try {
      let promise;
      try {
        promise = retry.execute((signal, n) => { attempts++; return respond(outcomes[(n - 1) % outcomes.length], n); });
      } catch (error) {
        assert.fail(`execute threw synchronously: ${describe(error)}`);
      }
      const r = await attemptAsync(() => promise, 'execute', () => driveTimers(time));
      assert.ok(attempts <= c.maxAttempts, `${attempts} attempts, maxAttempts ${c.maxAttempts}`);
      if (r.ok) assert.ok(attempts >= 1, 'an answer without an attempt');
      for (const ms of time.sleeps) assert.ok(Number.isFinite(ms) && ms >= 0 && ms <= c.maxMs, `slept ${ms} ms (maxMs ${c.maxMs})`);
    } finally {
      retry.dispose();
    }
  }, { numRuns: 300 });

property('random options: a Retry or a typed error; execute settles with the call\'s outcome or a typed error',
  [fc.oneof({ weight: 5, arbitrary: fc.record({
    maxAttempts: option(fc.integer({ min: 1, max: 5 })), baseMs: option(fc.integer({ min: 1, max: 100 })),
    maxMs: option(fc.integer({ min: 1, max: 1000 })), jitter: option(fc.constantFrom('full', 'none', 'x')),
    budget: option(fc.oneof(fc.constant(false), fc.record({ ratio: option(fc.double()), minPerSecond: option(fc.nat()), windowMs: option(fc.nat()), buckets: option(fc.nat()) }, { requiredKeys: [] }))),
    seed: option(fc.nat()), maxRetryAfterMs: option(fc.nat()), retryNonIdempotent: option(fc.boolean()),
    timeoutMs: option(fc.integer({ min: 1, max: 100 })), retryOn: option(fc.constant(() => true)),
  }, { requiredKeys: [] }) }, wrongType, edgeNumber), outcome, fc.oneof(fc.constant(undefined), fc.record({ method: option(fc.constantFrom('GET', 'POST')), idempotent: option(fc.boolean()) }, { requiredKeys: [] }))],
  async (options, kind, executeOptions) => {
    const time = new FakeTime();
    const built = attempt(() => new Retry(options === null || typeof options !== 'object' ? options
      : { ...options, sleep: time.sleep, timers: time.timers, clock: time.clock }), 'new Retry');
    if (!built.ok) return;
    await attemptAsync(() => built.value.execute((s, n) => respond(kind, n), executeOptions), 'execute', () => driveTimers(time));
    attempt(() => built.value.metrics(), 'metrics');
    built.value.dispose();
    assertCanaries();
  }, { numRuns: 200 });
