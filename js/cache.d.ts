import { EdgeguardError } from './errors.js';
import { Timers } from './timeout.js';
import type { Store, StoreStats } from './store/store.js';

/** A call the cache cannot serve: a bad key, tag, size or snapshot, or a failed fetch. */
export class CacheError extends EdgeguardError {
  readonly code: 'CACHE_INVALID_KEY' | 'CACHE_KEY_TOO_LONG' | 'CACHE_INVALID_TAG' | 'CACHE_INVALID_SIZE' |
    'CACHE_SIZE_REQUIRED' | 'CACHE_INVALID_SELECTOR' | 'CACHE_INVALID_ARGUMENT' | 'CACHE_INVALID_SNAPSHOT' |
    'CACHE_FETCH_FAILED' | 'CLOCK_INVALID' | 'CACHE_TOO_MANY_TAGS' | 'CACHE_OUT_OF_MEMORY';
  /** CACHE_FETCH_FAILED: the fetcher's result that isError() rejected. */
  readonly value?: unknown;
}

export type CachePolicy = 'tinylfu' | 'lru' | 'lfu' | 'fifo';

export interface EntryOptions {
  /** Fresh for this long (default: the cache's ttlMs, Infinity unless set). */
  ttlMs?: number;
  /** After ttlMs, served stale (and revalidated by getOrFetch) for this long; finite. */
  staleWhileRevalidateMs?: number;
  /** After ttlMs, served when a refresh fails for this long; finite. */
  staleIfErrorMs?: number;
  /** At most 32 non-empty strings (no NUL) of at most 1024 characters; see invalidate({ tag }). */
  tags?: string[];
  /** Bytes charged against maxBytes (default sizeOf(value, key)); 0 is charged as 1. */
  size?: number;
  /** How old the value already is (e.g. an HTTP Age header); default 0. */
  ageMs?: number;
}

export interface CacheOptions {
  /** Most entries (an integer up to 2^31 - 1). At least one of maxEntries and maxBytes. */
  maxEntries?: number;
  /** Most bytes, by sizeOf; an entry larger than this is refused (set returns false). */
  maxBytes?: number;
  /** Size of a value in bytes; default: string length, byteLength of bytes, Blob size. */
  sizeOf?: (value: unknown, key: string) => number;
  ttlMs?: number;
  staleWhileRevalidateMs?: number;
  staleIfErrorMs?: number;
  /** Eviction policy (default 'tinylfu': W-TinyLFU admission, LRU window, segmented LRU main). */
  policy?: CachePolicy;
  /** Milliseconds; default Date.now read at most once per synchronous stretch. */
  clock?: () => number;
  /** Seed of the key hash and of TinyLFU's tie-breaking (default random). */
  seed?: number;
  /** Longest key in UTF-16 code units (default 4096). */
  maxKeyLength?: number;
  /** Timers for getOrFetch's timeoutMs (tests, custom schedulers). */
  timers?: Timers;
  /** Where background revalidations (and the shared tier's writes behind) go, e.g. an edge runtime's ctx.waitUntil. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * A second tier every instance reads (a RedisStore, UpstashStore, or your own Store): plain JSON
   * values are written behind with their lifetimes; getOrFetch reads it on a memory miss. Its
   * failures never reach a caller (see CacheStats.shared).
   */
  shared?: Store;
  sharedOptions?: SharedCacheOptions;
}

