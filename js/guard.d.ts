import type { InitOptions } from './core.js';
import type { Schema } from './validator.js';
import type { RateLimitPolicy, SharedRateLimiterOptions } from './limit.js';
import type { CircuitBreakerOptions, BreakerShareOptions } from './breaker.js';
import type { Store } from './store/store.js';
import type { Cache, SharedCacheOptions } from './cache.js';

/** One HTTP origin the routes send requests to. */
export interface UpstreamConfig {
  /** `http(s)://host[:port][/base]`. */
  origin: string;
  /** Per attempt (default 10000). */
  timeoutMs?: number;
  /**
   * CircuitBreaker options, or false for none. `share` (e.g. `{ quorum: 2 }`) shares the breaker's
   * view across instances through the gateway's `store` option (required then); metrics() then
   * has `edgeguard_circuit_open_reports{upstream}`, the instances reporting it open.
   */
  breaker?: (Omit<CircuitBreakerOptions, 'clock' | 'timers' | 'store' | 'share'> & {
    /** `name` defaults to the store section's prefix and the upstream's name; `deadlineMs` to the section's. */
    share?: Omit<BreakerShareOptions, 'name' | 'waitUntil' | 'instanceId'> & { name?: string };
  }) | false;
  /** Retry options (maxAttempts, baseMs, maxMs, jitter, budget, ...), or false for none. */
  retry?: Record<string, unknown> | false;
  /** Bulkhead options (maxConcurrent, maxQueue, queueTimeoutMs), or false for none. */
  bulkhead?: { maxConcurrent?: number; maxQueue?: number; queueTimeoutMs?: number } | false;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteConfig {
  /** Metric label and event name (default: the path). */
  name?: string;
  /** Default any; a GET route also answers HEAD. */
  method?: HttpMethod | '*' | (HttpMethod | '*')[];
  /** `/v1/brands/:id`, `/static/*\/logo` (one segment), `/files/*` (the rest), or `*`. First match wins. */
  path: string;
  /** Upstream name; optional when there is only one. */
  upstream?: string;
  /** Largest request body (default security.maxBodyBytes). */
  maxBodyBytes?: number;
  /** Query values are strings (repeated names give arrays); errors are reported under /query and /body. */
  validate?: { request?: Schema; query?: Schema; response?: Schema };
  rateLimit?: {
    /** 'ip' (default, per clientIp policy), 'user' (identity.userHeader), 'route' (one key), 'header:<name>'. */
    key?: 'ip' | 'user' | 'route' | `header:${string}`;
    /**
     * 'local' (default): this instance's own limit. 'global': one limit across every instance,
     * kept in the gateway's `store` option (required then), as the config's `store` section says.
     */
    scope?: 'local' | 'global';
    policies: RateLimitPolicy[];
    maxKeys?: number;
  } | false;
  cache?: {
    ttlMs: number;
    staleWhileRevalidateMs?: number;
    staleIfErrorMs?: number;
    /** The origin's Cache-Control wins over these lifetimes (default true). */
    respectOrigin?: boolean;
    /** Request headers that select separate entries. */
    vary?: string[];
    /** Opt in to caching credentialed requests and private answers, keyed per user. */
    perUser?: boolean;
    /**
     * A second tier in the gateway's `store` option (required then) that every instance reads:
     * true, or the tier's options (the store section's `cache` and `deadlineMs` are the defaults).
     * The route gets its own cache (`cacheOf(name)`), bounded as the `cache` option says, whose
     * tier is named after the route's name (unique among shared routes) and its upstream's origin.
     * Only what the route's memory would replay to anyone goes there: requests with Authorization,
     * Cookie or the identity.userHeader bypass the
     * cache, private, no-store and Set-Cookie answers are stored nowhere; not with perUser.
     */
    shared?: boolean | SharedRouteCacheOptions;
  } | false;
}

/** Cache sharedOptions but `name`, which the route's name gives. */
export type SharedRouteCacheOptions = Omit<SharedCacheOptions, 'name'>;

export type HeaderSetting = boolean | string;

export interface GatewayConfig {
  $schema?: string;
  /** serviceId in the health document (default 'edgeguard'). */
  service?: string;
  upstreams: Record<string, UpstreamConfig>;
  routes: RouteConfig[];
  /** Where the client address comes from (default CF-Connecting-IP). */
  clientIp?: { header?: 'cf-connecting-ip' | 'CF-Connecting-IP' | 'x-forwarded-for' | 'X-Forwarded-For' | 'none'; trustedHops?: number };
  /** A header set by a verified layer in front (an auth proxy), never by clients. */
  identity?: { userHeader?: string };
  security?: {
    /** Default 1 MiB. */
    maxBodyBytes?: number;
    cors?: false | {
      origins: '*' | string[];
      methods?: HttpMethod[];
      headers?: string[];
      exposeHeaders?: string[];
      maxAgeSeconds?: number;
      credentials?: boolean;
    };
    /** On by default; false for none, or per header a value or false. */
    headers?: false | {
      hsts?: HeaderSetting; contentTypeOptions?: HeaderSetting; frameOptions?: HeaderSetting;
      referrerPolicy?: HeaderSetting; contentSecurityPolicy?: HeaderSetting;
    };
    requestId?: { header?: string; trustIncoming?: boolean };
  };
  /** How global routes and shared breakers use the store given as the `store` option. */
  store?: StoreConfig;
  /** Default /healthz and /metrics; false turns one off. */
  observability?: { healthPath?: string | false; metricsPath?: string | false };
}

/**
 * The config's store section: how global routes and shared breakers use the `store` option.
 * `mode` (default 'local-first'), `onStoreError` (default 'local'), `expectedInstances` (default
 * 4), `deadlineMs` (default 50) and `lease` (local-first; `units` at most each route's capacity)
 * are given to every global route's RateLimiter; `deadlineMs` to every shared breaker and shared
 * cache tier too (a tier's default: the store's own).
 */
export interface StoreConfig extends Pick<SharedRateLimiterOptions, 'mode' | 'onStoreError' | 'expectedInstances' | 'deadlineMs' | 'lease'> {
  /**
   * 1 to 32 printable ASCII characters, no braces (default 'gw:'): the store name of a global
   * route's limiter is the prefix and the route's name, of a shared breaker the prefix and the
   * upstream's (a name that is not printable ASCII, or too long, is hashed). Gateways of other
   * configs on one store keep apart with another prefix.
   */
  prefix?: string;
  /** The shared tier's options of every route with `cache.shared` (a route's own options win). */
  cache?: SharedRouteCacheOptions;
}

export interface GuardOptions {
  /**
   * The store that global routes (`rateLimit.scope: 'global'`) and shared breakers
   * (`breaker.share`) use; yours (e.g. a RedisStore over your client), never closed by the guard.
   * Its state shows in health() (a `store` check: its breaker's state; down makes the service
   * `warn`, not `fail`, since the fallbacks answer) and metrics() (`edgeguard_store_*`).
   */
  store?: Store;
  /** The fetch used for upstream calls (default globalThis.fetch). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Milliseconds (default Date.now). */
  clock?: () => number;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
  /**
   * Cache options (default { maxEntries: 10000, maxBytes: 64 MiB, maxKeyLength: 1 MiB }), of the
   * gateway's cache and of each shared route's; a request whose cache key is longer than
   * maxKeyLength is refused as INPUT_TOO_LARGE (431). `shared` is per route (cache.shared).
   */
  cache?: Record<string, unknown>;
  /**
   * The access log: each 'request' event as one JSON line (every field but `url`). `true` writes
   * with console.log (the log pipeline of Workers, Deno Deploy, Vercel); a function is given each
   * line. A sink that throws or rejects never fails a request: counted in
   * `edgeguard_access_log_failures_total`. Off by default.
   */
  log?: boolean | ((line: string) => unknown) | AccessLogOptions;
  /**
   * Trace context and spans. `true`: W3C traceparent/tracestate to the upstream (the client's trace,
   * or a new one; a new span id per attempt), no spans. `{ api }`: OpenTelemetry spans through the
   * API module you pass, the upstream's traceparent being the attempt span's. Off by default.
   */
  trace?: boolean | TraceOptions;
}

export interface AccessLogOptions {
  /** Given each line (default console.log); a promise it returns is awaited for failures only. */
  write?: (line: string) => unknown;
  /** Adds `query` (the query string without `?`) to each line (default false: it may carry tokens). */
  query?: boolean;
}

/**
 * The parts of `@opentelemetry/api` (1.x) the gateway calls: pass the module itself,
 * `import * as api from '@opentelemetry/api'`. Typed structurally so that this package's types
 * do not need it installed.
 */
export interface OpenTelemetryApi {
  trace: {
    getTracer(name: string, version?: string): OpenTelemetryTracer;
    setSpan(context: any, span: any): any;
    setSpanContext(context: any, spanContext: any): any;
    getSpanContext(context: any): unknown;
  };
  context: { active(): any; with<R>(context: any, fn: () => R): R };
  propagation: { inject(context: any, carrier: any, setter?: any): void; extract(context: any, carrier: any, getter?: any): any };
  isSpanContextValid(spanContext: any): boolean;
  createTraceState?(raw?: string): unknown;
  ROOT_CONTEXT: unknown;
  SpanKind: { SERVER: number; CLIENT: number; INTERNAL: number };
  SpanStatusCode: { ERROR: number };
}

/** An OpenTelemetry Tracer (`api.trace.getTracer(name)`, or an SDK provider's). */
export interface OpenTelemetryTracer {
  startSpan(name: string, options?: any, context?: any): any;
}

export interface TraceOptions {
  api: OpenTelemetryApi;
  /** Default `api.trace.getTracer('edgeguard', version)`: the globally registered provider's. */
  tracer?: OpenTelemetryTracer;
  /** Puts the query string in url.query and url.full (default false: it may carry tokens). */
  query?: boolean;
}

/** One answered request: the 'request' event, and (without `url`) the access log's line. */
export interface RequestEvent {
  /** When the request arrived (the clock option's reading), ISO 8601; null for a reading that is no date. */
  time: string | null;
  requestId: string;
  method: string;
  /** The URL path (no query string). */
  path: string;
  /** The full URL, query string included: in the event only, never in a log line. */
  url: string;
  route: string | null;
  outcome: 'ok' | 'cache_hit' | 'stale' | 'rate_limited' | 'invalid_request' | 'too_large' | 'not_found' |
    'method_not_allowed' | 'circuit_open' | 'timeout' | 'upstream_error' | 'invalid_response' | 'overloaded' | 'preflight';
  status: number;
  cache: 'hit' | 'stale' | 'stale-if-error' | 'miss' | 'bypass' | 'expired' | null;
  /** The rate limiter's decision and its deciding policy; null on a route without a limit (or not reached). */
  rateLimit: { allowed: boolean; policy: string; remaining: number } | null;
  /** The route's upstream (null without a route). */
  upstream: string | null;
  /** Upstream calls this request made (retries included; 0 for a cache hit, a refusal or an open circuit). */
  attempts: number;
  /** Milliseconds spent calling the upstream, backoffs included; null when no call was made. */
  upstreamMs: number | null;
  /** The upstream's circuit after the answer; null without a breaker. */
  breaker: import('./breaker.js').CircuitState | null;
  /** Request body bytes the gateway read (0 for none). */
  bytesIn: number;
  /** Response body bytes; null for an answer streamed through without Content-Length. */
  bytesOut: number | null;
  /** Errors a query, request or response validation found (0 when valid or not validated). */
  validationErrors: number;
  durationMs: number;
  /** The W3C trace id (32 hex digits) with the `trace` option, else null. */
  traceId: string | null;
  /** With `log: { query: true }`, in log lines only: the query string without `?`. */
  query?: string;
}

export interface GuardEvents {
  request: RequestEvent;
  stateChange: { upstream: string; from: string; to: string; reason: string };
  retry: { upstream: string; attempt: number; delayMs: number };
  error: { error: unknown; requestId: string };
}

/** application/health+json (draft-inadarei-api-health-check). */
export interface HealthDocument {
  status: 'pass' | 'warn' | 'fail';
  version: string;
  serviceId: string;
  checks: Record<string, {
    componentType: string; observedValue: unknown; observedUnit?: string;
    status: 'pass' | 'warn' | 'fail'; time: string; output?: string;
  }[]>;
}

export interface Guard {
  /**
   * Routed URLs (relative, or under an upstream origin) get the route's policies; absolute URLs
   * outside every upstream are a plain fetch; a relative URL that matches no route rejects with
   * `INVALID_INPUT`. A path or query over 64 KiB, a client-address header over 64 KiB, a
   * rate-limit key header over 1024 bytes or a cache key over the cache's maxKeyLength (1 MiB) reject with
   * `INPUT_TOO_LARGE` (`part`: 'path' | 'query' | 'header'): they are never routed or keyed.
   * A core call that fails (out of memory) rejects with `CORE_FAILED`.
   * Whatever fetch itself would refuse rejects with `INVALID_INPUT`, never a raw TypeError: a URL
   * that does not parse, a scheme-relative one (`//host/x`), a body on GET/HEAD, a bad method,
   * header or signal; so does a body stream that fails or yields anything but Uint8Array chunks
   * (`part`: 'body'). A clock reading that is not a finite number rejects with `CLOCK_INVALID`.
   * `options.requestId` (1 to 200 visible ASCII characters, else `INVALID_INPUT`): the caller's id
   * for this call, in its `request` event, access-log line, spans and problem answers, so they
   * can be matched to the caller's own request.
   */
  fetch(input: string | URL | Request, init?: RequestInit, options?: { requestId?: string }): Promise<Response>;
  health(): HealthDocument;
  /** Prometheus text format. */
  metrics(): string;
  on<E extends keyof GuardEvents>(event: E, listener: (event: GuardEvents[E]) => void): () => void;
  off<E extends keyof GuardEvents>(event: E, listener: (event: GuardEvents[E]) => void): void;
  /** The response cache (invalidate, stats, ...) of every route but those with `cache.shared`. */
  readonly cache: Cache;
  /** The cache of a route (by name): its own for a route with `cache.shared` (stats().shared: the tier's counts), else `cache`. */
  cacheOf(routeName: string): Cache;
  /** The normalized configuration. */
  readonly config: unknown;
  dispose(): void;
}

/** The pipeline for an app's outgoing calls. Invalid configs throw ConfigError naming the path. Requires `await init()`. */
export function createGuard(config: GatewayConfig | string, options?: GuardOptions): Guard;

export type { InitOptions };
