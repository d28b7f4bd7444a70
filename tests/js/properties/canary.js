// After hostile calls, a validator, limiter, cache and breaker still answer correctly: fresh
// ones, and ones built before the hostile calls began (shared wasm state must not be poisoned).
import assert from 'node:assert/strict';
import { Validator, RateLimiter, Cache, CircuitBreaker } from '../../../js/entry.node.js';

const SCHEMA = { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } };

function checkValidator(v) {
  assert.equal(v.validate('{}').valid, false, 'canary validator: {} lacks x');
  assert.equal(v.validate('{"x":1}').valid, true, 'canary validator: {"x":1} is valid');
  assert.equal(v.validate({ x: 'a' }).valid, false, 'canary validator: x must be an integer');
}

let serial = 0;
function checkLimiter(limiter, clock) {
  const key = `canary-${serial++}`;
  clock.now += 10;
  assert.equal(limiter.check(key).allowed, true, 'canary limiter: first call');
  assert.equal(limiter.check(key).allowed, true, 'canary limiter: second call');
  const third = limiter.check(key);
  assert.equal(third.allowed, false, 'canary limiter: third call in the window is refused');
  assert.ok(third.retryAfterMs > 0 && third.retryAfterMs <= 1000, `canary limiter: retryAfterMs ${third.retryAfterMs}`);
}

function checkCache(cache, clock) {
  const key = `canary-${serial++}`;
  clock.now += 100;
  assert.equal(cache.set(key, 'v', { ttlMs: 10 }), true, 'canary cache: set');
  clock.now += 5;
  assert.equal(cache.get(key)?.state, 'fresh', 'canary cache: fresh within its ttl');
  clock.now += 5;
  assert.equal(cache.get(key), undefined, 'canary cache: gone at its ttl');
}

function checkBreaker(breaker) {
  breaker.reset();
  const permit = breaker.tryAcquire();
  assert.ok(permit > 0, 'canary breaker: closed lets a call through');
  breaker.onFailure(0, permit);
  assert.equal(breaker.state, 'open', 'canary breaker: one failure opens it');
  assert.equal(breaker.tryAcquire(), 0, 'canary breaker: open refuses');
}

function build() {
  const clock = { now: 1e6 };
  const read = () => clock.now;
  return {
    clock,
    validator: new Validator(SCHEMA),
    limiter: new RateLimiter({ policies: [{ limit: 2, windowMs: 1000, algorithm: 'sliding-log' }], clock: read }),
    cache: new Cache({ maxEntries: 1000, clock: read, policy: 'lru' }),
    breaker: new CircuitBreaker({ consecutiveFailures: 1, openMs: 1000, clock: read }),
  };
}

let old = null;

/** Checks the old canaries (built on first call) and fresh ones. */
export function assertCanaries() {
  old ??= build();
  const fresh = build();
  for (const c of [old, fresh]) {
    checkValidator(c.validator);
    checkLimiter(c.limiter, c.clock);
    checkCache(c.cache, c.clock);
    checkBreaker(c.breaker);
  }
  for (const name of ['validator', 'limiter', 'cache', 'breaker']) fresh[name].dispose();
}
