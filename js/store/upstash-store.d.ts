import type { CircuitBreaker } from '../breaker.js';
import type { RedisStoreOptions } from './redis-store.js';
import type { Store, StoreStats } from './store.js';

/** prefix, deadlineMs, breaker, clock, timers: as RedisStore's. */
export type UpstashStoreOptions = RedisStoreOptions;

export interface UpstashStoreStats extends StoreStats {
  /** Scripts resent as EVAL after NOSCRIPT (a new or flushed database). */
  scriptReloads: number;
  /** HTTP requests sent: the calls of one synchronous stretch go as one (a pipeline of up to 64). */
  requests: number;
}

/**
 * A Store over your @upstash/redis `Redis` client (`new Redis({ url, token })`,
 * `Redis.fromEnv()`): for runtimes without TCP (Vercel Edge, Deno Deploy, Workers without
 * `nodejs_compat`) and for Upstash. The calls made in one synchronous stretch go as one HTTP
 * request (POST /pipeline, up to 64 commands, each answered on its own), as the client's own
 * auto-pipelining would send them. It sends through the client's Requester with the client's
 * URL, token, encoding and agent, but reads replies raw (whatever the client's
 * automaticDeserialization); a Requester may be passed instead of the client.
 *
 * Deadlines: a request is aborted once every call in it has been abandoned at its deadline. Create the client with
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
// Its calls are the Store interface's, with publish; stats() adds scriptReloads and requests.
type UpstashStoreCalls = Omit<Store, 'subscribe' | 'publish' | 'stats'> & Required<Pick<Store, 'publish'>>;
export interface UpstashStore extends UpstashStoreCalls {}

export class UpstashStore implements Store {
  constructor(client: object, options?: UpstashStoreOptions);
  /** Always true: an Upstash database is one key space, without slots. */
  readonly spansTags: true;
  readonly breaker: CircuitBreaker;
  /** A call's deadline when it names none (the deadlineMs option). */
  readonly deadlineMs: number;
  stats(): UpstashStoreStats;
}
