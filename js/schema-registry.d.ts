import type { Validator, ValidatorOptions } from './validator.js';

/** A schema the registry can hold: an object named by a non-empty `$id` (never a boolean). */
export type StoredSchema = { $id: string; [keyword: string]: unknown };

/**
 * Schemas stored by `$id` and compiled only when a validator reaches them ($ref by $ref), once
 * per registry (and per `draft`/`formats` options), shared by every validator made over it.
 * Memory: the text of every schema added, plus what validators reached, compiled; nothing is
 * ever removed but all of it is freed when the registry and every validator made over it are
 * disposed. A `$ref` or an id naming a resource nested in a stored schema (not its top-level
 * `$id`) makes the first compile that needs one parse, once, each stored schema not yet parsed
 * for it; a `$ref` to nothing parses nothing more. Ids are compared with dot segments removed
 * (`https://x/a/./b.json` is `https://x/a/b.json`). Nothing is ever fetched. A validator's
 * schema without `$id` is compiled in but never named: no other schema reaches its anchors or
 * nested resources; at most 1024 distinct ones per registry (and `draft`/`formats`), then
 * REGISTRY_FULL.
 */
export class SchemaRegistry {
  constructor();
  readonly disposed: boolean;
  /**
   * Stores a schema, or several, by `$id` (SCHEMA_INVALID without one: then none is stored).
   * The same schema again is a no-op; another under a held id throws SCHEMA_DUPLICATE (those
   * before it in the array stay stored). Compiles nothing: a broken schema fails the validators
   * that reach it, with SchemaError.
   */
  add(schemas: StoredSchema | StoredSchema[]): this;
  /** A Validator for the schema held as `id` (a resource nested in one too), or for the
   * subschema an `id#fragment` names (JSON pointer or anchor); SCHEMA_NOT_FOUND otherwise. */
  validator(id: string, options?: Omit<ValidatorOptions, 'schemas' | 'registry'>): Validator;
  /** Lets go of the registry: its memory is freed once its validators are disposed too. */
  dispose(): void;
  [Symbol.dispose](): void;
}
