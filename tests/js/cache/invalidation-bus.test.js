// Immediate eviction by pub/sub (js/cache/invalidation-bus.js) on a real redis-server and a real
// 3-node Cluster, through node-redis and ioredis (whose subscriber is a duplicate connection of
// the store's). The caches' fake clock stands still while a message travels in real time: what a
// message evicts is evicted before generationCheckMs could have made the log due.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Cache } from '../../../js/entry.node.js';
import { InvalidationBus, decodeMessage, encodeMessage } from '../../../js/cache/invalidation-bus.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { startRedis, waitFor } from '../../support/redis-engines.js';
import { KINDS } from '../../support/redis-clients.js';
import { counting, instances } from './shared-caches.js';

const engines = redisEngines();
const CHECK_MS = 60_000;  // the log's bound: never reached while the fake clock stands still
const LIFE = { ttlMs: 600_000, tags: ['t'] };

const subscribed = (list) => waitFor('every cache subscribed', async () => list.every((x) => x.cache.stats().shared.subscriptions === 1), 5000);
// The server's raw reply: *2, the channel, then :<subscribers>.
const numsub = async (engine, channel) => Number(/:(\d+)\s*$/.exec(await engine.server.command('PUBSUB', 'NUMSUB', channel))[1]);

test('a message is JSON [generation, kind, value]; anything else is not one', () => {
  assert.deepEqual(decodeMessage(encodeMessage('e:3', 't', 'x')), ['e:3', 't', 'x']);
  for (const bad of ['', 'null', '["e:1","t"]', '["e:1","z","x"]', '[1,"k","x"]', '["e:1","k",2]']) assert.equal(decodeMessage(bad), undefined, bad);
});

for (const topology of ['standalone', 'cluster']) {
  for (const kind of KINDS) {
    describe(`${topology}, ${kind}`, () => {
      test('an invalidation evicts from another instance\'s memory at once, before its log check is due; the log then brings it without applying it twice', async () => {
        const { time, list: [a, b], close } = await instances(kind, engines[topology], 2, { sharedOptions: { generationCheckMs: CHECK_MS } });
        try {
          await a.cache.getOrFetch('k', counting('old'), LIFE);
          await a.flush();
          assert.equal((await b.cache.getOrFetch('k', counting('unused'), LIFE)).shared, true);
          await subscribed([a, b]);
          const checks = b.cache.stats().shared.checks;
          const at = time.now;

          a.cache.invalidate({ tag: 't' });
          await a.flush();
          await waitFor('b heard it', async () => b.cache.stats().shared.heard === 1, 5000);
          assert.equal(time.now, at);
          assert.equal(b.cache.get('k'), undefined);
          assert.equal(b.cache.stats().shared.checks, checks);
          // The store's copy predates the invalidation: not read back either.
          assert.deepEqual(await b.cache.getOrFetch('k', counting('new'), LIFE), { value: 'new', status: 'miss', ageMs: 0 });
          await b.flush();

          time.now += CHECK_MS;  // b's check reads the log: the invalidation is there, already applied
          assert.deepEqual(await b.cache.getOrFetch('k', counting('unused'), LIFE), { value: 'new', status: 'hit', ageMs: CHECK_MS });
          const sb = b.cache.stats();
          assert.equal(sb.shared.checks, checks + 1);
          assert.equal(sb.evictions.invalidate, 1);
          const sa = a.cache.stats().shared;
          assert.deepEqual([sa.published, sa.heard, sa.subscribeErrors], [1, 0, 0]);  // its own message is not applied again
        } finally {
          await close();
        }
      });
    });
  }
}

