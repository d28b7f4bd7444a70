import { EdgeguardError } from '../errors.js';

export type StoreErrorCode = 'STORE_TIMEOUT' | 'STORE_UNAVAILABLE' | 'STORE_ERROR';

/**
 * A store call failed. STORE_TIMEOUT: no answer within the deadline. STORE_UNAVAILABLE: not
 * reachable, or not sent because the store's breaker is open (`retryAfterMs` then says when it
 * is tried again). STORE_ERROR: the store answered with an error (it is up).
 */
export class StoreError extends EdgeguardError {
  readonly code: StoreErrorCode;
  readonly deadlineMs?: number;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}
