// Property: whatever a clock returns, in whatever order (NaN, infinities, negatives, beyond 2^53,
// throws, steps back, huge jumps), every call on Cache, RateLimiter, CircuitBreaker and Retry
// either answers well-formed or fails with a typed error; an impossible reading never answers;
// and the same objects answer correctly again once the clock is sane.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { init, Cache, RateLimiter, CircuitBreaker, EdgeguardError } from '../../js/entry.node.js';

before(() => init());

const THROW = Symbol('throw');
const reading = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 4_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -1, 2 ** 53 + 2, '7', undefined, THROW) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) },
);
const op = fc.constantFrom('get', 'peek', 'set', 'check', 'peekLimit', 'tryAcquire', 'report', 'state');
const sane = (t) => typeof t === 'number' && t >= 0 && t <= 2 ** 53;

test('every call answers well-formed or fails typed; an impossible clock never answers', () => {
  fc.assert(fc.property(fc.array(fc.tuple(reading, op), { minLength: 1, maxLength: 60 }), (steps) => {
    let now = 0;
    const clock = () => { if (now === THROW) throw new Error('clock gone'); return now; };
    const cache = new Cache({ maxEntries: 4, ttlMs: 1000, staleWhileRevalidateMs: 500, clock });
    const limiter = new RateLimiter({ policies: [{ name: 'p', limit: 3, windowMs: 1000, algorithm: 'token-bucket' }], clock });
    const breaker = new CircuitBreaker({ window: { type: 'time', sizeMs: 2000 }, minimumCalls: 2, openMs: 500, clock });
    try {
      for (const [t, name] of steps) {
        now = t;
        // A miss is answered without a clock: only a key the cache holds needs one.
        const held = [...cache.keys()].includes('k');
        let answer;
        try {
          answer = {
            get: () => cache.get('k'), peek: () => cache.peek('k'), set: () => cache.set('k', 1),
            check: () => limiter.check('k'), peekLimit: () => limiter.peek('k'),
            tryAcquire: () => breaker.tryAcquire(), report: () => breaker.onFailure(1),
            state: () => breaker.state,
          }[name]();
        } catch (error) {
          assert.ok(error instanceof EdgeguardError && typeof error.code === 'string', String(error));
          if (!sane(t)) assert.equal(error.code, 'CLOCK_INVALID');
          continue;
        }
        const miss = (name === 'get' || name === 'peek') && !held && answer === undefined;
        assert.ok(sane(t) || miss, `${name} answered ${JSON.stringify(answer)} at ${String(t)}`);
        if (name === 'get' || name === 'peek') assert.ok(answer === undefined || ['fresh', 'stale'].includes(answer.state));
        if (name === 'check') assert.ok(typeof answer.allowed === 'boolean' && answer.retryAfterMs >= 0 && answer.retryAfterMs <= 1000);
      }
      // The canary: the same objects, a sane clock well after everything above.
      now = 10_000_000;
      cache.set('canary', 'v');
      assert.equal(cache.get('canary').state, 'fresh');
      limiter.reset('k');
      assert.equal(limiter.check('k').allowed, true);
      breaker.reset();
      assert.equal(breaker.state, 'closed');
    } finally {
      cache.dispose();
      limiter.dispose();
      breaker.dispose();
    }
  }), { numRuns: 300 });
});
