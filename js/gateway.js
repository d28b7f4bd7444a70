// createGateway(config): the pipeline as a deployable fetch handler, the default export of a
// Cloudflare Worker, a Deno.serve / Vercel Edge handler, or a Node handler through
// @hono/node-server. Around js/guard.js's pipeline it adds the HTTP edge: request ids, health and
// metrics endpoints, CORS (preflight answers and response fields), routing answers (404/405)
// and security response headers.
import { init, module } from './core.js';
import { ConfigError, EdgeguardError, reportError } from './errors.js';
import { Pipeline, O, REQUEST_ID, isClientFault, requestState } from './guard.js';
import { MatchResult } from './seam/guard.js';
import { PROBLEMS, problemResponse } from './problem.js';
import { functionOption } from './resilience.js';
import { resolveStore } from './guard-store.js';
import { logOption } from './access-log.js';
import { traceOption } from './otel.js';

// An encoded slash or backslash routes as one segment here but may be decoded into two by the
// upstream, which would then serve a path the gateway never matched (and never applied policy to).
const ENCODED_SEPARATOR = /%2f|%5c/i;

// crypto.randomUUID where the runtime has it (Workers, Deno, browsers, Node 19+); Node 18 keeps
// webcrypto off the global object, so a per-gateway prefix and a counter stand in there.
function requestIds() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return () => globalThis.crypto.randomUUID();
  let prefix = '';
  let n = 0;
  return () => {
    prefix ||= Math.floor(Math.random() * 2 ** 48).toString(36);  // drawn on first use, never at load
    return `${prefix}-${(++n).toString(36)}`;
  };
}

// The id goes into a header of every answer, which must not fail for it: an id the option does
// not give (a throw, or not 1-200 visible ASCII characters) is reported and a generated one used.
// Arguments go to the option (Express's passes the request).
export function requestIdOption(given) {
  const generated = requestIds();
  if (!given) return generated;
  return (...args) => {
    try {
      const id = given(...args);
      if (typeof id === 'string' && REQUEST_ID.test(id)) return id;
      reportError(new ConfigError('CONFIG_INVALID', `option requestId gave ${typeof id === 'string'
        ? `${id.length} characters, not 1 to 200 visible ASCII ones` : `a ${typeof id}, not a string`}`, { option: 'requestId' }));
    } catch (error) {
      reportError(error);
    }
    return generated();
  };
}

function ready() {
  try {
    module();
    return true;
  } catch {
    return false;
  }
}

// The peer address, where the runtime tells it: @hono/node-server passes { incoming }, Deno.serve
// passes { remoteAddr }, Bun.serve passes its server (whose requestIP() takes Bun's own request).
// Workers have none (CF-Connecting-IP is the source there).
function remoteAddress(request, env) {
  return env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname ??
    (typeof env?.requestIP === 'function' ? env.requestIP(request)?.address : undefined) ?? '';
}

/**
 * Returns `{ fetch(request, env, ctx), ready(), health(), metrics(), on(event, listener) }`.
 * The wasm is loaded and the config checked on the first request (edge runtimes forbid that
 * work at module scope), or at once when `init()` has completed; `ready()` does it on demand and
 * rejects with the ConfigError of a bad config. `options`: `{ fetch, clock, timers, cache,
 * requestId: () => string, init: options for init() (e.g. { module }), store }`: `store` is a
 * Store, or a function from the runtime's env to one (a Worker's bindings come with each request):
 * then the gateway is built on the first request, calling it once with that request's env.
 */