describe('standalone, node-redis', () => {
  test('a message heard while the one before it was missed: applied at once, and the log, due at once, brings the missed one and not the heard one again', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2, { sharedOptions: { generationCheckMs: CHECK_MS } });
    try {
      // Over a's store, publishing nothing: its invalidation reaches b by the log only (a lost message).
      const done = [];
      const silent = new Cache({
        maxEntries: 10, clock: time.clock, shared: a.store, sharedOptions: { pubsub: false }, waitUntil: (p) => done.push(p),
      });
      const life = { ttlMs: 600_000 };
      for (const k of ['k1', 'k2']) await a.cache.getOrFetch(k, counting(`${k}-old`), life);
      await a.flush();
      for (const k of ['k1', 'k2']) assert.equal((await b.cache.getOrFetch(k, counting('unused'), life)).shared, true);
      await subscribed([a, b]);

      silent.invalidate({ key: 'k1' });
      await Promise.all(done);
      a.cache.invalidate({ key: 'k2' });
      await a.flush();
      await waitFor('b heard it', async () => b.cache.stats().shared.heard === 1, 5000);
      assert.equal(b.cache.peek('k2'), undefined);
      b.cache.set('k2', 'k2-new', life);
      // The clock has not moved, yet the log is due: get() serves k1 once more and starts the check.
      assert.equal(b.cache.get('k1').value, 'k1-old');
      await b.flush();
      assert.equal(b.cache.get('k1'), undefined);
      assert.equal(b.cache.get('k2').value, 'k2-new');
      assert.equal(b.cache.stats().evictions.invalidate, 2);
      silent.dispose();
    } finally {
      await close();
    }
  });

  test('pubsub: false keeps to the log: no subscription, nothing published', async () => {
    const { time, list: [a, b], close } = await instances('node-redis', engines.standalone, 2, { sharedOptions: { pubsub: false } });
    try {
      await a.cache.getOrFetch('k', counting('old'), LIFE);
      await a.flush();
      await b.cache.getOrFetch('k', counting('unused'), LIFE);
      a.cache.invalidate({ tag: 't' });
      await a.flush();
      assert.equal(b.cache.get('k').value, 'old');
      time.now += 1000;
      assert.equal((await b.cache.getOrFetch('k', counting('new'), LIFE)).value, 'new');
      for (const x of [a, b]) {
        const s = x.cache.stats().shared;
        assert.deepEqual([s.subscriptions, s.published, s.heard], [0, 0, 0]);
      }
    } finally {
      await close();
    }
  });

  test('dispose() unsubscribes', async () => {
    const { list: [a, b], close } = await instances('node-redis', engines.standalone, 2);
    try {
      await a.cache.getOrFetch('k', counting('v'));
      await b.cache.getOrFetch('k', counting('v'));
      await subscribed([a, b]);
      const channel = a.store.key('cache:invalidations', 'bus');
      assert.equal(await numsub(engines.standalone, channel), 2);
      b.cache.dispose();
      await b.flush();
      assert.equal(await numsub(engines.standalone, channel), 1);
    } finally {
      await close();
    }
  });
});

for (const kind of KINDS) {
  describe(`${kind}, redis-server killed while subscribed`, () => {
    let engine;
    before(async () => { engine = await startRedis(); });
    after(() => engine?.stop());

    test('callers see no error while it is down; once it is back the subscription is too, and a message evicts at once again', async () => {
      const { time, list: [a, b], close } = await instances(kind, engine, 2, { sharedOptions: { generationCheckMs: CHECK_MS } });
      try {
        await a.cache.getOrFetch('k', counting('old'), LIFE);
        await a.flush();
        await b.cache.getOrFetch('k', counting('unused'), LIFE);
        await subscribed([a, b]);
        const channel = a.store.key('cache:invalidations', 'bus');

        await engine.server.kill();
        assert.deepEqual(await b.cache.getOrFetch('k', counting('unused'), LIFE), { value: 'old', status: 'hit', ageMs: 0 });
        assert.deepEqual(await a.cache.getOrFetch('other', counting('fetched'), LIFE), { value: 'fetched', status: 'miss', ageMs: 0 });
        await a.flush();
        // Restarted only once b's subscriber has failed to reach it: a restart inside the
        // client's first reconnect delay would leave nothing for it to see (a race under load).
        await waitFor('the subscriber saw the server go', async () => b.cache.stats().shared.store.subscriberErrors > 0, 5000);

        await engine.server.start();
        await waitFor('both subscribed again', async () => (await numsub(engine, channel)) === 2, 5000);
        await waitFor('the clients connected', async () => a.client.status === 'ready' || a.client.isReady === true, 5000);
        a.cache.invalidate({ tag: 't' });
        await a.flush();
        await waitFor('b heard it', async () => b.cache.stats().shared.heard === 1, 5000);
        assert.equal(b.cache.get('k'), undefined);
        assert.equal(time.now, 1_000_000);
        const s = b.cache.stats().shared;
        assert.equal(s.subscribeErrors, 0);
        assert.ok(s.store.subscriberErrors > 0, 'the subscriber connection saw the server go');
      } finally {
        await close();
      }
    });
  });
}

test('a subscribe that answers after the deadline (a store of the user\'s own) is ended, not left live', async () => {
  let live = 0;
  const late = [];
  const store = { subscribe: () => new Promise((resolve) => late.push(() => { live++; resolve(async () => { live--; }); })) };
  // The tier's attempt, given up at its deadline: here, at once.
  const attempt = (send) => {
    send({});
    return Promise.reject(new Error('deadline'));
  };
  const counts = { subscriptions: 0, subscribeErrors: 0 };
  const bus = new InvalidationBus(store, 'ch', attempt, () => {}, counts, () => {});
  for (let i = 0; i < 5; i++) {
    bus.listen();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(counts.subscribeErrors, 5);
  for (const answer of late) answer();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(live, 0, 'each late subscription was ended');
  await bus.close();
});
