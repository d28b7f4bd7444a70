import type { RateLimiter, RateLimiterOptions, RateLimitPolicy, RateLimitResult, SharedRateLimiterOptions } from './limit.js';
import type { Schema, ValidatorOptions } from './validator.js';
import type { GatewayConfig } from './guard.js';
import type { Gateway, GatewayOptions } from './gateway.js';
import type { Store } from './store/store.js';

/** What the middleware reads of a request: Express's own Request (and Node's IncomingMessage) fits. */
export interface ExpressRequestLike {
  /** The client address, after Express's `trust proxy`. */
  ip?: string;
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by a body parser, or by validate() when it read the body itself. */
  body?: unknown;
  /** Set by rateLimit() on a request it let through. */
  rateLimit?: RateLimitResult;
}

/** What the gateway middleware also reads, to rebuild the request as a fetch Request. */
export interface ExpressGatewayRequestLike extends ExpressRequestLike {
  method: string;
  originalUrl: string;
  protocol: string;
  rawHeaders: string[];
}

/** What the middleware writes on: Express's Response (Node's ServerResponse). */
export interface ExpressResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeaderNames(): string[];
  removeHeader(name: string): void;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
  destroy(): unknown;
}

/** Express middleware; it never rejects (its failures are answered, see each function). */
export type ExpressMiddleware<Req = ExpressRequestLike> =
  (req: Req, res: ExpressResponseLike, next: (error?: unknown) => void) => Promise<void>;

interface Reporting<Req> {
  /** The request id of a refusal (problem body and X-Request-Id); default a random UUID. A throw or a bad id is reported and a random one used. */
  requestId?: (req: Req) => string;
  /** Receives what the middleware answered 503 for (default console.error). */
  onError?: (error: unknown, req: Req) => void;
}

type SharedOptions = Partial<Pick<SharedRateLimiterOptions, 'store' | 'name' | 'mode' | 'onStoreError' | 'expectedInstances' | 'deadlineMs' | 'lease' | 'timers'>>;

export type ExpressRateLimitOptions<Req = ExpressRequestLike> = Reporting<Req> & SharedOptions &
  Pick<RateLimiterOptions, 'headers' | 'maxKeys' | 'maxKeyBytes' | 'clock'> & {
    /** The rate-limit key (default `ip:` + `req.ip`). A throw or a rejection is answered 503, never allowed. */
    key?: (req: Req) => string | Uint8Array | Promise<string | Uint8Array>;
    /** True to let the request through uncounted. */
    skip?: (req: Req) => boolean | Promise<boolean>;
  } & ({ limit: number; windowMs: number; policies?: undefined } | { policies: RateLimitPolicy[]; limit?: undefined; windowMs?: undefined });

/**
 * `app.use(rateLimit({ limit: 100, windowMs: 60_000 }))`: RateLimit headers on every answer
 * (draft style by default, as the gateway), a 429 application/problem+json with Retry-After over
 * the limit, `req.rateLimit` under it. A key or limiter that fails is a 503 problem (fail closed).
 * Bad options throw ConfigError (unknown ones too: express-rate-limit's `max`, `keyGenerator`,
 * `standardHeaders` are named with ours).
 */
export function rateLimit<Req extends ExpressRequestLike = ExpressRequestLike>(options: ExpressRateLimitOptions<Req>):
  ExpressMiddleware<Req> & { readonly limiter: RateLimiter<RateLimiterOptions> | RateLimiter<SharedRateLimiterOptions> };

export interface ExpressSchemas {
  /** The JSON body of requests other than GET and HEAD. */
  body?: Schema;
  /** The query string, as the gateway sees it: each name a string, or an array when repeated. */
  query?: Schema;
}

/**
 * Refuses requests whose body or query does not match as the gateway does: 400 invalid-request
 * or malformed-request with `errors`, 413 past `maxBytes` (default 1 MiB). Without a body parser
 * before it, it reads the body and sets `req.body` to the parsed value. A validator that fails is
 * a 503 problem. Bad options or schemas throw ConfigError / SchemaError.
 */
export function validate<Req extends ExpressRequestLike = ExpressRequestLike>(schemas: ExpressSchemas,
  options?: Omit<ValidatorOptions, 'throwOnMalformed'> & Reporting<Req>): ExpressMiddleware<Req>;

export interface ExpressGatewayOptions extends Omit<GatewayOptions, 'store'> {
  /** The gateway's store (a Store: Express has no per-request env). */
  store?: Store;
  /** Receives a failure while streaming an answer to the client (default console.error). */
  onError?: (error: unknown, req: ExpressGatewayRequestLike) => void;
}

/**
 * The gateway as Express middleware, before any body parser: configured routes (and health,
 * metrics, CORS preflights) are answered by the gateway, the rest go on to the app untouched.
 * The client address is `req.ip`. Its `gateway` gives health(), metrics(), on() and the cache.
 */
export function edgeguard(config: GatewayConfig | string, options?: ExpressGatewayOptions):
  ExpressMiddleware<ExpressGatewayRequestLike> & { readonly gateway: Gateway };
