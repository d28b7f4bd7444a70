import type { EdgeguardError, PayloadErrorCode } from './errors.js';
import type { PayloadInput } from './json.js';
import type { SchemaRegistry } from './schema-registry.js';

/** A JSON Schema: an object or a boolean. */
export type Schema = boolean | { [keyword: string]: unknown };

export interface ValidatorOptions {
  /** Draft used when the schema has no `$schema` (default '2020-12'). */
  draft?: '2020-12' | 'draft-07';
  /** Other schemas the main one may `$ref`, by id. Nothing is ever fetched. */
  schemas?: Record<string, Schema>;
  /**
   * A registry whose schemas this one may `$ref` (not with `schemas`): compiled into the
   * registry, shared with its other validators; the validator keeps the registry's memory alive
   * until it is disposed. A schema with a `$id` is added to the registry (SCHEMA_DUPLICATE if
   * another schema holds that id; not kept if it fails to compile); one without is kept
   * compiled in the registry, once per distinct schema, for as long as the registry lives:
   * past 1024 distinct schemas without `$id` (per `draft`/`formats`), REGISTRY_FULL.
   */
  registry?: SchemaRegistry;
  /** 'annotate' (default, as the spec says) or 'assert' to fail values not matching `format`. */
  formats?: 'assert' | 'annotate';
  /** Report every error instead of stopping at the first (default false). */
  allErrors?: boolean;
  /** Fill absent properties that have a `default` in `result.data`. */
  useDefaults?: boolean;
  /** Drop additional properties from `result.data`: true/'additional' where
   * `additionalProperties` is false, 'all' everywhere, 'failing' where they fail its schema. */
  removeAdditional?: boolean | 'additional' | 'all' | 'failing';
  /** Apply `"x-sanitize"` (trim, strip-tags, escape-html, lowercase) before checking strings. */
  sanitize?: boolean;
  /** Throw PayloadError for malformed input instead of returning a `json` error. */
  throwOnMalformed?: boolean;
  /** Largest accepted payload in bytes (default 1 MiB). */
  maxBytes?: number;
  /**
   * Deepest accepted nesting (default 128, at most 1000). A recursive schema follows documents
   * 1000 deep through $ref in items, properties, additionalProperties, patternProperties,
   * contains, unevaluated*, anyOf, oneOf, allOf, if/then and not (one level of not per document
   * level); a schema spending more evaluations per document level (nested applicators around
   * the $ref, $dynamicRef, "x-severity", dependentSchemas) may stop earlier with "schema
   * recursion is too deep", never a stack overflow.
   */
  maxDepth?: number;
  /** Most errors (and warnings) kept per validation (default 1000). */
  maxErrors?: number;
}

/** One failed check, shaped like Ajv's errors. */
export interface ValidationError {
  /** JSON Pointer to the failing value ('' for the root). */
  instancePath: string;
  /** Where the failing keyword is in the schema ('#/properties/a/type'). */
  schemaPath: string;
  /** The keyword, or 'json' for malformed input. */
  keyword: string;
  params: Record<string, unknown> & {
    code?: PayloadErrorCode; offset?: number; line?: number; column?: number;
  };
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  /**
   * Built from the core's report at validation (up to eight errors) or when first read (more: the
   * report itself is taken at validation); a report the core broke throws an INTERNAL_ERROR
   * EdgeguardError when read.
   */
  errors: ValidationError[];
  /**
   * Failures of subschemas marked `"x-severity": "warning"`: reported, never invalidating. Under
   * not, if, anyOf, oneOf and contains (at any depth) x-severity has no effect.
   */
  warnings: ValidationError[];
  /** The cleaned value, when useDefaults, removeAdditional or sanitize is on. */
  data?: unknown;
}

/** A schema the core refused to compile (code 'SCHEMA_INVALID'). */
export class SchemaError extends EdgeguardError {
  readonly code: 'SCHEMA_INVALID';
  /** Where in the schema ('#/properties/a/minLength'). */
  readonly schemaPath: string;
}

/** JSON Schema draft-07 / 2020-12, compiled once, validating payload bytes in wasm. */
export class Validator {
  constructor(schema: Schema, options?: ValidatorOptions);
  readonly disposed: boolean;
  /** The longest input in bytes it validates: option maxBytes, or its default. */
  readonly maxBytes: number;
  /** The deepest input it validates: option maxDepth, or its default. */
  readonly maxDepth: number;
  /** Registers and compiles another schema under `id` (default: its `$id`); over a registry,
   * adds it to the registry (unless it fails to compile). */
  addSchema(schema: Schema, id?: string): this;
  /** Validates JSON text or bytes (never turned into JS objects), or a JS value (a plain object
   * or array written straight into the core's input, anything else serialized once: the same
   * answers either way); `schemaId` picks a schema added with addSchema or given in
   * `options.schemas`. */
  validate(input: PayloadInput | unknown, schemaId?: string): ValidationResult;
  /** Frees the compiled schema; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}
