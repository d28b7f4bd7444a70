// Bun (npm `bun`) runs the README's Bun section from the installed tarball: `import 'edgeguard'`
// from the consumer's node_modules (--no-install: never the network), the gateway under Bun.serve;
// and RedisStore over the consumer's ioredis and node-redis, shared with this Node process on a
// real redis-server.
import { test, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, linkPackages, probe, repoRoot } from './installed-package.js';
import { checkServedGateway, probeRoute } from './runtime-gateway.js';
import { spawnListening, stopChild } from './backend.js';
import { checkSharedStore, writeSharedStoreHandler } from './shared-store.js';
import { startRedis } from '../support/redis-engines.js';
import { connect } from '../support/redis-clients.js';

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

// The client as its README says to make one, connected before the store is given it.
const clients = {
  ioredis: (url) => `import { Redis } from 'ioredis';
const client = new Redis(${JSON.stringify(url)});`,
  'node-redis': (url) => `import { createClient } from 'redis';
const client = await createClient({ url: ${JSON.stringify(url)} }).connect();`,
};

for (const kind of Object.keys(clients)) {
  test(`Bun: RedisStore over ${kind}, shared with Node on one redis-server (exact limiter, global route, cache tier), refusing by the deadline while it stalls`, { timeout: 30000 }, async () => {
    const dir = installedPackage();
    linkPackages(dir, 'ioredis', 'redis');  // the consumer's own client
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const runtime = `bun (${kind})`;
    const prefix = `bun-${kind}-`;
    writeSharedStoreHandler(dir);
    writeFileSync(join(dir, `bun-${kind}.js`), `import { init } from 'edgeguard';
import { RedisStore } from 'edgeguard/store';
${clients[kind](redis.url)}
import { sharedStoreHandler } from './shared-store-handler.js';

await init();
const handle = sharedStoreHandler(new RedisStore(client), ${JSON.stringify(runtime)}, ${JSON.stringify(prefix)});
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request, server) => handle(request, server) });
console.log(\`listening \${server.port}\`);`);
    const { child, port } = await spawnListening(['--no-install', `bun-${kind}.js`], runtime, { command: bun, cwd: dir, env });
    cleanups.push(() => stopChild(child));
    const conn = await connect('node-redis', redis);
    cleanups.push(() => conn.close());
    await checkSharedStore({ dir, url: `http://127.0.0.1:${port}`, runtime, prefix,
      nodeStore: ({ RedisStore }) => new RedisStore(conn.client),
      stallEngine: () => redis.server.pause(), alive: () => child.exitCode === null });
  });
}
