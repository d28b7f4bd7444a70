// `edgeguard/validator`: the same classes as `edgeguard`'s, over the validator wasm module.
import type { InitOptions } from './core.js';

export { InitOptions };
/**
 * Loads the validator wasm module once (idempotent); nothing when `edgeguard`'s whole module is
 * loaded already. Everything else here needs it to have resolved.
 */
export function init(options?: InitOptions): Promise<void>;
export const version: string;
export { EdgeguardError, PayloadError, PayloadErrorCode, ConfigError } from './errors.js';
export { Json, JsonCheckResult, PayloadInput, PayloadLimits } from './json.js';
export { Validator, SchemaError, Schema, ValidatorOptions, ValidationError, ValidationResult } from './validator.js';
export { SchemaRegistry, StoredSchema } from './schema-registry.js';
