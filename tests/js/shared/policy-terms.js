// The stores' script args of policies as the core derives them (RateLimiter#_coreTerms, then
// policyArgs), for tests that run the scripts without a SharedRateLimiter.
import { init, RateLimiter } from '../../../js/entry.node.js';
import { policyArgs } from '../../../js/shared/limit-scripts.js';

await init();

/** Each policy's terms (`{ algorithm, q, p, capacity, blockMs }`), from a limiter made of them. */
export function termsOf(...policies) {
  const limiter = new RateLimiter({ policies });
  try {
    return limiter._coreTerms();
  } finally {
    limiter.dispose();
  }
}

/** The script args of these policies, in order. */
export function argsOf(...policies) {
  return termsOf(...policies).flatMap(policyArgs);
}
