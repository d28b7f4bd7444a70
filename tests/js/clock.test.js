import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  init, Cache, CacheError, CircuitBreaker, RateLimiter, RateLimitError, Retry, EdgeguardError,
} from '../../js/entry.node.js';
import { Clock } from '../../js/clock.js';
import { module } from '../../js/core.js';
import { FakeTime } from './resilience_fakes.js';

before(() => init());

const IMPOSSIBLE = [NaN, Infinity, -Infinity, -1, 2 ** 53 + 2, '5', undefined, null, 5n];
const throwing = () => { throw new Error('no clock here'); };

test('read(): every impossible reading, and a throw, is CLOCK_INVALID', () => {
  for (const value of IMPOSSIBLE) {
    const clock = new Clock(() => value);
    assert.throws(() => clock.read(), { code: 'CLOCK_INVALID' }, String(value));
    assert.throws(() => clock.now(), { code: 'CLOCK_INVALID' }, String(value));
  }
  assert.throws(() => new Clock(throwing, CacheError).read(), (e) => e instanceof CacheError &&
    e.code === 'CLOCK_INVALID' && e.cause.message === 'no clock here');
  assert.equal(new Clock(() => 0).read(), 0);
  assert.equal(new Clock(() => 2 ** 53 - 1).read(), 2 ** 53 - 1);
});

test('now() stands still when the clock steps back, then moves on at its pace', () => {
  let now = 10_000;
  const clock = new Clock(() => now);
  const read = () => clock.now();
  assert.equal(read(), 10_000);
  now = 1_000;  // nine seconds back
  assert.equal(read(), 10_000);
  now = 1_500;
  assert.equal(read(), 10_500);
  now = 1_200;  // back again
  assert.equal(read(), 10_500);
  now = 1_300;
  assert.equal(read(), 10_600);
  now = NaN;
  assert.throws(read, { code: 'CLOCK_INVALID' });
});

// Every class that reads a clock, with the calls that read it; each must throw (or, if async,
// reject with) CLOCK_INVALID, and never answer.
function subjects(clock) {
  const time = new FakeTime();
  const cache = new Cache({ maxEntries: 10, clock, timers: time.timers, ttlMs: 1000 });
  const limiter = new RateLimiter({ policies: [{ name: 'p', limit: 5, windowMs: 1000 }], clock });
  const breaker = new CircuitBreaker({ clock, timers: time.timers, window: { type: 'time', sizeMs: 10_000 } });
  const retry = new Retry({ clock, timers: time.timers, sleep: time.sleep });
  return { cache, limiter, breaker, retry };
}

test('an impossible clock is CLOCK_INVALID in every class and every call that reads it', async () => {
  for (const bad of [...IMPOSSIBLE, 'throws']) {
    let reading = 1000;
    const clock = () => (reading === 'throws' ? throwing() : reading);
    const { cache, limiter, breaker, retry } = subjects(clock);
    cache.set('k', 'v');  // fresh on a good clock
    reading = bad;
    const label = String(bad);
    const invalid = { code: 'CLOCK_INVALID' };
    for (const call of [() => cache.get('k'), () => cache.peek('k'), () => cache.has('k'), () => cache.set('j', 1),
      () => cache.prune(), () => cache.snapshot(),
      () => cache.restore({ version: 1, entries: [{ key: 'r', value: 1, ageMs: 0, ttlMs: 5 }] })]) {
      assert.throws(call, (e) => e instanceof CacheError && e.code === 'CLOCK_INVALID', label);
    }
    assert.equal(cache.has('r'), false, 'a refused restore stored nothing');
    await assert.rejects(cache.getOrFetch('k', async () => 'fetched'), invalid, label);
    for (const call of [() => limiter.check('k'), () => limiter.peek('k'), () => limiter.penalize('k', 1),
      () => limiter.reward('k', 1)]) {
      assert.throws(call, (e) => e instanceof RateLimitError && e.code === 'CLOCK_INVALID', label);
    }
    for (const call of [() => breaker.state, () => breaker.tryAcquire(), () => breaker.onSuccess(0),
      () => breaker.metrics(), () => breaker.snapshot(), () => breaker.forceOpen()]) {
      assert.throws(call, (e) => e instanceof EdgeguardError && e.code === 'CLOCK_INVALID', label);
    }
    let ran = false;
    const p = retry.execute(() => { ran = true; });
    assert.ok(p instanceof Promise, 'Retry.execute rejects, never throws');
    await assert.rejects(p, invalid, label);
    assert.equal(ran, false, 'nothing ran on a clock that cannot be read');
    reading = 2000;
    assert.equal(limiter.check('k').allowed, true, 'the limiter still answers on a good clock');
  }
});

