import { EdgeguardError } from './errors.js';

/** Timers the resilience classes use; inject fakes to test without real time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** A call that did not finish in time (`code: 'TIMEOUT'`); its signal was aborted with this error. */
export class TimeoutError extends EdgeguardError {
  constructor(timeoutMs: number);
  readonly code: 'TIMEOUT';
  readonly timeoutMs: number;
}

export interface TimeoutOptions {
  /** The caller's signal: aborting it aborts the call and rejects with its reason. */
  signal?: AbortSignal;
  timers?: Timers;
}

/**
 * Runs `fn(signal)`; if it has not settled after `ms` (an integer from 1 to 2^31 - 1), aborts
 * `signal` and rejects with TimeoutError. Bad arguments throw synchronously (CONFIG_INVALID,
 * INVALID_INPUT).
 */
export function timeout<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, ms: number,
  options?: TimeoutOptions): Promise<T>;
