// Node (bundled into js-node/ by scripts/bundle-node.js; require() loads that ESM too): the wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';
import { WHOLE } from './modules.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard.wasm', import.meta.url)), WHOLE.name);

export * from './index.js';
