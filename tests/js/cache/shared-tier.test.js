// The shared tier behind Cache (js/cache/shared-tier.js) on a real redis-server and a real
// 3-node Cluster, through node-redis and ioredis: several Cache instances, each over its own
// client connection, share entries with their lifetimes (shared-caches.js).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Cache } from '../../../js/entry.node.js';
import { classifyLifetime } from '../../../js/cache.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { defineScript } from '../../../js/store/script.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { waitFor } from '../../support/redis-engines.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { FakeTime } from '../resilience_fakes.js';
import { SIE, SWR, TTL, counting, instances, missAtOnce } from './shared-caches.js';

const engines = redisEngines();
let run = 0;

for (const topology of ['standalone', 'cluster']) {
  for (const kind of KINDS) {
    describe(`${topology}, ${kind}`, () => {
      test('a key fetched by one instance is a shared hit for the others, with its age; then a memory hit there', async () => {
        const { time, list: [a, b, c], close } = await instances(kind, engines[topology], 3);
        try {
          const fetcher = counting({ n: 1 });
          assert.deepEqual(await a.cache.getOrFetch('k', fetcher), { value: { n: 1 }, status: 'miss', ageMs: 0 });
          await a.flush();
          time.now += 300;
          assert.deepEqual(await b.cache.getOrFetch('k', fetcher), { value: { n: 1 }, status: 'hit', ageMs: 300, shared: true });
          assert.deepEqual(await c.cache.getOrFetch('k', fetcher), { value: { n: 1 }, status: 'hit', ageMs: 300, shared: true });
          assert.equal(fetcher.calls, 1);
          // The copy is in b's memory with its remaining freshness: fresh until age TTL, not TTL after the copy.
          assert.deepEqual(b.cache.get('k'), { value: { n: 1 }, state: 'fresh', ageMs: 300 });
          time.now += TTL - 300;
          assert.equal(b.cache.get('k').state, 'stale');
          const sb = b.cache.stats();
          assert.equal(sb.misses, 1);
          assert.equal(sb.fetches, 0);
          assert.deepEqual([sb.shared.hits, sb.shared.misses, sb.shared.errors], [1, 0, 0]);
          assert.deepEqual([a.cache.stats().shared.writes, a.cache.stats().shared.misses], [1, 1]);
        } finally {
          await close();
        }
      });

      test('stale in the shared tier: served at once and revalidated once behind; the refreshed value is shared', async () => {
        const { time, list: [a, b, c], close } = await instances(kind, engines[topology], 3);
        try {
          await a.cache.getOrFetch('k', counting('v1'));
          await a.flush();
          time.now += TTL + 100;
          const refresh = counting('v2');
          assert.deepEqual(await b.cache.getOrFetch('k', refresh), { value: 'v1', status: 'stale', ageMs: TTL + 100, shared: true });
          await b.flush();
          assert.equal(refresh.calls, 1);
          assert.equal(b.cache.get('k').value, 'v2');
          assert.deepEqual(await c.cache.getOrFetch('k', counting('v3')), { value: 'v2', status: 'hit', ageMs: 0, shared: true });
          assert.equal(b.cache.stats().shared.staleHits, 1);
        } finally {
          await close();
        }
      });

      test('stale-if-error across tiers: the backend fails and memory is cold, the shared copy is served within its window only', async () => {
        const { time, list: [a, b, c], close } = await instances(kind, engines[topology], 3);
        try {
          await a.cache.getOrFetch('k', counting('v1'));
          await a.flush();
          const down = async () => { throw new Error('backend down'); };
          time.now += TTL + SWR + 100;  // past stale-while-revalidate, within stale-if-error
          assert.deepEqual(await b.cache.getOrFetch('k', down), { value: 'v1', status: 'stale-if-error', ageMs: TTL + SWR + 100, shared: true });
          assert.equal(b.cache.stats().staleIfErrorHits, 1);
          assert.equal(b.cache.stats().shared.staleIfErrorHits, 1);
          time.now += SIE;  // past it: the error reaches the caller
          await assert.rejects(c.cache.getOrFetch('k', down), /backend down/);
        } finally {
          await close();
        }
      });

      test('an invalidation on one instance reaches the others within generationCheckMs, in their memory and in the store', async () => {
        const CHECK_MS = 2000;
        const life = { ttlMs: 60000 };
        // The log alone (a message lost): pub/sub would evict at once (shared-tier-pubsub.test.js).
        const { time, list: [a, b, c], close } = await instances(kind, engines[topology], 3,
          { sharedOptions: { generationCheckMs: CHECK_MS, pubsub: false } });
        try {
          const keys = ['t1', 't2', 'k', 'p:1', 'x'];
          const tags = (k) => (k.startsWith('t') ? ['t'] : undefined);
          for (const k of keys) await a.cache.getOrFetch(k, counting(`${k}-old`), { ...life, tags: tags(k) });
          await a.flush();
          for (const x of [b, c]) {
            for (const k of keys.filter((k) => k !== 't2')) assert.equal((await x.cache.getOrFetch(k, counting('unused'), life)).shared, true);
          }
          const invalidatedAt = time.now + 10;
          time.now = invalidatedAt;
          a.cache.invalidate({ tag: 't' });
          a.cache.delete('k');
          a.cache.invalidate({ prefix: 'p:' });
          await a.flush();
          assert.equal((await a.cache.getOrFetch('t1', counting('t1-a'), { ...life, tags: ['t'] })).value, 't1-a');  // not the store's copy
          await a.flush();
          // The bound: until its next check, another instance may serve what its memory holds.
          time.now = invalidatedAt + CHECK_MS - 11;
          assert.equal((await b.cache.getOrFetch('t1', counting('new'), life)).value, 't1-old');
          time.now = invalidatedAt + CHECK_MS - 10;  // b's check is due: never later than this
          // t1 too: a's copy since is tagged t and was written before a had read the log.
          for (const k of ['t1', 'k', 'p:1']) {
            assert.deepEqual(await b.cache.getOrFetch(k, counting(`${k}-new`), life), { value: `${k}-new`, status: 'miss', ageMs: 0 });
          }
          assert.equal((await b.cache.getOrFetch('x', counting('unused'), life)).value, 'x-old');
          // get() cannot wait for the check: it serves once more, then the check has removed it.
          assert.equal(c.cache.get('t1').value, 't1-old');
          await c.flush();
          assert.equal(c.cache.get('t1'), undefined);
          assert.equal(c.cache.get('x').value, 'x-old');
          // a's own invalidations do not come back to it with the log: what it fetched since stays.
          assert.deepEqual(await a.cache.getOrFetch('t1', counting('unused'), life), { value: 't1-a', status: 'hit', ageMs: CHECK_MS - 10 });
          assert.equal(a.cache.stats().shared.checks, 2);
          // The store still holds t2, invalidated by its tag: no instance serves it (c never held it).
          assert.deepEqual(await c.cache.getOrFetch('t2', counting('t2-new'), life), { value: 't2-new', status: 'miss', ageMs: 0 });
          assert.ok(c.cache.stats().shared.checks >= 2);
        } finally {
          await close();
        }
      });

      test('single-flight across instances: three instances miss one key at once, one calls the backend, the others get its value', async () => {
        const three = await instances(kind, engines[topology], 3);
        try {
          const { fetcher, served } = await missAtOnce(three);
          assert.equal(fetcher.calls, 1);
          assert.deepEqual(served.map((r) => r.status).sort(), ['hit', 'hit', 'miss']);
          assert.ok(served.every((r) => r.value === 'v'));
          assert.equal(served.filter((r) => r.shared).length, 2);
        } finally {
          await three.close();
        }
      });

      test('single-flight: a leader that never answers holds the others up for leaseWaitMs only; a refresh leaves the leader the work and serves stale', async () => {
        const { time, list: [a, b, c], close } = await instances(kind, engines[topology], 3, { sharedOptions: { leaseWaitMs: 300 } });
        let open;
        try {
          const gate = new Promise((resolve) => { open = resolve; });
          const hanging = counting(() => gate.then(() => 'late'));
          const leading = a.cache.getOrFetch('k', hanging);
          await waitFor('the lease taken', async () => a.cache.stats().shared.leases === 1, 5000);
          const waiting = b.cache.getOrFetch('k', counting('b'));
          await waitFor('b waiting', async () => b.cache.stats().shared.leaseWaits === 1, 5000);
          await time.advance(300);
          assert.deepEqual(await waiting, { value: 'b', status: 'miss', ageMs: 0 });
          assert.equal(b.cache.stats().shared.leaseTimeouts, 1);
          open();
          await leading;

          // Both hold s; it goes stale; each refreshes behind, but only the lease holder fetches.
          await a.cache.getOrFetch('s', counting('s1'));
          await a.flush();
          await c.cache.getOrFetch('s', counting('unused'));
          time.now += TTL + 10;
          let refresh;
          const slow = new Promise((resolve) => { refresh = resolve; });
          const fetcher = counting(() => slow.then(() => 's2'));
          assert.equal((await a.cache.getOrFetch('s', fetcher)).status, 'stale');
          await waitFor('the lease taken', async () => a.cache.stats().shared.leases === 3, 5000);
          assert.equal((await c.cache.getOrFetch('s', fetcher)).status, 'stale');
          await c.flush();
          assert.equal(c.cache.stats().shared.leaseWaits, 1);
          refresh();
          await a.flush();
          assert.equal(fetcher.calls, 1);
          assert.equal((await c.cache.getOrFetch('s', fetcher)).value, 's1');  // still stale here: refreshed from the store behind
          await c.flush();
          assert.deepEqual(c.cache.get('s'), { value: 's2', state: 'fresh', ageMs: 0 });
          assert.equal(fetcher.calls, 1);
        } finally {
          open?.();
          await close();
        }
      });

      test('single-flight: when the leader\'s fetch fails, a waiting instance takes the lease at its next look and fetches, without waiting out leaseWaitMs', async () => {
        const { list: [a, b], close } = await instances(kind, engines[topology], 2, { sharedOptions: { leaseWaitMs: 60_000, leasePollMs: 20 } });
        try {
          let fail;
          const gate = new Promise((_, reject) => { fail = reject; });
          const leading = a.cache.getOrFetch('k', counting(() => gate));
          await waitFor('the lease taken', async () => a.cache.stats().shared.leases === 1, 5000);
          const fetcher = counting('b');
          const waiting = b.cache.getOrFetch('k', fetcher);
          await waitFor('b waiting', async () => b.cache.stats().shared.leaseWaits === 1, 5000);
          fail(new Error('backend down'));
          await assert.rejects(leading, /backend down/);
          await a.flush();  // the lease given back
          // The fake clock stands still: only taking the lease ends b's wait (its polls are bounded
          // by leaseWaitMs / leasePollMs = 3000 looks, 60 s of real time).
          assert.deepEqual(await waiting, { value: 'b', status: 'miss', ageMs: 0 });
          assert.equal(fetcher.calls, 1);
          assert.deepEqual([b.cache.stats().shared.leases, b.cache.stats().shared.leaseWaits, b.cache.stats().shared.leaseTimeouts], [1, 1, 0]);
        } finally {
          await close();
        }
      });

      test('the store keeps a copy until its last usable moment: TTL = ttl + max(swr, sie) - age, capped by maxTtlMs', async () => {
        const { prefix, list: [a], close } = await instances(kind, engines[topology], 1);
        try {
          a.cache.set('k', 'v', { ageMs: 200 });
          a.cache.set('forever', 'v', { ttlMs: Infinity });
          await a.flush();
          const pttl = (key) => (kind === 'node-redis' ? a.client.pTTL(key) : a.client.pttl(key));
          const ms = Number(await pttl(`${prefix}{cache:k}:v`));
          assert.ok(ms > TTL + SIE - 200 - 1000 && ms <= TTL + SIE - 200, String(ms));
          const forever = Number(await pttl(`${prefix}{cache:forever}:v`));
          assert.ok(forever > 24 * 3600 * 1000 - 60000 && forever <= 24 * 3600 * 1000, String(forever));
        } finally {
          await close();
        }
      });
    });
  }
}

