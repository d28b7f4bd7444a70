// The gateway and guard on a shared store (js/guard-store.js wired into js/guard.js and
// js/gateway.js): two gateways, each with its own client to one real redis-server, share the
// limit of a 'global' route and not of a 'local' one; with the server killed every request is
// still answered (the limiter's local fallback), health degrades and metrics count the store's
// failures; restarted, the limit is shared again. The upstream is a function (it is not what is
// tested); the gateways, limiters and stores run on one fake clock and fake timers.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, ConfigError } from '../../js/entry.node.js';
import { createGateway } from '../../js/gateway.js';
import { createGuard } from '../../js/guard.js';
import { RedisStore } from '../../js/store/redis-store.js';
import { startRedis, waitFor } from '../support/redis-engines.js';
import { connect } from '../support/redis-clients.js';
import { FakeTime, settle } from './resilience_fakes.js';

const ORIGIN = 'http://backend.test';
const OPEN_MS = 1000;
const LIMIT = 3;

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));
before(() => init());
after(() => assert.deepEqual(unhandled, []));

let tests = 0;
function config(routes = undefined, store = {}) {
  const rateLimit = (scope) => ({ key: 'ip', scope, policies: [{ name: 'minute', limit: LIMIT, windowMs: 60000 }] });
  return {
    upstreams: { api: { origin: ORIGIN } },
    routes: routes ?? [
      { name: 'global', path: '/global', rateLimit: rateLimit('global') },
      { name: 'local', path: '/local', rateLimit: rateLimit('local') },
      { name: 'keyed', path: '/keyed', rateLimit: { ...rateLimit('global'), key: 'header:x-key' } },
    ],
    clientIp: { header: 'x-forwarded-for' },
    // Each test its own keys on the one server; 'exact': one store call per check.
    store: { prefix: `test${++tests}:`, mode: 'exact', expectedInstances: 2, ...store },
  };
}

const upstream = async () => new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
const get = (path, ip = '203.0.113.7') => new Request(`http://gateway.test${path}`, { headers: { 'x-forwarded-for': ip } });

describe('config', () => {
  test("a 'global' route or a shared breaker without a store is a ConfigError at construction", () => {
    assert.throws(() => createGateway(config(), { fetch: upstream }),
      (e) => e instanceof ConfigError && e.path === '/routes/0/rateLimit/scope' && /no(ne)? .*store/.test(e.message));
    const shared = { ...config([{ path: '/x' }]), upstreams: { api: { origin: ORIGIN, breaker: { share: { quorum: 2 } } } } };
    assert.throws(() => createGuard(shared, { fetch: upstream }),
      (e) => e instanceof ConfigError && e.path === '/upstreams/api/breaker/share');
    const sharedId = { ...shared, upstreams: { api: { ...shared.upstreams.api, breaker: { ...shared.upstreams.api.breaker, share: { instanceId: 'pod-1' } } } } };
    // Refused while the configuration is read: the store is never called.
    const store = Object.fromEntries(['key', 'evalScript', 'get', 'set', 'delete', 'stats'].map((m) => [m, () => assert.fail(m)]));
    assert.throws(() => createGuard(sharedId, { fetch: upstream, store }),
      (e) => e instanceof ConfigError && e.path === '/upstreams/api/breaker/share/instanceId');
    // A local route needs none.
    createGuard(config([{ path: '/x', rateLimit: { policies: [{ limit: 1, windowMs: 1000 }] } }])).dispose();
  });

  test('the store option must be a Store; the store section is checked by the schema', () => {
    assert.throws(() => createGuard(config(), { store: { get() {} } }),
      (e) => e instanceof ConfigError && e.path === '/options/store' && /evalScript/.test(e.message));
    assert.throws(() => createGuard(config(), { store: null }), (e) => e.path === '/options/store');
    assert.throws(() => createGuard({ ...config(), store: { mode: 'sometimes' } }), (e) => e.path === '/store/mode');
    assert.throws(() => createGuard({ ...config(), store: { prefx: 'a' } }), (e) => e.path === '/store/prefx');
    const scope = config();
    scope.routes[0].rateLimit.scope = 'world';
    assert.throws(() => createGuard(scope), (e) => e.path === '/routes/0/rateLimit/scope');
  });
});