export function createGateway(config, options = {}) {
  // A bad clock, log or trace option is a ConfigError here, not at the first request.
  functionOption(options, 'clock', Date.now);
  logOption(options.log);
  traceOption(options.trace);
  const newRequestId = requestIdOption(functionOption(options, 'requestId', undefined));
  const pending = [];  // listeners added before the pipeline exists
  let pipeline = null;
  let building = null;
  let failure = null;

  const storeFromEnv = typeof options.store === 'function';
  const make = (env) => {
    if (failure) throw failure;  // disposed while init() was loading
    pipeline = new Pipeline(config, storeFromEnv ? { ...options, store: resolveStore(options.store, env) } : options);
    for (const [event, listener] of pending) pipeline.on(event, listener);
    return pipeline;
  };
  const ensure = (env) => {
    if (pipeline) return Promise.resolve(pipeline);
    if (failure) return Promise.reject(failure);
    if (storeFromEnv && env === undefined) {
      return Promise.reject(new EdgeguardError('NOT_READY',
        'the gateway is built on its first request, whose env its store option needs: call ready(env) first'));
    }
    building ??= init(options.init ?? {}).then(() => make(env)).catch((error) => {
      building = null;
      reportError(error);  // clients are answered with its message alone: the operator gets all of it
      if (error?.code === 'CONFIG_INVALID') failure = error;  // a bad config stays bad; a failed load may be retried
      throw error;
    });
    return building;
  };
  if (!storeFromEnv && ready()) make();  // throws ConfigError here, where the caller can see it

  async function handle(request, env, ctx, next) {
    let p = pipeline;
    try {
      p ??= await ensure(env ?? null);  // built: no promise to wait for
    } catch (error) {
      return problemResponse(PROBLEMS.misconfigured, error instanceof EdgeguardError ? error.message : 'the gateway could not start',
        { requestId: newRequestId() });
    }
    if (typeof request?.url !== 'string' || typeof request.headers?.get !== 'function') {
      reportError(new TypeError('the gateway was called without a Request'));
      return problemResponse(PROBLEMS.internal, 'the gateway was called without a request', { requestId: newRequestId() });
    }
    const sec = p.config.security;
    const incoming = sec.trustRequestId ? request.headers.get(sec.requestIdHeader) : null;
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId();
    let start = NaN;
    const state = requestState();
    const answer = (route, outcome, response) => {
      p.record(refused(state, route, outcome), start, request, response, requestId);
      return finish(p, request, response, requestId);
    };
    try {
      start = p.clock();
      const url = new URL(request.url);
      return await dispatch(p, request, env, ctx, next, { url, start, requestId, answer, state });
    } catch (error) {
      // Whatever failed (the core, the clock, health, metrics, a listener), the client gets an
      // answer, never a rejection; a failure to record it must not take the answer away.
      const refusal = clientProblem(error);
      const response = refusal
        ? problemResponse(refusal.problem, error.message, { requestId })
        : problemResponse(PROBLEMS.internal, 'the gateway failed to handle the request', { requestId });
      if (!refusal) reportError(error);
      try {
        return answer(-1, refusal ? refusal.outcome : O.upstream_error, response);
      } catch (recordError) {
        reportError(recordError);
        return finish(p, request, response, requestId);
      }
    }
  }

  async function dispatch(p, request, env, ctx, next, { url, start, requestId, answer, state }) {
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (p.config.healthPath && url.pathname === p.config.healthPath) {
        const doc = p.health();
        return finish(p, request, new Response(request.method === 'HEAD' ? null : JSON.stringify(doc), {
          status: doc.status === 'fail' ? 503 : 200,
          headers: { 'content-type': 'application/health+json', 'cache-control': 'no-store' },
        }), requestId);
      }
      if (p.config.metricsPath && url.pathname === p.config.metricsPath) {
        return finish(p, request, new Response(request.method === 'HEAD' ? null : p.metrics(), {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
        }), requestId);
      }
    }
    const cors = p.config.security.cors;
    if (cors && request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      p.startTrace(state, request, url, start);
      if (!corsOrigin(cors, request)) {
        return answer(-1, O.preflight, problemResponse(PROBLEMS.forbiddenOrigin,
          `origin ${JSON.stringify(request.headers.get('origin') ?? '')} is not allowed`, { requestId }));
      }
      const headers = {
        'access-control-allow-methods': cors.methods,
        'access-control-allow-headers': cors.headers,
        'access-control-max-age': String(cors.maxAgeSeconds),
      };
      return answer(-1, O.preflight, new Response(null, { status: 204, headers }));
    }
    const route = p.match(request.method, url);
    if (route < 0 && next) return next();
    p.startTrace(state, request, url, start);
    if (route >= 0 && ENCODED_SEPARATOR.test(url.pathname)) {
      return answer(route, O.invalid_request, problemResponse(PROBLEMS.malformedRequest,
        'the path has an encoded "/" or "\\", which the gateway does not forward', { requestId }));
    }
    if (route < 0) {
      const notFound = route === MatchResult.NO_ROUTE;
      return answer(-1, notFound ? O.not_found : O.method_not_allowed, problemResponse(
        notFound ? PROBLEMS.notFound : PROBLEMS.methodNotAllowed,
        notFound ? `no route matches ${url.pathname}` : `${request.method} is not allowed on ${url.pathname}`,
        { requestId }));
    }
    // Workers pass ctx third; Vercel Edge passes its context (with waitUntil) second.
    const host = typeof ctx?.waitUntil === 'function' ? ctx : typeof env?.waitUntil === 'function' ? env : undefined;
    const waitUntil = host ? (promise) => host.waitUntil(promise) : undefined;
    let response;
    try {
      response = await p.serve(request, url,
        { route, remote: remoteAddress(request, env), waitUntil, requestId, start, headers: [], gateway: true, state });
    } catch (error) {
      if (isClientFault(error)) throw error;
      response = problemResponse(PROBLEMS.internal, 'the gateway failed to handle the request', { requestId });
      p.record(refused(state, route, O.upstream_error), start, request, response, requestId);
      reportError(error);
    }
    return finish(p, request, response, requestId);
  }

  return {
    fetch: (request, env, ctx) => handle(request, env, ctx),
    /** As fetch, but a request no route matches goes to `next()` (middleware) instead of a 404. */
    handle,
    /** Builds the gateway now; `env` is what a store given as a function is called with. */
    ready: (env) => ensure(env),
    /** The response cache once the gateway is ready (keys are `GET /path?sorted=query`, then vary and user lines). */
    get cache() {
      return pipeline?.cache;
    },
    cacheOf(routeName) {
      if (!pipeline) throw new EdgeguardError('NOT_READY', 'the gateway is not built yet: await ready() first');
      return pipeline.cacheOf(routeName);
    },
    health: async () => (await ensure()).health(),
    metrics: async () => (await ensure()).metrics(),
    /**
     * Frees what the gateway holds (its wasm objects, its caches' store subscriptions and
     * timers); later requests are answered 500 and ready() rejects with DISPOSED.
     */
    dispose() {
      failure = new EdgeguardError('DISPOSED', 'the gateway was disposed');
      pipeline?.dispose();
      pipeline = null;
      building = null;
    },
    on(event, listener) {
      if (pipeline) return pipeline.on(event, listener);
      pending.push([event, listener]);
      return () => {
        pipeline?.off(event, listener);
        const i = pending.findIndex(([e, l]) => e === event && l === listener);
        if (i >= 0) pending.splice(i, 1);
      };
    },
  };
}

