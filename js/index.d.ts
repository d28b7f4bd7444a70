export { init, InitOptions } from './core.js';
export { EdgeguardError, PayloadError, PayloadErrorCode, ConfigError } from './errors.js';
export { Json, JsonCheckResult, PayloadInput, PayloadLimits } from './json.js';
export const version: string;
export { RateLimiter, RateLimitError, RateLimiterOptions, RateLimitPolicy, RateLimitResult, RateLimiterStats } from './limit.js';
