// The store interface: what edgeguard's shared rate limits and breakers need from a distributed
// engine. RedisStore implements it over node-redis / ioredis; implement it for another engine
// (a database, a coordination service) and pass it wherever a `store` is taken.
//
// The contract every implementation keeps:
// - Every call settles within its deadline (`options.deadlineMs`, else the store's default):
//   it resolves, or rejects with a StoreError. It never waits longer, and never leaves a
//   rejection unhandled: an answer that arrives late is dropped (and counted).
// - Failures are typed: STORE_TIMEOUT (no answer in time), STORE_UNAVAILABLE (unreachable, or
//   not sent because the store's own breaker is open), STORE_ERROR (the store answered with an
//   error). Callers choose their fallback from the code.
// - Bad arguments throw synchronously (EdgeguardError INVALID_INPUT, ConfigError CONFIG_INVALID)
//   before anything is sent.
// - evalScript runs the script atomically, on all its keys at once. The keys of one call share a
//   hash tag (build them with key(tag, name)), so a sharded engine can keep them together; on a
//   store whose `spansTags` is true, a script defined with `spansTags` may name keys of any tags.
// - Every key written has a TTL, so idle state expires by itself.
import type { StoreScript } from './script.js';
import type { CircuitState } from '../breaker.js';

export interface StoreCallOptions {
  /** This call's deadline in ms (default: the store's, tens of ms). */
  deadlineMs?: number;
}

export interface StoreSetOptions extends StoreCallOptions {
  /** Required: the key expires this many ms after it is written. */
  ttlMs: number;
}

/** A Lua reply as clients give it: numbers for integers, strings, null for nil, arrays. */
export type ScriptReply = null | number | string | ScriptReply[];

/**
 * What a script's `run` may touch, for engines without Lua (the Durable Object store): one
 * engine-local key space, synchronous so a script runs atomically. Values are any structured-
 * cloneable data (a Lua script's own representation in Redis need not match), read and written
 * as copies. Time is never read here: scripts take it in their args, from the caller's clock.
 */
export interface ScriptState {
  get(key: string): unknown;
  /** Every value expires: ttlMs from now, by the engine's clock. */
  set(key: string, value: unknown, ttlMs: number): void;
  delete(key: string): boolean;
  /**
   * The ms `key` has left before it expires, by the engine's clock; -2 when absent (Redis's
   * PTTL). Optional: without it the Cache's shared tier dates copies by their writers' clocks alone.
   */
  ttl?(key: string): number;
}

export interface StoreStats {
  /** Calls asked of the store, including those refused by its breaker. */
  calls: number;
  /** Calls answered without an error. */
  ok: number;
  /** Calls that got no answer within their deadline (STORE_TIMEOUT). */
  timeouts: number;
  /** Calls that failed as STORE_UNAVAILABLE: unreachable, or `refused`. */
  unavailable: number;
  /** Calls not sent because the store's breaker was open. */
  refused: number;
  /** Calls the store answered with an error (STORE_ERROR). */
  errors: number;
  /** Answers (values or errors) that arrived after their call's deadline, dropped. */
  late: number;
  /** Latency of answered calls over the last 1024, in ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The state of the breaker in front of the store. */
  breaker: CircuitState;
}

export interface Store {
  /** `<prefix>{<tag>}:<name>`: every key built from one tag shares a slot (see store-key.js). */
  key(tag: string, name: string): string;
  /** Optional: the longest key the store takes (bytes of UTF-8); a cache's shared tier keeps longer keys in memory only. */
  readonly maxKeyBytes?: number;
  /** Optional: the largest value set() takes (bytes of UTF-8); a cache's shared tier keeps larger entries in memory only. */
  readonly maxValueBytes?: number;
  /**
   * Optional: true when the engine is one key space without slots (a standalone Redis, Upstash),
   * so one script call may name keys of any hash tags. A shared limiter in mode 'exact' then sends
   * the checks started in one synchronous stretch, after its first, as one call.
   */
  readonly spansTags?: boolean;
  /** Runs `script` atomically on `keys` (one hash tag, or any on a store that spansTags) with `args`. */
  evalScript(script: StoreScript, keys: string[], args: Array<string | number>, options?: StoreCallOptions): Promise<ScriptReply>;
  /** The value, or null when the key is absent or expired. */
  get(key: string, options?: StoreCallOptions): Promise<string | null>;
  set(key: string, value: string, options: StoreSetOptions): Promise<void>;
  /** Whether the key existed. */
  delete(key: string, options?: StoreCallOptions): Promise<boolean>;
  /** Optional: fire-and-forget messages to every instance subscribed to `channel`. */
  publish?(channel: string, message: string, options?: StoreCallOptions): Promise<void>;
  /** Optional: resolves once subscribed, with a function that unsubscribes. */
  subscribe?(channel: string, listener: (message: string) => void, options?: StoreCallOptions): Promise<() => Promise<void>>;
  stats(): StoreStats;
}
