// `edgeguard/resilience` on Node: its wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { setDefaultSource } from './core.js';

setDefaultSource(() => readFile(new URL('../dist/edgeguard-resilience.wasm', import.meta.url)), 'edgeguard/resilience');

export * from './index.resilience.js';