describe('on a real redis-server', () => {
  let engine;
  const conns = [];
  before(async () => {
    engine = await startRedis();
    conns.push(await connect('node-redis', engine), await connect('ioredis', engine));
  });
  after(async () => {
    for (const c of conns) await c.close();
    await engine?.stop();
  });

  // Two instances: each a gateway with its own client (node-redis, ioredis) and store.
  function instances(cfg = config()) {
    const time = new FakeTime();
    time.now = 1_700_000_000_000;
    const stores = conns.map((c) => new RedisStore(c.client, {
      clock: time.clock, timers: time.timers, breaker: { consecutiveFailures: 3, openMs: OPEN_MS },
    }));
    const gateways = stores.map((store) => createGateway(cfg, {
      fetch: upstream, clock: time.clock, timers: time.timers, store,
    }));
    return { time, stores, gateways };
  }

  async function statuses(gateway, path, n, ip) {
    const out = [];
    for (let i = 0; i < n; i++) out.push((await gateway.fetch(get(path, ip))).status);
    return out;
  }

  test("a 'global' route's limit is shared by both gateways, with its RateLimit fields; a 'local' one is not", async () => {
    const { gateways: [a, b] } = instances();
    assert.deepEqual(await statuses(a, '/global', LIMIT), [200, 200, 200]);
    const refused = await b.fetch(get('/global'));
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('ratelimit') ?? '', /"minute";r=0/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    // Another client has its own allowance, on either gateway.
    assert.equal((await b.fetch(get('/global', '198.51.100.1'))).status, 200);
    assert.deepEqual(await statuses(a, '/local', LIMIT + 1), [200, 200, 200, 429]);
    assert.deepEqual(await statuses(b, '/local', LIMIT), [200, 200, 200]);
    // A key over the limiter's maxKeyBytes is the client's fault, as on a local route.
    const long = await a.fetch(new Request('http://gateway.test/keyed', { headers: { 'x-key': 'k'.repeat(2000) } }));
    assert.equal(long.status, 431);
  });

  test('health and metrics show the store; the guard reports it too', async () => {
    const { gateways: [a], stores: [store] } = instances();
    await statuses(a, '/global', 2);
    const health = await (await a.fetch(get('/healthz'))).json();
    assert.equal(health.status, 'pass');
    assert.deepEqual([health.checks.store[0].observedValue, health.checks.store[0].status], ['closed', 'pass']);
    const text = await (await a.fetch(get('/metrics'))).text();
    const ok = store.stats().ok;
    assert.ok(ok >= 2);
    assert.match(text, new RegExp(`^edgeguard_store_calls_total\\{result="ok"\\} ${ok}$`, 'm'));
    assert.match(text, /^edgeguard_store_circuit_state 0$/m);
    assert.match(text, /^edgeguard_store_latency_seconds\{quantile="0.99"\} [0-9.e-]+$/m);

    const guard = createGuard(config(), { fetch: upstream, store });
    try {
      assert.equal(guard.health().checks.store[0].observedValue, 'closed');
      assert.match(guard.metrics(), /^edgeguard_store_calls_total\{result="ok"\} \d+$/m);
      assert.equal((await guard.fetch('/global', { headers: { 'x-forwarded-for': '192.0.2.1' } })).status, 200);
    } finally {
      guard.dispose();
    }
    // Without a store: no store check, no store series.
    const plain = createGuard(config([{ path: '/x' }]));
    assert.equal(plain.health().checks.store, undefined);
    assert.doesNotMatch(plain.metrics(), /^edgeguard_store_calls_total\{/m);
    plain.dispose();
  });

  test('redis killed: every request is answered by the fallback, health degrades, metrics count; restarted: shared again', async () => {
    const { time, gateways: [a, b], stores } = instances();
    assert.deepEqual(await statuses(a, '/global', 1), [200]);
    await engine.server.kill();
    try {
      await waitFor('both clients to see the server gone', async () => conns.every((c) => !c.connected()), 5000);
      // The local fallback (limit / expectedInstances, at least 1) answers: some allowed, then
      // refused, never a failure and never everything let through.
      const down = await statuses(a, '/global', LIMIT + 2);
      assert.ok(down.every((s) => s === 200 || s === 429), `${down}`);
      assert.equal(down.at(-1), 429, `the fallback still limits: ${down}`);
      assert.deepEqual(await statuses(b, '/local', 1), [200]);

      assert.equal(stores[0].breaker.state, 'open');
      const health = await (await a.fetch(get('/healthz'))).json();
      assert.equal(health.status, 'warn');
      assert.deepEqual([health.checks.store[0].observedValue, health.checks.store[0].status], ['open', 'fail']);
      assert.equal((await a.fetch(get('/healthz'))).status, 200);  // degraded, not failing
      const text = await (await a.fetch(get('/metrics'))).text();
      const unavailable = Number(/^edgeguard_store_calls_total\{result="unavailable"\} (\d+)$/m.exec(text)?.[1]);
      assert.equal(unavailable, stores[0].stats().unavailable);
      assert.ok(unavailable >= 3, text);
      assert.match(text, /^edgeguard_store_refused_total [1-9]\d*$/m);
      assert.match(text, /^edgeguard_store_circuit_state 1$/m);
      assert.match(text, /^edgeguard_rate_limit_fallback_total\{route="global"\} [1-9]\d*$/m);
    } finally {
      await engine.server.start();
      await Promise.all(conns.map((c) => c.ready()));
    }
    await time.advance(OPEN_MS);  // the stores' breakers let a probe through
    await settle();
    // The restarted server kept nothing: a fresh shared allowance, used up across both gateways.
    const ip = '192.0.2.99';
    assert.deepEqual([...await statuses(a, '/global', 2, ip), ...await statuses(b, '/global', 2, ip)], [200, 200, 200, 429]);
    assert.equal(stores[0].breaker.state, 'closed');
    assert.equal((await a.health()).status, 'pass');
  });

  test('a shared breaker: one gateway tripping opens the other, named after the upstream in the store', async () => {
    const cfg = {
      ...config([{ name: 'api', path: '/api' }]),
      upstreams: { api: { origin: ORIGIN, breaker: {
        minimumCalls: 2, failureRateThreshold: 50, openMs: 60000, share: { quorum: 1, publishIntervalMs: 100 },
      } } },
    };
    const failing = async () => new Response('down', { status: 500 });
    const time = new FakeTime();
    const [a, b] = conns.map((c, i) => createGateway(cfg, {
      fetch: i === 0 ? failing : upstream, clock: time.clock, timers: time.timers,
      store: new RedisStore(c.client, { clock: time.clock, timers: time.timers }),
    }));
    assert.deepEqual(await statuses(b, '/api', 1), [200]);
    assert.deepEqual(await statuses(a, '/api', 2), [500, 500]);
    const state = async (g) => (await g.health()).checks['upstream:api'][0].observedValue;
    assert.equal(await state(a), 'open');
    // Its report lands in the background, under the name the config gives: prefix and upstream.
    const reports = new RedisStore(conns[0].client).key(`breaker:${cfg.store.prefix}api`, 'opens');
    await waitFor('a\'s report in the store', async () => (await conns[0].client.exists(reports)) === 1, 5000);
    time.now += 100;  // b's view is a publish interval old: its next call refreshes it
    assert.deepEqual(await statuses(b, '/api', 1), [200]);
    await waitFor('b to adopt the open report', async () => (await state(b)) === 'open', 5000);
    assert.deepEqual(await statuses(b, '/api', 1), [503]);
    assert.match(await b.metrics(), /^edgeguard_circuit_open_reports\{upstream="api"\} 1$/m);
  });

  test("'local-first' (the default mode): the runtime's waitUntil gets the background store calls; two gateways stay within the bound", async () => {
    const limit = 8;
    const cfg = config([{ name: 'lf', path: '/lf', rateLimit: { key: 'ip', scope: 'global', policies: [{ name: 'minute', limit, windowMs: 60000 }] } }],
      { mode: undefined });
    const { gateways } = instances(cfg);
    const waits = [];
    const ctx = { waitUntil: (promise) => waits.push(promise) };
    let allowed = 0;
    for (let i = 0; i < 3 * limit; i++) {
      const answer = await gateways[i % 2].fetch(get('/lf'), {}, ctx);
      assert.ok(answer.status === 200 || answer.status === 429, `${answer.status}`);
      assert.match(answer.headers.get('ratelimit') ?? '', /"minute";r=\d+;t=\d+/);
      if (answer.status === 200) allowed++;
    }
    // local-first.js: at most the limit plus each instance's lease (capacity / (2 x instances) units).
    const bound = limit + 2 * Math.floor(limit / (2 * 2));
    assert.ok(allowed <= bound && allowed >= limit / 2, `allowed ${allowed}, bound ${bound}`);
    assert.ok(waits.length > 0, 'background renewals went to waitUntil');
    await Promise.all(waits);  // none rejects
  });

  test("the store section's lease sizes a local-first route's leases: one gateway leasing the whole limit leaves none to the other", async () => {
    const limit = 8;
    const route = { name: 'lease', path: '/lease', rateLimit: { key: 'ip', scope: 'global', policies: [{ name: 'minute', limit, windowMs: 60000 }] } };
    for (const [lease, second] of [[undefined, 200], [{ units: limit }, 429]]) {
      const { gateways } = instances(config([route], { mode: 'local-first', lease }));
      const waits = [];
      const ctx = { waitUntil: (promise) => waits.push(promise) };
      assert.equal((await gateways[0].fetch(get('/lease'), {}, ctx)).status, 200);
      await Promise.all(waits);
      assert.equal((await gateways[1].fetch(get('/lease'), {}, ctx)).status, second, JSON.stringify(lease));
      await Promise.all(waits);
    }
    assert.throws(() => createGuard(config([route], { mode: 'local-first', lease: { units: limit + 1 } }), { store: new RedisStore(conns[0].client) }),
      (e) => e instanceof ConfigError && /lease\.units/.test(e.message));
    assert.throws(() => createGuard(config([route], { lease: { unit: 1 } })), (e) => e.path === '/store/lease/unit');
  });

  test('a store whose scripts throw or reject with anything: the fallback answers every request, nothing rejects unhandled', async () => {
    const real = new RedisStore(conns[0].client);
    // A user's own Store with a bug: its calls throw, or reject with what is not a StoreError.
    const buggy = (evalScript) => ({
      key: (tag, name) => real.key(tag, name), get: (k, o) => real.get(k, o), set: (k, v, o) => real.set(k, v, o),
      delete: (k, o) => real.delete(k, o), stats: () => real.stats(), evalScript,
    });
    for (const evalScript of [() => { throw new TypeError('a bug'); }, () => Promise.reject(new TypeError('a bug'))]) {
      for (const mode of ['exact', 'local-first']) {
        const gateway = createGateway(config(undefined, { mode }), { fetch: upstream, store: buggy(evalScript) });
        // The limiter's local fallback answers: the limit split over expectedInstances (3 / 2: 1).
        assert.deepEqual(await statuses(gateway, '/global', LIMIT + 1), [200, 429, 429, 429], mode);
      }
    }
    await settle();
  });

  test('a store given as a function of env is called once, with the first request\'s env', async () => {
    const { stores: [store] } = instances();
    const envs = [];
    const gateway = createGateway(config(), {
      fetch: upstream, store: (env) => { envs.push(env); return store; },
    });
    await assert.rejects(gateway.health(), (e) => e.code === 'NOT_READY');
    const env = { EDGEGUARD: 'binding' };
    assert.equal((await gateway.fetch(get('/global'), env, undefined)).status, 200);
    assert.equal((await gateway.fetch(get('/global'), env, undefined)).status, 200);
    assert.deepEqual(envs, [env]);
    assert.equal((await gateway.health()).checks.store[0].status, 'pass');

    // The store's own message may name a connection string with its password: the client's
    // answer says which option failed, the operator is given the error itself.
    const secret = 'redis://default:s3cr3t@10.0.3.7:6379 refused';
    const failing = createGateway(config(), { fetch: upstream, store: () => { throw new Error(secret); } });
    const reported = [];
    const was = globalThis.reportError;
    globalThis.reportError = (e) => reported.push(e);
    let answer;
    try {
      answer = await failing.fetch(get('/global'), {}, undefined);
    } finally {
      globalThis.reportError = was;
    }
    assert.equal(answer.status, 500);
    const detail = (await answer.json()).detail;
    assert.match(detail, /store\(env\) threw/);
    assert.doesNotMatch(detail, /s3cr3t/);
    assert.equal(reported.length, 1);
    assert.equal(reported[0].cause.message, secret);
  });
});
