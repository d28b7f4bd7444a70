// edgeguard/express from the packed tarball in a real Express app: rateLimit() and validate() in
// front of the app's handlers, edgeguard() proxying a route to a real backend process. The
// limiter's clock stands still from the first request on and moves only when the test says
// (`/__skew?ms=`), so a window passes without sleeping.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installedPackage, linkPackages } from './installed-package.js';
import { startBackend } from './backend.js';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const server = (backendUrl) => `import express from 'express';
import { rateLimit, validate, edgeguard } from 'edgeguard/express';

let skew = 0;
let base;
const clock = () => (base ??= Date.now()) + skew;
const app = express();
app.get('/__skew', (req, res) => { skew += Number(req.query.ms); res.send(String(skew)); });
app.use(edgeguard({
  upstreams: { api: { origin: ${JSON.stringify(backendUrl)} } },
  clientIp: { header: 'none' },
  routes: [{ name: 'brand', method: 'GET', path: '/v1/brands/:id', cache: { ttlMs: 600000 } }],
}));
app.use('/api', rateLimit({ policies: [{ name: 'api', limit: 2, windowMs: 60000 }], clock }));
app.post('/api/brands', validate({ body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } }),
  (req, res) => res.status(201).json({ created: req.body.name }));
app.get('/api/ping', (req, res) => res.json({ pong: true }));

export function start() {
  return new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve({ port: s.address().port, close: () => new Promise((done) => { s.closeAllConnections(); s.close(done); }) }));
  });
}
`;

async function problem(res, status) {
  assert.equal(res.status, status, `${res.status} ${await res.clone().text()}`);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const body = await res.json();
  assert.equal(body.status, status);
  assert.equal(body.requestId, res.headers.get('x-request-id'));
  return body;
}

test('express: rate limit, validation and the gateway as middleware, from the tarball', async () => {
  const dir = installedPackage();
  linkPackages(dir, 'express');  // an optional peer: the consumer brings it
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  writeFileSync(join(dir, 'express-server.js'), server(backend.url));
  const { start } = await import(pathToFileURL(join(dir, 'express-server.js')).href);
  const app = await start();
  cleanups.push(() => app.close());
  const at = (path, init) => fetch(`http://127.0.0.1:${app.port}${path}`, init);
  const post = (body) => at('/api/brands', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  // Under the limit: the handler answers, with the gateway's RateLimit fields.
  const ping = await at('/api/ping');
  assert.deepEqual([ping.status, await ping.json()], [200, { pong: true }]);
  assert.equal(ping.headers.get('ratelimit-policy'), '"api";q=2;w=60');
  assert.equal(ping.headers.get('ratelimit'), '"api";r=1;t=30');
  // A body that does not match its schema: the gateway's 400, the handler not reached.
  const invalid = await problem(await post('{"name":""}'), 400);
  assert.deepEqual([invalid.type, invalid.title, invalid.errors[0].instancePath],
    ['https://edgeguard.dev/problems/invalid-request', 'Bad Request', '/body/name']);
  // Over the limit (the refused body counted): 429 with Retry-After.
  const limited = await problem(await post('{"name":"a"}'), 429);
  assert.deepEqual([limited.type, limited.title], ['https://edgeguard.dev/problems/rate-limited', 'Too Many Requests']);
  const retry = Number((await post('{"name":"a"}')).headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  // The window passes on the limiter's clock: a valid body reaches the handler, parsed.
  assert.equal((await at('/__skew?ms=60000')).status, 200);
  const created = await post('{"name":"a"}');
  assert.deepEqual([created.status, await created.json()], [201, { created: 'a' }]);

  // A gateway route: proxied to the backend once, then answered from the cache.
  for (let i = 0; i < 2; i++) {
    const brand = await at('/v1/brands/7');
    assert.equal(brand.status, 200);
    assert.equal((await brand.json()).id, '7');
    assert.match(brand.headers.get('cache-status'), i === 0 ? /fwd=uri-miss/ : /hit/);
  }
  assert.equal(await backend.calls(), 1);
});
