// The shared tier over UpstashStore: the real @upstash/redis client against the Upstash-REST
// server in front of a real redis-server (tests/support/upstash-rest-server.js). Entries shared
// between instances, single-flight by lease, invalidation by the log alone (a REST client cannot
// subscribe), and a warm-up pipelined into few HTTP requests. One fake clock for all instances.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from '@upstash/redis';
import { UpstashStore } from '../../../js/store/upstash-store.js';
import { upstashFixture } from '../store/upstash-fixture.js';
import { TTL, counting, missAtOnce, sharedCaches } from './shared-caches.js';

const fixture = upstashFixture();

/** `n` caches, each over its own @upstash/redis client and UpstashStore. */
function instances(n, options) {
  return sharedCaches(async (prefix, time) => {
    const client = new Redis({ url: fixture.rest.url, token: fixture.rest.token, retry: false });
    const store = new UpstashStore(client, { prefix, clock: time.clock, timers: time.timers, deadlineMs: 5000 });
    return { store, close: async () => {} };
  }, n, options);
}

describe('UpstashStore as the shared tier', () => {
  test('a key fetched by one instance is a shared hit for the other, with its age', async () => {
    const { time, list: [a, b] } = await instances(2);
    const fetcher = counting({ n: 1 });
    assert.deepEqual(await a.cache.getOrFetch('k', fetcher), { value: { n: 1 }, status: 'miss', ageMs: 0 });
    await a.flush();
    time.now += 300;
    assert.deepEqual(await b.cache.getOrFetch('k', fetcher), { value: { n: 1 }, status: 'hit', ageMs: 300, shared: true });
    assert.deepEqual(b.cache.get('k'), { value: { n: 1 }, state: 'fresh', ageMs: 300 });
    time.now += TTL;
    assert.equal((await b.cache.getOrFetch('k', counting({ n: 2 }))).status, 'stale');
    await b.flush();
    assert.equal(fetcher.calls, 1);
    const s = b.cache.stats().shared;
    assert.deepEqual([s.hits, s.errors, s.timeouts, s.writes], [1, 0, 0, 1]);
  });

  test('single flight: three instances miss one key at once, one calls the backend, the others get its value', async () => {
    const { fetcher, served } = await missAtOnce(await instances(3));
    assert.equal(fetcher.calls, 1);
    assert.deepEqual(served.map((r) => [r.value, r.status]).sort(), [['v', 'hit'], ['v', 'hit'], ['v', 'miss']]);
  });

  test('an invalidation by tag reaches the other instance by the log within generationCheckMs; no subscription, nothing published', async () => {
    const life = { ttlMs: 60_000, tags: ['t'] };
    const { time, list: [a, b] } = await instances(2);
    await a.cache.getOrFetch('k', counting('old'), life);
    await a.flush();
    assert.equal((await b.cache.getOrFetch('k', counting('unused'), life)).shared, true);
    a.cache.invalidate({ tag: 't' });
    await a.flush();
    time.now += 999;
    assert.equal((await b.cache.getOrFetch('k', counting('unused'), life)).value, 'old');
    time.now += 1;  // generationCheckMs
    assert.deepEqual(await b.cache.getOrFetch('k', counting('new'), life), { value: 'new', status: 'miss', ageMs: 0 });
    for (const x of [a, b]) {
      const s = x.cache.stats().shared;
      assert.deepEqual([s.subscriptions, s.subscribeErrors, s.published, s.heard, s.errors], [0, 0, 0, 0, 0]);
    }
  });

  test('warmFromShared: 150 keys are read in three pipelined requests, after one for the log', async () => {
    const { list: [a, b] } = await instances(2, { maxEntries: 200 });
    const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
    for (const k of keys) a.cache.set(k, k);
    await a.flush();
    const before = b.store.stats().requests;
    assert.equal(await b.cache.warmFromShared(keys), 150);
    assert.equal(b.store.stats().requests - before, 4);
    assert.equal(b.cache.get('k149').value, 'k149');
  });
});
