// Browsers and bundlers: the wasm is fetched from next to the package (bundlers such as Vite
// and webpack understand `new URL(..., import.meta.url)` and copy the file).
import { setDefaultSource } from './core.js';
import { WHOLE } from './modules.js';

setDefaultSource(() => new URL('../dist/edgeguard.wasm', import.meta.url), WHOLE.name);

export * from './index.js';
