// `edgeguard/validator` on Node: its wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';
import { VALIDATOR } from './modules.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard-validator.wasm', import.meta.url)), VALIDATOR.name);

export * from './index.validator.js';
