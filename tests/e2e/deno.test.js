// Deno (npm `deno`) runs the README's Deno section from the installed tarball: `npm:edgeguard`
// resolved from the consumer's node_modules (nodeModulesDir "manual"), offline (--cached-only,
// DENO_DIR a fresh temp folder), with no permission beyond reading the folder and loopback.
import { test, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, probe, repoRoot } from './installed-package.js';
import { checkServedGateway, probeRoute } from './runtime-gateway.js';

const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
const denoDir = mkdtempSync(join(tmpdir(), 'edgeguard-deno-'));
const env = { PATH: process.env.PATH, HOME: denoDir, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(denoDir, { recursive: true, force: true });
});

test('Deno: npm:edgeguard from the installed tarball, and a Deno.serve gateway', { timeout: 30000 }, async (t) => {
  t.diagnostic(execFileSync(deno, ['--version'], { env, encoding: 'utf8' }).split('\n')[0]);
  const args = ['run', '--node-modules-dir=manual', '--cached-only', '--no-prompt', `--allow-read=${installedPackage()}`, '--allow-net=127.0.0.1'];
  // The peer address (clientIp 'none') comes from the info Deno.serve passes second.
  await checkServedGateway({ name: 'deno', command: deno, args, env, cleanups, source: `import { createGateway, init, version, Json, EdgeguardError } from 'npm:edgeguard';
import config from './deno-gateway.json' with { type: 'json' };

const gateway = createGateway(config);
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(\`listening \${port}\`) }, async (request, info) => {
  ${probeRoute(probe)}
  return gateway.fetch(request, info);
});` });
});
