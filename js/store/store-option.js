// The one check behind every `store` option (a RateLimiter's, a breaker's, the guard's): the value
// is an object with the Store methods (store.d.ts) its user calls, else a ConfigError naming them.
import { ConfigError, describe } from '../errors.js';

export function checkStore(store, methods) {
  const missing = store !== null && typeof store === 'object'
    ? methods.filter((name) => typeof store[name] !== 'function') : methods;
  if (missing.length > 0) {
    throw new ConfigError('CONFIG_INVALID',
      `option store must be a store (see edgeguard/store); ${describe(store)} has no ${missing.join(', ')}`, { option: 'store' });
  }
  return store;
}
