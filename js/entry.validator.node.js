// `edgeguard/validator` on Node: its wasm is read from disk.
import { setDefaultSource } from './core.js';
import { wasmFile } from './node-wasm-file.js';
import { VALIDATOR } from './modules.js';
// Imported with the entry, not on init(): its file is fetched beside the entry's chunks instead of
// after them (init() is the glue's only use, and this entry loads no other module's glue).
import createModule from '../dist/edgeguard-validator.mjs';

setDefaultSource(wasmFile(new URL('../dist/edgeguard-validator.wasm', import.meta.url)), VALIDATOR.name, createModule);

export * from './index.validator.js';
