// `edgeguard/validator` on Vercel Edge: its wasm is imported as a WebAssembly.Module (`?module`).
import wasmModule from '../dist/edgeguard-validator.wasm?module';
import { setDefaultSource } from './core.js';

setDefaultSource(() => wasmModule, 'edgeguard/validator');

export * from './index.validator.js';
