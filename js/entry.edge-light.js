// Vercel Edge (the `edge-light` condition): Vercel's bundlers (Next.js and the Vercel CLI) turn
// a `.wasm?module` import into a WebAssembly.Module and leave a bare `.wasm` import unloadable;
// compiling bytes at run time is forbidden there, as on workerd.
import wasmModule from '../dist/edgeguard.wasm?module';
import { setDefaultSource } from './core.js';
import { WHOLE } from './modules.js';

setDefaultSource(() => wasmModule, WHOLE.name);

export * from './index.js';
