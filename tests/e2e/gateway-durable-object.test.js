// The gateway on a Durable Object store, from the packed tarball, in workerd: two gateway
// services (two isolates) bound to one namespace of EdgeguardDurableObject (in-memory storage),
// each a createGateway whose store is made from its first request's env, in front of a real
// backend process (tests/e2e/gateway-durable-object-workers/). Requests alternate between them:
// a 'global' route (mode 'exact') allows its limit in all, a 'local' one its limit in each; a
// breaker shared through the store opens in the service that never saw a failure.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { bundleWorker, namespaceConfig, serveConfig } from './workerd.js';

const LIMIT = 3;  // gateway-durable-object-workers/gateway.js
const SERVICES = ['objects', 'second'];

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** An origin nothing listens on: every call to it fails at once (connection refused). */
function deadOrigin() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(`http://127.0.0.1:${port}`));
    }).on('error', reject);
  });
}

async function start() {
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  const dir = installedPackage();
  const cwd = join(dir, 'gateway-durable-object-workers');
  cpSync(join(repoRoot, 'tests/e2e/gateway-durable-object-workers'), cwd, { recursive: true });
  writeFileSync(join(cwd, 'origins.js'),
    `export const backend = ${JSON.stringify(backend.url)};\nexport const dead = ${JSON.stringify(await deadOrigin())};\n`);
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-gateway-do-'));
  const objects = await bundleWorker({ entry: 'objects.js', cwd, outdir, outfile: 'objects.js' });
  const second = await bundleWorker({ entry: 'second.js', cwd, outdir, outfile: 'second.js' });
  const config = namespaceConfig({ workers: { objects, second }, className: 'GatewayStore', binding: 'EDGEGUARD',
    uniqueKey: 'edgeguard-e2e-gateway-durable-object' });
  const w = await serveConfig({ outdir, config, sockets: SERVICES });
  cleanups.push(() => w.stop());
  const call = (service, path, { ip = '198.51.100.7', method = 'GET' } = {}) =>
    fetch(`${w.urls[service]}${path}`, { method, headers: { 'cf-connecting-ip': ip, 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined });
  return { ...w, call };
}

let started;
const workerd = () => (started ??= start());

/** Calls `path` n times, alternating services from `first`; returns each answer's service, status and RateLimit field. */
async function alternate(w, path, n, first = 0, ip = undefined) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const service = SERVICES[(first + i) % 2];
    const res = await w.call(service, path, { ip });
    await res.arrayBuffer();
    out.push({ service, status: res.status, ratelimit: res.headers.get('ratelimit') });
  }
  return out;
}

test("a 'global' route allows its limit across both services, then answers 429 from the shared view", async () => {
  const w = await workerd();
  const answers = await alternate(w, '/v1/live/1', LIMIT + 3);
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429, 429, 429], w.logs.join(''));
  // The remaining count falls across the services: each one sees the other's calls.
  assert.deepEqual(answers.slice(0, LIMIT).map((a) => /"minute";r=(\d+);t=\d+/.exec(a.ratelimit)?.[1]),
    ['2', '1', '0'], JSON.stringify(answers));
  for (const service of SERVICES) {
    // Each service has allowed at most two: its refusal is the shared count's, not its own.
    const refused = await w.call(service, '/v1/live/2');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json');
    const problem = await refused.json();
    assert.equal(problem.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.match(refused.headers.get('ratelimit'), /^"minute";r=0;t=(\d+)$/);
    assert.ok(Number(/t=(\d+)/.exec(refused.headers.get('ratelimit'))[1]) <= 60);
    assert.equal(refused.headers.get('ratelimit-policy'), `"minute";q=${LIMIT};w=60`);
  }
  // Another client has its own allowance, shared too.
  assert.deepEqual((await alternate(w, '/v1/live/1', LIMIT + 1, 1, '198.51.100.8')).map((a) => a.status), [200, 200, 200, 429]);
});

test("a 'local' route allows its limit in each service", async () => {
  const w = await workerd();
  const answers = await alternate(w, '/v1/brands/1', 2 * LIMIT + 2);
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200, 429, 429], JSON.stringify(answers));
  assert.deepEqual(answers.slice(0, 2).map((a) => /"minute";r=(\d+);t=\d+/.exec(a.ratelimit)?.[1]), ['2', '2'],
    'each service counts its own');
});

test('/healthz shows the store up and /metrics its counters, in both services', async () => {
  const w = await workerd();
  await alternate(w, '/v1/live/3', 2, 0, '198.51.100.9');  // a store call in each, whatever ran before
  for (const service of SERVICES) {
    const health = await (await w.call(service, '/healthz')).json();
    assert.equal(health.status, 'pass', JSON.stringify(health));
    assert.deepEqual([health.checks.store[0].observedValue, health.checks.store[0].status], ['closed', 'pass']);
    const metrics = await (await w.call(service, '/metrics')).text();
    assert.match(metrics, /^edgeguard_store_calls_total\{result="ok"\} [1-9]\d*$/m);
    for (const result of ['timeout', 'unavailable', 'error']) {
      assert.match(metrics, new RegExp(`^edgeguard_store_calls_total\\{result="${result}"\\} 0$`, 'm'));
    }
    assert.match(metrics, /^edgeguard_store_circuit_state 0$/m);
    assert.doesNotMatch(metrics, /^edgeguard_rate_limit_fallback_total\{route="global"\} [1-9]/m, 'no decision fell back');
    assert.match(metrics, /^edgeguard_store_latency_seconds\{quantile="0.99"\} [0-9.e-]+$/m);
  }
});

// Once failing on workerd for two causes: the gateway gave its shared breaker no waitUntil (the
// trip report was dropped with the request that made it), and the coarse clock's 1 ms expiry
// timer was dropped too when its request ended, freezing time for the isolate.
test('a shared breaker: the service whose upstream fails trips it, the other opens from its report', async () => {
  const w = await workerd();
  const post = (service) => w.call(service, '/v1/brands', { method: 'POST' });
  const state = async (service) => (await (await w.call(service, '/healthz')).json()).checks['upstream:flaky'][0].observedValue;
  assert.equal((await post('second')).status, 201);
  for (let i = 0; i < 2; i++) assert.equal((await post('objects')).status, 502, w.logs.join(''));
  assert.equal(await state('objects'), 'open');
  assert.equal((await post('objects')).status, 503);
  // The second service reads the shared view in the background of its calls, which all succeed:
  // wait for the report as for an event, without timing it.
  let status;
  for (let i = 0; (status = (await post('second')).status) === 201; i++) {
    assert.ok(i < 100, 'the second service never opened');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(status, 503);
  assert.equal(await state('second'), 'open');
  assert.match(await (await w.call('second', '/metrics')).text(), /^edgeguard_circuit_open_reports\{upstream="flaky"\} 1$/m);
});
