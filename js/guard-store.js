// The pipeline's shared store: the `store` option checked (a Store, or on the gateway a function
// of the runtime's env), what a global route's limiter and a shared breaker are given to use it,
// and the store's numbers read into the core's health and metrics.
import { ConfigError } from './errors.js';
import { STATES } from './breaker.js';
import { checkStore } from './store/store-option.js';
import { RESPONSE_FORMAT } from './shared-response.js';

// What every Store has (store.d.ts); publish and subscribe are optional.
const STORE_METHODS = ['key', 'evalScript', 'get', 'set', 'delete', 'stats'];
const DEFAULT_PREFIX = 'gw:';
// The longest names RateLimiter and a breaker's share take.
const MAX_LIMITER_NAME = 64;
const MAX_BREAKER_NAME = 200;

/** `options.store` as given: a Store, or undefined for none. Anything else is a ConfigError. */
export function storeOption(options) {
  return options.store === undefined ? undefined : checkStore(options.store, STORE_METHODS);
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
    // Its message stays out of the text: a client is answered with it, and a store's error may
    // name a connection string with its password. The operator gets it as the cause, reported.
    throw new ConfigError('CONFIG_INVALID', 'option store(env) threw (reported, as this error\'s cause)',
      { option: 'store', cause: error });
  }
}

// The name a global route's limiter or a shared breaker has in the store, the same on every
// instance of this config: the prefix and the config's name where that is short printable ASCII
// (a route's name is its path by default), else the prefix, '#' and a hash of the name.
function sharedName(storeConfig, name, maxLength) {
  const prefix = storeConfig?.prefix ?? DEFAULT_PREFIX;
  const readable = `${prefix}${name}`;
  return /^[\x21-\x7a|~]*$/.test(name) && readable.length <= maxLength ? readable : `${prefix}#${fnv1a(name)}`;
}

// 64-bit FNV-1a of the name's UTF-16 code units, as hex: stable across instances and runtimes.
function fnv1a(text) {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** A global route's RateLimiter options, besides its policies: the store and the config's store section. */
export function sharedLimitOptions(store, storeConfig, routeName, timers) {
  const options = { store, name: sharedName(storeConfig, routeName, MAX_LIMITER_NAME), timers };
  for (const name of ['mode', 'onStoreError', 'expectedInstances', 'deadlineMs', 'lease']) {
    if (storeConfig?.[name] !== undefined) options[name] = storeConfig[name];
  }
  return options;
}

/** A shared breaker's options: its share is named after the upstream, so every instance meets under one key. */
export function sharedBreakerOptions(store, storeConfig, upstreamName, share) {
  const name = sharedName(storeConfig, upstreamName, MAX_BREAKER_NAME);
  const deadlineMs = storeConfig?.deadlineMs;
  return { store, share: deadlineMs === undefined ? { name, ...share } : { name, deadlineMs, ...share } };
}

/**
 * A shared route's Cache options for its tier: the store, and sharedOptions from the config's
 * store section (deadlineMs, then its cache options) under the route's own. The tier's name comes
 * from the prefix and the route's name (its path by default), the same on every instance, hashed
 * (a tier's name has no ':', which prefixes and paths may), with the entry format's version in it:
 * instances of another format never read these entries. The upstream's origin is in the hash as
 * well: a gateway of another configuration on one store (the default prefix) whose route of that
 * name goes elsewhere never serves this route's answers.
 */
export function sharedCacheOptions(store, storeConfig, routeName, routeShared, origin) {
  const prefix = storeConfig?.prefix ?? DEFAULT_PREFIX;
  const deadline = storeConfig?.deadlineMs === undefined ? {} : { deadlineMs: storeConfig.deadlineMs };
  const name = `gw-response${RESPONSE_FORMAT}#${fnv1a(`${prefix}\0${routeName}\0${origin}`)}`;
  return { shared: store, sharedOptions: { ...deadline, ...storeConfig?.cache, ...routeShared, name } };
}

/**
 * Reads the store's stats() into the core (eg_guard_store_reading), for its health and metrics. A
 * breaker state the core does not know leaves the reading out (no store check is made up).
 */
export function readStore(mod, store, handleOf) {
  const s = store.stats();
  const handle = handleOf();  // after stats(), which may have disposed the gateway
  const ms = s.latencyMs;
  return mod._eg_guard_store_reading(handle, STATES.indexOf(s.breaker) >>> 0, s.ok, s.timeouts, s.unavailable,
    s.errors, s.refused, s.late, ms.p50, ms.p90, ms.p99, ms.max);
}
