// UpstashStore through @upstash/redis against the Upstash-REST-compatible server in front of a
// real redis-server: the store contract (store-contract.js), for the client's default base64
// responses and for plain ones, and what only UpstashStore does.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Redis } from '@upstash/redis';
import { ConfigError } from '../../../js/entry.node.js';
import { UpstashStore } from '../../../js/store/upstash-store.js';
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

    test('one command per call, sent on its own (not auto-pipelined) as one HTTP request', async () => {
      const before = fixture.rest.stats();
      await Promise.all([store.get(store.key('one', 'a')), store.get(store.key('one', 'b'))]);
      const after = fixture.rest.stats();
      assert.equal(after.requests - before.requests, 2);
      assert.equal(after.commands - before.commands, 2);
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

test('anything but an @upstash/redis client or a Requester is a CONFIG_INVALID', () => {
  for (const client of [undefined, null, {}, { client: {} }, { get() {} }, 'https://x.upstash.io']) {
    assert.throws(() => new UpstashStore(client), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});
