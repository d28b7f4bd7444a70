// `edgeguard/resilience` in browsers and bundlers: its wasm is fetched from next to the package.
import { setDefaultSource } from './core.js';
import { RESILIENCE } from './modules.js';

setDefaultSource(() => new URL('../dist/edgeguard-resilience.wasm', import.meta.url), RESILIENCE.name);

export * from './index.resilience.js';
