import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { init } from '../../js/entry.node.js';
import { edgeguard } from '../../js/hono.js';
import { FakeTime } from './resilience_fakes.js';
import { RedisStore } from '../../js/store/redis-store.js';
import { startRedis } from '../support/redis-engines.js';
import { connect } from '../support/redis-clients.js';

before(() => init());

function app(handler) {
  const time = new FakeTime();
  const calls = [];
  const mw = edgeguard({
    upstreams: { api: { origin: 'http://backend.test', breaker: { minimumCalls: 1, openMs: 1000 } } },
    routes: [
      { name: 'brand', method: 'GET', path: '/v1/brands/:id', cache: { ttlMs: 1000, staleIfErrorMs: 60000 } },
      { name: 'create', method: 'POST', path: '/v1/brands', validate: { request: { type: 'object', required: ['name'] } },
        rateLimit: { key: 'route', policies: [{ limit: 2, windowMs: 1000 }] } },
    ],
  }, {
    clock: time.clock, timers: time.timers, requestId: () => 'id',
    fetch: async (url, init) => { calls.push(url); return handler(url, init); },
  });
  const hono = new Hono();
  hono.use('*', mw);
  hono.get('/local', (c) => c.json({ local: true }));
  return { hono, calls, time, mw };
}

const ok = () => new Response('{"id":1}', { headers: { 'content-type': 'application/json' } });

test('routed requests are answered by the gateway, others go on to the app', async () => {
  const { hono, calls } = app(ok);
  const res = await hono.request('/v1/brands/1');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-status'), 'edgeguard; fwd=uri-miss; fwd-status=200; stored');
  assert.equal(res.headers.get('x-request-id'), 'id');
  assert.deepEqual(calls, ['http://backend.test/v1/brands/1']);
  const local = await hono.request('/local');
  assert.deepEqual(await local.json(), { local: true });
  assert.equal((await hono.request('/missing')).status, 404);  // Hono's own 404
  assert.equal(calls.length, 1);
});

test('validation, rate limits, health and metrics through the middleware', async () => {
  const { hono, mw } = app(ok);
  const bad = await hono.request('/v1/brands', { method: 'POST', body: '{}' });  // counts: the limit comes first
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('content-type'), 'application/problem+json');
  assert.equal((await hono.request('/v1/brands', { method: 'POST', body: '{"name":"a"}' })).status, 200);
  const limited = await hono.request('/v1/brands', { method: 'POST', body: '{"name":"a"}' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.equal((await (await hono.request('/healthz')).json()).status, 'pass');
  assert.match(await (await hono.request('/metrics')).text(), /edgeguard_rate_limited_total\{route="create"\} 1/);
  assert.match(await mw.gateway.metrics(), /edgeguard_requests_total\{route="create",outcome="invalid_request"\} 1/);
});

test('backend down: stale from cache, then 503 while the circuit is open', async () => {
  let down = false;
  const { hono, time } = app(() => { if (down) throw new TypeError('fetch failed'); return ok(); });
  await hono.request('/v1/brands/1');
  down = true;
  await time.advance(1500);
  const stale = await hono.request('/v1/brands/1');
  assert.equal(stale.status, 200);
  assert.match(stale.headers.get('cache-status'), /detail=stale-if-error/);
  const open = await hono.request('/v1/brands/2');
  assert.equal(open.status, 503);
  assert.equal(open.headers.get('retry-after'), '1');
});

test("a store given as a function of the env gets Hono's c.env, once; a global route shares its limit through it", async () => {
  const engine = await startRedis();
  const conn = await connect('node-redis', engine);
  try {
    const envs = [];
    const config = {
      upstreams: { api: { origin: 'http://backend.test' } },
      routes: [{ name: 'shared', path: '/shared', rateLimit: { key: 'route', scope: 'global', policies: [{ limit: 2, windowMs: 60000 }] } }],
      // A deadline no loaded machine reaches: past the default 50 ms, a check is answered by the
      // local fallback (its own count), which let the third request through once in CI-like load.
      store: { mode: 'exact', deadlineMs: 10000 },
    };
    const apps = [0, 1].map(() => {
      const hono = new Hono();
      hono.use('*', edgeguard(config, { fetch: async () => ok(), store: (env) => { envs.push(env); return env.STORE; } }));
      return hono;
    });
    const env = { STORE: new RedisStore(conn.client) };
    const statuses = [];
    for (const hono of [apps[0], apps[1], apps[1]]) statuses.push((await hono.request('/shared', {}, env)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.deepEqual(envs, [env, env]);  // once per app
  } finally {
    await conn.close();
    await engine.stop();
  }
});
