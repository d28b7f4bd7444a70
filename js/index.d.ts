export { init, InitOptions } from './core.js';
export { EdgeguardError, PayloadError, PayloadErrorCode, ConfigError } from './errors.js';
export { Json, JsonCheckResult, PayloadInput, PayloadLimits } from './json.js';
export const version: string;
export { RateLimiter, RateLimitError, RateLimiterOptions, RateLimitPolicy, RateLimitResult, RateLimiterStats, SharedRateLimiterOptions, SharedRateLimiterStats } from './limit.js';
export { Validator, SchemaError, Schema, ValidatorOptions, ValidationError, ValidationResult } from './validator.js';
export { SchemaRegistry, StoredSchema } from './schema-registry.js';
export { CircuitBreaker, BrokenCircuitError, isFailure, CircuitBreakerOptions, CircuitBreakerMetrics, CircuitBreakerEvents, CircuitBreakerSnapshot, CircuitState, BreakerShareOptions, SharedBreakerView } from './breaker.js';
export { timeout, TimeoutError, TimeoutOptions, Timers } from './timeout.js';
export { Retry, isRetryable, RetryOptions, RetryExecuteOptions, RetryEvents, Jitter } from './retry.js';
export { Bulkhead, BulkheadFullError, BulkheadOptions } from './bulkhead.js';
export { Cache, CacheError, CacheOptions, SharedCacheOptions, SharedCacheStats, CachePolicy, EntryOptions, CacheHit, FetchContext, GetOrFetchOptions, FetchResult, CacheEvent, CacheStats, CacheSnapshot, EvictionReason } from './cache.js';
export { cachePolicyFromHeaders, HttpCachePolicy, HttpCachePolicyOptions, HeadersLike, NotStorableReason } from './http-cache.js';
export { createGuard, Guard, GatewayConfig, GuardOptions, HealthDocument, RequestEvent, StoreConfig, SharedRouteCacheOptions,
  AccessLogOptions, TraceOptions, OpenTelemetryApi, OpenTelemetryTracer } from './guard.js';
export { createGateway, Gateway, GatewayOptions } from './gateway.js';
