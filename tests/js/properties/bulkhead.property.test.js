// Properties of Bulkhead: never more than maxConcurrent running or maxQueue waiting, FIFO starts,
// refusals only when full, every call settles once the running ones finish, withdrawn calls
// reject with their signal's reason; bad options and arguments are typed errors.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bulkhead, BulkheadFullError } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attempt, attemptAsync, driveTimers, settle, UserFailure } from './verdict.js';
import { option, wrongType, edgeNumber } from './hostile.js';
import { assertCanaries } from './canary.js';

const step = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ op: 'submit' }) },
  fc.record({ op: fc.constant('finish'), which: fc.nat(), fails: fc.boolean() }),
  fc.record({ op: fc.constant('abort'), which: fc.nat() }),
);

property('at most maxConcurrent run and maxQueue wait; starts are FIFO; refusals only when full; all settle',
  [fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.array(step, { maxLength: 40 })],
  async (maxConcurrent, maxQueue, plan) => {
    const time = new FakeTime();
    const bulkhead = new Bulkhead({ maxConcurrent, maxQueue, timers: time.timers });
    const running = [];   // { id, finish }
    const started = [];
    const calls = [];     // { id, controller, settled, outcome }
    let next = 0;
    try {
      for (const s of plan) {
        if (s.op === 'submit') {
          const id = next++;
          const controller = new AbortController();
          const full = bulkhead.metrics();
          const entry = { id, controller, settled: false, outcome: null };
          calls.push(entry);
          bulkhead.execute(() => new Promise((resolve, reject) => {
            started.push(id);
            running.push({ id, finish: (fails) => (fails ? reject(new UserFailure('call failed')) : resolve(id)) });
          }), { signal: controller.signal }).then(
            (value) => { entry.settled = true; entry.outcome = { ok: true, value }; },
            (error) => { entry.settled = true; entry.outcome = { ok: false, error }; });
          await settle();
          if (entry.settled && entry.outcome.error instanceof BulkheadFullError) {
            assert.ok(full.running === maxConcurrent && full.queued === maxQueue, `refused with ${JSON.stringify(full)}`);
          }
        } else if (s.op === 'finish' && running.length) {
          const [call] = running.splice(s.which % running.length, 1);
          call.finish(s.fails);
        } else if (s.op === 'abort' && calls.length) {
          calls[s.which % calls.length].controller.abort(new UserFailure('withdrawn'));
        }
        await settle();
        const m = bulkhead.metrics();
        assert.ok(m.running <= maxConcurrent && m.queued <= maxQueue, `metrics over bounds: ${JSON.stringify(m)}`);
        assert.ok(running.length <= maxConcurrent, `${running.length} calls running at once`);
        assert.equal(m.running, running.length, `metrics.running ${m.running}, really ${running.length}`);
      }
      // Starts follow submission order among those that started.
      assert.deepEqual(started, [...started].sort((a, b) => a - b), `starts out of order: ${started}`);
      while (running.length) {
        running.shift().finish(false);
        await settle();
      }
      await settle();
      for (const c of calls) {
        assert.ok(c.settled, `call ${c.id} never settled`);
        if (!c.outcome.ok) assert.ok(c.outcome.error instanceof UserFailure || c.outcome.error instanceof BulkheadFullError, `call ${c.id}: ${c.outcome.error}`);
      }
    } finally {
      bulkhead.dispose();
    }
  }, { numRuns: 300 });

property('random options and arguments: a Bulkhead or a typed error; execute settles',
  [fc.oneof({ weight: 5, arbitrary: fc.record({
    maxConcurrent: option(fc.integer({ min: 1, max: 5 })), maxQueue: option(fc.nat(5)),
    queueTimeoutMs: option(fc.nat(1000)), timers: option(fc.constant(new FakeTime().timers)),
  }, { requiredKeys: [] }) }, wrongType, edgeNumber), fc.oneof(fc.constant(() => 1), wrongType),
  fc.oneof(fc.constant(undefined), wrongType)],
  async (options, fn, executeOptions) => {
    const built = attempt(() => new Bulkhead(options), 'new Bulkhead');
    if (!built.ok) return;
    await attemptAsync(() => built.value.execute(fn, executeOptions), 'execute');
    built.value.dispose();
    assertCanaries();
  }, { numRuns: 200 });

property('queueTimeoutMs: a waiting call gives up after exactly that long, unless a slot frees first',
  [fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 2000 })], async (queueTimeoutMs, finishAfter) => {
    const time = new FakeTime();
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs, timers: time.timers });
    try {
      let finish;
      const first = bulkhead.execute(() => new Promise((resolve) => { finish = resolve; }));
      let outcome = null;
      bulkhead.execute(() => 'ran').then((v) => { outcome = v; }, (e) => { outcome = e; });
      time.timers.setTimeout(() => finish('done'), finishAfter);
      await driveTimers(time, 5000);
      await first;
      if (finishAfter < queueTimeoutMs) assert.equal(outcome, 'ran', `a slot freed at ${finishAfter} < ${queueTimeoutMs}: ${outcome}`);
      else if (finishAfter > queueTimeoutMs) {
        assert.ok(outcome instanceof BulkheadFullError && outcome.reason === 'queueTimeout', `waited ${queueTimeoutMs}: ${outcome}`);
      }
      assert.deepEqual(bulkhead.metrics().running + bulkhead.metrics().queued, 0, 'slots left taken');
    } finally {
      bulkhead.dispose();
    }
  }, { numRuns: 200 });
