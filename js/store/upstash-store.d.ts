import type { CircuitBreaker } from '../breaker.js';
import type { RedisStoreOptions } from './redis-store.js';
import type { Store, StoreStats } from './store.js';

/** prefix, deadlineMs, breaker, clock, timers: as RedisStore's. */
export type UpstashStoreOptions = RedisStoreOptions;

export interface UpstashStoreStats extends StoreStats {
  /** Scripts resent as EVAL after NOSCRIPT (a new or flushed database). */
  scriptReloads: number;
}

/**
 * A Store over your @upstash/redis `Redis` client (`new Redis({ url, token })`,
 * `Redis.fromEnv()`), one HTTP request per call: for runtimes without TCP (Vercel Edge, Deno
 * Deploy, Workers without `nodejs_compat`) and for Upstash. It sends through the client's
 * Requester with the client's URL, token, encoding and agent, but reads replies raw (whatever
 * the client's automaticDeserialization) and bypasses its auto-pipelining; a Requester may be
 * passed instead of the client.
 *
 * Deadlines: a call abandoned at its deadline has its request aborted. Create the client with
 * `retry: false`: its default retries a failed request 5 times with backoff (about 4 s in all),
 * far past any store deadline, so they never answer a call, and only add load to a failing store.
 *
 * Failures: a Redis error reply passed on by the REST API (a script error) is STORE_ERROR;
 * anything else (fetch failed, a gateway's 5xx, a refused token, LOADING / BUSY / OOM, a daily
 * or plan request quota used up) is STORE_UNAVAILABLE and counts against the store's breaker.
 *
 * No subscribe: the REST API holds no connection to listen on; publish() is there.
 * Call `await init()` first: the store's breaker runs in the core.
 */
// Its calls are the Store interface's, with publish; stats() adds scriptReloads.
type UpstashStoreCalls = Omit<Store, 'subscribe' | 'publish' | 'stats'> & Required<Pick<Store, 'publish'>>;
export interface UpstashStore extends UpstashStoreCalls {}

export class UpstashStore implements Store {
  constructor(client: object, options?: UpstashStoreOptions);
  readonly breaker: CircuitBreaker;
  stats(): UpstashStoreStats;
}
