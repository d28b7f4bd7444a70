// `edgeguard/resilience` on Cloudflare Workers (workerd): its wasm is imported as a WebAssembly.Module.
import wasmModule from '../dist/edgeguard-resilience.wasm';
import { setDefaultSource } from './core.js';
import { RESILIENCE } from './modules.js';

setDefaultSource(() => wasmModule, RESILIENCE.name);

export * from './index.resilience.js';
