// The composed pipeline: route -> rate limit -> request validation -> cache -> breaker ->
// upstream fetch with timeout and retry -> response validation -> cache store. The decisions are
// the core's (src/edgeguard/guard/ through wasm/bridge_guard.cpp); the policy objects are the
// other jobs' classes; this file performs the I/O. createGuard() gives apps this pipeline for
// their outgoing calls; js/gateway.js puts the HTTP edge concerns around it.
import { MAX_ALLOC, module, withBytes, readCString, f64, utf8Length } from './core.js';
import { WasmObject } from './dispose.js';
import { ConfigError, EdgeguardError, coreError, describe, lastError } from './errors.js';
import { Validator } from './validator.js';
import { Cache } from './cache.js';
import { responseFacts } from './http-cache.js';
import { RateLimiter } from './limit.js';
import { CircuitBreaker, BrokenCircuitError, STATES } from './breaker.js';
import { Retry } from './retry.js';
import { Bulkhead, BulkheadFullError } from './bulkhead.js';
import { withTimeout, TimeoutError } from './timeout.js';
import { Listeners, timersOption, functionOption, objectOption, checkOptions } from './resilience.js';
import { PROBLEMS, problemResponse, retryAfter } from './problem.js';
import { queryObject, rateLimited, tooLarge, invalidQuery, invalidBody } from './refusals.js';
import { version } from './version.js';
import { Clock } from './clock.js';
import { storeOption, sharedLimitOptions, sharedBreakerOptions, sharedCacheOptions, readStore } from './guard-store.js';
import { bodyOf, shareableEntry } from './shared-response.js';
import { readBody, underOrigin, upstreamRequestHeaders, clientResponseHeaders } from './reverse-proxy.js';
import { logOption, bodyBytes } from './access-log.js';
import { traceOption } from './otel.js';
import {
  ANY_UPSTREAM, CacheOutcome, CacheOutcomeNames, CacheUse, CacheUseNames, DetailNames, MatchResult, Method, OriginFact,
  OutcomeNames, SharedCacheResultNames, StoreSlot, UpstreamEvent,
} from './seam/guard.js';

// Index = the core's Outcome.
export const OUTCOMES = OutcomeNames;
export const O = Object.fromEntries(OUTCOMES.map((name, i) => [name, i]));
// Index = the core's CacheOutcome: the `cache` of request events and log lines, named as
// Cache#getOrFetch names its results ('stale-if-error'); edgeguard_cache_total's result label is
// the same name in snake case (guard.cpp's kCacheResults; tests/js/gateway.test.js checks both).
// A coalesced call is a miss.
const CACHE_NAMES = CacheOutcomeNames.map((name) =>
  ({ stale_swr: 'stale', stale_error: 'stale-if-error' })[name] ?? name);
const CACHE = Object.freeze({
  ...Object.fromEntries(CACHE_NAMES.map((name, i) => [name, i])), coalesced: CacheOutcome.MISS,
});
// The outcomes that serve a stored entry, which carries its age.
const FROM_STORE = new Set([CacheOutcome.HIT, CacheOutcome.STALE_SWR, CacheOutcome.STALE_ERROR]);
// Index = the Cache-Status detail table in wasm/bridge_guard.cpp, by its texts.
const DETAIL = Object.freeze(Object.fromEntries(DetailNames.map((name, i) => [name.replace(/_/g, '-'), i])));
// What a failed upstream call (UpstreamFailure's kind) becomes when nothing stale was served: the
// outcome counted, the problem answered (or null to pass the upstream's own failure status
// through: the most informative answer, its fwd-status) and the Cache-Status detail.
const FAILED = Object.freeze({
  upstream_status: { outcome: O.upstream_error, problem: null, detail: DETAIL.none },
  network: { outcome: O.upstream_error, problem: PROBLEMS.upstreamUnreachable, detail: DETAIL['upstream-error'] },
  timeout: { outcome: O.timeout, problem: PROBLEMS.upstreamTimeout, detail: DETAIL.timeout },
  circuit_open: { outcome: O.circuit_open, problem: PROBLEMS.circuitOpen, detail: DETAIL['circuit-open'] },
  invalid_response: { outcome: O.invalid_response, problem: PROBLEMS.invalidUpstreamResponse, detail: DETAIL['invalid-response'] },
  bulkhead_full: { outcome: O.overloaded, problem: PROBLEMS.overloaded, detail: DETAIL.overloaded },
});
// Index = the core's CacheUse: a bypass's detail is its reason.
const BYPASS_DETAIL = CacheUseNames.map((use) =>
  (use.startsWith('bypass_') ? DETAIL[use.slice(7).replace(/_/g, '-')] : DETAIL.none));
const METHODS = Object.freeze(Object.fromEntries(Object.entries(Method).filter(([name]) => name !== 'ANY_METHOD')));
const { SHARED, PER_USER } = CacheUse;
const { BYPASS_CREDENTIALS } = CacheUse;
// Index = the core's SharedCacheResult: the SharedCacheStats fields (cache.d.ts) read into
// edgeguard_shared_cache_total, and the route's own count of answers kept out, by the core's name.
const SHARED_CACHE_FIELD = Object.freeze({ hit: 'hits', stale: 'staleHits', miss: 'misses',
  stale_if_error: 'staleIfErrorHits', write: 'writes', unshareable: 'unshareable', too_large: 'tooLarge', skip: 'skips',
  error: 'errors', timeout: 'timeouts', lease: 'leases', lease_wait: 'leaseWaits', lease_timeout: 'leaseTimeouts',
  not_for_everyone: 'notForEveryone' });
const SHARED_CACHE_COUNTS = Object.freeze(SharedCacheResultNames.map((name) => SHARED_CACHE_FIELD[name]));
const EVENTS = ['request', 'stateChange', 'retry', 'error'];
export const MAX_RESPONSE_BYTES = 64 << 20;
// What a request may bring to the core: a longer path or query is 414 at the gateway, a longer
// header value (or all of a cache key's header parts together) 431.
const MAX_PATH_BYTES = 64 << 10;
const MAX_QUERY_BYTES = 64 << 10;
const MAX_HEADER_BYTES = 64 << 10;
const MAX_CACHE_KEY_BYTES = 1 << 20;
// So the response cache takes every key those limits allow (the path and query alone may be
// 128 KiB); stored keys count towards its maxBytes (two bytes a character).
const CACHE_DEFAULTS = { maxEntries: 10000, maxBytes: 64 << 20, maxKeyLength: MAX_CACHE_KEY_BYTES };
// The config document: the README's maxima (10,000 routes, 1,000 upstreams, each with its schemas)
// must load, so only the core's own ceilings bound it: the largest input it can take.
const CONFIG_MAX_BYTES = MAX_ALLOC;


