// The gateway on a Durable Object store, from the packed tarball, in workerd: two gateway
// services (two isolates) bound to one namespace of EdgeguardDurableObject, each making its
// store from its first request's env, share the limit of a 'global' route and not of a 'local'
// one, in front of a real backend process (tests/e2e/gateway-store-workers/).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPackage, repoRoot } from './installed-package.js';
import { startBackend } from './backend.js';
import { bundleWorker, serveConfig } from './workerd.js';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function config({ objects, second }) {
  const binding = (own) => `(name = "EDGEGUARD", durableObjectNamespace = ${own ? '"GatewayStore"' : '(className = "GatewayStore", serviceName = "objects")'})`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "objects", worker = .objects), (name = "second", worker = .second),
               (name = "loopback", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "objects", address = "127.0.0.1:0", http = (), service = "objects"),
              (name = "second", address = "127.0.0.1:0", http = (), service = "second") ],
);
const objects :Workerd.Worker = (
  modules = [ ${objects} ],
  compatibilityDate = "2025-01-01",
  durableObjectNamespaces = [ (className = "GatewayStore", uniqueKey = "edgeguard-e2e-gateway-store") ],
  durableObjectStorage = (inMemory = void),
  globalOutbound = "loopback",
  bindings = [ ${binding(true)} ],
);
const second :Workerd.Worker = (
  modules = [ ${second} ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
  bindings = [ ${binding(false)} ],
);
`;
}

test('workerd: two gateway isolates on one Durable Object namespace share a global limit, not a local one', async () => {
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  const dir = installedPackage();
  cpSync(join(repoRoot, 'tests/e2e/gateway-store-workers'), join(dir, 'gateway-store-workers'), { recursive: true });
  writeFileSync(join(dir, 'gateway-store-workers/origin.js'), `export default ${JSON.stringify(backend.url)};\n`);
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-gateway-store-'));
  const cwd = join(dir, 'gateway-store-workers');
  const objects = await bundleWorker({ entry: 'objects.js', cwd, outdir, outfile: 'objects.js' });
  const second = await bundleWorker({ entry: 'second.js', cwd, outdir, outfile: 'second.js' });
  const w = await serveConfig({ outdir, config: config({ objects, second }), sockets: ['objects', 'second'] });
  cleanups.push(() => w.stop());

  const get = (service, path) => fetch(`${w.urls[service]}${path}`, { headers: { 'cf-connecting-ip': '198.51.100.7' } });
  const statuses = async (order, path) => {
    const out = [];
    for (const service of order) out.push((await get(service, path)).status);
    return out;
  };
  const both = ['objects', 'objects', 'second', 'second'];
  assert.deepEqual(await statuses(both, '/v1/live/1'), [200, 200, 200, 429], w.logs.join(''));
  const refused = await get('objects', '/v1/live/2');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('ratelimit-policy'), '"minute";q=3;w=60');
  assert.deepEqual(await statuses(both, '/v1/brands/1'), [200, 200, 200, 200]);
  for (const service of ['objects', 'second']) {
    const health = await (await get(service, '/healthz')).json();
    assert.equal(health.status, 'pass');
    assert.deepEqual([health.checks.store[0].observedValue, health.checks.store[0].status], ['closed', 'pass']);
    assert.match(await (await get(service, '/metrics')).text(), /^edgeguard_store_calls_total\{result="ok"\} [1-9]\d*$/m);
  }
});