describe('standalone, node-redis: what is not shared, and invalidation', () => {
  test('a value that is not plain JSON data, or larger than maxValueBytes, stays in memory only and is counted', async () => {
    const { list: [a, b], close } = await instances('node-redis', engines.standalone, 2, { sharedOptions: { maxValueBytes: 100 } });
    try {
      const when = new Date(0);
      assert.equal(a.cache.set('date', when), true);
      assert.equal(a.cache.set('big', 'x'.repeat(101)), true);
      assert.equal(a.cache.set('small', 'x'), true);
      await a.flush();
      assert.equal(a.cache.get('date').value, when);
      const s = a.cache.stats().shared;
      assert.deepEqual([s.unshareable, s.tooLarge, s.writes], [1, 1, 1]);
      assert.equal((await b.cache.getOrFetch('date', counting('fetched'))).status, 'miss');
      assert.equal((await b.cache.getOrFetch('big', counting('fetched'))).status, 'miss');
      assert.equal((await b.cache.getOrFetch('small', counting('fetched'))).status, 'hit');
    } finally {
      await close();
    }
  });

  test('delete and invalidate({ key }) delete the shared copy; invalidate by tag or prefix and clear() keep this instance from reading older copies back', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      for (const k of ['k1', 'k2', 'p:1', 'x']) a.cache.set(k, k, { tags: ['t'] });
      await a.flush();
      a.cache.delete('k1');
      a.cache.invalidate({ key: 'k2' });
      await a.flush();
      assert.equal((await b.cache.getOrFetch('k1', counting('new'))).value, 'new');
      assert.equal((await b.cache.getOrFetch('k2', counting('new'))).value, 'new');
      assert.equal(a.cache.stats().shared.deletes, 2);

      time.now += 10;
      a.cache.invalidate({ tag: 't' });
      assert.equal((await a.cache.getOrFetch('x', counting('refetched'))).value, 'refetched');
      assert.equal((await a.cache.getOrFetch('p:1', counting('refetched'))).value, 'refetched');
      assert.equal(a.cache.stats().shared.misses >= 2, true);
    } finally {
      await close();
    }
  });

  test('one freshness rule: the copy in memory and the core\'s classification of the shared entry agree at every age', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      a.cache.set('k', 'v', { ttlMs: 100, staleWhileRevalidateMs: 50, staleIfErrorMs: 200 });
      await a.flush();
      const start = time.now;
      await b.cache.getOrFetch('k', counting('unused'));
      const states = ['fresh', 'stale', undefined, undefined];
      for (let age = 0; age <= 320; age += 5) {
        time.now = start + age;
        const { code, ageMs } = classifyLifetime(start, 100, 50, 200, time.now);
        assert.equal(ageMs, age);
        assert.equal(b.cache.peek('k')?.state, states[code & 3], `age ${age}`);
      }
    } finally {
      await close();
    }
  });

  test('a key invalidated while its fetch is in flight: a failed fetch does not fall back on the shared copy read before the invalidation', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    let fail;
    try {
      await a.cache.getOrFetch('k', counting('old'));
      await a.flush();
      time.now += TTL + SWR + 100;  // the store's copy is usable on error only
      const gate = new Promise((resolve) => { fail = resolve; });
      const down = counting(() => gate.then(() => { throw new Error('backend down'); }));
      const pending = b.cache.getOrFetch('k', down);
      await waitFor('b fetching', async () => down.calls === 1, 5000);
      b.cache.invalidate({ key: 'k' });
      fail();
      await assert.rejects(pending, /backend down/);
      assert.equal(b.cache.stats().shared.staleIfErrorHits, 0);
    } finally {
      fail?.();
      await close();
    }
  });

  test('callers that joined a read of a stale shared copy are told it is stale, not coalesced', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      await a.cache.getOrFetch('k', counting('v1'));
      await a.flush();
      time.now += TTL + 100;
      const refresh = counting('v2');
      const served = await Promise.all([b.cache.getOrFetch('k', refresh), b.cache.getOrFetch('k', refresh)]);
      assert.deepEqual(served.map((r) => [r.value, r.status, r.ageMs]), [['v1', 'stale', TTL + 100], ['v1', 'stale', TTL + 100]]);
      await b.flush();
    } finally {
      await close();
    }
  });

  test('entries restored before an instance first reads the log are not served once another instance invalidated them', async () => {
    const { list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      await a.cache.getOrFetch('seen', counting('a'));  // a has read the log once
      const entry = (key, tags) => ({ key, value: `${key}-old`, ageMs: 0, ttlMs: 60000, tags });
      assert.equal(b.cache.restore({ version: 1, entries: [entry('k'), entry('t1', ['t']), entry('p:1'), entry('x')] }), 4);
      a.cache.invalidate({ key: 'k' });
      a.cache.invalidate({ tag: 't' });
      a.cache.invalidate({ prefix: 'p:' });
      await a.flush();
      for (const k of ['k', 't1', 'p:1']) {
        assert.deepEqual(await b.cache.getOrFetch(k, counting(`${k}-new`)), { value: `${k}-new`, status: 'miss', ageMs: 0 }, k);
      }
      assert.equal((await b.cache.getOrFetch('x', counting('unused'))).value, 'x-old');
    } finally {
      await close();
    }
  });

  test('while the invalidation log cannot be read (its node unreachable, the entries\' not), no shared copy is served: an invalidation since may match it', async () => {
    let stores = [];
    const time = new FakeTime();
    time.now = 1_000_000;
    const prefix = `own${run++}:`;
    const conns = await Promise.all([connect('node-redis', engines.standalone), connect('node-redis', engines.standalone)]);
    try {
      const [a, b] = conns.map(({ client }, i) => {
        const pending = [];
        const real = new RedisStore(client, { prefix, clock: time.clock, timers: time.timers, deadlineMs: 5000 });
        // b's fault: the log's keys fail (an injected fault; the entries' keys reach the real server).
        const store = i === 0 ? real : {
          cut: false,
          key: (tag, name) => real.key(tag, name),
          get(key, o) { return this.cut && key.includes('{cache:invalidations}') ? Promise.reject(new Error('node down')) : real.get(key, o); },
          set: (...args) => real.set(...args), delete: (...args) => real.delete(...args),
          evalScript: (...args) => real.evalScript(...args), stats: () => real.stats(),
        };
        const cache = new Cache({ maxEntries: 100, clock: time.clock, timers: time.timers, shared: store, waitUntil: (p) => pending.push(p), ttlMs: 60000 });
        return { cache, store, real, flush: async () => { while (pending.length > 0) await pending.shift(); } };
      });
      stores = [a.real, b.real];
      await b.cache.getOrFetch('seen', counting('b'));  // b has read the log once
      a.cache.set('k', 'old', { tags: ['t'] });
      await a.flush();
      a.cache.invalidate({ tag: 't' });
      await a.flush();
      b.store.cut = true;
      time.now += 1000;  // b's check is due, and fails
      assert.deepEqual(await b.cache.getOrFetch('k', counting('new')), { value: 'new', status: 'miss', ageMs: 0 });
      assert.equal(b.cache.stats().shared.errors, 1);
      a.cache.set('k2', 'shared');
      await a.flush();
      b.store.cut = false;
      time.now += 1000;  // the next check reads the log: the tier is read again
      assert.deepEqual(await b.cache.getOrFetch('k2', counting('unused')), { value: 'shared', status: 'hit', ageMs: 1000, shared: true });
    } finally {
      for (const store of stores) store.close();
      await Promise.all(conns.map((c) => c.close()));
    }
  });

  /** `cache` leads a fetch of `key`, held until `open()`: resolves once its lease is taken. */
  async function leaderHeld(cache, key) {
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    const leading = cache.getOrFetch(key, counting(() => gate.then(() => 'late')));
    await waitFor('the lease taken', async () => cache.stats().shared.leases === 1, 5000);
    return { open, leading };
  }

  test('a caller that aborts while waiting for another instance\'s fetch stops waiting at once', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    let leader;
    try {
      leader = await leaderHeld(a.cache, 'k');
      const controller = new AbortController();
      let outcome;
      b.cache.getOrFetch('k', counting('b'), { signal: controller.signal }).then(
        (r) => { outcome = r; }, (e) => { outcome = e; });
      await waitFor('b waiting', async () => b.cache.stats().shared.leaseWaits === 1, 5000);
      controller.abort(new Error('client gone'));
      await time.advance(0);
      assert.match(String(outcome?.message), /client gone/);
      assert.equal(b.cache.stats().shared.leaseTimeouts, 0);
      leader.open();
      await leader.leading;
    } finally {
      leader?.open();
      await close();
    }
  });

  // Without the check, b polls until a's lease (5 s of the server's time) runs out, takes it and
  // calls its fetcher for a cache that is gone.
  test('a cache disposed while waiting for another instance\'s fetch stops polling and never calls its fetcher', async () => {
    const { list: [a, b], close } = await instances('node-redis', engines.standalone, 2,
      { sharedOptions: { leaseWaitMs: 60_000, leasePollMs: 20 } });
    let leader;
    try {
      leader = await leaderHeld(a.cache, 'k');
      const fetcher = counting('b');
      const waiting = b.cache.getOrFetch('k', fetcher);
      await waitFor('b waiting', async () => b.cache.stats().shared.leaseWaits === 1, 5000);
      b.cache.dispose();
      await assert.rejects(waiting, (e) => e.code === 'DISPOSED');
      assert.equal(fetcher.calls, 0);
      leader.open();
      await leader.leading;
    } finally {
      leader?.open();
      await close();
    }
  });

  test('a fetch with a timeoutMs or leaseMs longer than leaseMs holds its lease that long (60 s at most): no second leader while it may still run', async () => {
    const { list: [a], close } = await instances('node-redis', engines.standalone, 1, { sharedOptions: { leaseMs: 1000 } });
    let open;
    try {
      const gate = new Promise((resolve) => { open = resolve; });
      const fetches = [['slow', { timeoutMs: 30_000 }], ['plain', {}], ['huge', { timeoutMs: 600_000 }],
        ['bounded', { leaseMs: 20_000 }], ['both', { timeoutMs: 50_000, leaseMs: 10_000 }]]
        .map(([key, options]) => a.cache.getOrFetch(key, counting(() => gate.then(() => 'v')), options));
      await waitFor('the leases taken', async () => a.cache.stats().shared.leases === 5, 5000);
      const pttl = defineScript("return redis.call('PTTL', KEYS[1])");
      const ttl = async (key) => Number(await a.store.evalScript(pttl, [a.store.key(`cache:${key}`, 'lease')], []));
      const [slow, plain, huge] = [await ttl('slow'), await ttl('plain'), await ttl('huge')];
      const [bounded, both] = [await ttl('bounded'), await ttl('both')];
      assert.ok(slow > 1000 && slow <= 30_000, `slow: ${slow}`);
      // leaseMs, the longest a self-bounded fetch may take, wins over its timeoutMs.
      assert.ok(bounded > 1000 && bounded <= 20_000, `bounded: ${bounded}`);
      assert.ok(both > 1000 && both <= 10_000, `both: ${both}`);
      assert.ok(plain > 0 && plain <= 1000, `plain: ${plain}`);
      assert.ok(huge > 30_000 && huge <= 60_000, `huge: ${huge}`);
      open();
      await Promise.all(fetches);
    } finally {
      open?.();
      await close();
    }
  });

  test('an instance that invalidated a key does not read back another instance\'s write of a value fetched before, nor keep it after its check', async () => {
    const { time, list: [a, c], close } = await instances('node-redis', engines.standalone, 2, { ttlMs: 60000 });
    let open;
    try {
      await a.cache.getOrFetch('seen-a', counting('a'));
      await c.cache.getOrFetch('seen-c', counting('c'));
      const gate = new Promise((resolve) => { open = resolve; });
      const before = counting(() => gate.then(() => 'old'));  // c reads the backend before the change
      const fetching = c.cache.getOrFetch('k', before);
      await waitFor('c fetching', async () => before.calls === 1, 5000);
      a.cache.invalidate({ key: 'k' });  // the backend changed: a invalidates
      await a.flush();
      open();
      await fetching;
      await c.flush();  // c writes its value behind, after the invalidation's delete
      assert.deepEqual(await a.cache.getOrFetch('k', counting('new')), { value: 'new', status: 'miss', ageMs: 0 });
      time.now += 1000;  // a's check: its own invalidation comes back, and what it fetched since stays
      assert.deepEqual(await a.cache.getOrFetch('k', counting('unused')), { value: 'new', status: 'hit', ageMs: 1000 });
    } finally {
      open?.();
      await close();
    }
  });

  test('keys with a lone surrogate are not shared: two of them would meet under one store key (U+FFFD in UTF-8), and their invalidation still reaches every instance', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      a.cache.set('user:\uD800', 'private to one user');
      await a.flush();
      assert.deepEqual(await b.cache.getOrFetch('user:\uDC00', counting('own')), { value: 'own', status: 'miss', ageMs: 0 });
      await b.flush();
      assert.equal(a.cache.stats().shared.unshareable, 1);
      // b holds its own lone-surrogate key; a invalidates it: the log must still reach b.
      await b.cache.getOrFetch('seen', counting('b'));
      a.cache.invalidate({ key: 'user:\uDC00' });
      await a.flush();
      time.now += 1000;  // generationCheckMs
      assert.deepEqual(await b.cache.getOrFetch('user:\uDC00', counting('new')), { value: 'new', status: 'miss', ageMs: 0 });
    } finally {
      await close();
    }
  });
});

