// A shared RateLimiter when its redis-server dies or slows down, through node-redis and ioredis,
// in both modes. Deadlines run on fake timers and the breaker on a fake clock, so "within the
// deadline" is exact: once the fake deadline has passed, every check has answered. The engine
// and the clients run in real time. Nothing may reject unhandled.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, RateLimiter } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { startRedis, waitFor } from '../../support/redis-engines.js';
import { startDelayProxy } from '../../support/delay-proxy.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { FakeTime, settle } from '../resilience_fakes.js';

const DEADLINE_MS = 50;
const OPEN_MS = 1000;
const LIMIT = 100;
const INSTANCES = 4;

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));
before(() => init());
after(() => assert.deepEqual(unhandled, []));

let run = 0;

function setup(client, options = {}) {
  const time = new FakeTime();
  time.now = 1000;
  const store = new RedisStore(client, {
    deadlineMs: 5000, clock: time.clock, timers: time.timers,
    breaker: { consecutiveFailures: 3, openMs: OPEN_MS, halfOpenCalls: 1 },
  });
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: LIMIT, windowMs: 60000 }], store, name: `f${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: DEADLINE_MS, expectedInstances: INSTANCES, ...options,
  });
  return { time, store, limiter };
}

/** Starts `n` checks (on `keys` distinct keys); resolves with their results once the fake deadline has passed. */
async function wave(limiter, time, n, tag, { answered = false, keys = n } = {}) {
  const results = new Array(n).fill(undefined);
  const checks = Array.from({ length: n }, (_, i) => limiter.check(`${tag}:${i % keys}`).then((r) => { results[i] = r; }));
  if (answered) await waitFor('answers', async () => results.every((r) => r !== undefined), 5000);
  await time.advance(DEADLINE_MS);
  await settle();
  assert.ok(results.every((r) => r !== undefined), `every check answered by its deadline: ${results.map((r) => r?.source)}`);
  await Promise.all(checks);
  return results;
}

for (const kind of KINDS) {
  for (const mode of ['exact', 'local-first']) {
    describe(`${kind}, ${mode}`, () => {
      let engine;
      let conn;
      before(async () => {
        engine = await startRedis();
        conn = await connect(kind, engine);
      });
      after(async () => {
        await conn?.close();
        await engine?.stop();
      });

      test('killed mid-traffic: every check answers by its deadline from the local fallback (limit / instances); restarted: the store answers again', async () => {
        const { time, store, limiter } = setup(conn.client, { mode });
        const warm = await wave(limiter, time, 8, 'warm', { answered: true });
        assert.ok(warm.every((r) => r.allowed && r.source === 'store'));

        await engine.server.kill();
        const down = await wave(limiter, time, 40, 'down', { keys: 1 });
        assert.ok(down.every((r) => r.source === 'fallback'), down.map((r) => r.source).join());
        assert.equal(down.filter((r) => r.allowed).length, LIMIT / INSTANCES, 'the fallback allows limit / expectedInstances');
        // local-first sends one take for a key however many calls wait on it: more keys, more failures.
        const more = await wave(limiter, time, 8, 'down2');
        assert.ok(more.every((r) => r.allowed && r.source === 'fallback'));
        assert.equal(store.breaker.state, 'open');
        const sent = store.stats().calls - store.stats().refused;
        const refused = await wave(limiter, time, 8, 'open');
        assert.ok(refused.every((r) => r.allowed && r.source === 'fallback'));
        assert.equal(store.stats().calls - store.stats().refused, sent, 'nothing sent while the breaker is open');
        assert.equal(limiter.stats().fallbackDecisions, 56);

        await engine.server.restart();
        await conn.ready();
        await time.advance(OPEN_MS);
        const probe = await wave(limiter, time, 1, 'back', { answered: true });
        assert.equal(probe[0].source, 'store');
        const resumed = await wave(limiter, time, 8, 'back2', { answered: true });
        assert.ok(resumed.every((r) => r.allowed && r.source === 'store'));
        assert.equal(store.breaker.state, 'closed');
      });

      test('a slow store (a delaying proxy): checks answer at their deadline from the fallback, and the store breaker trips', async () => {
        const proxy = await startDelayProxy(engine);
        const own = await connect(kind, { url: proxy.url, host: proxy.host, port: proxy.port });
        try {
          const { time, store, limiter } = setup(own.client, { mode });
          assert.ok((await wave(limiter, time, 2, 'slow-warm', { answered: true })).every((r) => r.source === 'store'));
          proxy.setDelay(500);
          // One check a wave, so one store call each: in mode exact, checks started together share one.
          for (let i = 0; i < 3; i++) {
            const slow = await wave(limiter, time, 1, `slow${i}`);
            assert.equal(slow[0].source, 'fallback');
          }
          assert.equal(store.stats().timeouts, 3);
          assert.equal(store.breaker.state, 'open');
          for (let i = 0; i < 3; i++) await wave(limiter, time, 1, `slow-open${i}`);
          assert.equal(store.stats().refused, 3, 'refused by the breaker, not sent');
        } finally {
          proxy.setDelay(0);
          await own.close();
          await proxy.stop();
        }
      });

      test('onStoreError: closed refuses, open allows, both marked as the fallback', async () => {
        await engine.server.kill();
        try {
          for (const [onStoreError, allowed] of [['closed', false], ['open', true]]) {
            const { time, limiter } = setup(conn.client, { mode, onStoreError });
            const results = await wave(limiter, time, 5, onStoreError);
            assert.ok(results.every((r) => r.allowed === allowed && r.source === 'fallback'), onStoreError);
            if (!allowed) assert.ok(results.every((r) => r.retryAfterMs > 0 && r.headers['Retry-After']));
          }
        } finally {
          await engine.server.restart();
          await conn.ready();
        }
      });
    });
  }
}
