// Properties of timeout(): it settles as the call does before `ms` and with TimeoutError after;
// bad arguments (including a signal that is not an AbortSignal) throw synchronously with nothing
// armed; no timer it leaves behind throws.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { timeout, TimeoutError } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attemptAsync, attempt, driveTimers, UserFailure } from './verdict.js';
import { option } from './hostile.js';

const MAX_MS = 2 ** 31 - 1;
const settleAfter = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 300 }));

function call(time, delay, fails) {
  return () => {
    if (delay === null) return fails ? Promise.reject(new UserFailure('failed')) : 'now';
    return new Promise((resolve, reject) => time.timers.setTimeout(() => (fails ? reject(new UserFailure('late')) : resolve('late')), delay));
  };
}

property('within ms the call\'s outcome, after it a TimeoutError; never a raw error or a throwing timer',
  [option(fc.integer({ min: 1, max: 300 })), settleAfter, fc.boolean(), fc.constantFrom('none', 'live', 'aborted')],
  async (ms, delay, fails, signalKind) => {
    const time = new FakeTime();
    const signal = signalKind === 'live' ? new AbortController().signal
      : signalKind === 'aborted' ? AbortSignal.abort(new UserFailure('aborted')) : undefined;
    const r = await attemptAsync(() => timeout(call(time, delay, fails), ms, { signal, timers: time.timers }), 'timeout',
      () => driveTimers(time));
    const validMs = Number.isInteger(ms) && ms >= 1 && ms <= MAX_MS;
    if (!validMs) {
      assert.ok(!r.ok && r.sync, `ms ${String(ms)} was not refused synchronously`);
      assert.equal(time.pending, 0, 'a timer is left armed after a refused call');
      return;
    }
    if (signalKind === 'aborted') assert.ok(!r.ok && r.error instanceof UserFailure, 'an aborted signal did not reject with its reason');
    else if (delay !== null && delay > ms) assert.ok(!r.ok && r.error instanceof TimeoutError, `settled after ${delay} > ${ms} ms without a TimeoutError`);
    else if (delay === null || delay < ms) assert.equal(r.ok, !fails, 'the call\'s own outcome was not passed through');
  }, { numRuns: 300 });

const notSignal = fc.constantFrom({}, 'signal', 5, { aborted: false }, { addEventListener: 1 }, Object.create(null), [], true);
const notTimers = fc.constantFrom({}, 'timers', { setTimeout() {} }, { setTimeout: 1, clearTimeout: 1 });

property('a signal or timers that are not what they claim: a synchronous typed error, nothing armed, the call not run',
  [fc.oneof(notSignal.map((signal) => ({ signal })), notTimers.map((timers) => ({ timers })))], async (bad) => {
    const time = new FakeTime();
    let ran = false;
    const options = { timers: time.timers, ...bad };
    const r = attempt(() => timeout(() => { ran = true; return 1; }, 50, options), 'timeout');
    if (r.ok) {
      r.value.catch(() => {});
      await driveTimers(time);
    }
    assert.ok(!r.ok, `timeout accepted ${JSON.stringify(bad)}`);
    assert.equal(time.pending, 0, 'a timer was armed before the refusal');
    assert.equal(ran, false, 'the call ran before the refusal');
  }, { numRuns: 60 });
