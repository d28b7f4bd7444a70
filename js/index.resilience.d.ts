// `edgeguard/resilience`: the same classes as `edgeguard`'s, over the resilience wasm module.
import type { InitOptions } from './core.js';

export { InitOptions };
/**
 * Loads the resilience wasm module once (idempotent); nothing when `edgeguard`'s whole module is
 * loaded already. Everything else here needs it to have resolved.
 */
export function init(options?: InitOptions): Promise<void>;
export const version: string;
export { EdgeguardError, ConfigError } from './errors.js';
export { RateLimiter, RateLimitError, RateLimiterOptions, RateLimitPolicy, RateLimitResult, RateLimiterStats, SharedRateLimiterOptions, SharedRateLimiterStats } from './limit.js';
export { CircuitBreaker, BrokenCircuitError, isFailure, CircuitBreakerOptions, CircuitBreakerMetrics, CircuitBreakerEvents, CircuitBreakerSnapshot, CircuitState, BreakerShareOptions, SharedBreakerView } from './breaker.js';
export { timeout, TimeoutError, TimeoutOptions, Timers } from './timeout.js';
export { Retry, isRetryable, RetryOptions, RetryExecuteOptions, RetryEvents, Jitter } from './retry.js';
export { Bulkhead, BulkheadFullError, BulkheadOptions } from './bulkhead.js';
export { Cache, CacheError, CacheOptions, SharedCacheOptions, SharedCacheStats, CachePolicy, EntryOptions, CacheHit, FetchContext, GetOrFetchOptions, FetchResult, CacheEvent, CacheStats, CacheSnapshot, EvictionReason } from './cache.js';
export { cachePolicyFromHeaders, HttpCachePolicy, HttpCachePolicyOptions, HeadersLike, NotStorableReason } from './http-cache.js';
