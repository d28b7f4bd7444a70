// `edgeguard/resilience`: the cache, rate limiter, circuit breaker, retry and bulkhead, over a
// wasm module that holds only them (its runtime entries re-export this file).
import { initModule } from './core.js';
import { RESILIENCE } from './modules.js';

/** Loads the resilience module; nothing when a module serving it (`edgeguard`'s) is loaded. */
export function init(options = {}) {
  return initModule(RESILIENCE, options);
}

export { version } from './version.js';
export { EdgeguardError, ConfigError } from './errors.js';
export { CircuitBreaker, BrokenCircuitError, isFailure } from './breaker.js';
export { timeout, TimeoutError } from './timeout.js';
export { RateLimiter, RateLimitError } from './limit.js';
export { Retry, isRetryable } from './retry.js';
export { Bulkhead, BulkheadFullError } from './bulkhead.js';
export { Cache, CacheError } from './cache.js';
export { cachePolicyFromHeaders } from './http-cache.js';
