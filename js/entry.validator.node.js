// `edgeguard/validator` on Node: its wasm is read from disk.
import { setDefaultSource } from './core.js';
import { VALIDATOR } from './modules.js';
// Imported with the entry, not on init(): its file is fetched beside the entry's chunks instead of
// after them (init() is the glue's only use, and this entry loads no other module's glue).
import createModule from '../dist/edgeguard-validator.mjs';

// fs through process.getBuiltinModule (Node 20.16+, 22.3+), not `import 'node:fs/promises'`,
// whose ESM facade costs ~1.4 ms of every import; the read is synchronous (~0.1 ms from the page
// cache, against ~1 ms of thread-pool round trips). Older Nodes import fs/promises on init().
const fs = globalThis.process?.getBuiltinModule?.('node:fs');
const file = new URL('../dist/edgeguard-validator.wasm', import.meta.url);
setDefaultSource(async () => (fs ? fs.readFileSync(file) : (await import('node:fs/promises')).readFile(file)),
  VALIDATOR.name, createModule);

export * from './index.validator.js';
