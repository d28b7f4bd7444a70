import { EdgeguardError } from './errors.js';
import type { Timers } from './timeout.js';
import type { Store } from './store/store.js';
import type { BreakerShareOptions, SharedBreakerView } from './shared/breaker-share.js';

export type { BreakerShareOptions, SharedBreakerView };

export type CircuitState = 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled' | 'metricsOnly';

/** true: a failure; false: a success; 'ignore': neither (e.g. a cancelled call). */
export type Verdict = boolean | 'ignore';

/**
 * The call was not let through (`code: 'CIRCUIT_OPEN'`). Built without a stack trace: it is
 * made at the rate calls arrive while the circuit is open.
 */
export class BrokenCircuitError extends EdgeguardError {
  constructor(state?: 'open' | 'halfOpen' | 'forcedOpen', retryAfterMs?: number);
  readonly code: 'CIRCUIT_OPEN';
  readonly state: 'open' | 'halfOpen' | 'forcedOpen';
  /** Milliseconds until the circuit lets a call through again; 0 when half-open with all trial permits taken; undefined when forced open. */
  readonly retryAfterMs: number | undefined;
}

/** The default classifier: HTTP 5xx and 429 fail, other statuses succeed; thrown errors fail. */
export function isFailure(outcome: unknown, thrown: boolean): boolean;

export type BreakerWindow =
  | { type?: 'count'; /** calls kept (default 100) */ size?: number }
  | { type: 'time'; /** span in ms (default 60000) */ sizeMs?: number; /** slide step = sizeMs / buckets (default 1 s steps) */ buckets?: number }
  | { type: 'time'; /** span in seconds, as resilience4j sizes it */ size: number; buckets?: number };

export interface CircuitBreakerOptions {
  window?: BreakerWindow;
  /** Calls buffered before rates count (default 20, capped at a count window's size). */
  minimumCalls?: number;
  /** Percent in (0, 100] (default 50). */
  failureRateThreshold?: number;
  /** A call this long or longer is slow (default 0: slow calls not tracked). */
  slowCallDurationMs?: number;
  /** Percent in (0, 100] (default 100). */
  slowCallRateThreshold?: number;
  /** Open after this many failures in a row, whatever minimumCalls says (default 0: off). */
  consecutiveFailures?: number;
  /** How long the circuit stays open before trial calls (default 60000). */
  openMs?: number;
  /** openMs grows by `multiplier` on each trip without closing in between, up to `maxMs`. */
  openBackoff?: { multiplier?: number; maxMs?: number };
  /** Trial calls let through when half-open (default 10). */
  halfOpenCalls?: number;
  /** Back to open if the trials have not decided within this long (default 0: wait). */
  halfOpenMaxMs?: number;
  /** Classifies a call's value or thrown error (`thrown` tells which). */
  isFailure?: (outcome: unknown, thrown: boolean) => Verdict;
  /** Aborts and fails calls that run longer (default: no timeout). */
  timeoutMs?: number;
  /**
   * Milliseconds; default Date.now, except that an open circuit refusing calls reads it at most
   * once per synchronous stretch of work (it may stay open up to one synchronous stretch past its open time).
   */
  clock?: () => number;
  timers?: Timers;
  /** Shares the breaker's state with its other instances (with `share`; see BreakerShareOptions). */
  store?: Store;
  share?: BreakerShareOptions;
}

export interface CircuitBreakerMetrics {
  state: CircuitState;
  /** Percent; -1 until minimumCalls are buffered. */
  failureRate: number;
  slowCallRate: number;
  bufferedCalls: number;
  failedCalls: number;
  successfulCalls: number;
  slowCalls: number;
  slowFailedCalls: number;
  notPermittedCalls: number;
  consecutiveFailures: number;
  /** Opens since the circuit last closed. */
  trips: number;
  retryAfterMs: number | undefined;
  halfOpenPermitsLeft: number;
  /** With a store: the other instances' view. */
  shared?: SharedBreakerView;
}

export type StateChangeReason =
  | 'failureRate' | 'slowCallRate' | 'consecutiveFailures' | 'trialsPassed' | 'openElapsed'
  | 'halfOpenTimeout' | 'manual' | 'restored'
  /** Shared: `quorum` instances reported open; another instance's trial calls decided. */
  | 'quorum' | 'sharedTrials';

export interface CircuitBreakerEvents {
  stateChange: { from: CircuitState; to: CircuitState; reason: StateChangeReason };
  callNotPermitted: { state: CircuitState; retryAfterMs: number | undefined };
  failureRateExceeded: { state: CircuitState; failureRate: number; slowCallRate: number } | null;
  slowCallRateExceeded: { state: CircuitState; failureRate: number; slowCallRate: number } | null;
  /** Shared: the store became reachable or not, or the count of open reports changed. */
  sharedView: SharedBreakerView;
}

/** State as JSON-able data (see snapshot()); treat it as opaque. */
export interface CircuitBreakerSnapshot {
  version: 1;
  state: CircuitState;
  [field: string]: unknown;
}

export class CircuitBreaker {
  constructor(options?: CircuitBreakerOptions);
  /** Advances lazily: reading it after openMs moves open to halfOpen. */
  readonly state: CircuitState;
  readonly disposed: boolean;
  /**
   * Runs fn(signal) or rejects with BrokenCircuitError; a call the caller's signal cancels counts as neither outcome.
   * `waitUntil` (a request's ctx.waitUntil): with `share`, where background store calls go when share.waitUntil is not given.
   */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: { signal?: AbortSignal; waitUntil?: (promise: Promise<unknown>) => void }): Promise<T>;
  /**
   * A permit (> 0) or 0 when the call may not go ahead. Each permit counts once: reporting it
   * again is a no-op, as is reporting one acquired more than 65536 permits ago.
   */
  tryAcquire(): number;
  onSuccess(durationMs?: number, permit?: number): void;
  onFailure(durationMs?: number, permit?: number): void;
  onIgnored(permit?: number): void;
  /** Returns a function that unsubscribes. */
  on<E extends keyof CircuitBreakerEvents>(event: E, listener: (event: CircuitBreakerEvents[E]) => void): () => void;
  off<E extends keyof CircuitBreakerEvents>(event: E, listener: (event: CircuitBreakerEvents[E]) => void): void;
  forceOpen(): void;
  disable(): void;
  metricsOnly(): void;
  reset(): void;
  metrics(): CircuitBreakerMetrics;
  snapshot(): CircuitBreakerSnapshot;
  /** Throws BREAKER_INVALID_SNAPSHOT or BREAKER_SNAPSHOT_MISMATCH (a different window shape). */
  restore(snapshot: CircuitBreakerSnapshot | string): void;
  /** Frees the wasm memory; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}
