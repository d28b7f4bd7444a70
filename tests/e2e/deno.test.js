// Deno (npm `deno`) runs the README's Deno section from the installed tarball: `npm:edgeguard`
// resolved from the consumer's node_modules (nodeModulesDir "manual"), offline (--cached-only,
// DENO_DIR a fresh temp folder), with no permission beyond reading the folder and loopback; and
// UpstashStore (Deno Deploy's store) over the consumer's @upstash/redis, shared with this Node
// process through the Upstash REST server in front of a real redis-server.
import { test, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, linkPackages, probe, repoRoot } from './installed-package.js';
import { checkServedGateway, probeRoute } from './runtime-gateway.js';
import { spawnListening, stopChild } from './backend.js';
import { checkSharedStore, startUpstash, writeSharedStoreHandler } from './shared-store.js';

const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
const denoDir = mkdtempSync(join(tmpdir(), 'edgeguard-deno-'));
const env = { PATH: process.env.PATH, HOME: denoDir, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(denoDir, { recursive: true, force: true });
});

const permissions = () => ['--node-modules-dir=manual', '--cached-only', '--no-prompt', `--allow-read=${installedPackage()}`, '--allow-net=127.0.0.1'];

test('Deno: npm:edgeguard from the installed tarball, and a Deno.serve gateway', { timeout: 30000 }, async (t) => {
  t.diagnostic(execFileSync(deno, ['--version'], { env, encoding: 'utf8' }).split('\n')[0]);
  const args = ['run', ...permissions()];
  // The peer address (clientIp 'none') comes from the info Deno.serve passes second.
  await checkServedGateway({ name: 'deno', command: deno, args, env, cleanups, source: `import { createGateway, init, version, Json, EdgeguardError } from 'npm:edgeguard';
import config from './deno-gateway.json' with { type: 'json' };

const gateway = createGateway(config);
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(\`listening \${port}\`) }, async (request, info) => {
  ${probeRoute(probe)}
  return gateway.fetch(request, info);
});` });
});

test('Deno: UpstashStore over @upstash/redis, shared with Node through the Upstash REST server (exact limiter, global route, cache tier), refusing by the deadline while it stalls', { timeout: 30000 }, async () => {
  const dir = installedPackage();
  linkPackages(dir, '@upstash/redis');  // the consumer's own client
  const upstash = await startUpstash(cleanups);
  const runtime = 'deno (upstash)';
  const prefix = 'deno-upstash-';
  writeSharedStoreHandler(dir);
  writeFileSync(join(dir, 'deno-upstash.js'), `import { init } from 'npm:edgeguard';
import { UpstashStore } from 'npm:edgeguard/store';
import { Redis } from 'npm:@upstash/redis';
import { sharedStoreHandler } from './shared-store-handler.js';

await init();
const handle = sharedStoreHandler(new UpstashStore(${upstash.client}), ${JSON.stringify(runtime)}, ${JSON.stringify(prefix)});
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(\`listening \${port}\`) }, handle);`);
  // What @upstash/redis reads from the environment (telemetry, platform), and nothing else.
  const allowEnv = '--allow-env=UPSTASH_DISABLE_TELEMETRY,UPSTASH_CONSOLE,VERCEL,AWS_REGION';
  const { child, port } = await spawnListening(['run', ...permissions(), allowEnv, 'deno-upstash.js'], runtime, { command: deno, cwd: dir, env });
  cleanups.push(() => stopChild(child));
  await checkSharedStore({ dir, url: `http://127.0.0.1:${port}`, runtime, prefix, nodeStore: upstash.nodeStore, stallEngine: upstash.stallEngine, requests: upstash.requests, alive: () => child.exitCode === null });
});
