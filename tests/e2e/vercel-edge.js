// Runs a Vercel Edge Function in `edge-runtime` (Vercel's emulator, the VM the Vercel CLI runs
// them in), with code generation refused as in production, the way Vercel builds it: esbuild bundles the function with the `edge-light` export
// condition; a `.wasm?module` import becomes a global the runtime provides as a compiled
// WebAssembly.Module (as Vercel's own wasm plugin does); the default export gets
// (request, event), the event's waitUntil keeping background work alive.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EdgeRuntime, runServer } from 'edge-runtime';

const wasmModules = (assets) => ({
  name: 'vercel-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, async (args) => {
      const resolved = await b.resolve(args.path.slice(0, -'?module'.length), { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir });
      if (resolved.errors.length) return { errors: resolved.errors };
      const name = `wasm_${createHash('sha1').update(readFileSync(resolved.path)).digest('hex')}`;
      assets.set(name, resolved.path);
      return { path: name, namespace: 'vercel-wasm' };
    });
    b.onLoad({ filter: /.*/, namespace: 'vercel-wasm' }, (args) => ({ contents: `export default globalThis[${JSON.stringify(args.path)}];` }));
  },
});

/** Bundles `entry` (resolved from `cwd`) and serves it on 127.0.0.1; returns { url, stop }. */
export async function startEdgeFunction({ entry, cwd }) {
  const assets = new Map();
  const { outputFiles: [bundle] } = await build({
    entryPoints: [join(cwd, entry)], absWorkingDir: cwd, write: false,
    bundle: true, format: 'cjs', platform: 'browser', target: 'es2022', logLevel: 'error',
    conditions: ['edge-light'], plugins: [wasmModules(assets)],
    // The consumer's folder as it is: a package linked in from elsewhere is bundled from there, with
    // its dependencies linked alongside, and nothing above the folder (a package.json) is read.
    preserveSymlinks: true,
  });
  const modules = {};
  for (const [name, path] of assets) modules[name] = await WebAssembly.compile(readFileSync(path));
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },  // as on Vercel: no eval, no compiling wasm bytes
    initialCode: `${bundle.text}
addEventListener('fetch', (event) => event.respondWith(module.exports.default(event.request, event)));`,
    extend: (context) => Object.assign(context, { module: {}, ...modules }),
  });
  const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
  return { url: server.url.replace(/\/$/, ''), runtime, stop: () => server.close() };
}
