// RedisStore when its redis-server stalls or dies, through node-redis and ioredis. Deadlines run
// on fake timers and the breaker on a fake clock (store-wave.js); the engine and the clients run
// in real time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { StoreError } from '../../../js/store/store-error.js';
import { defineScript } from '../../../js/store/script.js';
import { startRedis, startRedisCluster, waitFor } from '../../support/redis-engines.js';
import { startDelayProxy } from '../../support/delay-proxy.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { FakeTime, settle } from '../resilience_fakes.js';
import { DEADLINE_MS, wave } from './store-wave.js';

const OPEN_MS = 1000;

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));

before(() => init());
after(() => assert.deepEqual(unhandled, []));

for (const kind of KINDS) {
  describe(kind, () => {
    let engine;
    let conn;
    let time;
    let store;
    before(async () => {
      engine = await startRedis();
      conn = await connect(kind, engine);
    });
    after(async () => {
      await conn?.close();
      await engine?.stop();
    });

    function newStore() {
      time = new FakeTime();
      store = new RedisStore(conn.client, {
        deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers,
        breaker: { consecutiveFailures: 3, openMs: OPEN_MS, halfOpenCalls: 1 },
      });
      return store;
    }

    test('a stalled server (SIGSTOP): STORE_TIMEOUT at the deadline, and the late answer is consumed and counted', async () => {
      newStore();
      assert.deepEqual(await wave(store, time, 3, 'warm').finish(true), ['ok', 'ok', 'ok']);
      engine.server.pause();
      try {
        const outcomes = await wave(store, time, 2, 'stall').finish();
        assert.deepEqual(outcomes, ['STORE_TIMEOUT', 'STORE_TIMEOUT']);
      } finally {
        engine.server.resume();
      }
      await waitFor('late answers', async () => store.stats().late === 2, 5000);
      assert.equal(store.stats().timeouts, 2);
      assert.equal(store.breaker.state, 'closed', 'two failures, under the three that trip it');
    });

    test('with the real timers too: a stalled server\'s call is STORE_TIMEOUT while the server is still stalled', async () => {
      const real = new RedisStore(conn.client, { deadlineMs: DEADLINE_MS });
      assert.equal(await real.get(real.key('real', 'k')), null);
      engine.server.pause();
      try {
        await assert.rejects(real.get(real.key('real', 'k')), (e) => e instanceof StoreError && e.code === 'STORE_TIMEOUT');
      } finally {
        engine.server.resume();
      }
      await waitFor('the late answer', async () => real.stats().late === 1, 5000);
    });

    test('killed mid-traffic: typed errors by the deadline, the breaker opens and stops calling; restarted: it probes and resumes', async () => {
      newStore();
      assert.ok((await wave(store, time, 8, 'kill').finish(true)).every((o) => o === 'ok'));
      await engine.server.kill();
      const down = await wave(store, time, 8, 'kill').finish();
      assert.ok(down.every((o) => o === 'STORE_TIMEOUT' || o === 'STORE_UNAVAILABLE'), String(down));
      assert.equal(store.breaker.state, 'open');

      const sentBefore = store.stats().calls - store.stats().refused;
      const refused = await wave(store, time, 8, 'kill').finish();
      assert.deepEqual(refused, new Array(8).fill('STORE_UNAVAILABLE'));
      assert.equal(store.stats().calls - store.stats().refused, sentBefore, 'nothing sent while open');

      await engine.server.restart();
      await conn.ready();
      await time.advance(OPEN_MS);
      // Half-open: one probe goes (the script cache is empty now: NOSCRIPT, then EVAL); it answers.
      const probe = wave(store, time, 1, 'kill');
      assert.deepEqual(await probe.finish(true), ['ok']);
      assert.equal(store.breaker.state, 'closed');
      assert.ok((await wave(store, time, 8, 'kill').finish(true)).every((o) => o === 'ok'));
      assert.ok(store.stats().scriptReloads >= 1);
      assert.deepEqual(unhandled, []);
    });

    test('recovery replays no backlog: calls made while the client is disconnected are never sent later', async () => {
      newStore();
      // Read on a connection of its own: the store's calls run on fake timers.
      const counted = async () => {
        let sum = 0;
        for (let i = 0; i < 4; i++) {
          const reply = await engine.server.command('GET', store.key(`backlog:${i}`, 'n'));
          sum += reply.startsWith('$-1') ? 0 : Number(reply.split('\r\n')[1]);
        }
        return sum;
      };
      assert.deepEqual(await wave(store, time, 4, 'backlog').finish(true), new Array(4).fill('ok'));
      await engine.server.kill();
      await waitFor('the client noticing', async () => !conn.connected(), 5000);
      const down = await wave(store, time, 8, 'backlog').finish();
      assert.ok(down.every((o) => o === 'STORE_UNAVAILABLE' || o === 'STORE_TIMEOUT'), String(down));
      await engine.server.start();
      await conn.ready();
      await time.advance(OPEN_MS);
      assert.deepEqual(await wave(store, time, 1, 'backlog').finish(true), ['ok'], 'the probe');
      assert.deepEqual(await wave(store, time, 3, 'backlog').finish(true), new Array(3).fill('ok'));
      // The server restarted empty: only the 4 calls made after it came back reached it.
      assert.equal(await counted(), 4);
    });

    test('a slow store (a delaying proxy): timeouts trip the breaker, which then stops calling it; fast again: it probes and closes', async () => {
      const proxy = await startDelayProxy(engine);
      const own = await connect(kind, { url: proxy.url, host: proxy.host, port: proxy.port });
      try {
        time = new FakeTime();
        const s = new RedisStore(own.client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers,
          breaker: { consecutiveFailures: 3, openMs: OPEN_MS } });
        assert.deepEqual(await wave(s, time, 2, 'slow').finish(true), ['ok', 'ok']);
        proxy.setDelay(500);
        assert.deepEqual(await wave(s, time, 3, 'slow').finish(), new Array(3).fill('STORE_TIMEOUT'));
        assert.equal(s.breaker.state, 'open');
        assert.deepEqual(await wave(s, time, 3, 'slow').finish(), new Array(3).fill('STORE_UNAVAILABLE'));
        assert.equal(s.stats().refused, 3);
        proxy.setDelay(0);
        await waitFor('the slow answers', async () => s.stats().late === 3, 5000);
        await time.advance(OPEN_MS);
        assert.deepEqual(await wave(s, time, 1, 'slow').finish(true), ['ok']);
        assert.equal(s.breaker.state, 'closed');
      } finally {
        await own.close();
        await proxy.stop();
      }
    });

    test('a server that answers but cannot serve (out of memory) counts as down: STORE_UNAVAILABLE, the breaker opens', async () => {
      newStore();
      await engine.server.command('CONFIG', 'SET', 'maxmemory', '1');
      try {
        const outcomes = await wave(store, time, 3, 'oom').finish(true);
        assert.deepEqual(outcomes, new Array(3).fill('STORE_UNAVAILABLE'));
        assert.equal(store.breaker.state, 'open');
      } finally {
        await engine.server.command('CONFIG', 'SET', 'maxmemory', '0');
      }
    });

    test('a call given up at its deadline whose late answer is NOSCRIPT is not resent as EVAL: nothing runs after the deadline', async () => {
      newStore();
      await engine.server.command('SCRIPT', 'FLUSH');
      engine.server.pause();
      try {
        assert.deepEqual(await wave(store, time, 1, `noscript-late:${kind}`).finish(), ['STORE_TIMEOUT']);
      } finally {
        engine.server.resume();
      }
      await waitFor('the late NOSCRIPT', async () => store.stats().late === 1, 5000);
      const reply = await engine.server.command('EXISTS', store.key(`noscript-late:${kind}:0`, 'n'));
      assert.match(reply, /^:0/, 'the script never ran');
      assert.equal(store.stats().scriptReloads, 0);
    });

    test('a subscribe that timed out on a stalled server and went through later delivers nothing: a new subscribe gets each message once', async () => {
      newStore();
      const channel = store.key('stale', kind);
      const got = [];
      engine.server.pause();
      try {
        const timedOut = assert.rejects(store.subscribe(channel, (m) => got.push(`stale:${m}`)), (e) => e.code === 'STORE_TIMEOUT');
        await time.advance(DEADLINE_MS);
        await timedOut;
      } finally {
        engine.server.resume();
      }
      // No fake time passes for these: they settle when the server answers. The stale SUBSCRIBE
      // was sent first on the one subscriber connection, so it has gone through by then.
      const live = { deadlineMs: 60_000 };
      const unsubscribe = await store.subscribe(channel, (m) => got.push(m), live);
      for (const m of ['a', 'b']) await store.publish(channel, m, live);
      await waitFor('both messages', async () => got.includes('b'), 5000);
      await store.publish(store.key('stale', 'flush'), 'x', live);
      assert.deepEqual(got, ['a', 'b'], 'each message once, none to the timed-out listener');
      await unsubscribe();
      store.close();
    });

    test('an unsubscribe function called again after a new subscribe to its channel leaves the new one alone', async () => {
      newStore();
      const channel = store.key('again', kind);
      const live = { deadlineMs: 60_000 };
      const got = [];
      const first = await store.subscribe(channel, (m) => got.push(`first:${m}`), live);
      await first();
      const second = await store.subscribe(channel, (m) => got.push(`second:${m}`), live);
      await first();
      await store.publish(channel, 'm', live);
      await waitFor('the message', async () => got.length > 0, 5000);
      assert.deepEqual(got, ['second:m']);
      await second();
      store.close();
    });

    test('a quota reply (Upstash over TCP: ERR max requests limit exceeded) counts as down: STORE_UNAVAILABLE, the breaker opens', async () => {
      newStore();
      const quota = defineScript("return redis.error_reply('ERR max requests limit exceeded. Limit: 500000, Usage: 500000.')");
      for (let i = 0; i < 3; i++) {
        await assert.rejects(store.evalScript(quota, [store.key('quota', 'k')], []), (e) => e instanceof StoreError && e.code === 'STORE_UNAVAILABLE');
      }
      assert.equal(store.breaker.state, 'open');
    });

    test('the user\'s client going away entirely (closed) is STORE_UNAVAILABLE, not a hang', async () => {
      const own = await connect(kind, engine);
      time = new FakeTime();
      const s = new RedisStore(own.client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
      await own.close();
      const outcomes = await wave(s, time, 4, 'closed').finish();
      assert.ok(outcomes.every((o) => o === 'STORE_UNAVAILABLE' || o === 'STORE_TIMEOUT'), String(outcomes));
    });
  });
}

