// A registry of schemas as a consumer types it: add by $id, validators by id or over the
// registry, dispose (compiled by `tsc -p tests/types`).
import { init, SchemaRegistry, Validator, type StoredSchema, type ValidationResult } from 'edgeguard';

export async function catalogue(schemas: StoredSchema[], body: string): Promise<boolean> {
  await init();
  using registry = new SchemaRegistry();
  registry.add(schemas).add({ $id: 'urn:flag', type: 'boolean' });
  const byId: Validator = registry.validator('urn:flag', { formats: 'assert', allErrors: true });
  const over = new Validator({ $ref: 'urn:flag' }, { registry, maxErrors: 10 });
  const r: ValidationResult = byId.validate(body);
  const again: ValidationResult = over.validate(body);
  const limits: number = over.maxBytes + over.maxDepth;
  byId.dispose();
  over.dispose();
  // @ts-expect-error a boolean schema has no $id: the registry cannot hold it
  registry.add(true);
  const gone: boolean = registry.disposed;
  return r.valid && again.valid && !gone && limits > 0;
}
