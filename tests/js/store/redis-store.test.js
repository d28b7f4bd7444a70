// RedisStore against real engines: a standalone redis-server and a 3-node Redis Cluster, through
// node-redis and ioredis.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, EdgeguardError, ConfigError } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { StoreError } from '../../../js/store/store-error.js';
import { defineScript } from '../../../js/store/script.js';
import { startRedis, startRedisCluster, waitFor } from '../../support/redis-engines.js';
import { KINDS, connect } from '../../support/redis-clients.js';

// Two keys written and read in one atomic call: CROSSSLOT on a cluster unless they share a slot.
const pair = defineScript(`
  local n = redis.call('INCRBY', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
  return {n, redis.call('GET', KEYS[2]), redis.call('PTTL', KEYS[1]) > 0 and 1 or 0}`);

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));

const engines = {};
before(async () => {
  await init();
  [engines.standalone, engines.cluster] = await Promise.all([startRedis(), startRedisCluster()]);
});
after(async () => {
  await Promise.all(Object.values(engines).map((e) => e?.stop()));
  assert.deepEqual(unhandled, []);
});

for (const topology of ['standalone', 'cluster']) {
  for (const kind of KINDS) {
    describe(`${kind}, ${topology}`, () => {
      let conn;
      let store;
      before(async () => {
        conn = await connect(kind, engines[topology]);
        store = new RedisStore(conn.client, { deadlineMs: 2000, prefix: `t:${kind}:` });
      });
      after(() => conn?.close());

      test('detects the client', () => {
        assert.equal(store.kind, topology === 'cluster' ? `${kind}-cluster` : kind);
      });

      test('a multi-key script on one tag runs atomically, for many tags (many slots)', async () => {
        for (let i = 0; i < 40; i++) {
          const tag = `user:${i}`;
          const keys = [store.key(tag, 'count'), store.key(tag, 'last')];
          assert.deepEqual(await store.evalScript(pair, keys, [2, 60000, `v${i}`]), [2, `v${i}`, 1]);
          assert.deepEqual(await store.evalScript(pair, keys, [3, 60000, 'w']), [5, 'w', 1]);
        }
      });

      test('a tag with braces, percent signs or nothing still keeps one slot', async () => {
        for (const tag of ['', '}', '{', '{}', '%7B', 'a}b{c', 'ü{x}']) {
          const keys = [store.key(tag, 'count'), store.key(tag, 'last')];
          assert.deepEqual(await store.evalScript(pair, keys, [1, 60000, tag]), [1, tag, 1], JSON.stringify(tag));
        }
      });

      test('keys of different tags in one call are refused before anything is sent', () => {
        const calls = store.stats().calls;
        assert.throws(() => store.evalScript(pair, [store.key('a', 'x'), store.key('b', 'x')], [1, 1000, 'v']),
          (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
        assert.equal(store.stats().calls, calls);
      });

      test('NOSCRIPT after SCRIPT FLUSH: the script is sent again and answers', async () => {
        const script = defineScript(`return redis.call('INCR', KEYS[1]) .. ':${kind}:${topology}'`);
        const key = store.key('flush', 'n');
        assert.equal(await store.evalScript(script, [key], []), `1:${kind}:${topology}`);
        const before = store.stats().scriptReloads;
        const servers = topology === 'cluster' ? engines.cluster.servers : [engines.standalone.server];
        await Promise.all(servers.map((s) => s.command('SCRIPT', 'FLUSH')));
        assert.equal(await store.evalScript(script, [key], []), `2:${kind}:${topology}`);
        assert.equal(await store.evalScript(script, [key], []), `3:${kind}:${topology}`);
        assert.equal(store.stats().scriptReloads, before + 1, 'reloaded once, then run by digest again');
      });

      if (topology === 'cluster') {
        test('a resharded slot: the client follows MOVED, the keys moved with it, the script is sent where it is missing', async () => {
          const script = defineScript(`return {redis.call('INCR', KEYS[1]), redis.call('INCR', KEYS[2])} -- moved ${kind}`);
          const keys = [store.key(`moved:${kind}`, 'a'), store.key(`moved:${kind}`, 'b')];
          assert.deepEqual(await store.evalScript(script, keys, []), [1, 1]);
          const reloads = store.stats().scriptReloads;
          const move = await engines.cluster.moveSlotOf(keys[0]);
          assert.notEqual(move.from, move.to);
          assert.deepEqual(await store.evalScript(script, keys, []), [2, 2]);
          assert.equal(store.stats().scriptReloads, reloads + 1, 'NOSCRIPT on the new node, sent once');
          assert.deepEqual(await store.evalScript(script, keys, []), [3, 3]);
        });
      }

      test('set with a TTL, get, delete; the key expires by itself', async () => {
        const key = store.key('session', 'v');
        assert.equal(await store.set(key, 'hello', { ttlMs: 60000 }), undefined);
        assert.equal(await store.get(key), 'hello');
        assert.equal(await store.delete(key), true);
        assert.equal(await store.get(key), null);
        assert.equal(await store.delete(key), false);
        await store.set(key, 'brief', { ttlMs: 1 });
        await waitFor('expiry', async () => (await store.get(key)) === null, 2000);
      });

      test('set without a TTL is refused: every key expires', () => {
        assert.throws(() => store.set(store.key('a', 'b'), 'v'), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
        assert.throws(() => store.set(store.key('a', 'b'), 'v', { ttlMs: 0 }), ConfigError);
        assert.throws(() => store.set(store.key('a', 'b'), 'v', { ttlMs: 1.5 }), ConfigError);
        assert.throws(() => store.set(store.key('a', 'b'), 7, { ttlMs: 10 }), EdgeguardError);
      });

      test('an error the store answers with is STORE_ERROR and does not count against it', async () => {
        const key = store.key('typed', 'k');
        await store.set(key, 'not a number', { ttlMs: 60000 });
        const incr = defineScript("return redis.call('INCR', KEYS[1])");
        for (let i = 0; i < 10; i++) {
          await assert.rejects(store.evalScript(incr, [key], []),
            (e) => e instanceof StoreError && e.code === 'STORE_ERROR' && /not an integer/.test(e.message) && e.cause !== undefined);
        }
        assert.equal(store.breaker.state, 'closed');
        assert.ok(store.stats().errors >= 10);
      });

      test('publish reaches a subscriber; unsubscribe stops it', async () => {
        const [first, second] = [store.key('events', 'first'), store.key('events', 'second')];
        const got = [];
        const unsubscribe = await store.subscribe(first, (message) => got.push(`first:${message}`));
        await assert.rejects(async () => store.subscribe(first, () => {}), (e) => e.code === 'INVALID_INPUT');
        await store.subscribe(second, (message) => got.push(`second:${message}`));
        await store.publish(first, 'a');
        await waitFor('message', async () => got.length === 1, 2000);
        await unsubscribe();
        await store.publish(first, 'b');
        await store.publish(second, 'c');
        await waitFor('message', async () => got.includes('second:c'), 2000);
        if (topology === 'standalone') {
          // One server, one subscriber connection: messages arrive in the order published.
          assert.deepEqual(got, ['first:a', 'second:c']);
        }
        assert.ok(!got.includes('first:b'));
        store.close();
      });

      test('stats count calls and latency', () => {
        const s = store.stats();
        assert.ok(s.calls > 0 && s.ok > 0);
        assert.equal(s.timeouts, 0);
        assert.equal(s.unavailable, 0);
        assert.equal(s.breaker, 'closed');
        assert.ok(s.latencyMs.p50 <= s.latencyMs.p99 && s.latencyMs.p99 <= s.latencyMs.max);
      });
    });
  }
}

test('anything but a node-redis or ioredis client is a CONFIG_INVALID', () => {
  for (const client of [undefined, null, {}, { get() {} }, 'redis://localhost']) {
    assert.throws(() => new RedisStore(client), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});