// An answer the pipeline did not complete: metrics count it under `route` alone (no cache, no
// upstream call); what was learnt before (bytes, validation, trace) stays for the log.
function refused(state, route, outcome) {
  state.route = route;
  state.outcome = outcome;
  state.cache = -1;
  state.upstream = -1;
  state.upstreamMs = -1;
  return state;
}

// The client's fault (a request part over its limit, one that cannot be read) as its 4xx
// problem and outcome; null for the gateway's own failures.
function clientProblem(error) {
  if (!isClientFault(error)) return null;
  if (error.code === 'INVALID_INPUT') return { problem: PROBLEMS.malformedRequest, outcome: O.invalid_request };
  const uri = error.part === 'path' || error.part === 'query';
  return { problem: uri ? PROBLEMS.uriTooLong : PROBLEMS.headersTooLarge, outcome: O.too_large };
}

function corsOrigin(cors, request) {
  const origin = request.headers.get('origin');
  if (!origin) return null;
  if (cors.anyOrigin) return cors.credentials ? origin : '*';
  return cors.origins.includes(origin) ? origin : null;
}

// Response fields every answer gets: the request id, security headers, CORS for allowed origins.
function finish(p, request, response, requestId) {
  const headers = response.headers;  // every answer here is a Response the gateway built: mutable
  const sec = p.config.security;
  headers.set(sec.requestIdHeader, requestId);
  for (const [name, value] of sec.headers) if (!headers.has(name)) headers.set(name, value);
  const cors = sec.cors;
  const origin = cors && corsOrigin(cors, request);
  if (origin) {
    headers.set('access-control-allow-origin', origin);
    if (origin !== '*') headers.append('vary', 'Origin');
    if (cors.credentials) headers.set('access-control-allow-credentials', 'true');
    if (cors.exposeHeaders) headers.set('access-control-expose-headers', cors.exposeHeaders);
  }
  return response;
}
