// The typed errors of every store (Redis, Upstash, Durable Objects, a user's own): the caller
// picks its fallback from the code, whatever the engine underneath.
import { EdgeguardError, describe } from '../errors.js';

/**
 * `code` is one of:
 * - STORE_TIMEOUT: no answer within the call's deadline (the late answer, if any, is dropped);
 * - STORE_UNAVAILABLE: the store is not reachable, or its breaker is open and the call was not
 *   sent (then `retryAfterMs` says when it will be tried again);
 * - STORE_ERROR: the store answered with an error (a script error, a wrong type): it is up.
 * `cause` is the client's own error when there is one.
 */
export class StoreError extends EdgeguardError {}

// A client's error as a message shows it: its own message when it has one; any other value, even
// one that cannot be printed, through describe().
function reason(cause) {
  return typeof cause?.message === 'string' ? cause.message : describe(cause);
}

export function storeTimeout(deadlineMs) {
  return new StoreError('STORE_TIMEOUT', `the store did not answer within ${deadlineMs} ms`, { deadlineMs });
}

export function storeUnavailable(cause, retryAfterMs = undefined) {
  return cause === undefined
    ? new StoreError('STORE_UNAVAILABLE', 'the store is failing: its breaker is open, the call was not sent', { retryAfterMs })
    : new StoreError('STORE_UNAVAILABLE', `the store is unreachable: ${reason(cause)}`, { cause });
}

export function storeFailed(cause) {
  return new StoreError('STORE_ERROR', `the store refused the call: ${reason(cause)}`, { cause });
}
