// Cloudflare Workers (workerd) and other edge runtimes: compiling wasm bytes at run time is
// forbidden there, so the .wasm is imported as a WebAssembly.Module by the bundler/runtime.
import wasmModule from '../dist/edgeguard.wasm';
import { setDefaultSource } from './core.js';
import { WHOLE } from './modules.js';

setDefaultSource(() => wasmModule, WHOLE.name);

export * from './index.js';