test('bad shared options throw ConfigError at construction, naming the option', () => {
  const store = { key: () => 'k', get: async () => null, set: async () => {}, delete: async () => true, evalScript: async () => 0, stats: () => ({}) };
  const bad = [
    [{ shared: {} }, /option store must be a store/],
    [{ shared: { ...store, evalScript: undefined } }, /has no evalScript/],
    [{ shared: store, sharedOptions: 'x' }, /sharedOptions/],
    [{ shared: store, sharedOptions: { name: 'has space' } }, /sharedOptions\.name/],
    // 'a' with key 'b:k' and 'a:b' with key 'k' would share one store key: two caches, one entry.
    [{ shared: store, sharedOptions: { name: 'a:b' } }, /sharedOptions\.name/],
    [{ shared: store, sharedOptions: { deadlineMs: 0 } }, /sharedOptions\.deadlineMs/],
    [{ shared: store, sharedOptions: { maxValueBytes: 1.5 } }, /sharedOptions\.maxValueBytes/],
    // Past what the store takes (a Durable Object's 64 KiB): every such write would be refused.
    [{ shared: { ...store, maxValueBytes: 65536 }, sharedOptions: { maxValueBytes: 65537 } }, /sharedOptions\.maxValueBytes .*65536/],
    [{ shared: store, sharedOptions: { maxTtlMs: 10 } }, /sharedOptions\.maxTtlMs/],
    [{ shared: store, sharedOptions: { generationCheckMs: -1 } }, /sharedOptions\.generationCheckMs/],
    [{ shared: store, sharedOptions: { leaseMs: 'long' } }, /sharedOptions\.leaseMs/],
    [{ shared: store, sharedOptions: { leaseWaitMs: 0 } }, /sharedOptions\.leaseWaitMs/],
    [{ shared: store, sharedOptions: { pubsub: 'yes' } }, /sharedOptions\.pubsub/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => new Cache({ maxEntries: 10, ...options }), (e) => e.name === 'ConfigError' && message.test(e.message), message.source);
  }
});
