// `edgeguard/validator` on Cloudflare Workers (workerd): its wasm is imported as a WebAssembly.Module.
import wasmModule from '../dist/edgeguard-validator.wasm';
import { setDefaultSource } from './core.js';
import { VALIDATOR } from './modules.js';

setDefaultSource(() => wasmModule, VALIDATOR.name);

export * from './index.validator.js';
