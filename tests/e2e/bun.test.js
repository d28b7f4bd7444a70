// Bun (npm `bun`) runs the README's Bun section from the installed tarball: `import 'edgeguard'`
// from the consumer's node_modules (--no-install: never the network), the gateway under Bun.serve.
import { test, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe, repoRoot } from './installed-package.js';
import { checkServedGateway, probeRoute } from './runtime-gateway.js';

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
  // The peer address (clientIp 'none') comes from the server Bun.serve passes second.
  await checkServedGateway({ name: 'bun', command: bun, args: ['--no-install'], env, cleanups, source: `import { createGateway, init, version, Json, EdgeguardError } from 'edgeguard';
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
console.log(\`listening \${server.port}\`);` });
});
