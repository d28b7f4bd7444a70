// The pipeline's shared store: the `store` option checked (a Store, or on the gateway a function
// of the runtime's env), what a global route's limiter and a shared breaker are given to use it,
// and the store's numbers read into the core's health and metrics.
import { ConfigError, describe } from './errors.js';
import { STATES } from './breaker.js';

// What every Store has (store.d.ts); publish and subscribe are optional.
const STORE_METHODS = ['key', 'evalScript', 'get', 'set', 'delete', 'stats'];
const DEFAULT_PREFIX = 'gw:';

/** `options.store` as given: a Store, or undefined for none. Anything else is a ConfigError. */
export function storeOption(options) {
  const store = options.store;
  if (store === undefined) return undefined;
  const missing = store !== null && typeof store === 'object'
    ? STORE_METHODS.filter((name) => typeof store[name] !== 'function') : STORE_METHODS;
  if (missing.length > 0) {
    throw new ConfigError('CONFIG_INVALID', `option store must be a Store (store.d.ts); ${describe(store)} has no ${missing.join(', ')}`,
      { option: 'store' });
  }
  return store;
}

/**
 * The gateway's `store` option for this runtime's `env`: a function (a Worker's binding exists
 * only per request) is called once, with the first request's env; a Store is kept as it is.
 */
export function resolveStore(given, env) {
  if (typeof given !== 'function') return given;
  try {
    return given(env);
  } catch (error) {
    throw new ConfigError('CONFIG_INVALID', `option store(env) threw: ${describe(error?.message ?? error)}`,
      { option: 'store', cause: error });
  }
}

// One gateway's keys in the store: the prefix, then the route or upstream name, length first so
// that no name and key can be read as another pair ("a:b" + "c" against "a" + "b:c").
function namespace(storeConfig, kind, name) {
  return `${storeConfig?.prefix ?? DEFAULT_PREFIX}${kind}${name.length}:${name}:`;
}

/** A global route's RateLimiter options, besides its policies: the store and the config's store section. */
export function sharedLimitOptions(store, storeConfig, routeName) {
  const options = { store, keyPrefix: namespace(storeConfig, 'r', routeName) };
  for (const name of ['mode', 'onStoreError', 'expectedInstances']) {
    if (storeConfig?.[name] !== undefined) options[name] = storeConfig[name];
  }
  return options;
}

/** A shared breaker's options: its share names the upstream, so every instance meets under one key. */
export function sharedBreakerOptions(store, storeConfig, upstreamName, share) {
  return { store, share: { name: namespace(storeConfig, 'u', upstreamName), ...share } };
}

/**
 * Reads the store's stats() into the core (eg_guard_store_reading), for its health and metrics. A
 * breaker state the core does not know leaves the reading out (no store check is made up).
 */
export function readStore(mod, handle, store) {
  const s = store.stats();
  const ms = s.latencyMs;
  return mod._eg_guard_store_reading(handle, STATES.indexOf(s.breaker) >>> 0, s.ok, s.timeouts, s.unavailable,
    s.errors, s.refused, s.late, ms.p50, ms.p90, ms.p99, ms.max);
}
