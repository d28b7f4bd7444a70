// `edgeguard/resilience` on Node: its wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';
import { RESILIENCE } from './modules.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard-resilience.wasm', import.meta.url)), RESILIENCE.name);

export * from './index.resilience.js';