/** A request part over its limit (`part`: 'path', 'query' or 'header'): never routed or keyed. */
function inputTooLarge(part, size, limit) {
  return new EdgeguardError('INPUT_TOO_LARGE', `the request ${part} is ${size} bytes, over the limit of ${limit}`,
    { part, size, limit });
}

// The metrics calls answer 0, or 1 when the core ran out of memory (wasm/bridge_metrics.cpp).
function recorded(status) {
  if (status !== 0) throw new EdgeguardError('OUT_OF_MEMORY', 'the wasm module could not allocate memory for a metric');
}

/** Whether `error` is the request's fault (a part over its limit, a part that cannot be read): a 4xx, never a failure. */
export function isClientFault(error) {
  return error?.code === 'INPUT_TOO_LARGE' || error?.code === 'INVALID_INPUT';
}

// What reading a caller's input threw, as INVALID_INPUT unless it is typed already.
function invalidInput(what, error, details = undefined) {
  if (error instanceof EdgeguardError) return error;
  let reason;
  try {
    reason = error instanceof Error ? error.message : String(error);
  } catch {
    reason = typeof error;
  }
  return new EdgeguardError('INVALID_INPUT', `${what} is not usable: ${reason}`, { ...details, cause: error });
}

/** A request id as the gateway takes it from a header and answers with it: 1 to 200 visible ASCII characters. */
export const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

function readInput(what, read) {
  try {
    return read();
  } catch (error) {
    throw invalidInput(what, error);
  }
}

function limitFailure(error, key, limiter) {
  return error?.code === 'LIMIT_KEY_TOO_LONG' ? inputTooLarge('header', utf8Length(key), limiter.maxKeyBytes) : error;
}

function notUtf8(what) {
  return () => {
    throw new EdgeguardError('INVALID_INPUT', `${what} has a lone surrogate and cannot be UTF-8`);
  };
}

/** An upstream call that failed: `kind` is a FAILURE name; `entry` the upstream's answer, if any. */
class UpstreamFailure extends Error {
  constructor(kind, cause, entry = undefined, errors = undefined, reason = undefined) {
    super(kind);
    this.kind = kind;
    this.cause = cause;
    this.entry = entry;
    this.errors = errors;
    this.reason = reason;
  }
}

function configIssue(path, message, extra) {
  return new ConfigError('CONFIG_INVALID', `config${path ? ` at ${path}` : ''}: ${message}`, { path, ...extra });
}

/**
 * Hands `config` to the core, which checks it against config.schema.json and then what a schema
 * cannot say; its first issue (path, message) is thrown as a ConfigError.
 */
function parseConfig(config) {
  let doc = config;
  if (typeof config === 'string') {
    try {
      doc = JSON.parse(config);
    } catch (error) {
      throw configIssue('', `is not valid JSON (${error.message})`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw configIssue('', 'must be an object');
  let text;
  try {
    text = JSON.stringify(doc);
  } catch (error) {  // a BigInt or a cycle
    throw configIssue('', `cannot be written as JSON (${error.message})`);
  }
  const mod = module();
  const handle = withBytes(text, CONFIG_MAX_BYTES, (ptr, len) => mod._eg_guard_new(ptr, len),
    () => { throw configIssue('', 'has a string with a lone surrogate'); },
    (size) => { throw configIssue('', `is ${size} bytes, over ${CONFIG_MAX_BYTES}`); });
  if (!handle) {
    const { code, option: path, message } = lastError(mod);
    throw code === 'CONFIG_INVALID' ? configIssue(path, message) : coreError(mod);
  }
  try {
    return { handle, normalized: JSON.parse(readCString(mod._eg_guard_config(handle))) };
  } catch (error) {
    mod._eg_guard_free(handle);  // nothing owns it yet
    throw error;
  }
}

// Constructs another job's class from a config section; its refusal becomes a ConfigError at that path.
function build(path, make) {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof EdgeguardError)) throw error;
    const option = error.option ?? error.schemaPath;
    throw configIssue(option ? `${path}/${String(option).replace(/^#\/?/, '').replace(/\./g, '/')}` : path,
      error.message, { cause: error });
  }
}

/**
 * What the pipeline learns about one request, read by record(): the metrics' indexes (-1 for
 * none), and for the access log and traces what was decided and sent. One shape for every request.
 */
export function requestState() {
  return { route: -1, upstream: -1, cache: -1, upstreamMs: -1, outcome: O.ok, attempts: 0, bytesIn: 0, bytesOut: -1,
    validationErrors: 0, limit: null, trace: null };
}

// The class a streamed upstream body is answered with. @hono/node-server replaces the global
// Response with a lightweight subclass of the runtime's own, and writes a streamed body of one
// headers first, then chunked: two more socket writes per request than for the runtime's own
// Response (what fetch() returns), whose body it reads as far as it has arrived and sends with
// the headers in one write. So an answer fetch() made is passed on in fetch()'s class.
function answerClass(upstream) {
  const made = upstream.constructor;
  return made === Object.getPrototypeOf(Response) ? made : Response;
}

// An upstream attempt that threw, as error.type names it: low-cardinality, never its message.
function errorType(error) {
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof EdgeguardError) return error.code;
  return typeof error?.name === 'string' && error.name ? error.name : '_OTHER';
}

export class Pipeline extends WasmObject {
  #mod;
  #clock;
  #time;
  #read;
  #timers;
  #fetch;
  #routes;
  #upstreams;
  #byOrigin = new Map();
  #cache;
  #maxCacheKey;
  #store;
  #log;
  #tracing;
  #listeners = new Listeners(EVENTS);
  config;

