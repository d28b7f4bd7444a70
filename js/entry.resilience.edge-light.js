// `edgeguard/resilience` on Vercel Edge: its wasm is imported as a WebAssembly.Module (`?module`).
import wasmModule from '../dist/edgeguard-resilience.wasm?module';
import { setDefaultSource } from './core.js';
import { RESILIENCE } from './modules.js';

setDefaultSource(() => wasmModule, RESILIENCE.name);

export * from './index.resilience.js';
