// `edgeguard/validator` on Vercel Edge: its wasm is imported as a WebAssembly.Module (`?module`).
import wasmModule from '../dist/edgeguard-validator.wasm?module';
import { setDefaultSource } from './core.js';
import { VALIDATOR } from './modules.js';

setDefaultSource(() => wasmModule, VALIDATOR.name);

export * from './index.validator.js';
