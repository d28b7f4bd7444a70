// Cache#warmFromShared: a new instance's memory preloaded from the shared tier, on a real
// redis-server through node-redis and ioredis (shared-caches.js: one fake clock for all).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cache } from '../../../js/entry.node.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { KINDS } from '../../support/redis-clients.js';
import { waitFor } from '../../support/redis-engines.js';
import { settle } from '../resilience_fakes.js';
import { SWR, TTL, counting, instances } from './shared-caches.js';
import { READ_ENTRY } from '../../../js/cache/read-script.js';

const engines = redisEngines();

for (const kind of KINDS) {
  describe(kind, () => {
    test('copies into memory what the tier holds unexpired, with its age, and not what an invalidation matches', async () => {
      const { time, list: [a, fresh], close } = await instances(kind, engines.standalone, 2);
      try {
        a.cache.set('old', 'o');
        time.now += TTL + SWR + 100;  // 'old' is usable on error only
        a.cache.set('stale', 's', { ageMs: TTL + 100 });
        a.cache.set('fresh', 'f', { ageMs: 100 });
        a.cache.set('tagged', 't', { tags: ['t'] });
        await a.flush();
        a.cache.invalidate({ tag: 't' });  // the store's copy of 'tagged' stays, of an older generation
        await a.flush();
        const keys = ['fresh', 'stale', 'old', 'tagged', 'missing', 'fresh'];
        assert.equal(await fresh.cache.warmFromShared(keys), 3);
        assert.deepEqual(fresh.cache.peek('fresh'), { value: 'f', state: 'fresh', ageMs: 100 });
        assert.deepEqual(fresh.cache.peek('stale'), { value: 's', state: 'stale', ageMs: TTL + 100 });
        assert.deepEqual([...fresh.cache.keys()].sort(), ['fresh', 'old', 'stale']);
        // 'old' is there for stale-if-error: the backend fails, memory answers.
        const down = async () => { throw new Error('backend down'); };
        assert.deepEqual(await fresh.cache.getOrFetch('old', down), { value: 'o', status: 'stale-if-error', ageMs: TTL + SWR + 100 });
        const s = fresh.cache.stats().shared;
        assert.deepEqual([s.warmed, s.hits, s.staleHits], [3, 0, 0]);  // a warm-up's reads are not served reads
      } finally {
        await close();
      }
    });
  });
}

describe('node-redis', () => {
  test('reads at most the memory\'s capacity of keys, skips those memory holds, and more than one batch', async () => {
    const { list: [a, small, many], close } = await instances('node-redis', engines.standalone, 3);
    try {
      const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
      for (const k of keys) a.cache.set(k, k);
      await a.flush();
      const limited = new Cache({ maxEntries: 5, shared: small.store, clock: () => 1_000_000 });
      function* endless() {
        for (let i = 0; ; i++) yield `k${i}`;
      }
      assert.equal(await limited.warmFromShared(endless()), 5);
      assert.deepEqual([...limited.keys()].sort(), ['k0', 'k1', 'k2', 'k3', 'k4']);
      limited.dispose();
      many.cache.set('k0', 'mine');
      assert.equal(await many.cache.warmFromShared(keys), 99);  // 100 entries, one of them its own
      assert.equal(many.cache.get('k0').value, 'mine');
      assert.equal(many.cache.get('k99').value, 'k99');
    } finally {
      await close();
    }
  });

  test('a key invalidated here while its batch is read: nothing the batch read is copied (it may predate the change)', async () => {
    const { time, list: [a], close } = await instances('node-redis', engines.standalone, 1);
    let open;
    try {
      a.cache.set('k', 'v');
      a.cache.set('other', 'o');
      await a.flush();
      // A's store, with the read of 'other' held back (an injected delay): 'k' is answered first.
      const gate = new Promise((resolve) => { open = resolve; });
      const answered = new Set();
      const real = a.store;
      const store = {
        key: (tag, name) => real.key(tag, name),
        get: (...args) => real.get(...args), set: (...args) => real.set(...args), delete: (...args) => real.delete(...args),
        async evalScript(script, keys, args, o) {
          if (script.name !== READ_ENTRY.name) return real.evalScript(script, keys, args, o);
          if (keys[0].includes('{cache:other}')) await gate;
          const reply = await real.evalScript(script, keys, args, o);
          answered.add(keys[0]);
          return reply;
        },
        stats: () => real.stats(),
      };
      const b = new Cache({ maxEntries: 10, clock: time.clock, shared: store, sharedOptions: { deadlineMs: 5000 } });
      const warming = b.warmFromShared(['k', 'other']);
      await waitFor('k read', async () => answered.has(real.key('cache:k', 'v')), 5000);
      b.invalidate({ key: 'k' });
      open();
      assert.equal(await warming, 0);
      assert.equal(b.peek('k'), undefined);
      b.dispose();
    } finally {
      open?.();
      await close();
    }
  });

  test('the store stalled (SIGSTOP): the warm-up ends at one deadline, loading nothing, and never rejects', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2, { sharedOptions: { deadlineMs: 50 } });
    try {
      a.cache.set('k', 'v');
      await a.flush();
      engines.standalone.server.pause();
      let loaded;
      b.cache.warmFromShared(Array.from({ length: 100 }, (_, i) => `k${i}`)).then((n) => { loaded = n; });
      await time.advance(50);
      await settle();
      assert.equal(loaded, 0);
      assert.equal(b.cache.stats().shared.timeouts, 1);  // the log's generation: no entry is read while it is unread
    } finally {
      engines.standalone.server.resume();
      await close();
    }
  });

  test('bad arguments throw at once: no shared tier, not an iterable, a bad key; a disposed cache', async () => {
    const { list: [a], close } = await instances('node-redis', engines.standalone, 1);
    try {
      const plain = new Cache({ maxEntries: 5 });
      assert.throws(() => plain.warmFromShared(['k']), (e) => e.code === 'CACHE_INVALID_ARGUMENT');
      plain.dispose();
      for (const bad of [null, 'k', 3, { keys: ['k'] }]) assert.throws(() => a.cache.warmFromShared(bad), (e) => e.code === 'CACHE_INVALID_ARGUMENT');
      assert.throws(() => a.cache.warmFromShared(['k', 7]), (e) => e.code === 'CACHE_INVALID_KEY');
      a.cache.dispose();
      assert.throws(() => a.cache.warmFromShared(['k']), (e) => e.code === 'DISPOSED');
    } finally {
      await close();
    }
  });
});