  /**
   * `config`: the configuration (object or JSON text, see config.schema.json). `options`:
   * `{ fetch, clock, timers, cache: Cache options (default { maxEntries: 10000, maxBytes: 64 MiB, maxKeyLength: 1 MiB }),
   *    store: the Store that global routes, shared breakers and routes with cache.shared use,
   *    log: see js/access-log.js, trace: see js/otel.js }`.
   */
  constructor(config, options = {}) {
    const opts = checkOptions(options);
    const clock = functionOption(opts, 'clock', Date.now);
    const timers = timersOption(opts);
    const fetchFn = functionOption(opts, 'fetch', undefined);
    const log = logOption(opts.log);
    const tracing = traceOption(opts.trace);
    const { handle, normalized } = parseConfig(config);
    const mod = module();
    super(handle, mod._eg_guard_free);
    this.#mod = mod;
    this.#clock = clock;
    this.#time = new Clock(clock);
    this.#read = () => this.#time.now();  // made once: the gateway reads it per request
    this.#timers = timers;
    this.#fetch = fetchFn ?? ((input, init) => fetch(input, init));
    this.#log = log;
    this.#tracing = tracing;
    this.config = normalized;
    try {
      this.#store = build('/options', () => storeOption(opts));
      this.#upstreams = normalized.upstreams.map((u, i) => this.#upstream(u, i));
      this.#routes = normalized.routes.map((r, i) => this.#route(r, i));
      const cacheOptions = { ...CACHE_DEFAULTS, ...objectOption(opts, 'cache'), clock, timers };
      // The shared tier is a route's choice (cache.shared), made where it can be checked: a tier
      // under the one cache would take every route's entries, those keyed per user included.
      for (const name of ['shared', 'sharedOptions']) {
        if (cacheOptions[name] !== undefined) throw configIssue(`/options/cache/${name}`, 'is set per route: cache.shared in the config');
      }
      this.#cache = build('/options/cache', () => new Cache(cacheOptions));
      this.#maxCacheKey = cacheOptions.maxKeyLength;
      for (const r of this.#routes.filter((route) => route.cache?.shared)) {
        r.sharedCache = this.#sharedCache(r, cacheOptions);
        // Answers kept out of every tier as not for everyone: private, no-store, Set-Cookie, or asked with credentials.
        r.notForEveryone = 0;
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  #upstream(u, index) {
    const path = `/upstreams/${u.name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const clock = this.#clock;
    const timers = this.#timers;
    const shared = u.breaker?.share && sharedBreakerOptions(this.#requireStore(`${path}/breaker/share`, 'shares the breaker'),
      this.config.store, u.name, u.breaker.share);
    const up = {
      ...u,
      index,
      sharedBreaker: Boolean(shared),
      breaker: u.breaker && build(`${path}/breaker`, () => new CircuitBreaker({ ...u.breaker, ...shared, clock, timers })),
      retry: u.retry && build(`${path}/retry`, () => new Retry({ ...u.retry, clock, timers })),
      bulkhead: u.bulkhead && build(`${path}/bulkhead`, () => new Bulkhead({ ...u.bulkhead, timers })),
    };
    // How long a fill of the shared cache tier may hold its lease: the whole call, its wait for a
    // bulkhead slot and every attempt (an unbounded wait is capped with the lease, at 60 s).
    up.longestMs = (u.bulkhead?.queueTimeoutMs ?? 0) + (up.retry ? up.retry.longestMs(u.timeoutMs) : u.timeoutMs);
    // The pipeline disposes its breakers and retries first, and they stay silent afterwards.
    up.breaker?.on('stateChange', ({ from, to, reason }) => {
      recorded(this.#mod._eg_guard_breaker_state(this.handle, index, STATES.indexOf(to)));
      this.#listeners.emit('stateChange', { upstream: u.name, from, to, reason });
    });
    up.retry?.on('retry', ({ attempt, delayMs }) => {
      recorded(this.#mod._eg_guard_upstream_event(this.handle, index, UpstreamEvent.RETRY));
      this.#listeners.emit('retry', { upstream: u.name, attempt, delayMs });
    });
    up.retry?.on('giveUp', ({ reason }) => {
      if (reason === 'budgetExhausted') {
        recorded(this.#mod._eg_guard_upstream_event(this.handle, index, UpstreamEvent.BUDGET_EXHAUSTED));
      }
    });
    if (!this.#byOrigin.has(u.origin)) this.#byOrigin.set(u.origin, index);
    return up;
  }

  #route(r, index) {
    const path = `/routes/${index}`;
    const v = r.validate;
    // Responses are not bound by the request body limit, only by what a cache entry may hold.
    const maxBytes = (which) => (which === 'response' ? MAX_RESPONSE_BYTES : r.maxBodyBytes);
    const validator = (which) => v[which] !== null && v[which] !== undefined
      ? build(`${path}/validate/${which}`, () => new Validator(v[which], { allErrors: true, maxBytes: maxBytes(which) }))
      : null;
    const global = r.rateLimit?.scope === 'global';
    const shared = global
      ? sharedLimitOptions(this.#requireStore(`${path}/rateLimit/scope`, "is 'global'"), this.config.store, r.name, this.#timers)
      : undefined;
    return {
      ...r,
      index,
      global,
      requestValidator: validator('request'),
      queryValidator: validator('query'),
      responseValidator: validator('response'),
      limiter: r.rateLimit && build(`${path}/rateLimit`, () => new RateLimiter({ ...r.rateLimit.options, ...shared, clock: this.#clock })),
    };
  }

  // A shared route's own cache: memory bounded as the gateway's cache is, and a tier in the store
  // named after the route (the core refuses two routes of one name), so routes never meet there.
  #sharedCache(route, cacheOptions) {
    const path = `/routes/${route.index}/cache/shared`;
    const tier = sharedCacheOptions(this.#requireStore(path, 'is a tier'), this.config.store, route.name, route.cache.shared,
      this.#upstreams[route.upstream].origin);
    try {
      return new Cache({ ...cacheOptions, ...tier });
    } catch (error) {
      if (!(error instanceof EdgeguardError)) throw error;
      const option = String(error.option ?? '').replace(/^sharedOptions\./, '');
      throw configIssue(option ? `${path}/${option}` : path, error.message, { cause: error });
    }
  }

  // Sharing is asked for in the config, and only the options can give the store: without one, a
  // ConfigError here, never a quiet local limit or breaker.
  #requireStore(path, what) {
    if (!this.#store) throw configIssue(path, `${what} through a store, but none was given (the store option)`);
    return this.#store;
  }

  /** Subscribes to 'request', 'stateChange', 'retry' or 'error'; returns an unsubscribe function. */
  on(event, listener) {
    return this.#listeners.on(event, listener);
  }

  off(event, listener) {
    this.#listeners.off(event, listener);
  }

  /**
   * The route index for a request, or a MatchResult: NO_ROUTE, or WRONG_METHOD for a path that
   * exists with other methods.
   * A path or query over its limit throws INPUT_TOO_LARGE: it is never matched against the routes.
   */
  match(method, url, upstream = ANY_UPSTREAM) {
    const handle = this.handle;
    const route = withBytes(url.pathname, MAX_PATH_BYTES,
      (ptr, len) => this.#mod._eg_guard_match(handle, METHODS[method] ?? 0, ptr, len, upstream), notUtf8('the path'),
      (size) => { throw inputTooLarge('path', size, MAX_PATH_BYTES); });
    if (route <= MatchResult.UNREADABLE_PATH) throw new EdgeguardError('CORE_FAILED', `the core could not match the path (${route})`);
    if (url.search.length > MAX_QUERY_BYTES) throw inputTooLarge('query', url.search.length, MAX_QUERY_BYTES);
    return route;
  }

  /** The upstream index serving `origin` (scheme://host:port), or ANY_UPSTREAM (none does). */
  upstreamFor(url) {
    for (const [origin, index] of this.#byOrigin) if (underOrigin(url.href, origin)) return index;
    return ANY_UPSTREAM;
  }

  /** The client address under the configured policy (never a header the client may choose). */
  clientIp(headers, remote = '') {
    const source = this.config.clientIp.header;
    const value = source === 'none' ? '' : headers.get(source) ?? '';
    return withBytes(`${value}\0${remote}`, MAX_HEADER_BYTES,
      (ptr, len) => readCString(this.#mod._eg_guard_client_ip(this.handle, ptr, len)), notUtf8('the client address'),
      (size) => { throw inputTooLarge('header', size, MAX_HEADER_BYTES); });
  }

  /**
   * Runs the pipeline for a routed request and resolves to the Response. `info`: { route,
   * remote, waitUntil, requestId, start, headers (added to the answer) }.
   */
  async serve(request, url, info) {
    const route = this.#routes[info.route];
    const up = this.#upstreams[route.upstream];
    const state = info.state ?? requestState();
    state.route = info.route;
    state.upstream = route.upstream;
    if (this.#tracing && !state.trace) state.trace = this.#tracing(request, new URL(request.url), 'internal', info.start);
    state.trace?.route(route);
    const extra = info.headers;
    let response;
    try {
      response = await this.#run(request, url, route, up, state, info);
    } catch (error) {
      // A refused request part is the client's fault, answered by the caller (4xx), not a failure here.
      if (!isClientFault(error)) this.#listeners.emit('error', { error, requestId: info.requestId });
      // The gateway answers it and records that; an app's call ends here, in its error.
      if (!info.gateway) state.trace?.end(0, {}, errorType(error), this.#now());
      throw error;
    }
    for (const [name, value] of extra) if (!response.headers.has(name)) response.headers.set(name, value);
    this.record(state, info.start, request, response, info.requestId);
    return response;
  }

  async #run(request, url, route, up, state, info) {
    const contentLength = Number(request.headers.get('content-length') ?? 0);
    if (contentLength > route.maxBodyBytes) return this.#tooLarge(state, route, info.requestId);
    if (route.limiter) {
      const decision = route.global ? await this.#sharedLimit(route, request, info) : this.#limit(route, request, info.remote);
      state.limit = decision;
      for (const [name, value] of Object.entries(decision.headers)) info.headers.push([name, value]);
      if (!decision.allowed) {
        state.outcome = O.rate_limited;
        return problemResponse(...rateLimited(decision, info.requestId));
      }
    }
    let body = null;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // A body that fails half-way (a client gone, a broken stream) is the request's fault.
      body = await readBody(request, route.maxBodyBytes).catch((error) => {
        throw invalidInput('the request body', error, { part: 'body' });
      });
      if (body === null) return this.#tooLarge(state, route, info.requestId);
      state.bytesIn = body.byteLength;
    }
    const invalid = this.#validateRequest(route, url, body, state, info.requestId);
    if (invalid) {
      state.outcome = O.invalid_request;
      return invalid;
    }
    // The verified user header names a user as much as their own credentials do: the upstream may
    // answer for that user alone, so it bypasses the cache unless the route keys it per user.
    const user = this.config.userHeader;
    const credentials = request.headers.has('authorization') || request.headers.has('cookie') || (!!user && request.headers.has(user));
    const methodIndex = METHODS[request.method] ?? 0;  // before the handle: a getter may dispose this guard
    const use = this.#mod._eg_guard_cache_use(this.handle, route.index, methodIndex, credentials ? 1 : 0);
    const cached = use === SHARED || use === PER_USER;
    // A cached HEAD is answered from the GET entry, so it is fetched as a GET.
    const method = cached && request.method === 'HEAD' ? 'GET' : request.method;
    const call = { request, url, route, up, state, info, body, method, use, shared: false };
    if (!cached) {
      if (use === BYPASS_CREDENTIALS && route.sharedCache) route.notForEveryone++;
      state.cache = CACHE.bypass;
      return this.#forward(call, BYPASS_DETAIL[use]);
    }
    return this.#cached(call);
  }

  #tooLarge(state, route, requestId) {
    state.outcome = O.too_large;
    return problemResponse(...tooLarge(route.maxBodyBytes, requestId));
  }

  // A key header longer than the limiter takes is the request's fault (431), not a failure (500).
  #limit(route, request, remote) {
    const key = this.#limitKey(route, request, remote);
    try {
      return route.limiter.check(key);
    } catch (error) {
      throw limitFailure(error, key, route.limiter);
    }
  }

  // A global route's decision: the limiter answers a failing store with its own fallback, so a
  // rejection here is a fault of the call (a key too long), awaited by the caller, never loose.
  // The background work of local-first leases goes to the runtime's waitUntil where it has one.
  async #sharedLimit(route, request, info) {
    const key = this.#limitKey(route, request, info.remote);
    try {
      return await route.limiter.check(key, { waitUntil: info.waitUntil });
    } catch (error) {
      throw limitFailure(error, key, route.limiter);
    }
  }

  #limitKey(route, request, remote) {
    const { key, header } = route.rateLimit;
    if (key === 'route') return 'route';
    if (key === 'header' || key === 'user') {
      const value = request.headers.get(key === 'user' ? this.config.userHeader : header);
      if (value) return `${key === 'user' ? 'u' : 'h'}:${value}`;
    }
    return `ip:${this.clientIp(request.headers, remote)}`;
  }

  #validateRequest(route, url, body, state, requestId) {
    const refusal = (route.queryValidator
        && invalidQuery(this.#validate(route.queryValidator, queryObject(url.searchParams), 'query', state), requestId))
      || (route.requestValidator && body !== null
        && invalidBody(this.#validate(route.requestValidator, body, 'request', state), requestId));
    return refusal ? problemResponse(...refusal) : null;
  }

  // A validation, counted for the access log and, when tracing, in a span of its own.
  #validate(validator, input, target, state) {
    const trace = state.trace;
    const span = trace?.span(`edgeguard validate ${target}`, { 'edgeguard.validation.target': target }, this.#now());
    let r;
    try {
      r = validator.validate(input);
    } catch (error) {
      if (span) trace.close(span, undefined, errorType(error), this.#now());
      throw error;
    }
    if (!r.valid) state.validationErrors = r.errors.length;
    if (span) {
      trace.close(span, { 'edgeguard.validation.errors': r.valid ? 0 : r.errors.length },
        r.valid ? undefined : `invalid_${target === 'response' ? 'response' : 'request'}`, this.#now());
    }
    return r;
  }

  async #cached(call) {
    const { request, url, route, state, info, use } = call;
    const user = use === PER_USER ? this.#userKey(request.headers) : '';
    const parts = [call.method, url.pathname, url.search.slice(1), ...route.cache.vary.map((h) => request.headers.get(h) ?? ''), user, url.host];
    // The path and query are within their limits (match()), so only header values can overflow.
    const key = withBytes(parts.join('\0'), MAX_CACHE_KEY_BYTES,
      (ptr, len) => readCString(this.#mod._eg_guard_cache_key(this.handle, route.index, use, ptr, len)),
      notUtf8('the cache key'), (size) => { throw inputTooLarge('header', size, MAX_CACHE_KEY_BYTES); });
    // A smaller limit chosen for the cache is the request's limit too: the client's fault, not the cache's.
    if (key.length > this.#maxCacheKey) throw inputTooLarge('header', key.length, this.#maxCacheKey);
    let failure = null;
    const shared = { ...call, shared: true };
    const cache = route.sharedCache ?? this.#cache;
    const fetcher = async ({ options }) => {
      try {
        let entry = await this.#fetchEntry(shared);
        const d = this.#storeDecision(route, use, request.headers, entry);
        entry.stored = d.store;
        entry.ttlMs = d.ttlMs;
        entry.detail = d.detail;
        if (!d.store) {
          // Not fit to store (private, no-store, Set-Cookie, ...): in neither tier.
          if (d.personal && route.sharedCache) route.notForEveryone++;
          options.store = false;
          return entry;
        }
        // A shared route's request has no credentials and its key no user (the core refuses
        // perUser with shared): what its memory would replay to anyone, every instance may.
        if (route.sharedCache) entry = shareableEntry(entry);
        Object.assign(options, { ttlMs: d.ttlMs, staleWhileRevalidateMs: d.swrMs, staleIfErrorMs: d.sieMs, size: entry.size + key.length * 2, ageMs: d.ageMs });
        return entry;
      } catch (error) {
        failure = error;
        throw error;
      }
    };
    let result;
    const trace = state.trace;
    const span = trace?.span('edgeguard cache lookup', { 'edgeguard.route': route.name }, this.#now());
    try {
      result = await cache.getOrFetch(key, fetcher, { leaseMs: call.up.longestMs, waitUntil: info.waitUntil });
    } catch (error) {
      if (span) trace.close(span, { 'edgeguard.cache.status': 'miss' }, undefined, this.#now());
      if (!(error instanceof UpstreamFailure)) throw error;
      state.cache = CACHE.miss;
      return this.#failed(error, call, CACHE.miss);
    }
    if (span) trace.close(span, { 'edgeguard.cache.status': result.status }, undefined, this.#now());
    const entry = result.value;
    // A coalesced caller must not get an answer that was not fit to store (private, Set-Cookie):
    // it may belong to someone else.
    if (result.status === 'coalesced' && !entry.stored) {
      state.cache = CACHE.bypass;
      return this.#forward(call, DETAIL.coalesced);
    }
    // RFC 9211: a refetch of an entry held only for stale-if-error is fwd=stale, not uri-miss.
    state.cache = result.held ? CACHE.expired : CACHE[result.status];
    if (result.status === 'hit' || result.status === 'stale') state.outcome = O.cache_hit;
    if (result.status === 'stale-if-error') {
      state.outcome = O.stale;
      if (failure) state.upstreamMs = failure.upstreamMs ?? -1;
    } else if (result.status === 'miss') {
      state.upstreamMs = entry.upstreamMs;
      if (entry.stored) recorded(this.#mod._eg_guard_record_stored(this.handle, route.index));
    }
    const fwdStatus = result.status === 'stale-if-error' ? failure?.entry?.status ?? 0
      : result.status === 'miss' || result.status === 'coalesced' ? entry.status : 0;
    const stored = (result.status === 'miss' && entry.stored) ? 1 : 0;
    // A miss not stored says why (store_decision's reason).
    const detail = result.status === 'coalesced' ? DETAIL.coalesced
      : result.status === 'miss' && !entry.stored ? entry.detail : DETAIL.none;
    const response = this.#render(entry, call, state.cache, result.ageMs, fwdStatus, stored, detail);
    // A miss is this request's own fetch: its cookies are its own.
    if (result.status === 'miss') for (const cookie of shared.cookies ?? []) response.headers.append('set-cookie', cookie);
    return response;
  }

  #userKey(headers) {
    const verified = this.config.userHeader && headers.get(this.config.userHeader);
    if (verified) return `user ${verified}`;
    const credentials = `${headers.get('authorization') ?? ''}\u001f${headers.get('cookie') ?? ''}`;
    return credentials === '\u001f' ? '' : `credentials ${credentials}`;
  }

  // What the request and the origin's headers say (responseFacts reads them), as facts for the
  // core, which decides with the route's rule. must-understand needs none: the core stores only
  // statuses whose caching rules it meets.
  #storeDecision(route, use, requestHeaders, entry) {
    const f = responseFacts(requestHeaders, new Headers(entry.headers), entry.status, this.#now());
    const facts = (f.noStore ? OriginFact.NO_STORE : 0) | (f.noCache ? OriginFact.NO_CACHE : 0) |
      (f.varyStar ? OriginFact.VARY_STAR : 0) | (f.private ? OriginFact.PRIVATE : 0) |
      (f.authorization ? OriginFact.AUTHORIZATION : 0) | (entry.setCookie ? OriginFact.SET_COOKIE : 0) |
      (f.mustRevalidate ? OriginFact.MUST_REVALIDATE : 0) | (f.explicitTtl ? OriginFact.EXPLICIT_TTL : 0);
    // The origin's Vary names: bounded by the runtime that read its headers, so by nothing here.
    return withBytes(f.vary.join('\0'), MAX_ALLOC, (ptr, len) => {
      const d = f64(this.#mod._eg_guard_store(this.handle, route.index, use, entry.status, facts, f.ttlMs ?? -1,
        f.staleWhileRevalidateMs ?? -1, f.staleIfErrorMs ?? -1, f.ageMs, ptr, len), StoreSlot.COUNT);
      return { store: d[StoreSlot.STORE] === 1, personal: d[StoreSlot.PERSONAL] === 1, ttlMs: d[StoreSlot.TTL_MS],
        swrMs: d[StoreSlot.SWR_MS], sieMs: d[StoreSlot.SIE_MS], ageMs: d[StoreSlot.AGE_MS], detail: d[StoreSlot.DETAIL] };
    }, notUtf8('the origin\'s Vary'));
  }

  // The upstream call with every resilience policy, read whole (to validate, cache and share it).
  async #fetchEntry(call) {
    const response = await this.#callUpstream(call);
    // Read whole to validate, store and share it, so bounded: a larger answer is refused, not buffered.
    // A body that breaks off half-way is the upstream's failure (502), not the gateway's.
    const bytes = call.method === 'HEAD' ? new Uint8Array(0) : await readBody(response, MAX_RESPONSE_BYTES).catch((error) => {
      throw new UpstreamFailure('network', error);
    });
    if (bytes === null) {
      throw new UpstreamFailure('invalid_response', null, undefined, undefined, `its body is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    const headers = this.#responseHeaders(response.headers, call);
    const setCookie = headers.has('set-cookie');
    if (call.shared) {
      // A stored or shared answer never carries a user's cookie; the caller that asked for it
      // gets it back from call.cookies (never stored, never seen by coalesced callers).
      call.cookies = !setCookie ? [] : headers.getSetCookie?.() ?? [headers.get('set-cookie')];
      headers.delete('set-cookie');
    }
    const entry = {
      status: response.status,
      statusText: response.statusText,
      headers: [...headers],
      body: bytes,
      size: bytes.byteLength + 64,
      setCookie,
      upstreamMs: call.state.upstreamMs,
    };
    if (entry.status >= 500 || entry.status === 429) throw new UpstreamFailure('upstream_status', null, entry);
    // Only a 2xx with content has a body to check (not HEAD, 204 No Content or 205).
    if (call.route.responseValidator && entry.status >= 200 && entry.status < 300 && entry.status !== 204 &&
        entry.status !== 205 && call.method !== 'HEAD') {
      const r = this.#validate(call.route.responseValidator, bytes, 'response', call.state);
      if (!r.valid) throw new UpstreamFailure('invalid_response', null, entry, r.errors);
    }
    return entry;
  }

  async #callUpstream(call) {
    const { request, url, up, state, info, body, method } = call;
    const target = `${up.origin}${url.pathname}${url.search}`;
    const headers = upstreamRequestHeaders(request.headers, info.gateway
      ? { remote: info.remote, url, requestIdHeader: this.config.security.requestIdHeader, requestId: info.requestId }
      : undefined);
    const init = { method, headers, body: body && body.byteLength ? body : null, redirect: 'manual' };
    const trace = state.trace;
    let attempts = 0;
    const attempt = (signal) => {
      recorded(this.#mod._eg_guard_upstream_event(this.handle, up.index, UpstreamEvent.CALL));
      state.attempts++;
      if (trace) return this.#tracedAttempt(trace, target, init, ++attempts, up.timeoutMs, signal);
      return withTimeout((s) => this.#fetch(target, { ...init, signal: s }), up.timeoutMs, signal, this.#timers);
    };
    const waitUntil = info.waitUntil;  // a shared breaker's store calls outlive the request on Workers
    const guarded = up.breaker ? (signal) => up.breaker.execute(attempt, { signal, waitUntil }) : attempt;
    // A fetch that fills the cache is shared (coalesced callers, background revalidation): one
    // client going away must not cancel it. Only a call made for one client follows its signal.
    const signal = call.shared ? undefined : request.signal ?? undefined;
    const retried = up.retry ? () => up.retry.execute((s) => guarded(s), { method, signal }) : () => guarded(signal);
    // The same signal withdraws a call still waiting for a bulkhead slot.
    const limited = up.bulkhead ? () => up.bulkhead.execute(retried, { signal }) : retried;
    const t0 = this.#now();
    try {
      return await limited();
    } catch (error) {
      const kind = error instanceof BrokenCircuitError ? 'circuit_open'
        : error instanceof TimeoutError ? 'timeout'
          : error instanceof BulkheadFullError ? 'bulkhead_full' : 'network';
      const failure = new UpstreamFailure(kind, error);
      failure.upstreamMs = kind === 'circuit_open' || kind === 'bulkhead_full' ? -1 : this.#now() - t0;
      throw failure;
    } finally {
      state.upstreamMs = this.#now() - t0;
    }
  }

  // One attempt with the trace context in its headers, in a CLIENT span when tracing with OpenTelemetry.
  async #tracedAttempt(trace, target, init, n, timeoutMs, signal) {
    const span = trace.attempt(init.headers, init.method, target, n, this.#now());
    let response;
    try {
      response = await trace.run(span,
        () => withTimeout((s) => this.#fetch(target, { ...init, signal: s }), timeoutMs, signal, this.#timers));
    } catch (error) {
      if (span) trace.endAttempt(span, 0, errorType(error), this.#now());
      throw error;
    }
    if (span) trace.endAttempt(span, response.status, undefined, this.#now());
    return response;
  }

  // No cache for this request: the upstream's answer streams through unless it must be checked.
  async #forward(call, detail) {
    const { route, state } = call;
    let entry;
    try {
      if (route.responseValidator) {
        entry = await this.#fetchEntry(call);
      } else {
        const response = await this.#callUpstream(call);
        if (response.status >= 500 || response.status === 429) state.outcome = O.upstream_error;
        // Streamed, so unmeasured: the upstream's Content-Length, read only for someone who reads it.
        if (this.#log || this.#listeners.has('request')) {
          state.bytesOut = call.request.method === 'HEAD' ? 0 : bodyBytes(response, -1) ?? -1;
        }
        const headers = this.#responseHeaders(response.headers, call);
        headers.set('cache-status', this.#cacheStatus(CACHE.bypass, 0, response.status, 0, detail));
        return new (answerClass(response))(call.request.method === 'HEAD' ? null : response.body,
          { status: response.status, statusText: response.statusText, headers });
      }
    } catch (error) {
      if (!(error instanceof UpstreamFailure)) throw error;
      return this.#failed(error, call, CACHE.bypass);
    }
    return this.#render(entry, call, CACHE.bypass, 0, entry.status, 0, detail, true);
  }

  #responseHeaders(headers, call) {
    return clientResponseHeaders(headers,
      call.info.gateway ? { from: call.up.origin, to: call.url.origin, relative: call.shared } : undefined);
  }

  // Nothing stale to serve: the failure's answer (FAILED).
  #failed(failure, call, cacheOutcome) {
    const { state, info } = call;
    const { outcome, problem, detail: why } = FAILED[failure.kind];
    state.outcome = outcome;
    if (failure.errors) state.validationErrors = failure.errors.length;
    if (problem === null) {
      return this.#render(failure.entry, call, cacheOutcome, 0, failure.entry.status, 0, why, true);
    }
    const headers = { 'cache-status': this.#cacheStatus(cacheOutcome, 0, failure.entry?.status ?? 0, 0, why) };
    const retryAfterMs = failure.cause?.retryAfterMs;
    if (failure.kind === 'circuit_open' || failure.kind === 'bulkhead_full') headers['retry-after'] = retryAfter(retryAfterMs ?? 1000);
    const detail = {
      circuit_open: `the circuit to upstream "${call.up.name}" is open and nothing cached can be served`,
      timeout: `upstream "${call.up.name}" did not answer within ${call.up.timeoutMs} ms`,
      network: `upstream "${call.up.name}" could not be reached`,
      invalid_response: `upstream "${call.up.name}" answered with a body that ${failure.reason ?? 'does not match the route\'s response schema'}`,
      bulkhead_full: `too many calls to upstream "${call.up.name}" are in progress`,
    }[failure.kind];
    const extensions = { requestId: info.requestId };
    if (failure.errors) extensions.errors = failure.errors;
    return problemResponse(problem, detail, extensions, headers);
  }

  #cacheStatus(outcome, ttlLeftMs, fwdStatus, stored, detail) {
    return readCString(this.#mod._eg_guard_cache_status(outcome, ttlLeftMs, fwdStatus, stored, detail));
  }

  #render(entry, call, outcome, ageMs, fwdStatus, stored, detail, passThrough = false) {
    const headers = new Headers(entry.headers);
    if (FROM_STORE.has(outcome) && !passThrough) headers.set('age', String(Math.floor(ageMs / 1000)));
    headers.set('cache-status', this.#cacheStatus(outcome, (entry.ttlMs ?? 0) - ageMs, fwdStatus, stored, detail));
    const body = call.request.method === 'HEAD' || entry.status === 204 || entry.status === 304 ? null : bodyOf(entry).slice();
    call.state.bytesOut = body === null ? 0 : body.byteLength;
    return new Response(body, { status: entry.status, statusText: entry.statusText, headers });
  }

  /**
   * Records one answered request (`state`: requestState()) in the core's metrics, tells 'request'
   * listeners and the access log, and ends its trace.
   */
  record(state, start, request, response, requestId) {
    const durationMs = this.#now() - start;
    const { route, outcome, cache } = state;
    recorded(this.#mod._eg_guard_record(this.handle, route, outcome, cache, durationMs, state.upstream, state.upstreamMs));
    if (this.#log || this.#listeners.has('request')) {
      const event = this.#requestEvent(state, start, durationMs, request, response, requestId);
      this.#listeners.emit('request', event);
      this.#log?.write(event);
    }
    if (state.trace) {
      const attributes = { 'edgeguard.outcome': OUTCOMES[outcome], 'edgeguard.request_id': requestId };
      if (cache >= 0) attributes['edgeguard.cache.status'] = CACHE_NAMES[cache];
      state.trace.end(response.status, attributes, OUTCOMES[outcome], start + durationMs);
    }
  }

  #requestEvent(state, start, durationMs, request, response, requestId) {
    const up = state.upstream >= 0 ? this.#upstreams[state.upstream] : null;
    const limit = state.limit;
    const url = request.url;
    const arrived = new Date(start);  // a clock past the year 275760 is no date: null, never a throw
    return {
      time: Number.isNaN(arrived.getTime()) ? null : arrived.toISOString(), requestId, method: request.method, path: new URL(url).pathname, url,
      route: state.route >= 0 ? this.#routes[state.route].name : null, status: response.status,
      outcome: OUTCOMES[state.outcome], cache: state.cache >= 0 ? CACHE_NAMES[state.cache] : null,
      rateLimit: limit && { allowed: limit.allowed, policy: limit.policy, remaining: limit.remaining },
      upstream: up && up.name, attempts: state.attempts, upstreamMs: state.attempts > 0 && state.upstreamMs >= 0 ? state.upstreamMs : null,
      breaker: up?.breaker ? up.breaker.state : null, bytesIn: state.bytesIn, bytesOut: bodyBytes(response, state.bytesOut),
      validationErrors: state.validationErrors, durationMs, traceId: state.trace?.traceId ?? null,
    };
  }

  /** Starts a gateway request's trace (a SERVER span) when the `trace` option is on. */
  startTrace(state, request, url, start) {
    if (this.#tracing) state.trace = this.#tracing(request, url, 'server', start);
  }

  /** Lines the access log's sink refused (it threw or rejected); 0 without a log. */
  get logFailures() {
    return this.#log?.failures ?? 0;
  }

  #refresh() {
    // Each handle is read after the user code a value comes from (a breaker's clock and
    // listeners, a store's stats): it may have disposed this guard.
    for (const up of this.#upstreams) {
      if (!up.breaker) continue;
      const state = STATES.indexOf(up.breaker.state);
      recorded(this.#mod._eg_guard_breaker_state(this.handle, up.index, state));
      if (up.sharedBreaker) {
        const openReports = up.breaker.metrics().shared.openReports;
        recorded(this.#mod._eg_guard_open_reports(this.handle, up.index, openReports));
      }
    }
    let keys = 0;
    for (const r of this.#routes) {
      if (!r.limiter) continue;
      const stats = r.limiter.stats();
      if (!r.global) {
        keys += stats.keys;
        continue;
      }
      // A shared limiter holds leases of keys, and its fallback the keys it answered.
      keys += stats.leases + stats.fallback.keys;
      recorded(this.#mod._eg_guard_limit_fallbacks(this.handle, r.index, stats.fallbackDecisions));
    }
    let entries = this.#cache.size;
    for (const r of this.#routes) {
      if (!r.sharedCache) continue;
      entries += r.sharedCache.size;
      const counts = { ...r.sharedCache.stats().shared, notForEveryone: r.notForEveryone };
      SHARED_CACHE_COUNTS.forEach((name, i) => recorded(this.#mod._eg_guard_shared_cache(this.handle, r.index, i, counts[name])));
    }
    recorded(this.#mod._eg_guard_gauges(this.handle, entries, keys));
    if (this.#store) recorded(readStore(this.#mod, this.#store, () => this.handle));
  }

  /** The health document (application/health+json) as an object; `status` is pass, warn or fail. */
  health() {
    this.#refresh();
    const time = new Date(this.#now()).toISOString();
    return withBytes(`${version}\0${time}`, 4096,
      (ptr, len) => JSON.parse(readCString(this.#mod._eg_guard_health(this.handle, ptr, len))), notUtf8('the health input'));
  }

  /** Prometheus text exposition of every counter, gauge and histogram. */
  metrics() {
    this.#refresh();
    let text = readCString(this.#mod._eg_guard_prometheus(this.handle));
    // The JS layer's own counters, after the core's families.
    const counter = (name, help, value) => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}\n`;
    if (this.#log) {
      text += counter('edgeguard_access_log_failures_total', 'Access log lines its sink refused (threw or rejected).', this.#log.failures);
    }
    if (this.#tracing?.failures !== undefined) {
      text += counter('edgeguard_trace_failures_total',
        'Calls to the OpenTelemetry tracer that threw (the request went on without spans).', this.#tracing.failures);
    }
    return text;
  }

  /** The `fetch` option as read (the global fetch by default). */
  get fetcher() {
    return this.#fetch;
  }

  /** The `clock` option as read (Date.now by default), checked on every read (CLOCK_INVALID). */
  get clock() {
    return this.#read;
  }

  // The pipeline's own readings (durations, freshness, the health time); the policy objects
  // check theirs with their own codes.
  #now() {
    return this.#time.now();
  }

  /** The cache, for invalidation and stats: every route's but those with a shared tier (cacheOf()). */
  get cache() {
    return this.#cache;
  }

  /** The cache holding a route's entries (by its name): its own for a route with cache.shared, else `cache`. */
  cacheOf(routeName) {
    const route = this.#routes.find((r) => r.name === routeName);
    if (!route) throw new EdgeguardError('INVALID_INPUT', `no route is named ${JSON.stringify(String(routeName)).slice(0, 200)}`);
    return route.sharedCache ?? this.#cache;
  }

  dispose() {
    if (this.disposed) return;
    for (const up of this.#upstreams ?? []) {
      up.breaker?.dispose();
      up.retry?.dispose();
      up.bulkhead?.dispose();
    }
    for (const r of this.#routes ?? []) {
      r.requestValidator?.dispose();
      r.queryValidator?.dispose();
      r.responseValidator?.dispose();
      r.limiter?.dispose();
      r.sharedCache?.dispose();
    }
    this.#cache?.dispose();
    super.dispose();
  }
}

// guard.fetch's URL: a path (resolved against its route's upstream later) or an absolute URL.
// `//host/path` and `/\\host/path` are not paths: read as one, the route would see one path and the
// upstream another.
function targetUrl(input) {
  if (typeof input === 'string' && input.startsWith('/')) {
    const given = new URL(input, 'http://relative.invalid');
    if (given.host !== 'relative.invalid') throw new TypeError(`${JSON.stringify(input.slice(0, 40))} names a host, not a path`);
    return { given, relative: true };
  }
  return { given: new URL(input instanceof Request ? input.url : String(input)), relative: false };
}

/**
 * The pipeline for an app's outgoing calls: `guard.fetch(input, init)` applies the route's
 * policies when the URL matches a route (relative URLs resolve against the route's upstream;
 * absolute ones must be under an upstream's origin) and is a plain fetch otherwise.
 * Requires `await init()` first.
 */
export function createGuard(config, options = {}) {
  const pipeline = new Pipeline(config, options);
  const plainFetch = pipeline.fetcher;
  const clock = pipeline.clock;
  const upstreams = pipeline.config.upstreams;
  // The path the routes see is the one under the upstream's origin (which may have a base path),
  // worked out on an upstream's first match.
  const basePaths = [];
  const basePath = (u) => (basePaths[u] ??= new URL(upstreams[u].origin).pathname.replace(/\/$/, ''));
  return {
    async fetch(input, init, options) {
      const requestId = options?.requestId ?? '';
      if (requestId !== '' && !(typeof requestId === 'string' && REQUEST_ID.test(requestId))) {
        throw new EdgeguardError('INVALID_INPUT', `options.requestId is ${describe(requestId)}, not 1 to 200 visible ASCII characters`);
      }
      const start = clock();
      const { given, relative } = readInput('the URL', () => targetUrl(input));
      const upstream = relative ? ANY_UPSTREAM : pipeline.upstreamFor(given);
      const local = new URL(given);
      if (upstream >= 0) local.pathname = given.pathname.slice(basePath(upstream).length) || '/';
      const method = readInput('the method', () => String(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase());
      const route = relative || upstream >= 0 ? pipeline.match(method, local, upstream) : MatchResult.NO_ROUTE;
      if (route < 0 && relative) throw new EdgeguardError('INVALID_INPUT', `no route matches ${method} ${local.pathname}: a relative URL needs one`);
      // The upstream gets the path that was matched, never the text it was parsed from.
      const target = relative ? `${upstreams[pipeline.config.routes[route].upstream].origin}${local.pathname}${local.search}` : input;
      // What fetch itself would refuse (a body on GET, a bad header or signal) is refused here first.
      const request = readInput('the request', () => new Request(target, init));
      if (route < 0) return plainFetch(request);
      return pipeline.serve(request, local, { route, remote: '', start, requestId, headers: [] });
    },
    health: () => pipeline.health(),
    metrics: () => pipeline.metrics(),
    on: (event, listener) => pipeline.on(event, listener),
    off: (event, listener) => pipeline.off(event, listener),
    get cache() {
      return pipeline.cache;
    },
    cacheOf: (routeName) => pipeline.cacheOf(routeName),
    get config() {
      return pipeline.config;
    },
    dispose: () => pipeline.dispose(),
  };
}
