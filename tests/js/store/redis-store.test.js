// RedisStore against real engines: a standalone redis-server and a 3-node Redis Cluster, through
// node-redis and ioredis: the store contract (store-contract.js), and what only RedisStore does.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { defineScript } from '../../../js/store/script.js';
import { waitFor } from '../../support/redis-engines.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { storeContract } from './store-contract.js';

const engines = redisEngines();

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

      storeContract(async () => ({
        store,
        label: `${kind}:${topology}`,
        async flushScripts() {
          const servers = topology === 'cluster' ? engines.cluster.servers : [engines.standalone.server];
          await Promise.all(servers.map((s) => s.command('SCRIPT', 'FLUSH')));
        },
      }));

      test('detects the client', () => {
        assert.equal(store.kind, topology === 'cluster' ? `${kind}-cluster` : kind);
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

      if (topology === 'standalone') {
        test('the last unsubscribe closes the subscriber connection the store opened: nothing of it keeps the process up', async () => {
          const server = engines.standalone.server;
          const clients = async () => (await server.command('CLIENT', 'LIST')).split('\n').filter((l) => l.includes('addr=')).length;
          const before = await clients();
          const channels = [store.key('idle', 'a'), store.key('idle', 'b')];
          const off = await Promise.all(channels.map((c) => store.subscribe(c, () => {})));
          assert.equal(await clients(), before + 1, 'one connection for both subscriptions');
          await off[0]();
          assert.equal(await clients(), before + 1, 'still one subscription on it');
          await off[1]();
          await waitFor('the subscriber connection closed', async () => (await clients()) === before, 2000);
          // A later subscribe opens one again.
          const again = await store.subscribe(channels[0], () => {});
          assert.equal(await clients(), before + 1);
          await again();
        });
      }
    });
  }
}

test('anything but a node-redis or ioredis client is a CONFIG_INVALID', () => {
  for (const client of [undefined, null, {}, { get() {} }, 'redis://localhost']) {
    assert.throws(() => new RedisStore(client), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});
