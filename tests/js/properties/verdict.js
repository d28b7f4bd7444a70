// The suite's one invariant: a call answers, or throws (rejects) a typed EdgeguardError with a
// string code; never a raw TypeError/RangeError. User callbacks that throw may have their own
// error passed through unchanged.
import assert from 'node:assert/strict';
import { EdgeguardError } from '../../../js/entry.node.js';

/** What a user-supplied clock, fetcher or sizeOf throws on purpose. */
export class UserFailure extends Error {}

/** What a user's fetcher rejects with when it rejects with something that is not an Error. */
export const USER_REJECTION = Object.freeze({ rejectedBy: 'the user' });

export function isTyped(error) {
  return error instanceof EdgeguardError && typeof error.code === 'string' && error.code !== '';
}

export function describe(error) {
  if (!(error instanceof Error)) {
    try {
      return `non-error ${typeof error} ${String(error)}`;
    } catch {
      return `unprintable ${typeof error}`;
    }
  }
  return `${error.constructor.name}${error.code ? ` [${error.code}]` : ''}: ${error.message}`;
}

function assertTyped(error, where) {
  if (error instanceof UserFailure || error === USER_REJECTION || isTyped(error)) return;
  assert.fail(`${where} threw ${describe(error)}, not a typed EdgeguardError`);
}

/** `{ ok: true, value }` or `{ ok: false, error }` (a typed one: anything else fails). */
export function attempt(fn, where = 'the call') {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    assertTyped(error, where);
    return { ok: false, error };
  }
}

/**
 * As attempt() for calls that return promises: a synchronous throw must be typed (a bad
 * argument), a returned promise must reject, if at all, with a typed error. `drive()` moves
 * fake time until the promise settles; a promise still pending afterwards is a hang.
 */
export async function attemptAsync(fn, where = 'the call', drive = settle) {
  let promise;
  try {
    promise = fn();
  } catch (error) {
    assertTyped(error, `${where} (synchronously)`);
    return { ok: false, error, sync: true };
  }
  assert.ok(promise && typeof promise.then === 'function', `${where} returned no promise`);
  let state = null;
  promise.then((value) => { state = { ok: true, value }; }, (error) => { state = { ok: false, error }; });
  await drive();
  assert.ok(state, `${where} never settled (a hang)`);
  if (!state.ok) assertTyped(state.error, where);
  return state;
}

/** Lets queued reactions run and unhandled rejections be detected (no fake time passes). */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs a FakeTime's timers for `ms`: a callback that throws would be an uncaught exception
 * (a crashed process) under real timers, so it fails the property here.
 */
export async function driveTimers(time, ms = 2 ** 31) {
  try {
    await time.advance(ms);
  } catch (error) {
    assert.fail(`a timer callback threw (a real timer would crash the process): ${describe(error)}`);
  }
}
