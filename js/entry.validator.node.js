// `edgeguard/validator` on Node: its wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard-validator.wasm', import.meta.url)), 'edgeguard/validator');

export * from './index.validator.js';
