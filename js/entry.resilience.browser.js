// `edgeguard/resilience` in browsers and bundlers: its wasm is fetched from next to the package.
import { setDefaultSource } from './core.js';

setDefaultSource(() => new URL('../dist/edgeguard-resilience.wasm', import.meta.url), 'edgeguard/resilience');

export * from './index.resilience.js';
