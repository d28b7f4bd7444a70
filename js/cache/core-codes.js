// The numbers the cache core and js/cache.js exchange, one place on this side of the boundary;
// tests/js/cache/core-codes.test.js pins each to its C++ source, so neither side drifts alone.

/** Index = cache::PolicyKind (src/edgeguard/cache/policy.hpp). */
export const POLICIES = Object.freeze(['tinylfu', 'lru', 'lfu', 'fifo']);

/** Index = cache::Reason (src/edgeguard/cache/status.hpp): why an entry left the table. */
export const REASONS = Object.freeze(['capacity', 'expire', 'delete', 'invalidate', 'clear']);
export const EXPIRE = 1, DELETE = 2, INVALIDATE = 3, CLEAR = 4;

/** Index = cache::Status (src/edgeguard/cache/status.hpp), as the error codes JS reports. */
export const CODES = Object.freeze(['OK', 'CACHE_INVALID_CONFIG', 'CACHE_TOO_LARGE', 'CACHE_INVALID_ARGUMENT',
  'CACHE_TOO_MANY_TAGS', 'CACHE_OUT_OF_MEMORY']);
export const TOO_LARGE = 2, INVALID_ARGUMENT = 3;

// eg_cache_get's and eg_cache_classify's result: cache::Freshness (freshness.hpp) in the low bits,
// with wasm/bridge_cache.cpp's kUsableOnError bit set while the entry may serve an error.
export const FRESH = 0, STALE = 1, STALE_IF_ERROR_ONLY = 2, EXPIRED = 3;
export const FRESHNESS_MASK = 3;
export const USABLE_ON_ERROR = 4;
