import { EdgeguardError } from './errors.js';
import type { Store, StoreStats } from './store/store.js';

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
  /** Milliseconds; default Date.now read at most once per synchronous stretch. A clock that does not advance is fine. */
  clock?: () => number;
  /** Header style (default 'draft': RateLimit-Policy + RateLimit); false for none. */
  headers?: 'draft' | 'draft-6' | 'x' | false;
  /** See SharedRateLimiterOptions: with a store, the limit is shared and calls return promises. */
  store?: undefined;
}

/**
 * Options of a limit shared through a store. With a store the clock must be comparable between
 * instances (the default, Date.now, is).
 */
export interface SharedRateLimiterOptions extends Omit<RateLimiterOptions, 'store'> {
  /** Shares the limit with every instance on this store (gcra and token-bucket policies only). */
  store: Store;
  /**
   * Keys are `<name>:<key>` in the store (hash tag), one per policy, named after the policy's name,
   * algorithm, limit and window (a changed policy starts afresh): limiters sharing a store need
   * distinct names (default 'rl').
   */
  name?: string;
  /**
   * 'local-first' (default): leases of allowance answered locally; in any window, under every
   * policy and whatever the costs, at most what 'exact' would allow plus the instances'
   * outstanding leases (instances x lease.units), and never more in total than 'exact' (while
   * the store answers: fallback answers aside). 'exact': one store round trip per check, never
   * more than one limiter would allow.
   */
  mode?: 'local-first' | 'exact';
  /** When the store fails or is slow: 'local' (default) a local limiter at limit / expectedInstances; 'closed' refuse; 'open' allow. */
  onStoreError?: 'local' | 'open' | 'closed';
  /** Instances sharing the limit (default 4): sizes the fallback and the leases. */
  expectedInstances?: number;
  /** Each store call's deadline in ms (default 50); no check waits longer. */
  deadlineMs?: number;
  /** local-first: units leased at once (default capacity / (2 x expectedInstances)) and how long they stay usable (default the shortest window). */
  lease?: { units?: number; ttlMs?: number };
  /** For deadlines (tests inject fake ones). */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
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
  /** With a store: who answered: the store, this instance's lease, or the fallback (store failed). */
  source?: 'store' | 'lease' | 'fallback';
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

export interface SharedRateLimiterStats {
  mode: 'local-first' | 'exact';
  allowed: number;
  rejected: number;
  sources: { store: number; lease: number; fallback: number };
  /** Store calls made (checks, lease renewals and returns, peeks, resets). */
  storeCalls: number;
  storeErrors: number;
  /** Decisions made by the fallback (the store failed or was too slow). */
  fallbackDecisions: number;
  /** Keys holding a lease or a cached refusal. */
  leases: number;
  maxKeys: number;
  /** The store's own stats: latency percentiles, breaker state, timeouts. */
  store: StoreStats;
  /** The local fallback limiter's stats. */
  fallback: RateLimiterStats;
}

/** With a store every call returns a promise. */
type Answer<O, T> = O extends { store: Store } ? Promise<T> : T;

/** A call the limiter cannot answer; `code` is LIMIT_BAD_KEY, LIMIT_BAD_COST, LIMIT_COST_EXCEEDS_LIMIT, LIMIT_KEY_TOO_LONG, CLOCK_INVALID or LIMIT_OUT_OF_MEMORY. */
export class RateLimitError extends EdgeguardError {}

/**
 * Without a store, calls answer synchronously from this instance's memory. With `store`, the
 * limit is shared by every instance and calls return promises: check() never rejects and settles
 * within its deadline; reset / penalize / reward reject with the StoreError if the store fails
 * (reset clears the shared state, this instance's lease and its fallback state).
 */
export class RateLimiter<O extends RateLimiterOptions | SharedRateLimiterOptions = RateLimiterOptions> {
  /** Invalid options throw ConfigError with a stable `code` (LIMIT_*). */
  constructor(options: O);
  readonly policies: readonly Readonly<Required<Omit<RateLimitPolicy, 'burst'>> & { burst?: number }>[];
  readonly maxKeys: number;
  /** The longest key in UTF-8 bytes: option maxKeyBytes, or its default. */
  readonly maxKeyBytes: number;
  readonly disposed: boolean;
  /**
   * Consumes `cost` (default 1) from every policy if all allow it; a rejected call consumes nothing.
   * With a store, `waitUntil` (e.g. ctx.waitUntil.bind(ctx)) receives the background store calls.
   */
  check(key: RateLimitKey, options?: { cost?: number; waitUntil?: (promise: Promise<unknown>) => void }): Answer<O, RateLimitResult>;
  /** What a call of cost 1 would get now; consumes nothing. With a store: the store's view (leases held by instances are spent there), or the fallback's if the store fails. */
  peek(key: RateLimitKey): Answer<O, RateLimitResult>;
  /** Forgets the key; false if it was not tracked. */
  reset(key: RateLimitKey): Answer<O, boolean>;
  /** Consumes `cost` from every policy even past the limit. */
  penalize(key: RateLimitKey, cost: number): Answer<O, void>;
  /** Gives back up to `cost` to every policy. */
  reward(key: RateLimitKey, cost: number): Answer<O, void>;
  stats(): O extends { store: Store } ? SharedRateLimiterStats : RateLimiterStats;
  /** Frees the limiter's wasm memory; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}
