import { EdgeguardError } from './errors.js';

export type RateLimitAlgorithm = 'gcra' | 'token-bucket' | 'sliding-window' | 'fixed-window' | 'sliding-log';

export interface RateLimitPolicy {
  /** Shown in headers and stats; printable ASCII, unique. Default `${limit}-in-${seconds}s`. */
  name?: string;
  /** Units (calls, or their total cost) allowed per window: an integer from 1 to 2^31 - 1. */
  limit: number;
  /** An integer number of milliseconds. */
  windowMs: number;
  /** Default 'gcra'. 'sliding-log' is exact and keeps `limit` timestamps per key (limit <= 1000). */
  algorithm?: RateLimitAlgorithm;
  /** gcra / token-bucket only: the most units held at once (default `limit`). */
  burst?: number;
  /**
   * Once a call goes over this policy, reject the key for this long. Calls refused during the
   * block do not extend it; a call that goes over after it ends starts a new one.
   */
  blockMs?: number;
}

export interface RateLimiterOptions {
  policies: RateLimitPolicy[];
  /** Most keys tracked at once (default 100,000); beyond it, keys back at full allowance are evicted first, then the least recently seen. */
  maxKeys?: number;
  /** Longest key in UTF-8 bytes (default 1024). */
  maxKeyBytes?: number;
  /** Milliseconds; default Date.now read at most once per 1 ms timer tick. A clock that does not advance is fine. */
  clock?: () => number;
  /** Header style (default 'draft': RateLimit-Policy + RateLimit); false for none. */
  headers?: 'draft' | 'draft-6' | 'x' | false;
}

export type RateLimitKey = string | Uint8Array | ArrayBuffer | ArrayBufferView;

export interface RateLimitResult {
  allowed: boolean;
  /** Units left under the deciding policy (after this call when allowed); with `burst` above `limit` it can exceed `limit`. */
  remaining: number;
  /** The deciding policy's limit. */
  limit: number;
  /** Until the key is back at full allowance under the deciding policy. */
  resetMs: number;
  /** Until this call would be allowed (by every policy, its block and its algorithm alike); 0 when allowed. */
  retryAfterMs: number;
  /** Name of the deciding policy: the most constraining one, or the rejecting one with the longest wait. */
  policy: string;
  /** Response header fields, formatted when first read. */
  readonly headers: Record<string, string>;
}

export interface RateLimiterStats {
  allowed: number;
  rejected: number;
  keys: number;
  maxKeys: number;
  evictions: number;
  /** Evicted keys that were not yet back at full allowance (their state was lost). */
  evictionsActive: number;
  memoryBytes: number;
  policies: Record<string, { allowed: number; rejected: number; blocks: number }>;
}

/** A call the limiter cannot answer; `code` is LIMIT_BAD_KEY, LIMIT_BAD_COST, LIMIT_COST_EXCEEDS_LIMIT, LIMIT_KEY_TOO_LONG, CLOCK_INVALID or LIMIT_OUT_OF_MEMORY. */
export class RateLimitError extends EdgeguardError {}

export class RateLimiter {
  /** Invalid options throw ConfigError with a stable `code` (LIMIT_*). */
  constructor(options: RateLimiterOptions);
  readonly policies: readonly Readonly<Required<Omit<RateLimitPolicy, 'burst'>> & { burst?: number }>[];
  readonly maxKeys: number;
  readonly disposed: boolean;
  /** Consumes `cost` (default 1) from every policy if all allow it; a rejected call consumes nothing. */
  check(key: RateLimitKey, options?: { cost?: number }): RateLimitResult;
  /** What a call of cost 1 would get now; consumes nothing. */
  peek(key: RateLimitKey): RateLimitResult;
  /** Forgets the key; false if it was not tracked. */
  reset(key: RateLimitKey): boolean;
  /** Consumes `cost` from every policy even past the limit. */
  penalize(key: RateLimitKey, cost: number): void;
  /** Gives back up to `cost` to every policy. */
  reward(key: RateLimitKey, cost: number): void;
  stats(): RateLimiterStats;
  /** Frees the limiter's wasm memory; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}
