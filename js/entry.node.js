// Node (ESM, and CJS through the dist/edgeguard.cjs bundle): the wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard.wasm', import.meta.url)));

export * from './index.js';
