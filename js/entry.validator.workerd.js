// `edgeguard/validator` on Cloudflare Workers (workerd): its wasm is imported as a WebAssembly.Module.
import wasmModule from '../dist/edgeguard-validator.wasm';
import { setDefaultSource } from './core.js';

setDefaultSource(() => wasmModule, 'edgeguard/validator');

export * from './index.validator.js';
