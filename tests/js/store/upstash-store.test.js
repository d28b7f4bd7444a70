// UpstashStore through @upstash/redis against the Upstash-REST-compatible server in front of a
// real redis-server: the store contract (store-contract.js), for the client's default base64
// responses and for plain ones, and what only UpstashStore does.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Redis } from '@upstash/redis';
import { ConfigError } from '../../../js/entry.node.js';
import { UpstashStore } from '../../../js/store/upstash-store.js';
import { defineScript } from '../../../js/store/script.js';
import { waitFor } from '../../support/redis-engines.js';
import { upstashFixture } from './upstash-fixture.js';
import { storeContract } from './store-contract.js';

const fixture = upstashFixture();

for (const responseEncoding of ['base64', false]) {
  describe(`@upstash/redis, responseEncoding ${responseEncoding}`, () => {
    let client;
    let store;
    before(() => {
      client = new Redis({ url: fixture.rest.url, token: fixture.rest.token, retry: false, responseEncoding });
      store = new UpstashStore(client, { deadlineMs: 2000, prefix: `t:${responseEncoding}:` });
    });

    storeContract(async () => ({
      store,
      label: `upstash:${responseEncoding}`,
      flushScripts: () => fixture.engine.server.command('SCRIPT', 'FLUSH'),
    }));

    test('the calls of one synchronous stretch go as one request (a pipeline), each answered on its own', async () => {
      const bad = defineScript(`return redis.call('INCR', KEYS[1]) -- ${responseEncoding}`);
      await bad.sha1();
      await store.set(store.key('batch', 'text'), 'not a number', { ttlMs: 60000 });
      const before = fixture.rest.stats();
      const [a, failed, b] = await Promise.allSettled([store.get(store.key('batch', 'text')),
        store.evalScript(bad, [store.key('batch', 'text')], []), store.get(store.key('batch', 'none'))]);
      assert.deepEqual([a.value, failed.reason?.code, b.value], ['not a number', 'STORE_ERROR', null]);
      const after = fixture.rest.stats();
      // One pipeline of three, then the script's EVAL on its own (the server had answered NOSCRIPT).
      assert.deepEqual([after.requests - before.requests, after.commands - before.commands], [2, 4]);
    });

    test('a pipeline holds at most 64 calls: 150 calls in one stretch are three requests', async () => {
      const before = fixture.rest.stats();
      const keys = Array.from({ length: 150 }, (_, i) => store.key('many', String(i)));
      const values = await Promise.all(keys.map((key) => store.get(key)));
      assert.deepEqual(values, keys.map(() => null));
      const after = fixture.rest.stats();
      assert.deepEqual([after.requests - before.requests, after.commands - before.commands], [3, 150]);
    });

    test('scripts flushed under a pipeline of calls: each call is resent as EVAL, all answer', async () => {
      const script = defineScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
      const key = store.key('flushed', String(responseEncoding));
      await store.evalScript(script, [key], [1]);
      await fixture.engine.server.command('SCRIPT', 'FLUSH');
      const reloads = store.stats().scriptReloads;
      const before = fixture.rest.stats();
      const got = await Promise.all([1, 2, 3].map((n) => store.evalScript(script, [key], [n])));
      assert.deepEqual(got.map(Number).sort((x, y) => x - y), [2, 4, 7]);
      assert.equal(store.stats().scriptReloads - reloads, 3);
      assert.equal(fixture.rest.stats().requests - before.requests, 2, 'EVALSHA x3, then EVAL x3');
    });

    test('publish reaches a subscriber on the redis-server; there is no subscribe over REST', async () => {
      const subscriber = createClient({ url: fixture.engine.url });
      await subscriber.connect();
      try {
        const got = [];
        const channel = store.key('events', String(responseEncoding));
        await subscriber.subscribe(channel, (message) => got.push(message));
        await store.publish(channel, 'ü a');
        await waitFor('message', async () => got.length === 1, 2000);
        assert.deepEqual(got, ['ü a']);
        assert.equal(store.subscribe, undefined);
      } finally {
        subscriber.destroy();
      }
    });
  });
}

test('the client\'s Requester (redis.client) passed on its own works as the client', async () => {
  const client = new Redis({ url: fixture.rest.url, token: fixture.rest.token, retry: false });
  const store = new UpstashStore(client.client, { deadlineMs: 2000 });
  await store.set(store.key('requester', 'k'), '42', { ttlMs: 60000 });
  assert.equal(await store.get(store.key('requester', 'k')), '42');
});

test('a Requester that throws instead of rejecting: the call is STORE_UNAVAILABLE at once, nothing uncaught', async (t) => {
  const uncaught = [];
  const listener = (e) => uncaught.push(e);
  process.on('uncaughtException', listener);
  t.after(() => process.off('uncaughtException', listener));
  const store = new UpstashStore({ request() { throw new Error('sync throw'); } }, { deadlineMs: 60000 });
  // Settled by the throw: the deadline would have answered STORE_TIMEOUT, a minute later.
  await assert.rejects(store.get('k'), (e) => e.code === 'STORE_UNAVAILABLE');
  assert.deepEqual(uncaught, []);
  assert.equal(store.stats().timeouts, 0);
});

test('anything but an @upstash/redis client or a Requester is a CONFIG_INVALID', () => {
  for (const client of [undefined, null, {}, { client: {} }, { get() {} }, 'https://x.upstash.io']) {
    assert.throws(() => new UpstashStore(client), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});
