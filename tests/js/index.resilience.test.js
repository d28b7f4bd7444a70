// edgeguard/resilience alone (each test file is its own process): its classes work over the
// resilience module, the other features refuse with FEATURE_NOT_LOADED, and loading the whole
// module afterwards gives a second instance that the resilience classes never touch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Cache, RateLimiter, CircuitBreaker, Retry, Bulkhead, BrokenCircuitError } from '../../js/entry.resilience.node.js';
import { init as initWhole, Validator, Json, createGuard } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { FakeTime } from './resilience_fakes.js';
import { exhaustHeap } from './exhaust-heap.js';

const resilienceExports = (mod) => Object.keys(Object.getPrototypeOf(mod)).filter((n) => n.startsWith('_eg_'));

test('before init(), a resilience class is NOT_INITIALIZED', () => {
  assert.throws(() => new Cache({ maxEntries: 10 }), { code: 'NOT_INITIALIZED' });
});

test('Cache, RateLimiter, CircuitBreaker, Retry and Bulkhead work over the resilience module alone', async () => {
  await init();
  const names = resilienceExports(module('resilience'));
  assert.ok(names.includes('_eg_cache_get') && names.includes('_eg_breaker_snapshot'), names.join());
  assert.ok(!names.some((n) => /_eg_(validator|registry|json|guard)_/.test(n)), `only resilience exports: ${names.join()}`);

  const time = new FakeTime();
  const cache = new Cache({ maxEntries: 10, clock: time.clock });
  cache.set('a', { n: 1 }, { ttlMs: 1000 });
  assert.deepEqual(cache.get('a'), { value: { n: 1 }, state: 'fresh', ageMs: 0 });
  time.now = 1500;
  assert.equal(cache.get('a'), undefined);

  const limiter = new RateLimiter({ policies: [{ limit: 2, windowMs: 1000 }], clock: time.clock });
  assert.deepEqual([1, 2, 3].map(() => limiter.check('ip').allowed), [true, true, false]);

  const breaker = new CircuitBreaker({ minimumCalls: 2, failureRateThreshold: 50, clock: time.clock, timers: time.timers });
  const fail = () => { throw new Error('down'); };
  for (let i = 0; i < 2; i++) await assert.rejects(breaker.execute(fail), /down/);
  assert.equal(breaker.state, 'open');
  await assert.rejects(breaker.execute(() => 1), BrokenCircuitError);
  // The snapshot goes through the resilience module's own JSON writer and reader.
  const copy = new CircuitBreaker({ minimumCalls: 2, failureRateThreshold: 50, clock: time.clock, timers: time.timers });
  copy.restore(breaker.snapshot());
  assert.equal(copy.state, 'open');
  assert.deepEqual(copy.snapshot(), breaker.snapshot());
  assert.throws(() => copy.restore('{"version":1}'), { code: 'BREAKER_INVALID_SNAPSHOT' });

  const retry = new Retry({ maxAttempts: 3, baseMs: 1, clock: time.clock, sleep: time.sleep });
  let calls = 0;
  const run = retry.execute(() => (++calls < 3 ? Promise.reject(new Error('again')) : 'ok'));
  await time.advance(1000);
  assert.equal(await run, 'ok');

  const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
  assert.equal(await bulkhead.execute(async () => 7), 7);
  [cache, limiter, breaker, copy, retry, bulkhead].forEach((o) => o.dispose());
});

// This module alone links emmalloc (wasm/CMakeLists.txt); cache.test.js runs the heap out over
// the whole module's dlmalloc.
test('out of memory in the resilience module is each class\'s typed error, never an answer, and freed memory serves again', async () => {
  await init();
  const time = new FakeTime();
  const policies = [{ limit: 2, windowMs: 1000 }];
  const limiter = new RateLimiter({ policies, clock: time.clock });
  const cache = new Cache({ maxEntries: 100_000, clock: time.clock });
  const breaker = new CircuitBreaker({ clock: time.clock, timers: time.timers });
  assert.equal(limiter.check('warm').allowed, true);
  const release = exhaustHeap(module('resilience'));
  try {
    assert.throws(() => new RateLimiter({ policies, clock: time.clock }), { code: 'LIMIT_OUT_OF_MEMORY' });
    assert.throws(() => new Cache({ maxEntries: 10, clock: time.clock }), { code: 'CACHE_OUT_OF_MEMORY' });
    assert.throws(() => new CircuitBreaker({ clock: time.clock, timers: time.timers }), { code: 'OUT_OF_MEMORY' });
    assert.throws(() => new Retry({ maxAttempts: 2, clock: time.clock, sleep: time.sleep }), { code: 'OUT_OF_MEMORY' });
    assert.throws(() => new Bulkhead({ maxConcurrent: 1 }), { code: 'OUT_OF_MEMORY' });
    assert.throws(() => breaker.snapshot(), { code: 'OUT_OF_MEMORY' });
    const refused = (fn) => {
      for (let i = 0; i < 100_000; i++) {
        try {
          fn(i);
        } catch (error) {
          return error.code;
        }
      }
      return 'never refused';
    };
    assert.equal(refused((i) => assert.equal(limiter.check(`new-${i}`).allowed, true)), 'LIMIT_OUT_OF_MEMORY');
    assert.equal(refused((i) => cache.set(`new-${i}`, i, { tags: [`tag-${i}`] })), 'CACHE_OUT_OF_MEMORY');
  } finally {
    release();
  }
  const again = new RateLimiter({ policies, clock: time.clock });
  assert.deepEqual([1, 2, 3].map(() => again.check('ip').allowed), [true, true, false]);
  assert.equal(cache.set('after', 1), true);
  assert.equal(cache.get('after').value, 1);
  assert.equal(breaker.snapshot().version, 1);
  [limiter, cache, breaker, again].forEach((o) => o.dispose());
});

test('a class whose feature the resilience module lacks throws FEATURE_NOT_LOADED, naming the entry that has it', () => {
  assert.throws(() => new Validator({ type: 'object' }),
    (e) => e.code === 'FEATURE_NOT_LOADED' && e.feature === 'validator' && /edgeguard\/validator/.test(e.message));
  assert.throws(() => Json.check('{}'), { code: 'FEATURE_NOT_LOADED', feature: 'validator' });
  assert.throws(() => createGuard({ routes: [] }), { code: 'FEATURE_NOT_LOADED' });
  assert.throws(() => module(), { code: 'FEATURE_NOT_LOADED', feature: 'gateway' });
});

test('loading edgeguard next to it makes a second instance; resilience objects stay on theirs', async () => {
  const cache = new Cache({ maxEntries: 10 });
  cache.set('k', 'before');
  const resilience = module('resilience');
  await initWhole();
  assert.notEqual(module('validator'), resilience);
  assert.equal(module('validator'), module('gateway'));
  assert.equal(module('resilience'), resilience, 'a feature keeps the instance it was first served by');
  assert.equal(cache.get('k').value, 'before');
  const fresh = new Cache({ maxEntries: 10 });
  fresh.set('k', 'after');
  assert.equal(fresh.get('k').value, 'after');
  assert.equal(new Validator({ type: 'object' }).validate('{}').valid, true);
  // init() of the resilience entry again loads nothing new: it is loaded.
  await init();
  assert.equal(module('resilience'), resilience);
});
