// Every public entry point refuses a bad argument with a typed error, whatever the argument is:
// also values that cannot be printed into an error message (no prototype, a throwing toString,
// a Symbol-valued toPrimitive).
import fc from 'fast-check';
import {
  Validator, Json, RateLimiter, Cache, CircuitBreaker, Retry, Bulkhead, timeout, createGuard,
} from '../../../js/entry.node.js';
import { property } from './property.js';
import { attempt, attemptAsync, driveTimers } from './verdict.js';
import { FakeTime } from '../resilience_fakes.js';
import { unprintable } from './hostile.js';
import { assertCanaries } from './canary.js';

const policy = { limit: 1, windowMs: 1000 };
const guardConfig = (patch) => ({ upstreams: { api: { origin: 'https://a.example' } }, routes: [{ path: '*' }], ...patch });
const withCache = (fn) => { const c = new Cache({ maxEntries: 4 }); try { return fn(c); } finally { c.dispose(); } };

const sync = {
  'Validator options': (v) => new Validator(true, v),
  'Validator draft': (v) => new Validator(true, { draft: v }),
  'Validator formats': (v) => new Validator(true, { formats: v }),
  'Validator removeAdditional': (v) => new Validator(true, { removeAdditional: v }),
  'Validator allErrors': (v) => new Validator(true, { allErrors: v }),
  'Validator maxBytes': (v) => new Validator(true, { maxBytes: v }),
  'Validator schemaId': (v) => new Validator(true).validate('1', v),
  'Validator addSchema id': (v) => new Validator(true).addSchema(true, v),
  'Json maxDepth': (v) => new Json({ maxDepth: v }),
  'RateLimiter policies': (v) => new RateLimiter({ policies: v }),
  'RateLimiter policy': (v) => new RateLimiter({ policies: [v] }),
  'RateLimiter policy.name': (v) => new RateLimiter({ policies: [{ ...policy, name: v }] }),
  'RateLimiter policy.algorithm': (v) => new RateLimiter({ policies: [{ ...policy, algorithm: v }] }),
  'RateLimiter policy.burst': (v) => new RateLimiter({ policies: [{ ...policy, burst: v }] }),
  'RateLimiter headers': (v) => new RateLimiter({ policies: [policy], headers: v }),
  'RateLimiter clock': (v) => new RateLimiter({ policies: [policy], clock: v }),
  'RateLimiter check cost': (v) => new RateLimiter({ policies: [policy] }).check('k', { cost: v }),
  'RateLimiter key': (v) => new RateLimiter({ policies: [policy] }).check(v),
  'Cache options': (v) => new Cache(v),
  'Cache maxEntries': (v) => new Cache({ maxEntries: v }),
  'Cache policy': (v) => new Cache({ maxEntries: 4, policy: v }),
  'Cache ttlMs': (v) => new Cache({ maxEntries: 4, ttlMs: v }),
  'Cache clock': (v) => new Cache({ maxEntries: 4, clock: v }),
  'Cache get key': (v) => withCache((c) => c.get(v)),
  'Cache set key': (v) => withCache((c) => c.set(v, 1)),
  'Cache set options': (v) => withCache((c) => c.set('k', 1, v)),
  'Cache set ttlMs': (v) => withCache((c) => c.set('k', 1, { ttlMs: v })),
  'Cache set size': (v) => withCache((c) => c.set('k', 1, { size: v })),
  'Cache set tags': (v) => withCache((c) => c.set('k', 1, { tags: v })),
  'Cache set tag': (v) => withCache((c) => c.set('k', 1, { tags: [v] })),
  'Cache invalidate': (v) => withCache((c) => c.invalidate(v)),
  'Cache invalidate prefix': (v) => withCache((c) => c.invalidate({ prefix: v })),
  'Cache warm': (v) => withCache((c) => c.warm([v])),
  'Cache restore': (v) => withCache((c) => c.restore(v)),
  'Cache restore entry': (v) => withCache((c) => c.restore({ version: 1, entries: [v] })),
  'Cache on': (v) => withCache((c) => c.on(v, () => {})),
  'CircuitBreaker options': (v) => new CircuitBreaker(v),
  'CircuitBreaker window': (v) => new CircuitBreaker({ window: v }),
  'CircuitBreaker window.type': (v) => new CircuitBreaker({ window: { type: v } }),
  'CircuitBreaker openMs': (v) => new CircuitBreaker({ openMs: v }),
  'CircuitBreaker restore': (v) => new CircuitBreaker().restore(v),
  'CircuitBreaker onSuccess': (v) => new CircuitBreaker().onSuccess(v),
  'CircuitBreaker on': (v) => new CircuitBreaker().on(v, () => {}),
  'Retry options': (v) => new Retry(v),
  'Retry jitter': (v) => new Retry({ jitter: v }),
  'Retry budget': (v) => new Retry({ budget: v }),
  'Retry retryNonIdempotent': (v) => new Retry({ retryNonIdempotent: v }),
  'Bulkhead options': (v) => new Bulkhead(v),
  'Bulkhead maxConcurrent': (v) => new Bulkhead({ maxConcurrent: v }),
  'timeout ms': (v) => timeout(() => 1, v),
  'timeout options': (v) => timeout(() => 1, 10, v),
  'createGuard config': (v) => createGuard(v, { fetch: async () => new Response('') }),
  'createGuard routes': (v) => createGuard(guardConfig({ routes: v }), { fetch: async () => new Response('') }),
  'createGuard route path': (v) => createGuard(guardConfig({ routes: [{ path: v }] }), { fetch: async () => new Response('') }),
  'createGuard upstream origin': (v) => createGuard(guardConfig({ upstreams: { api: { origin: v } } }), { fetch: async () => new Response('') }),
  'createGuard options': (v) => createGuard(guardConfig({}), v),
};

property('every entry point: an unprintable bad argument is a typed error (synchronously)',
  [fc.constantFrom(...Object.keys(sync)), unprintable], (name, value) => {
    attempt(() => sync[name](value), name);
    assertCanaries();
  }, { numRuns: 400 });

// Fake timers: a timer armed by mistake fires inside the test, where its throw is seen.
const later = {
  'Retry execute method': (v, { timers }) => new Retry({ timers }).execute(() => 1, { method: v }),
  'Bulkhead execute signal': (v, { timers }) => new Bulkhead({ timers }).execute(() => 1, { signal: v }),
  'CircuitBreaker execute signal': (v, { timers }) => new CircuitBreaker({ timeoutMs: 10, timers }).execute(() => 1, { signal: v }),
  'Cache getOrFetch key': (v, { timers }) => new Cache({ maxEntries: 4, timers }).getOrFetch(v, () => 1),
  'Cache getOrFetch options': (v, { timers }) => new Cache({ maxEntries: 4, timers }).getOrFetch('k', () => 1, v),
};

property('every async entry point: an unprintable bad argument is a typed error or rejection',
  [fc.constantFrom(...Object.keys(later)), unprintable], async (name, value) => {
    const time = new FakeTime();
    await attemptAsync(() => later[name](value, time), name, () => driveTimers(time));
  }, { numRuns: 100 });
