// `edgeguard/validator` in browsers and bundlers: its wasm is fetched from next to the package.
import { setDefaultSource } from './core.js';
import { VALIDATOR } from './modules.js';

setDefaultSource(() => new URL('../dist/edgeguard-validator.wasm', import.meta.url), VALIDATOR.name);

export * from './index.validator.js';
