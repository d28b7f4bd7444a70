// Runs a worker in workerd (Cloudflare's runtime, npm `workerd`) the way wrangler deploys it:
// esbuild bundles the worker with the `workerd` export condition and keeps .wasm imports as
// wasm modules; workerd serves it on 127.0.0.1.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './installed-package.js';

const wasmModules = (outdir, names) => ({
  name: 'wasm-modules',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, async (args) => {
      if (args.pluginData === 'skip') return undefined;  // our own lookup below
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'skip' });
      if (resolved.errors.length) return undefined;
      const name = basename(resolved.path);
      copyFileSync(resolved.path, join(outdir, name));
      names.add(name);
      return { path: `./${name}`, external: true };
    });
  },
});

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/**
 * Bundles `entry` (resolved from `cwd`) into `outdir`/`outfile`; returns the worker's modules as
 * config lines. `cloudflare:*` imports are the runtime's own.
 */
export async function bundleWorker({ entry, cwd, outdir, outfile = 'worker.js' }) {
  const names = new Set();
  await build({
    entryPoints: [join(cwd, entry)], absWorkingDir: cwd, outfile: join(outdir, outfile),
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'error',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], external: ['cloudflare:*'],
    plugins: [wasmModules(outdir, names)],
  });
  return moduleConfig(outfile, names);
}

/** A worker's modules as config lines: `main` (an ES module, first: the entry), then wasm modules. */
export function moduleConfig(main, wasmNames) {
  return [`(name = "${main}", esModule = embed "${main}")`,
    ...[...wasmNames].map((n) => `(name = "${n}", wasm = embed "${n}")`)].join(', ');
}

/**
 * Runs workerd on `config` (the text of a config.capnp, written to `outdir`) with each of
 * `sockets` (names in the config) on a free port; returns { urls: { [socket]: url }, stop, logs }.
 */
export async function serveConfig({ outdir, config, sockets }) {
  const file = join(outdir, 'config.capnp');
  writeFileSync(file, config);
  const ports = {};
  for (const name of sockets) ports[name] = await freePort();
  const bin = join(repoRoot, 'node_modules', '.bin', 'workerd');
  const args = ['serve', file, ...sockets.map((name) => `--socket-addr=${name}=127.0.0.1:${ports[name]}`), '--verbose'];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  const urls = Object.fromEntries(sockets.map((name) => [name, `http://127.0.0.1:${ports[name]}`]));
  // Readiness: workerd prints nothing when it listens, so poll (any HTTP answer will do).
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`workerd exited: ${logs.join('')}`);
    try {
      await fetch(`${urls[sockets[0]]}/__ready`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
      break;
    } catch {
      if (i > 300) throw new Error(`workerd did not start: ${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    urls,
    logs,
    stop: (signal = 'SIGTERM') => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill(signal);
    }),
  };
}

/**
 * Bundles `entry` (resolved from `cwd`) and serves it; returns { url, stop, logs }. workerd's
 * default outbound network refuses local addresses; `localNetwork` lets the worker's fetch()
 * reach servers on this machine (a test backend on 127.0.0.1).
 */
export async function startWorker({ entry, cwd, bindings = '', localNetwork = false }) {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeguard-workerd-'));
  const modules = await bundleWorker({ entry, cwd, outdir });
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker)${localNetwork
    ? ', (name = "loopback", network = (allow = ["public", "private", "local"]))' : ''} ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules} ],
  compatibilityDate = "2025-01-01",
  ${localNetwork ? 'globalOutbound = "loopback",' : ''}
  ${bindings}
);
`;
  const { urls, logs, stop } = await serveConfig({ outdir, config, sockets: ['http'] });
  return { url: urls.http, logs, stop: () => stop() };
}

/**
 * The config.capnp text of services sharing one Durable Object namespace (in-memory storage):
 * the first of `workers` ({ [service]: bundleWorker's modules }) defines class `className`, the
 * others bind it from there; each binds it as `binding`, reaches servers on this machine, and
 * listens on a socket of its own name.
 */
export function namespaceConfig({ workers, className, binding, uniqueKey, compatibilityDate = '2025-01-01' }) {
  const [owner] = Object.keys(workers);
  const worker = (service, modules) => {
    const own = service === owner;
    return `const ${service} :Workerd.Worker = (
  modules = [ ${modules} ],
  compatibilityDate = "${compatibilityDate}",
  globalOutbound = "loopback",${own ? `
  durableObjectNamespaces = [ (className = "${className}", uniqueKey = "${uniqueKey}") ],
  durableObjectStorage = (inMemory = void),` : ''}
  bindings = [ (name = "${binding}", durableObjectNamespace = ${own ? `"${className}"` : `(className = "${className}", serviceName = "${owner}")`}) ],
);`;
  };
  const services = Object.keys(workers);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ ${services.map((s) => `(name = "${s}", worker = .${s})`).join(', ')},
               (name = "loopback", network = (allow = ["public", "private", "local"])) ],
  sockets = [ ${services.map((s) => `(name = "${s}", address = "127.0.0.1:0", http = (), service = "${s}")`).join(', ')} ],
);
${Object.entries(workers).map(([service, modules]) => worker(service, modules)).join('\n')}
`;
}