export interface SharedCacheOptions {
  /** Caches sharing one store need distinct names (1 to 64 printable ASCII, no ':'); default 'cache'. */
  name?: string;
  /**
   * The deadline of one read's store calls together (the invalidation log when due, the entry,
   * the lease, a look again: the fetcher runs at most this long after getOrFetch began, waiting
   * for another instance's lease aside), and of each write (default: the store's).
   */
  deadlineMs?: number;
  /**
   * Larger entries (their JSON text, in UTF-8 bytes) stay in memory only; default 512 KiB, or the
   * store's own maxValueBytes when smaller (a Durable Object's 64 KiB), which it may not exceed.
   */
  maxValueBytes?: number;
  /** The longest the store keeps a copy (a ttl of Infinity included); default 24 h. */
  maxTtlMs?: number;
  /**
   * How often, at most, this instance reads the store's invalidation log (default 1000): an entry
   * invalidated elsewhere is served from this instance's memory by getOrFetch at most this long
   * after the invalidation reached the store (get(), which cannot wait, one store call longer),
   * while the log can be read. When a check fails, memory keeps answering (what it holds may
   * have been invalidated since the last check) and no shared copy is read until a check succeeds.
   */
  generationCheckMs?: number;
  /**
   * Single-flight across instances: an instance about to fetch a key takes a lease of this many
   * ms in the store (default 5000; 0: none); the others serve their stale copy or wait for its
   * value (leaseWaitMs, default 1000, looking every leasePollMs, default 50), then fetch themselves.
   * A look that finds nothing asks for the lease: a leader that gave it back (its fetch failed) or
   * let it run out (it died) is replaced at once. A fetch's leaseMs or timeoutMs longer than this
   * makes its lease that long (60 s at most).
   */
  leaseMs?: number;
  leaseWaitMs?: number;
  leasePollMs?: number;
  /**
   * Where the store can publish and subscribe (RedisStore; not Upstash over REST or Durable
   * Objects), an invalidation is also published on the channel `<prefix>{<name>:invalidations}:bus`,
   * and every instance subscribed to it evicts from its memory at once (default true; false: the
   * log alone). The subscription is made once a read of the log succeeds, over the store's
   * subscriber connection, and ended by dispose(); one that fails is counted (subscribeErrors) and
   * tried again at the next read of the log. The log stays the source of truth: a lost message
   * leaves generationCheckMs as the bound, and an invalidation is applied once, whichever comes first.
   * A store subscribes once to a channel: a second Cache of the same name over the same store
   * object keeps to the log (its subscribes count as subscribeErrors).
   */
  pubsub?: boolean;
}

export interface SharedCacheStats {
  /** getOrFetch reads that found a fresh copy. */
  hits: number;
  /** ... a copy within stale-while-revalidate (served, refreshed behind). */
  staleHits: number;
  /** ... nothing usable: absent, expired, past stale-while-revalidate, or older than a local invalidation. */
  misses: number;
  /** Shared copies served because the fetch failed. */
  staleIfErrorHits: number;
  writes: number;
  deletes: number;
  /** Calls refused at once because the store's breaker was open. */
  skips: number;
  /** Calls that failed (unreachable, an error reply, an unreadable entry). */
  errors: number;
  /** Calls with no answer within their deadline. */
  timeouts: number;
  /**
   * Values kept out: not plain JSON data, or their key has a lone surrogate (it would meet another
   * in the store) or is longer than the store's maxKeyBytes.
   */
  unshareable: number;
  /** Values kept out: larger than maxValueBytes. */
  tooLarge: number;
  /** Invalidations made here and written to the store's log. */
  invalidations: number;
  /** Reads of the log's generation that were answered. */
  checks: number;
  /** Checks that found invalidations missed (the log had moved on): memory was cleared. */
  resets: number;
  /** Leases taken before a fetch. */
  leases: number;
  /** Fetches left to another instance's lease (a stale value served, or its value awaited). */
  leaseWaits: number;
  /** Waits for another instance's value that ran out (leaseWaitMs): fetched here. */
  leaseTimeouts: number;
  /** Invalidations made here published on the channel (pubsub). */
  published: number;
  /** Invalidations made elsewhere applied here from a message, before the log brought them. */
  heard: number;
  /** Subscriptions to the channel made (1 once subscribed; the client keeps it across reconnects). */
  subscriptions: number;
  /** Subscribes that failed: the log alone until one succeeds. */
  subscribeErrors: number;
  /** Entries warmFromShared copied into memory. */
  warmed: number;
  store: StoreStats;
}

export interface CacheHit<V> {
  value: V;
  state: 'fresh' | 'stale';
  ageMs: number;
}

export interface FetchContext<V> {
  key: string;
  /** Aborted on timeoutMs or when the caller's signal aborts. */
  signal: AbortSignal;
  /** The stale value being revalidated, if any. */
  stale: V | undefined;
  /** What the value will be stored with; the fetcher may change it (store: false keeps it out). */
  options: EntryOptions & { store: boolean };
}

