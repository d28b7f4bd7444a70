import type { Timers } from './timeout.js';

export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

export interface RetryBudgetOptions {
  /** Retries allowed per call made in the window (default 0.2). */
  ratio?: number;
  /** Retries allowed per second of window on top of the ratio (default 10). */
  minPerSecond?: number;
  /** Default 10000. */
  windowMs?: number;
  buckets?: number;
}

export interface RetryOptions {
  /** Attempts including the first, 1 to 100 (default 3). */
  maxAttempts?: number;
  /** Default 100. */
  baseMs?: number;
  /** Cap of a delay (default 10000). */
  maxMs?: number;
  /** AWS formulas (default 'full'). */
  jitter?: Jitter;
  /** Default: network errors, timeouts, HTTP 408/429/500/502/503/504. */
  retryOn?: (outcome: unknown, info: { thrown: boolean; attempt: number }) => boolean;
  /** Shared by all calls of this Retry (default { ratio: 0.2, minPerSecond: 10 }); false for none. */
  budget?: RetryBudgetOptions | false;
  /** PRNG seed, an integer up to 2^53 - 1 (default: drawn on the first retry). */
  seed?: number;
  /** A longer Retry-After gives up instead of waiting (default maxMs). */
  maxRetryAfterMs?: number;
  /** Retry POST, PATCH and other non-idempotent methods too (default false). */
  retryNonIdempotent?: boolean;
  /** Per attempt: aborted and retried as a TimeoutError. */
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  clock?: () => number;
  timers?: Timers;
}

export interface RetryExecuteOptions {
  signal?: AbortSignal;
  /** The HTTP method: non-idempotent ones are not retried unless told. */
  method?: string;
  /** Overrides what `method` implies (e.g. true for a POST with an idempotency key). */
  idempotent?: boolean;
}

export type GiveUpReason = 'maxAttempts' | 'budgetExhausted' | 'retryAfterTooLong';

export interface RetryEvents {
  retry: { attempt: number; delayMs: number; outcome: unknown; thrown: boolean };
  giveUp: { reason: GiveUpReason; attempts: number; outcome: unknown; thrown: boolean };
}

/** The default `retryOn`. */
export function isRetryable(outcome: unknown, thrown: boolean): boolean;

export class Retry {
  constructor(options?: RetryOptions);
  readonly disposed: boolean;
  /** Returns the last value or throws the last error; never retries after BrokenCircuitError. */
  execute<T>(fn: (signal: AbortSignal, attempt: number) => T | PromiseLike<T>, options?: RetryExecuteOptions): Promise<T>;
  /**
   * The longest one execute() can take when each attempt takes at most `attemptMs` (or this
   * retry's timeoutMs, when shorter): every attempt and the longest wait between them.
   */
  longestMs(attemptMs: number): number;
  on<E extends keyof RetryEvents>(event: E, listener: (event: RetryEvents[E]) => void): () => void;
  off<E extends keyof RetryEvents>(event: E, listener: (event: RetryEvents[E]) => void): void;
  metrics(): { budget: { balance: number; exhausted: number } | null };
  dispose(): void;
  [Symbol.dispose](): void;
}
