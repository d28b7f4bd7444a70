// The dashboard's guard, over the real createGuard and the real demo backend, with a fake clock.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../js/entry.node.js';
import { createGuard } from '../../../js/guard.js';
import { createDemoGuard, guardConfig } from '../../../web-demo/demo-guard.js';
import { ORDER_SCHEMA } from '../../../web-demo/order-schema.js';
import { demoBackendForFile } from '../../support/demo-backend.js';

const SETTINGS = {
  cache: { ttlMs: 5000, swrMs: 2000, sieMs: 120000, policy: 'tinylfu', maxEntries: 100 },
  rateLimit: { limit: 1000, windowMs: 1000, algorithm: 'gcra' },
  breaker: { windowSize: 10, minimumCalls: 4, failureRateThreshold: 50, openMs: 5000, halfOpenCalls: 1, timeoutMs: 2000 },
};
const backend = demoBackendForFile();
let now = 1_000_000;
const clock = () => now;

before(() => init());

function demoGuard(settings = SETTINGS) {
  const states = [];
  const guard = createDemoGuard({ createGuard }, settings, {
    backendUrl: backend.url, clock, schema: ORDER_SCHEMA, onBreaker: (s) => states.push(s),
  });
  return { guard, states };
}
const get = async (guard, id) => {
  const res = await guard.fetch(`/api/products/${id}`);
  await res.arrayBuffer();
  return res;
};
const order = (guard, body) => guard.fetch('/api/orders', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

test('the config maps every panel: lifetimes, policy, breaker thresholds, the orders schema', () => {
  const config = guardConfig(SETTINGS, 'http://b.test', ORDER_SCHEMA);
  assert.deepEqual(config.routes[0].cache, { ttlMs: 5000, staleWhileRevalidateMs: 2000, staleIfErrorMs: 120000, respectOrigin: false });
  assert.deepEqual(config.routes[0].rateLimit.policies, [{ name: 'demo', limit: 1000, windowMs: 1000, algorithm: 'gcra' }]);
  assert.equal(config.upstreams.backend.breaker.openMs, 5000);
  assert.equal(config.upstreams.backend.timeoutMs, 2000);
  assert.equal(config.routes[1].validate.request, ORDER_SCHEMA);
});

test('cached GETs, validated POSTs, and an outage served stale while the breaker opens', async () => {
  const { guard, states } = demoGuard();
  try {
    assert.match((await get(guard, 1)).headers.get('cache-status'), /fwd=uri-miss; fwd-status=200; stored/);
    assert.match((await get(guard, 1)).headers.get('cache-status'), /; hit; ttl=5/);
    const bad = await order(guard, { sku: 'KETTLE', qty: 0 });
    assert.equal(bad.status, 400);
    assert.deepEqual((await bad.json()).errors.map((e) => e.instancePath).sort(), ['/body/qty', '/body/sku']);
    assert.equal((await order(guard, { sku: 'mug-1', qty: 1 })).status, 201);
    backend.server.controls.outage = true;
    now += 10000;
    for (let i = 0; i < 6; i++) {
      const res = await get(guard, 1);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('cache-status'), /detail=stale-if-error/);
    }
    assert.equal(guard.breakerState, 'open');
    assert.deepEqual(states, ['open']);
    assert.equal(guard.health().status, 'fail');
    assert.match(guard.metrics(), /edgeguard_requests_total\{route="product",outcome="stale"\} 6/);
    assert.equal((await order(guard, { sku: 'mug-1', qty: 1 })).status, 503);
    backend.server.controls.outage = false;
    now += 5000;
    assert.match((await get(guard, 1)).headers.get('cache-status'), /stored/);
    assert.equal(guard.breakerState, 'closed');
    assert.deepEqual(states, ['open', 'halfOpen', 'closed']);
  } finally {
    backend.server.controls.outage = false;
    guard.dispose();
  }
});

test('new lifetimes keep the cached entries; a new policy starts empty; refused settings change nothing', async () => {
  const { guard, states } = demoGuard();
  try {
    await get(guard, 2);
    guard.configure('cache', { ...SETTINGS.cache, ttlMs: 60000 });
    assert.match((await get(guard, 2)).headers.get('cache-status'), /; hit/);
    guard.configure('cache', { ...SETTINGS.cache, ttlMs: 60000, policy: 'lru' });
    assert.match((await get(guard, 2)).headers.get('cache-status'), /fwd=uri-miss/);
    assert.throws(() => guard.configure('rateLimit', { ...SETTINGS.rateLimit, limit: 0 }),
      { code: 'CONFIG_INVALID', message: /rateLimit\/policies\/0\/limit/ });
    assert.match((await get(guard, 2)).headers.get('cache-status'), /; hit/, 'the previous guard still serves');
    guard.configure('rateLimit', { ...SETTINGS.rateLimit, limit: 1, windowMs: 60000 });
    assert.equal((await get(guard, 2)).status, 200);
    const limited = await get(guard, 2);
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('ratelimit'), /"demo";r=0/);
    assert.deepEqual(states, ['closed', 'closed', 'closed'], 'each rebuild starts a closed breaker');
  } finally {
    guard.dispose();
  }
});

test('a schema applied from the playground validates the next orders', async () => {
  const { guard } = demoGuard();
  try {
    guard.setSchema({ type: 'object', required: ['coupon'] });
    const res = await order(guard, { sku: 'mug-1', qty: 1 });
    assert.equal(res.status, 400);
    assert.match((await res.json()).errors[0].message, /coupon/);
    assert.throws(() => guard.setSchema({ type: 'nope' }), { code: 'CONFIG_INVALID' });
    assert.equal((await order(guard, { sku: 'mug-1', qty: 1 })).status, 400, 'the coupon schema still applies');
  } finally {
    guard.dispose();
  }
});

test('a rebuild whose cache cannot move over keeps the guard there was, and frees the new one', async () => {
  const made = [];
  const fake = {
    createGuard: (config, options) => {
      const real = createGuard(config, options);
      made.push(real);
      if (made.length === 2) real.cache.restore = () => { throw new Error('restore failed'); };
      return real;
    },
  };
  const guard = createDemoGuard(fake, SETTINGS, { backendUrl: backend.url, clock, schema: ORDER_SCHEMA, onBreaker: () => {} });
  await get(guard, 1);
  assert.throws(() => guard.configure('rateLimit', { ...SETTINGS.rateLimit, limit: 5 }), /restore failed/);
  assert.throws(() => made[1].health(), { code: 'DISPOSED' });
  assert.match((await get(guard, 1)).headers.get('cache-status'), /hit/, 'the first guard and its cache still answer');
  guard.dispose();
});

test('each request counts the calls made to the backend for it, from the guard\'s request event for its id', async () => {
  const { guard } = demoGuard();
  let sent = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    sent++;
    return realFetch(input, init);
  };
  const attempts = async (path, init) => {
    const counter = { attempts: 0 };
    await (await guard.fetch(path, init, counter)).arrayBuffer();
    return counter.attempts;
  };
  const post = { method: 'POST', headers: { 'content-type': 'application/json' } };
  try {
    assert.equal(await attempts('/api/products/7'), 1, 'a miss');
    assert.equal(await attempts('/api/products/7'), 0, 'a hit');
    assert.equal(await attempts('/api/orders', { ...post, body: JSON.stringify({ sku: 'mug-1', qty: 1 }) }), 1);
    assert.equal(await attempts('/api/orders', { ...post, body: JSON.stringify({ qty: 0 }) }), 0, 'refused as invalid');
    assert.equal(sent, 2);
  } finally {
    globalThis.fetch = realFetch;
    guard.dispose();
  }
});