export interface GetOrFetchOptions<V> extends EntryOptions {
  /** Fail the fetch after this many ms (an integer from 1 to 2^31 - 1). */
  timeoutMs?: number;
  /**
   * The longest this fetch may take, when it bounds itself (a fetcher with its own timeouts and
   * retries): its lease in the shared tier lasts that long (60 s at most), so other instances keep
   * waiting for it rather than fetch too. Default: timeoutMs.
   */
  leaseMs?: number;
  signal?: AbortSignal;
  /** A resolved value that is really a failure (e.g. `res => res.status >= 500`). */
  isError?: (value: V) => boolean;
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface FetchResult<V> {
  value: V;
  status: 'hit' | 'miss' | 'stale' | 'stale-if-error' | 'coalesced';
  ageMs: number;
  /** On a miss: the cache held an entry past its stale windows (kept for stale-if-error) and refetched it. */
  held?: boolean;
  /** The value came from the shared tier (status 'hit', 'stale' or 'stale-if-error'; 'coalesced' for callers that waited on a fresh one, 'stale' on a stale one). */
  shared?: true;
}

export type EvictionReason = 'capacity' | 'expire' | 'delete' | 'invalidate' | 'clear';

export interface CacheEvent<V> {
  key: string;
  value: V;
  reason: EvictionReason;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Stale values served within stale-while-revalidate. */
  staleHits: number;
  staleIfErrorHits: number;
  /** getOrFetch calls that waited for another caller's fetch. */
  coalesced: number;
  fetches: number;
  fetchErrors: number;
  revalidations: number;
  revalidationErrors: number;
  evictions: Record<EvictionReason, number>;
  entries: number;
  bytes: number;
  maxEntries: number;
  maxBytes: number;
  /** (hits + staleHits) / (hits + staleHits + misses). */
  hitRatio: number;
  /** The core's policy metadata in bytes (not the values). */
  memoryBytes: number;
  /** With a shared tier: its counts. A value read from it counted a miss of memory first. */
  shared?: SharedCacheStats;
}

export interface CacheSnapshotEntry<V> {
  key: string;
  value: V;
  ageMs: number;
  /** null: never (JSON has no Infinity). */
  ttlMs: number | null;
  staleWhileRevalidateMs: number;
  staleIfErrorMs: number;
  size: number;
  tags?: string[];
}

export interface CacheSnapshot<V> {
  version: 1;
  entries: CacheSnapshotEntry<V>[];
}

export type WarmEntry<V> = [string, V, EntryOptions?] | ({ key: string; value: V } & EntryOptions);

export class Cache<V = unknown> {
  constructor(options: CacheOptions);
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly policy: CachePolicy;
  readonly size: number;
  /** Memory only (synchronous): the shared tier is read by getOrFetch. */
  get(key: string): CacheHit<V> | undefined;
  peek(key: string): CacheHit<V> | undefined;
  has(key: string): boolean;
  /** Whether the value is cached afterwards: false if larger than maxBytes or not admitted. */
  set(key: string, value: V, options?: EntryOptions): boolean;
  delete(key: string): boolean;
  clear(): void;
  invalidate(selector: { key: string } | { prefix: string } | { tag: string }): number;
  prune(): number;
  warm(entries: Iterable<WarmEntry<V>>): number;
  /**
   * Preloads keys from the shared tier (a new instance's warm start), resolving with how many
   * entries were copied into memory: those the tier holds unexpired (fresh, stale, or only usable
   * on error), with their ages, that no invalidation matches. At most the memory's capacity of
   * keys is read (maxEntries, and one per byte of maxBytes), 64 at a time, each batch within the
   * tier's deadline (sharedOptions.deadlineMs); keys memory holds or is fetching are skipped. A
   * store failure never rejects it: a batch the store answers none of ends it. Throws
   * CACHE_INVALID_ARGUMENT without a shared tier or an iterable, CACHE_INVALID_KEY on a bad key.
   */
  warmFromShared(keys: Iterable<string>): Promise<number>;
  getOrFetch(key: string, fetcher: (context: FetchContext<V>) => V | PromiseLike<V>,
    options?: GetOrFetchOptions<V>): Promise<FetchResult<V>>;
  on(event: 'evict' | 'expire', listener: (event: CacheEvent<V>) => void): () => void;
  off(event: 'evict' | 'expire', listener: (event: CacheEvent<V>) => void): void;
  stats(): CacheStats;
  snapshot(): CacheSnapshot<V>;
  /** All or nothing: an invalid entry anywhere (CACHE_INVALID_SNAPSHOT) loads none of them. */
  restore(snapshot: CacheSnapshot<V>): number;
  keys(): IterableIterator<string>;
  /** Frees the cache; with a shared tier, also ends its subscription (the unsubscribe goes to waitUntil). */
  dispose(): void;
  [Symbol.dispose](): void;
  readonly disposed: boolean;
}
