// The guard the page puts in front of the demo backend, composed from edgeguard's parts in the
// order the gateway uses: rate limit -> request validation -> cache -> circuit breaker ->
// upstream. Every answer is a Response carrying what the parts decided: RateLimit headers,
// Cache-Status (RFC 9211) and problem details (RFC 9457) for refusals.
const PROBLEM = 'application/problem+json';

export const ROUTES = Object.freeze({
  product: { method: 'GET', pattern: /^\/api\/products\/\d+$/, cached: true },
  order: { method: 'POST', pattern: /^\/api\/orders$/, cached: false },
});

function routeOf(method, path) {
  return Object.entries(ROUTES).find(([, r]) => r.method === method && r.pattern.test(path))?.[0];
}

function problem(status, type, title, extra = {}, headers = {}) {
  return new Response(JSON.stringify({ type: `https://edgeguard.dev/problems/${type}`, title, status, ...extra }),
    { status, headers: { 'content-type': PROBLEM, ...headers } });
}

class UpstreamStatusError extends Error {
  constructor(status) {
    super(`the backend answered ${status}`);
    this.status = status;
  }
}

/** `ttl` in seconds for Cache-Status: negative once the entry is past its freshness. */
function cacheStatus(status, ageMs, ttlMs) {
  const ttl = Math.floor((ttlMs - ageMs) / 1000);
  switch (status) {
    case 'hit': return `edgeguard; hit; ttl=${ttl}`;
    case 'coalesced': return `edgeguard; hit; ttl=${ttl}; detail=coalesced`;
    case 'stale': return `edgeguard; hit; ttl=${ttl}; detail=stale-while-revalidate`;
    case 'stale-if-error': return `edgeguard; fwd=stale; ttl=${ttl}; detail=stale-if-error`;
    default: return 'edgeguard; fwd=miss; stored';
  }
}

// Each part as the settings panels describe it.
const BUILDERS = {
  rateLimit: (eg, s, clock) => new eg.RateLimiter({
    policies: [{ name: 'demo', limit: s.limit, windowMs: s.windowMs, algorithm: s.algorithm }], clock, headers: 'draft',
  }),
  cache: (eg, s, clock) => new eg.Cache({ maxEntries: s.maxEntries, policy: s.policy, clock }),
  breaker: (eg, s, clock) => new eg.CircuitBreaker({
    window: { type: 'count', size: s.windowSize }, minimumCalls: s.minimumCalls,
    failureRateThreshold: s.failureRateThreshold, openMs: s.openMs, halfOpenCalls: s.halfOpenCalls,
    timeoutMs: s.timeoutMs, clock,
  }),
};

/**
 * A guard over the parts in `eg` (the edgeguard module) with the dashboard's `settings`
 * ({ cache, rateLimit, breaker }) and the orders `schema`. `fetch(path, init)` calls
 * `${backendUrl}${path}` through it; `configure(section, values)` applies a panel's settings;
 * `onBreaker(state)` hears every breaker transition.
 */
export function createPipeline(eg, initial, { backendUrl, clock, schema, validatorOptions, onBreaker }) {
  const settings = structuredClone(initial);
  const parts = {};
  const watch = (breaker) => breaker.on('stateChange', ({ to }) => onBreaker(to));
  for (const [section, build] of Object.entries(BUILDERS)) parts[section] = build(eg, settings[section], clock);
  parts.validator = new eg.Validator(schema, validatorOptions);
  watch(parts.breaker);

  // Built before the old part is dropped, so refused settings leave the guard as it was.
  function replace(name, next) {
    parts[name].dispose();
    parts[name] = next;
  }

  async function upstream(path, init) {
    // The guard is the cache: the browser's own HTTP cache would answer for a backend that is down.
    return parts.breaker.execute((signal) => fetch(`${backendUrl}${path}`, { ...init, cache: 'no-store', signal }));
  }

  async function cachedGet(path, init) {
    const { ttlMs, swrMs, sieMs } = settings.cache;
    const result = await parts.cache.getOrFetch(path, async () => {
      const res = await upstream(path, init);
      if (!res.ok) throw new UpstreamStatusError(res.status);
      return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
    }, { ttlMs, staleWhileRevalidateMs: swrMs, staleIfErrorMs: sieMs });
    const { value, status, ageMs } = result;
    return new Response(value.body, {
      status: value.status,
      headers: {
        'content-type': value.type, age: String(Math.floor(ageMs / 1000)),
        'cache-status': cacheStatus(status, ageMs, ttlMs),
      },
    });
  }

  async function guarded(method, path, init) {
    const route = routeOf(method, path);
    if (route === undefined) return problem(404, 'no-route', `no route for ${method} ${path}`);
    const limit = parts.rateLimit.check('demo-client');
    if (!limit.allowed) {
      const after = Math.ceil(limit.retryAfterMs / 1000);
      return problem(429, 'rate-limited', 'Too many requests',
        { detail: `over policy "${limit.policy}"; retry in ${after} s` }, { ...limit.headers, 'retry-after': String(after) });
    }
    if (route === 'order') {
      const verdict = parts.validator.validate(init.body ?? '');
      if (!verdict.valid) {
        return problem(400, 'invalid-payload', 'The payload does not match its schema',
          { errors: verdict.errors, warnings: verdict.warnings }, limit.headers);
      }
    }
    const { cached } = ROUTES[route];
    const res = cached ? await cachedGet(path, init) : await upstream(path, init);
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(limit.headers)) headers.set(k, v);
    if (!cached) headers.set('cache-status', 'edgeguard; fwd=uri-miss');
    return new Response(res.body, { status: res.status, headers });
  }

  return {
    get breakerState() {
      return parts.breaker.state;
    },
    configure(section, values) {
      // A form reports a change when an input loses focus, even if nothing changed.
      if (JSON.stringify(values) === JSON.stringify(settings[section])) return;
      const cacheKept = section === 'cache' && values.policy === settings.cache.policy &&
        values.maxEntries === settings.cache.maxEntries;
      // TTL, SWR and SIE go with each call: changing them keeps the cached entries.
      if (!cacheKept) {
        const next = BUILDERS[section](eg, values, clock);
        replace(section, next);
        if (section === 'breaker') {
          watch(next);
          onBreaker(next.state);
        }
      }
      settings[section] = { ...values };
    },
    setSchema(next) {
      replace('validator', new eg.Validator(next, validatorOptions));
    },
    async fetch(path, init = {}) {
      const method = (init.method ?? 'GET').toUpperCase();
      try {
        return await guarded(method, path, init);
      } catch (error) {
        if (error?.code === 'CIRCUIT_OPEN') {
          const after = Math.ceil((error.retryAfterMs ?? 1000) / 1000);
          return problem(503, 'circuit-open', 'The backend is failing; calls are paused',
            { detail: error.message }, { 'retry-after': String(after) });
        }
        if (error?.code === 'TIMEOUT') return problem(504, 'timeout', 'The backend did not answer in time');
        const status = error instanceof UpstreamStatusError ? error.status : 502;
        return problem(status >= 500 ? status : 502, 'upstream-error', 'The backend failed', { detail: String(error?.message ?? error) });
      }
    },
    dispose() {
      for (const part of Object.values(parts)) part.dispose();
    },
  };
}
