import type { CircuitBreaker, CircuitBreakerOptions } from '../breaker.js';
import type { Timers } from '../timeout.js';
import type { StoreScript } from './script.js';
import type { ScriptReply, Store, StoreCallOptions, StoreSetOptions, StoreStats } from './store.js';

/** What DurableObjectStore needs of a Durable Object namespace binding (`env.EDGEGUARD_STORE`). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): unknown;
}

export interface DurableObjectStoreOptions {
  /** Put before every key (default 'eg:'); no '{' or '}'. */
  prefix?: string;
  /**
   * How many objects the keys spread over (default 64, 1 to 65536), by a consistent hash of each
   * key's hash tag. Raising it from n to m moves (m - n) / m of the keys, each to one of the new
   * objects, where it starts afresh (a rate limit's count among them); lowering it moves those back.
   */
  shards?: number;
  /** Default deadline of every call in ms (default 50). */
  deadlineMs?: number;
  /** The breaker in front of the store: options (RedisStore's defaults), or a CircuitBreaker to share. */
  breaker?: Omit<CircuitBreakerOptions, 'clock'> | CircuitBreaker;
  clock?: () => number;
  timers?: Timers;
}

export interface DurableObjectStoreStats extends StoreStats {
  shards: number;
}

/**
 * A Store over a Durable Object namespace whose class is EdgeguardDurableObject (or a subclass),
 * from `edgeguard/durable-object`. The keys of one call share a hash tag, whose hash picks the one
 * object that runs the call (one RPC), atomically. Scripts run by name: each must be defined with
 * `{ name, run }` and registered with the class (edgeguard's own are built in); a script without
 * them is INVALID_INPUT, a name the class does not know (or a different version of it) is
 * STORE_ERROR. A call abandoned at its deadline may still run in its object. Keys are at most
 * 2048 bytes of UTF-8, values of set() at most 64 KiB. No publish/subscribe: objects do not push
 * to isolates. Call `await init()` first: the store's breaker runs in the core.
 */
export class DurableObjectStore implements Store {
  constructor(namespace: DurableObjectNamespaceLike, options?: DurableObjectStoreOptions);
  readonly breaker: CircuitBreaker;
  /** A call's deadline when it names none (the deadlineMs option). */
  readonly deadlineMs: number;
  /** The longest key a call takes: 2048 bytes of UTF-8. */
  readonly maxKeyBytes: number;
  /** The largest value set() takes: 65536 bytes of UTF-8. */
  readonly maxValueBytes: number;
  key(tag: string, name: string): string;
  /** The name (for namespace.idFromName) of the object that owns `key`. */
  objectName(key: string): string;
  evalScript(script: StoreScript, keys: string[], args: Array<string | number>, options?: StoreCallOptions): Promise<ScriptReply>;
  get(key: string, options?: StoreCallOptions): Promise<string | null>;
  set(key: string, value: string, options: StoreSetOptions): Promise<void>;
  delete(key: string, options?: StoreCallOptions): Promise<boolean>;
  stats(): DurableObjectStoreStats;
}
