// The gateway the runtime tests (Deno, Bun, Vercel Edge) serve from the installed tarball in
// front of the test's own backend, and the answers each runtime must give: proxied, then cached,
// a refused body, a rate limit. Caches last ten minutes and the limit a minute, so a slow
// machine changes no answer.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage, expected } from './installed-package.js';
import { spawnListening, startBackend, stopChild } from './backend.js';
import { problem } from './problem.js';

/** The gateway's configuration; `clientIp` as the runtime's README section says to set it. */
export const gatewayConfig = (origin, clientIp) => ({
  upstreams: { api: { origin, timeoutMs: 5000 } },
  clientIp,
  routes: [
    { name: 'brand', method: 'GET', path: '/v1/brands/:id', cache: { ttlMs: 600000 },
      validate: { response: { type: 'object', required: ['id', 'version'] } } },
    { name: 'create', method: 'POST', path: '/v1/brands',
      validate: { request: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
      rateLimit: { key: 'ip', policies: [{ name: 'writes', limit: 3, windowMs: 60000 }] } },
    { name: 'whoami', method: 'GET', path: '/v1/whoami' },
  ],
});

/** The handler's source for `/__probe`: the shared probe's answer as JSON (its names imported). */
export const probeRoute = (probe) => `if (new URL(request.url).pathname === '/__probe') {
    return Response.json(await (async () => { ${probe} })());
  }`;

/**
 * Checks the gateway at `url` in front of `backend`; `headers` go with every request (the client
 * address where a platform's edge sets it); `client` is the address the upstream must be told.
 */
export async function checkGateway(url, backend, { headers = {}, client }) {
  const at = (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { ...headers, ...init.headers } });
  const probe = await at('/__probe');
  assert.equal(probe.status, 200, await probe.clone().text());
  assert.deepEqual(await probe.json(), expected);

  const proxied = await at('/v1/brands/7');
  assert.equal(proxied.status, 200, await proxied.clone().text());
  assert.equal(proxied.headers.get('cache-status'), 'edgeguard; fwd=uri-miss; fwd-status=200; stored');
  assert.deepEqual(await proxied.json(), { id: '7', name: 'brand 7', version: 1, generation: 1 });
  const cached = await at('/v1/brands/7');
  assert.match(cached.headers.get('cache-status'), /^edgeguard; hit; ttl=\d+$/);
  assert.equal((await cached.json()).id, '7');
  assert.equal(await backend.calls(), 1);

  assert.deepEqual(await (await at('/v1/whoami')).json(), { forwardedFor: client });

  const post = (body) => at('/v1/brands', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const invalid = await problem(await post('{"name":""}'), 400);
  assert.equal(invalid.type, 'https://edgeguard.dev/problems/invalid-request');
  assert.equal(invalid.errors[0].instancePath, '/body/name');
  assert.deepEqual(await (await post('{"name":"a"}')).json(), { id: 'new', name: 'a' });
  assert.equal((await post('{"name":"b"}')).status, 201);
  const limited = await post('{"name":"c"}');  // the fourth write this minute (the refused one counts)
  const tooMany = await problem(limited, 429);
  assert.equal(tooMany.type, 'https://edgeguard.dev/problems/rate-limited');
  assert.match(limited.headers.get('retry-after'), /^\d+$/);
  assert.equal(limited.headers.get('ratelimit-policy'), '"writes";q=3;w=60');
}

/**
 * For a runtime serving HTTP itself: writes `<name>-gateway.json` (the gateway in front of a new
 * backend; the client is the connection's peer, `clientIp` 'none') and `<name>-gateway.js`
 * (`source`) into the installed package's folder, runs `command ...args <name>-gateway.js` there
 * until it prints "listening <port>", and checks the gateway. `cleanups` gets what stops each.
 */
export async function checkServedGateway({ name, command, args, env, source, cleanups }) {
  const dir = installedPackage();
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  writeFileSync(join(dir, `${name}-gateway.json`), JSON.stringify(gatewayConfig(backend.url, { header: 'none' })));
  writeFileSync(join(dir, `${name}-gateway.js`), source);
  const { child, port } = await spawnListening([...args, `${name}-gateway.js`], name, { command, cwd: dir, env });
  cleanups.push(() => stopChild(child));
  await checkGateway(`http://127.0.0.1:${port}`, backend, { client: '127.0.0.1' });
  assert.equal(child.exitCode, null, `${name} exited`);
}
