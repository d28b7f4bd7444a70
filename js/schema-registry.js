// SchemaRegistry: many schemas, stored once, compiled as validators reach them and shared by
// every validator made over the registry (wasm/bridge_registry.cpp, validate/registry.hpp).
// Adding a schema copies its JSON text into wasm memory and parses nothing; a validator
// compiles what its schema reaches ($ref by $ref), once per registry and compile options.
import { module } from './core.js';
import { WasmObject } from './dispose.js';
import { EdgeguardError, lastError } from './errors.js';
import { DUPLICATE, SchemaError, VALID, Validator, check, failure, serialize, withText } from './validator.js';

// A schema the registry holds, named by id: registry.validator(id) compiles it, not a copy.
class Stored {
  constructor(id) {
    this.id = id;
  }
}

function needsId(value) {
  return new SchemaError('SCHEMA_INVALID', `a schema in a registry must be an object with a non-empty string $id, got ${
    value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, { schemaPath: '#/$id' });
}

export class SchemaRegistry extends WasmObject {
  constructor() {
    const mod = module('validator');
    const handle = mod._eg_registry_new();
    if (!handle) throw failure(mod);
    super(handle, mod._eg_registry_free);
  }

  /**
   * Stores a schema, or an array of them, by `$id` (compiled only when a validator reaches it).
   * Adding the same schema again is a no-op; another schema under a held id throws
   * SCHEMA_DUPLICATE (those before it stay stored). Every schema is checked (object with a $id,
   * serializable) before any is stored. Returns this.
   */
  add(schemas) {
    void this.handle;  // DISPOSED before anything runs
    const list = Array.isArray(schemas) ? schemas : [schemas];
    const entries = list.map((schema) => {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw needsId(schema);
      if (typeof schema.$id !== 'string' || schema.$id === '') throw needsId(schema.$id);
      return [schema.$id, serialize('schema', schema)];
    });
    // After the schemas' getters and toJSON ran: one may have disposed this registry.
    const handle = this.handle;
    const mod = module('validator');
    for (const [id, schemaText] of entries) {
      // One copy: the id's UTF-8 bytes, then the schema's.
      const idLength = encoder.encode(id).length;
      const status = withText(mod, id + schemaText, (ptr, len) => mod._eg_registry_add(handle, ptr, idLength, len));
      if (status === DUPLICATE) throw new EdgeguardError('SCHEMA_DUPLICATE', lastError(mod).message, { schemaId: id });
      if (status !== VALID) check(mod, status);
    }
    return this;
  }

  /**
   * A Validator for the schema held as `id` (options as Validator's, less schemas and
   * registry). Throws SCHEMA_NOT_FOUND for an id the registry does not hold, SchemaError when
   * the schema (or one it reaches) does not compile.
   */
  validator(id, options = {}) {
    if (typeof id !== 'string' || id === '') {
      throw new SchemaError('SCHEMA_INVALID', 'a schema id must be a non-empty string', { schemaPath: '#' });
    }
    return new Validator(new Stored(id), { ...options, registry: this });
  }
}

const encoder = new TextEncoder();

// For Validator's constructor: the core validator compiled in `registry`, or a typed error
// (never a handle that would answer "valid" for a schema that did not compile).
export function compileIn(registry, schema, core, options) {
  void registry.handle;  // DISPOSED before anything runs
  const mod = module('validator');
  const stored = schema instanceof Stored;
  const config = `{"options":${core},` +
    (stored ? `"id":${JSON.stringify(schema.id)}}` : `"schema":${serialize('schema', schema)}}`);
  // After the schema's getters and toJSON ran: one may have disposed the registry.
  const handle = registry.handle;
  const made = withText(mod, config, (ptr, len) => mod._eg_registry_validator(handle, ptr, len));
  if (made) return made;
  throw failure(mod, options);
}
