// Vercel Edge: the README's Vercel section, bundled from the installed tarball with the
// `edge-light` condition and run in edge-runtime (Vercel's emulator), in front of the test backend;
// and UpstashStore over @upstash/redis bundled into the function, shared with this Node process
// through the Upstash REST server in front of a real redis-server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage, linkPackages, probe, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { checkGateway, gatewayConfig, probeRoute } from './runtime-gateway.js';
import { startEdgeFunction } from './vercel-edge.js';
import { checkSharedStore, startUpstash, writeSharedStoreHandler } from './shared-store.js';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('Vercel Edge: the edge-light build from the installed tarball, and the gateway as an edge function', { timeout: 30000 }, async (t) => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'edge-runtime', 'package.json'), 'utf8'));
  t.diagnostic(`edge-runtime ${version}`);
  const dir = installedPackage();
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  // Vercel sets X-Forwarded-For to the client's address, overwriting what the client sent.
  writeFileSync(join(dir, 'vercel-gateway.json'), JSON.stringify(gatewayConfig(backend.url, { header: 'x-forwarded-for' })));
  writeFileSync(join(dir, 'vercel-function.js'), `import { createGateway, init, version, Json, EdgeguardError } from 'edgeguard';
import gatewayConfig from './vercel-gateway.json';

export const config = { runtime: 'edge' };
const gateway = createGateway(gatewayConfig);
export default async (request, ctx) => {
  ${probeRoute(probe)}
  return gateway.fetch(request, ctx);
};`);
  const fn = await startEdgeFunction({ entry: 'vercel-function.js', cwd: dir });
  cleanups.push(() => fn.stop());
  assert.equal(fn.runtime.evaluate('EdgeRuntime'), 'edge-runtime');  // what Vercel code checks for
  await checkGateway(fn.url, backend, { headers: { 'x-forwarded-for': '198.51.100.7' }, client: '198.51.100.7' });
});

test('Vercel Edge: UpstashStore over @upstash/redis bundled into the edge function, shared with Node through the Upstash REST server (exact limiter, global route, cache tier), refusing by the deadline while it stalls', { timeout: 30000 }, async () => {
  const dir = installedPackage();
  linkPackages(dir, '@upstash/redis', 'uncrypto');  // the consumer's own client and its dependency, bundled as Vercel would
  const upstash = await startUpstash(cleanups);
  const runtime = 'vercel edge (upstash)';
  const prefix = 'vercel-upstash-';
  writeSharedStoreHandler(dir);
  writeFileSync(join(dir, 'vercel-upstash.js'), `import { init } from 'edgeguard';
import { UpstashStore } from 'edgeguard/store';
import { Redis } from '@upstash/redis';
import { sharedStoreHandler } from './shared-store-handler.js';

export const config = { runtime: 'edge' };
let handle;  // made once, on the first request: init() is asynchronous
export default async (request, ctx) => {
  handle ??= init().then(() => sharedStoreHandler(new UpstashStore(${upstash.client}), ${JSON.stringify(runtime)}, ${JSON.stringify(prefix)}));
  return (await handle)(request, ctx);
};`);
  const fn = await startEdgeFunction({ entry: 'vercel-upstash.js', cwd: dir });
  cleanups.push(() => fn.stop());
  await checkSharedStore({ dir, url: fn.url, runtime, prefix, nodeStore: upstash.nodeStore, stallEngine: upstash.stallEngine, requests: upstash.requests });
});
