// How the Node entries read their module's wasm: fs through process.getBuiltinModule (Node
// 20.16+, 22.3+), not `import 'node:fs/promises'`, whose ESM facade costs ~1.4 ms of every
// import; the read is synchronous (~0.1 ms from the page cache, against ~1 ms of thread-pool
// round trips). Older Nodes import fs/promises when init() asks for the file.
const fs = globalThis.process?.getBuiltinModule?.('node:fs');

/** A default source (core.js's setDefaultSource) reading the wasm file at `url`. */
export function wasmFile(url) {
  return async () => (fs ? fs.readFileSync(url) : (await import('node:fs/promises')).readFile(url));
}
