// The gateway from the packed tarball, in front of a real backend process: in workerd (as a
// Cloudflare Worker) and as Hono middleware in Node. Each runtime gets a test-only clock that
// stands still from the first request on and moves only when the test says (`/__skew?ms=`), so
// cache ages and the breaker's open time pass without sleeping, and a slow machine changes none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installedPackage, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { startWorker } from './workerd.js';
import { problem } from './problem.js';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const config = (origin) => ({
  upstreams: {
    api: { origin, timeoutMs: 2000, breaker: { consecutiveFailures: 3, openMs: 1500, halfOpenCalls: 1 } },
  },
  routes: [
    { name: 'brand', method: 'GET', path: '/v1/brands/:id',
      cache: { ttlMs: 1000, staleWhileRevalidateMs: 1000, staleIfErrorMs: 600000 },
      validate: { response: { type: 'object', required: ['id', 'version'] } } },
    { name: 'create', method: 'POST', path: '/v1/brands',
      validate: { request: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
      rateLimit: { key: 'ip', policies: [{ name: 'writes', limit: 3, windowMs: 60000 }] } },
    { name: 'live', method: 'GET', path: '/v1/live/:id' },
  ],
});

const skewed = (importLine, makeGateway, exportLine) => `${importLine}
let skew = 0;
let base;
const clock = () => (base ??= Date.now()) + skew;
${makeGateway}
${exportLine}`;

/** The scenarios against a running gateway at `url` in front of `backend`. */
async function scenarios(url, backend, restart) {
  const at = (path, init) => fetch(`${url}${path}`, init);
  const skew = async (ms) => assert.equal((await at(`/__skew?ms=${ms}`)).status, 200);
  const post = (body) => at('/v1/brands', { method: 'POST', body, headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.7' } });

  // Validation: 400 with problem details, nothing reaches the backend.
  const invalid = await problem(await post('{"name":""}'), 400);
  assert.equal(invalid.type, 'https://edgeguard.dev/problems/invalid-request');
  assert.equal(invalid.errors[0].instancePath, '/body/name');
  // Rate limit: 3 writes a minute per client (the invalid one counted).
  assert.equal((await post('{"name":"a"}')).status, 201);
  assert.equal((await post('{"name":"b"}')).status, 201);
  const limited = await post('{"name":"c"}');
  await problem(limited, 429);
  // The next write is allowed 20 s after the first (3 a minute); the test's clock stood still.
  assert.equal(limited.headers.get('retry-after'), '20');
  assert.equal(limited.headers.get('ratelimit-policy'), '"writes";q=3;w=60');
  assert.match(limited.headers.get('ratelimit'), /^"writes";r=0;t=\d+$/);

  // Cache: miss, then hit with Age.
  const miss = await at('/v1/brands/1');
  assert.equal(miss.headers.get('cache-status'), 'edgeguard; fwd=uri-miss; fwd-status=200; stored');
  assert.equal((await miss.json()).version, 1);
  const hit = await at('/v1/brands/1');
  assert.match(hit.headers.get('cache-status'), /^edgeguard; hit; ttl=\d+$/);
  assert.equal(hit.headers.get('age'), '0');
  // Stale-while-revalidate: the stale answer at once, the new version after the background refresh.
  await fetch(`${backend.url}/__version`, { method: 'POST' });
  await skew(1500);
  const stale = await at('/v1/brands/1');
  assert.match(stale.headers.get('cache-status'), /^edgeguard; hit; ttl=-\d+; detail=stale-while-revalidate$/);
  assert.equal((await stale.json()).version, 1);
  let fresh;
  for (let i = 0; i < 100; i++) {  // the refresh runs after the answer (ctx.waitUntil): poll for it
    fresh = await (await at('/v1/brands/1')).json();
    if (fresh.version === 2) break;
  }
  assert.equal(fresh.version, 2);

  // Outage: cached routes answer 200 from stale, the breaker opens, uncached routes get 503 fast.
  await backend.kill();
  await skew(5000);
  const fromStale = await at('/v1/brands/1');
  assert.equal(fromStale.status, 200);
  assert.match(fromStale.headers.get('cache-status'), /^edgeguard; fwd=stale; ttl=-\d+; detail=stale-if-error$/);
  assert.equal(fromStale.headers.get('age'), '5');  // refreshed at 1.5 s, served at 6.5 s
  assert.equal((await fromStale.json()).version, 2);
  await problem(await at('/v1/brands/2'), 502);  // never cached, the backend refuses connections
  await problem(await at('/v1/live/1'), 502);    // third consecutive failure: the circuit opens
  const started = performance.now();
  const open = await at('/v1/live/1');
  const openMs = performance.now() - started;
  const body = await problem(open, 503);
  assert.equal(body.type, 'https://edgeguard.dev/problems/circuit-open');
  assert.match(open.headers.get('retry-after'), /^[12]$/);  // openMs 1500, rounded up
  assert.ok(openMs < 1000, `503 took ${openMs} ms`);
  for (let i = 0; i < 5; i++) {
    const r = await at('/v1/brands/1');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('cache-status'), /detail=stale-if-error/);
  }
  const health = await at('/healthz');
  assert.equal(health.status, 503);  // the only upstream is unreachable
  assert.equal((await health.json()).checks['upstream:api'][0].observedValue, 'open');

  // Recovery: the breaker half-opens after openMs, one trial call closes it, fresh data returns.
  const back = await restart();
  await skew(1600);
  const halfOpen = await (await at('/healthz')).json();
  assert.equal(halfOpen.status, 'warn');
  assert.equal(halfOpen.checks['upstream:api'][0].observedValue, 'halfOpen');
  const trial = await at('/v1/live/2');
  assert.equal(trial.status, 200);
  assert.equal((await trial.json()).generation, 2);
  assert.equal((await (await at('/healthz')).json()).checks['upstream:api'][0].observedValue, 'closed');
  await skew(600000);  // past stale-if-error: the old entry is gone
  const renewed = await at('/v1/brands/1');
  assert.equal(renewed.headers.get('cache-status'), 'edgeguard; fwd=uri-miss; fwd-status=200; stored');
  assert.equal((await renewed.json()).generation, 2);
  const metrics = await (await at('/metrics')).text();
  assert.match(metrics, /edgeguard_requests_total\{route="brand",outcome="stale"\} 6\n/);
  assert.match(metrics, /edgeguard_requests_total\{route="live",outcome="circuit_open"\} 1\n/);
  assert.match(metrics, /edgeguard_rate_limited_total\{route="create"\} 1\n/);
  return back;
}

async function backendFixture() {
  let backend = await startBackend();
  cleanups.push(() => backend.kill());
  const restart = async () => {
    backend = await startBackend({ port: backend.port, generation: 2 });
    return backend;
  };
  return { backend, restart };
}

test('workerd: the gateway worker from the tarball in front of a real backend', async () => {
  const dir = installedPackage();
  const { backend, restart } = await backendFixture();
  writeFileSync(join(dir, 'gateway-worker.js'), skewed(
    "import { createGateway } from 'edgeguard';",
    `const gateway = createGateway(${JSON.stringify(config(backend.url))}, { clock });`,
    `export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__skew') { skew += Number(url.searchParams.get('ms')); return new Response(String(skew)); }
    return gateway.fetch(request, env, ctx);
  },
};`));
  const worker = await startWorker({ entry: 'gateway-worker.js', cwd: dir, localNetwork: true });
  cleanups.push(() => worker.stop());
  await scenarios(worker.url, backend, restart).catch((e) => {
    e.message += `\nworkerd logs:\n${worker.logs.join('').slice(-3000)}`;
    throw e;
  });
});

test('node: the Hono middleware from the tarball in front of a real backend', async () => {
  const dir = installedPackage();
  // hono is an optional peer: the consumer brings it (here, the repository's copy).
  mkdirSync(join(dir, 'node_modules', '@hono'), { recursive: true });
  for (const name of ['hono', '@hono/node-server']) {
    if (!existsSync(join(dir, 'node_modules', name))) symlinkSync(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name));
  }
  const { backend, restart } = await backendFixture();
  writeFileSync(join(dir, 'hono-server.js'), skewed(
    "import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nimport { edgeguard } from 'edgeguard/hono';",
    `const app = new Hono();
app.get('/__skew', (c) => { skew += Number(c.req.query('ms')); return c.text(String(skew)); });
app.use('*', edgeguard(${JSON.stringify(config(backend.url))}, { clock }));`,
    `export function start() {
  return new Promise((resolve) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() })); });
}`));
  const { start } = await import(pathToFileURL(join(dir, 'hono-server.js')).href);
  const server = await start();
  cleanups.push(() => server.close());
  await scenarios(`http://127.0.0.1:${server.port}`, backend, restart);
});
