// Node (bundled into js-node/ by scripts/bundle-node.js; require() loads that ESM too): the wasm is read from disk.
import { setDefaultSource } from './core.js';
import { wasmFile } from './node-wasm-file.js';
import { WHOLE } from './modules.js';
import createModule from '../dist/edgeguard.mjs';

setDefaultSource(wasmFile(new URL('../dist/edgeguard.wasm', import.meta.url)), WHOLE.name, createModule);

export * from './index.js';
