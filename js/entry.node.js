// Node (bundled into js-node/ by scripts/bundle-node.js; require() loads that ESM too): the wasm is read from disk.
import { setDefaultSource } from './core.js';
import { WHOLE } from './modules.js';
import createModule from '../dist/edgeguard.mjs';

// As entry.resilience.node.js: fs without the ESM facade of node:fs, the glue with the entry.
const fs = globalThis.process?.getBuiltinModule?.('node:fs');
const file = new URL('../dist/edgeguard.wasm', import.meta.url);
setDefaultSource(async () => (fs ? fs.readFileSync(file) : (await import('node:fs/promises')).readFile(file)),
  WHOLE.name, createModule);

export * from './index.js';
