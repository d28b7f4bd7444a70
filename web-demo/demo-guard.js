// The guard the page puts in front of the demo backend: edgeguard's createGuard with a config
// built from the settings panels. A panel change builds a new guard from the new config; the
// cache's entries move over (with their ages) unless its policy or size changed.

/** The dashboard's settings ({ cache, rateLimit, breaker }) as an edgeguard config. */
export function guardConfig({ cache, rateLimit, breaker }, backendUrl, schema) {
  const limit = {
    key: 'route',
    policies: [{ name: 'demo', limit: rateLimit.limit, windowMs: rateLimit.windowMs, algorithm: rateLimit.algorithm }],
  };
  return {
    service: 'edgeguard-demo',
    upstreams: {
      backend: {
        origin: backendUrl,
        timeoutMs: breaker.timeoutMs,
        retry: false,
        breaker: {
          window: { type: 'count', size: breaker.windowSize }, minimumCalls: breaker.minimumCalls,
          failureRateThreshold: breaker.failureRateThreshold, openMs: breaker.openMs, halfOpenCalls: breaker.halfOpenCalls,
        },
      },
    },
    routes: [
      {
        name: 'product', method: 'GET', path: '/api/products/:id', upstream: 'backend', rateLimit: limit,
        // The panel's lifetimes, not the backend's Cache-Control: the viewer is in charge.
        cache: { ttlMs: cache.ttlMs, staleWhileRevalidateMs: cache.swrMs, staleIfErrorMs: cache.sieMs, respectOrigin: false },
      },
      { name: 'order', method: 'POST', path: '/api/orders', upstream: 'backend', rateLimit: limit, validate: { request: schema } },
    ],
  };
}

/**
 * `fetch(path, init)` calls the backend through the guard; `configure(section, values)` and
 * `setSchema(schema)` apply a panel; `onBreaker(state)` hears every breaker transition.
 */
export function createDemoGuard(edgeguard, initial, { backendUrl, clock, schema, onBreaker }) {
  const settings = structuredClone(initial);
  let orderSchema = schema;
  let breakerState = 'closed';
  // Each request goes with an id of the page's; the guard's `request` event names it, with the
  // calls it made to the backend. An entry lives while its request does.
  let ids = 0;
  const waiting = new Map();
  // The guard is the cache: the browser's own HTTP cache would answer for a backend that is down.
  const upstreamFetch = (input, init) => fetch(input, { ...init, cache: 'no-store' });
  const make = () => {
    const guard = edgeguard.createGuard(guardConfig(settings, backendUrl, orderSchema), {
      clock, cache: { maxEntries: settings.cache.maxEntries, policy: settings.cache.policy }, fetch: upstreamFetch,
    });
    guard.on('request', ({ requestId, attempts }) => {
      const counter = waiting.get(requestId);
      if (counter) counter.attempts = attempts;
    });
    guard.on('stateChange', ({ to }) => {
      breakerState = to;
      onBreaker(to);
    });
    return guard;
  };
  let guard = make();

  // Builds the next guard before dropping the old one, so refused settings change nothing.
  function rebuild(keepCache) {
    const next = make();
    try {
      if (keepCache) next.cache.restore(guard.cache.snapshot());
    } catch (error) {
      next.dispose();  // a failed move keeps the guard (and the cache) there was
      throw error;
    }
    guard.dispose();
    guard = next;
    breakerState = 'closed';
    onBreaker(breakerState);
  }

  return {
    get breakerState() {
      return breakerState;
    },
    /** guard.fetch; `counter.attempts` counts the calls to the backend made for this request. */
    async fetch(path, init = {}, counter = { attempts: 0 }) {
      const requestId = `page-${++ids}`;
      waiting.set(requestId, counter);
      try {
        return await guard.fetch(path, init, { requestId });
      } finally {
        waiting.delete(requestId);
      }
    },
    /** The guard's health document and Prometheus text (since the last rebuild). */
    health: () => guard.health(),
    metrics: () => guard.metrics(),
    configure(section, values) {
      // A form reports a change when an input loses focus, even if nothing changed.
      if (JSON.stringify(values) === JSON.stringify(settings[section])) return;
      const before = settings[section];
      settings[section] = { ...values };
      const keepCache = section !== 'cache' ||
        (values.policy === before.policy && values.maxEntries === before.maxEntries);
      try {
        rebuild(keepCache);
      } catch (error) {
        settings[section] = before;
        throw error;
      }
    },
    setSchema(next) {
      const before = orderSchema;
      orderSchema = next;
      try {
        rebuild(true);
      } catch (error) {
        orderSchema = before;
        throw error;
      }
    },
    dispose: () => guard.dispose(),
  };
}