test('a client without an \'error\' listener: the store listens, so a server going away does not end the process', async () => {
  const engine = await startRedis();
  const { createClient } = await import('redis');
  const client = createClient({ url: engine.url, socket: { reconnectStrategy: () => 20 } });
  await client.connect();
  const time = new FakeTime();
  const store = new RedisStore(client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
  await engine.server.kill();
  await waitFor('the client noticing', async () => store.stats().clientErrors > 0, 5000);
  const outcomes = await wave(store, time, 2, 'deaf').finish();
  assert.ok(outcomes.every((o) => o === 'STORE_TIMEOUT' || o === 'STORE_UNAVAILABLE'), String(outcomes));
  client.destroy();
  await engine.stop();
});

test('ioredis resends what was unanswered when its connection dropped, a call given up included, unless made with autoResendUnfulfilledCommands: false (as redis-store.d.ts says)', async () => {
  const engine = await startRedis();
  const { Redis } = await import('ioredis');
  const landed = {};
  for (const resend of [true, false]) {
    const client = new Redis(engine.port, engine.host, { retryStrategy: () => 20, autoResendUnfulfilledCommands: resend });
    client.on('error', () => {});
    await waitFor('ioredis', async () => client.status === 'ready', 5000);
    const id = await client.client('ID');
    const time = new FakeTime();
    const store = new RedisStore(client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
    const key = store.key('resend', String(resend));
    // Writes wait unanswered while the server is write-paused; the connection is then dropped.
    await engine.server.command('CLIENT', 'PAUSE', '60000', 'WRITE');
    const call = assert.rejects(store.set(key, 'v', { ttlMs: 60_000 }), (e) => e instanceof StoreError && e.code === 'STORE_TIMEOUT');
    await time.advance(DEADLINE_MS);
    await call;
    await engine.server.command('CLIENT', 'KILL', 'ID', String(id));
    await engine.server.command('CLIENT', 'UNPAUSE');
    await waitFor('ioredis reconnecting', async () => client.status === 'ready' && (await client.client('ID')) !== id, 5000);
    await client.ping();  // answered after anything resent on reconnecting
    landed[resend] = await client.exists(key);
    client.disconnect();
  }
  await engine.stop();
  assert.deepEqual(landed, { true: 1, false: 0 });
});

test('subscribing while the server is down: a typed rejection by the deadline; close() returns at once', async () => {
  const engine = await startRedis();
  for (const kind of KINDS) {
    const conn = await connect(kind, engine);
    const time = new FakeTime();
    const store = new RedisStore(conn.client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
    await engine.server.kill();
    const subscribed = assert.rejects(store.subscribe('down', () => {}), (e) => e instanceof StoreError);
    await time.advance(DEADLINE_MS);
    await subscribed;
    store.close();
    await conn.close();
    await engine.server.start();
  }
  await engine.stop();
  await settle();
  assert.deepEqual(unhandled, []);
});

test('a cluster node killed mid-traffic: typed errors by the deadline; restarted, it rejoins and every slot answers again', async () => {
  const cluster = await startRedisCluster();
  try {
    for (const kind of KINDS) {
      const conn = await connect(kind, cluster);
      const time = new FakeTime();
      const store = new RedisStore(conn.client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers,
        breaker: { consecutiveFailures: 3, openMs: OPEN_MS } });
      // 12 tags land on all three nodes.
      const spread = () => wave(store, time, 12, `node:${kind}`);
      assert.ok((await spread().finish(true)).every((o) => o === 'ok'));
      await cluster.servers[1].kill();
      const down = await spread().finish();
      assert.ok(down.every((o) => ['ok', 'STORE_TIMEOUT', 'STORE_UNAVAILABLE'].includes(o)), String(down));
      assert.ok(down.some((o) => o !== 'ok'), 'the dead node\'s slots fail');
      await cluster.servers[1].start();
      await cluster.waitHealthy();
      await conn.ready();
      await time.advance(OPEN_MS);
      await waitFor('every slot answering', async () => (await spread().finish(true)).every((o) => o === 'ok'), 10000);
      await conn.close();
    }
  } finally {
    await cluster.stop();
  }
  assert.deepEqual(unhandled, []);
});
