import type { CircuitBreaker, CircuitBreakerOptions } from '../breaker.js';
import type { Timers } from '../timeout.js';
import type { StoreScript } from './script.js';
import type { ScriptReply, Store, StoreCallOptions, StoreSetOptions, StoreStats } from './store.js';

export interface RedisStoreOptions {
  /** Put before every key (default 'eg:'); no '{' or '}'. */
  prefix?: string;
  /** Default deadline of every call in ms (default 50). */
  deadlineMs?: number;
  /**
   * The breaker in front of the store: options (defaults: count window of 20, minimumCalls 10,
   * failureRateThreshold 50, consecutiveFailures 5, openMs 1000, halfOpenCalls 1; the store's
   * clock), or a CircuitBreaker to share between stores.
   */
  breaker?: Omit<CircuitBreakerOptions, 'clock'> | CircuitBreaker;
  /**
   * Milliseconds, for call latencies and the breaker (default: Date.now read once per
   * synchronous stretch of work, as edgeguard's other default clocks).
   */
  clock?: () => number;
  timers?: Timers;
}

export type RedisClientKind = 'node-redis' | 'node-redis-cluster' | 'ioredis' | 'ioredis-cluster';

export interface RedisStoreStats extends StoreStats {
  kind: RedisClientKind;
  /** Scripts resent as EVAL after NOSCRIPT (a restarted or flushed server, a new node). */
  scriptReloads: number;
  /** 'error' events of a client that had no 'error' listener of its own (see RedisStore). */
  clientErrors: number;
  /** Errors reported by the subscriber connection. */
  subscriberErrors: number;
}

/**
 * A Store over your own client: node-redis (`createClient`, `createCluster`, v4 and later) or
 * ioredis (`Redis`, `Cluster`), connected. Both clients emit 'error' when the server goes away;
 * a client with no 'error' listener gets one that counts them (stats().clientErrors), since an
 * unheard 'error' would end the process. While the client is not connected, calls fail at once
 * (STORE_UNAVAILABLE) rather than wait in its offline queue, which would send them all on
 * reconnecting: a backlog the recovered store should never see. One replay only the client's
 * options prevent: ioredis resends the commands that were sent and unanswered when a connection
 * dropped (calls the store gave up at their deadline) once it reconnects; create it with
 * `autoResendUnfulfilledCommands: false` (a Cluster: in `redisOptions`). A script call given up
 * at its deadline is never sent again by the store itself (no EVAL after a late NOSCRIPT). Call
 * `await init()` first: the store's breaker runs in the core. The client stays yours: close()
 * closes only the subscriber connection.
 */
export class RedisStore implements Store {
  constructor(client: object, options?: RedisStoreOptions);
  readonly kind: RedisClientKind;
  /** True on a standalone server (one script call may name keys of any tags), false on a Cluster. */
  readonly spansTags: boolean;
  readonly breaker: CircuitBreaker;
  /** A call's deadline when it names none (the deadlineMs option). */
  readonly deadlineMs: number;
  key(tag: string, name: string): string;
  evalScript(script: StoreScript, keys: string[], args: Array<string | number>, options?: StoreCallOptions): Promise<ScriptReply>;
  get(key: string, options?: StoreCallOptions): Promise<string | null>;
  set(key: string, value: string, options: StoreSetOptions): Promise<void>;
  delete(key: string, options?: StoreCallOptions): Promise<boolean>;
  publish(channel: string, message: string, options?: StoreCallOptions): Promise<void>;
  subscribe(channel: string, listener: (message: string) => void, options?: StoreCallOptions): Promise<() => Promise<void>>;
  close(): void;
  stats(): RedisStoreStats;
}