test("a breaker's execute on a throwing clock rejects instead of throwing", async () => {
  let broken = false;
  const b = new CircuitBreaker({
    clock: () => { if (broken) throw new Error('clock gone'); return 0; },
    window: { type: 'time', sizeMs: 10_000 }, minimumCalls: 1, slowCallDurationMs: 100,
  });
  broken = true;
  let ran = false;
  let p;
  assert.doesNotThrow(() => { p = b.execute(async () => { ran = true; }); });
  await assert.rejects(p, { code: 'CLOCK_INVALID' });
  assert.equal(ran, false);
});

test('a NaN clock after set never serves the entry as fresh', async () => {
  let now = 0;
  const c = new Cache({ maxEntries: 10, clock: () => now, ttlMs: 1000, staleIfErrorMs: 1000 });
  c.set('k', 'v');
  now = 5000;  // long expired
  now = NaN;
  assert.throws(() => c.get('k'), { code: 'CLOCK_INVALID' });
  assert.throws(() => c.peek('k'), { code: 'CLOCK_INVALID' });
  assert.throws(() => c.has('k'), { code: 'CLOCK_INVALID' });
  let fetched = false;
  await assert.rejects(c.getOrFetch('k', async () => { fetched = true; return 'new'; }), { code: 'CLOCK_INVALID' });
  assert.equal(fetched, false);
  now = 5000;
  assert.equal(c.get('k'), undefined, 'expired on a good clock');
});

test('defence in depth: the cores never read a time no clock gives as fresh, allowed or permitted', () => {
  const mod = module();
  const breaker = new CircuitBreaker({ window: { size: 2 }, minimumCalls: 1 });
  for (const t of [NaN, -1, Infinity, -Infinity]) {
    assert.ok(mod._eg_breaker_acquire(breaker.handle, t) < 0, `acquire at ${t}`);
    assert.equal(mod._eg_breaker_result(breaker.handle, t, 0, 1, 0), 0, `result at ${t}`);
  }
  assert.equal(breaker.metrics().bufferedCalls, 0);
  // Reads and commands at no time read the breaker as of the newest time it saw: its window
  // neither slides nor steps back, and an open circuit stays open.
  let now = 10_000;
  const timed = new CircuitBreaker({ window: { type: 'time', sizeMs: 4000 }, minimumCalls: 5, openMs: 1000, clock: () => now });
  for (let i = 0; i < 3; i++) timed.onFailure(1);
  for (const t of [NaN, -1, -Infinity, 2 ** 60]) {
    mod._eg_breaker_metrics(timed.handle, t);
    mod._eg_breaker_state(timed.handle, t);
    mod._eg_breaker_snapshot(timed.handle, t);
    mod._eg_breaker_retry_after(timed.handle, t);
  }
  now = 10_001;
  assert.equal(timed.metrics().failedCalls, 3);
  timed.forceOpen();
  assert.equal(mod._eg_breaker_acquire(timed.handle, NaN) < 0, true);
  assert.equal(mod._eg_breaker_state(timed.handle, NaN), 3, 'still forced open');
  const retry = new Retry({ budget: false });
  assert.equal(mod._eg_retry_next_delay(retry.handle, NaN, 1, 0, -1), -2);
  const budgeted = new Retry();
  assert.equal(mod._eg_retry_budget_balance(budgeted.handle, NaN), 0);
  const cache = new Cache({ maxEntries: 1, ttlMs: Infinity, clock: () => 0 });
  cache.set('k', 'v');
  assert.equal(mod._eg_cache_get(cache.handle, 0, NaN, 0) & 3, 3, 'expired, never fresh');
});
