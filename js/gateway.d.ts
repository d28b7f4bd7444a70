import type { GatewayConfig, GuardEvents, GuardOptions, HealthDocument } from './guard.js';
import type { InitOptions } from './core.js';
import type { Store } from './store/store.js';

export interface GatewayOptions extends Omit<GuardOptions, 'store'> {
  /**
   * A Store, or a function from the runtime's env to one, for a store over a Worker's binding
   * (`(env) => new DurableObjectStore(env.EDGEGUARD)`): the gateway is then built on the first
   * request, which calls it once with its env (health() and metrics() reject with NOT_READY
   * before that, unless `ready(env)` built it).
   */
  store?: Store | ((env: any) => Store);
  /**
   * A request id when none is trusted from the request (default crypto.randomUUID()). A throw, or
   * an id that is not 1 to 200 visible ASCII characters, is reported and a generated id used.
   */
  requestId?: () => string;
  /** Passed to init() on the first request, e.g. `{ module }` where the runtime imports the wasm. */
  init?: InitOptions;
}

export interface Gateway {
  /**
   * The fetch handler: `export default createGateway(config)` in a Worker; `Deno.serve(gateway.fetch)`.
   * Never rejects. What the client got wrong is a 4xx problem+json with `requestId`: a path or
   * query over 64 KiB 414; a rate-limit key over 1024 bytes, a client-address header over 64 KiB
   * or a cache key over the cache's maxKeyLength 431; a body that breaks off 400. The gateway's
   * own failures are a 500 problem (and reported); the upstream's are its own 5xx, or 502
   * (unreachable, bad answer), 503 (circuit open, overloaded) or 504 (timeout).
   */
  fetch(request: Request, env?: unknown, ctx?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response>;
  /** As fetch, but requests no route matches go to `next()` instead of a 404 (middleware). */
  handle(request: Request, env: unknown, ctx: { waitUntil(promise: Promise<unknown>): void } | undefined,
    next: () => Promise<Response | void>): Promise<Response | void>;
  /** Loads the wasm and checks the config; rejects with ConfigError for a bad config. `env`: for a `store` function. */
  ready(env?: unknown): Promise<unknown>;
  /** The response cache once ready (undefined before): keys are `GET /path?sorted=query`, then vary and user lines, so `invalidate({ prefix: 'GET /v1/brands/' })` drops a route's entries. */
  readonly cache: import('./cache.js').Cache | undefined;
  /** The cache of a route (by name) once ready: its own for a route with `cache.shared`, else `cache`. INVALID_INPUT for no such route, NOT_READY before ready(). */
  cacheOf(routeName: string): import('./cache.js').Cache;
  health(): Promise<HealthDocument>;
  metrics(): Promise<string>;
  /** Frees its wasm objects, caches, their store subscriptions and timers; later requests are answered 500, ready() rejects with DISPOSED. */
  dispose(): void;
  on<E extends keyof GuardEvents>(event: E, listener: (event: GuardEvents[E]) => void): () => void;
}

/** A deployable fetch handler in front of the configured upstreams. */
export function createGateway(config: GatewayConfig | string, options?: GatewayOptions): Gateway;
