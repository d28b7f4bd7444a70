// Bun (npm `bun`) runs the README's Bun section from the installed tarball: `import 'edgeguard'`
// from the consumer's node_modules (--no-install: never the network), the gateway under Bun.serve.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, probe, repoRoot } from './installed-package.js';
import { spawnListening, startBackend, stopChild } from './backend.js';
import { checkGateway, gatewayConfig, probeRoute } from './runtime-gateway.js';

const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
const home = mkdtempSync(join(tmpdir(), 'edgeguard-bun-'));  // Bun's caches, not the user's
const env = { PATH: process.env.PATH, HOME: home, BUN_INSTALL_CACHE_DIR: join(home, 'install'),
  BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1', NO_COLOR: '1' };
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(home, { recursive: true, force: true });
});

test('Bun: edgeguard from the installed tarball, and a Bun.serve gateway', { timeout: 30000 }, async (t) => {
  t.diagnostic(`bun ${execFileSync(bun, ['--version'], { env, encoding: 'utf8' }).trim()}`);
  const dir = installedPackage();
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  writeFileSync(join(dir, 'bun-gateway.json'), JSON.stringify(gatewayConfig(backend.url, { header: 'none' })));
  writeFileSync(join(dir, 'bun-gateway.js'), `import { createGateway, init, version, Json, EdgeguardError } from 'edgeguard';
import config from './bun-gateway.json' with { type: 'json' };

const gateway = createGateway(config);
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request, server) {
    ${probeRoute(probe)}
    return gateway.fetch(request, server);
  },
});
console.log(\`listening \${server.port}\`);`);
  const { child, port } = await spawnListening(['--no-install', 'bun-gateway.js'], 'bun', { command: bun, cwd: dir, env });
  cleanups.push(() => stopChild(child));
  // The client is the connection's peer (clientIp 'none'), which Bun.serve reports.
  await checkGateway(`http://127.0.0.1:${port}`, backend, { client: '127.0.0.1' });
  assert.equal(child.exitCode, null);
});
