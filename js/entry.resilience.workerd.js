// `edgeguard/resilience` on Cloudflare Workers (workerd): its wasm is imported as a WebAssembly.Module.
import wasmModule from '../dist/edgeguard-resilience.wasm';
import { setDefaultSource } from './core.js';

setDefaultSource(() => wasmModule, 'edgeguard/resilience');

export * from './index.resilience.js';
