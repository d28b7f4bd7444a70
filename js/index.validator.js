// `edgeguard/validator`: JSON checking, the JSON Schema validator and its schema registry, over a
// wasm module that holds only them (its runtime entries re-export this file).
import { initModule } from './core.js';
import { VALIDATOR } from './modules.js';

/** Loads the validator module; nothing when a module serving it (`edgeguard`'s) is loaded. */
export function init(options = {}) {
  return initModule(VALIDATOR, options);
}

export { version } from './version.js';
export { EdgeguardError, PayloadError, ConfigError } from './errors.js';
export { Json } from './json.js';
export { Validator, SchemaError } from './validator.js';
export { SchemaRegistry } from './schema-registry.js';
