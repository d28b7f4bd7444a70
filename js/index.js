// The public API: one line per class or function (runtime entries re-export this file).
export { init } from './core.js';
export { version } from './version.js';
export { EdgeguardError, PayloadError, ConfigError } from './errors.js';
export { Json } from './json.js';
export { CircuitBreaker, BrokenCircuitError, isFailure } from './breaker.js';
export { timeout, TimeoutError } from './timeout.js';
export { RateLimiter, RateLimitError } from './limit.js';
export { Retry, isRetryable } from './retry.js';
export { Bulkhead, BulkheadFullError } from './bulkhead.js';
export { Validator, SchemaError } from './validator.js';
export { SchemaRegistry } from './schema-registry.js';
export { Cache, CacheError } from './cache.js';
export { cachePolicyFromHeaders } from './http-cache.js';
export { createGuard } from './guard.js';
export { createGateway } from './gateway.js';
