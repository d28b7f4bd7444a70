import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, SchemaRegistry, Validator, SchemaError, EdgeguardError } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { exhaustHeap } from './exhaust-heap.js';

before(() => init());

const money = { $id: 'urn:money', type: 'number', multipleOf: 0.01 };
const order = {
  $id: 'https://shop.example/order.json', type: 'object', required: ['total'],
  properties: { total: { $ref: 'urn:money' }, lines: { type: 'array', items: { $ref: 'line.json' } } },
};
const line = { $id: 'https://shop.example/line.json', type: 'object', properties: { price: { $ref: 'urn:money' } } };

const code = (c) => (e) => e instanceof EdgeguardError && e.code === c;

test('validators compile stored schemas by id, following $refs (relative ones too) through the registry', () => {
  const registry = new SchemaRegistry();
  assert.equal(registry.add([money, order]).add(line), registry);
  const v = registry.validator('https://shop.example/order.json');
  assert.equal(v.validate({ total: 1.5, lines: [{ price: 2 }] }).valid, true);
  assert.equal(v.validate({ total: 1.505 }).valid, false);
  const nested = v.validate({ total: 1, lines: [{ price: 'x' }] });
  assert.equal(nested.valid, false);
  assert.equal(nested.errors[0].instancePath, '/lines/0/price');
  // Another stored schema as a validation target, compiled on first use.
  assert.equal(v.validate('1.001', 'urn:money').valid, false);
  assert.throws(() => v.validate('1', 'urn:none'), code('SCHEMA_NOT_FOUND'));
  const over = new Validator({ type: 'array', items: { $ref: 'urn:money' } }, { registry });
  assert.equal(over.validate([1, 2.25]).valid, true);
  assert.equal(over.validate([1, 2.255]).valid, false);
});

test('adding stores without compiling: a broken schema fails only the validators that reach it', () => {
  const registry = new SchemaRegistry();
  registry.add([money, { $id: 'urn:broken', minLength: 'x' }, { $id: 'urn:uses-broken', properties: { a: { $ref: 'urn:broken' } } }]);
  assert.equal(registry.validator('urn:money').validate('2').valid, true);
  for (let attempt = 0; attempt < 2; attempt++) {  // the second try fails the same: nothing half-compiled
    assert.throws(() => registry.validator('urn:uses-broken'),
      (e) => e instanceof SchemaError && e.code === 'SCHEMA_INVALID' && e.schemaPath === 'urn:broken#/minLength');
  }
  assert.throws(() => new Validator({ $ref: 'urn:uses-broken' }, { registry }), SchemaError);
});

test('remote references are never fetched', () => {
  const registry = new SchemaRegistry().add({ $id: 'urn:remote', $ref: 'https://json.schemastore.org/package.json' });
  assert.throws(() => registry.validator('urn:remote'), (e) => e instanceof SchemaError && /can't resolve/.test(e.message));
});

test('an id names one schema: the same again is a no-op, another is SCHEMA_DUPLICATE', () => {
  const registry = new SchemaRegistry().add(money);
  registry.add({ ...money });
  assert.throws(() => registry.add({ $id: 'urn:money', type: 'string' }), code('SCHEMA_DUPLICATE'));
  assert.throws(() => new Validator({ $id: 'urn:money', type: 'string' }, { registry }), code('SCHEMA_DUPLICATE'));
  // The stored schema given whole (re-serialized by the core on the way) is the same schema.
  assert.equal(new Validator(money, { registry }).validate('0.5').valid, true);
  // A schema given whole with a new $id joins the registry.
  assert.equal(new Validator({ $id: 'urn:flag', type: 'boolean' }, { registry }).validate('true').valid, true);
  assert.equal(registry.validator('urn:flag').validate('1').valid, false);
  // A resource nested in a compiled schema would shadow a stored one for every $ref.
  assert.throws(() => new Validator({ $defs: { m: { $id: 'urn:money' } } }, { registry }), SchemaError);
  assert.equal(registry.validator('urn:money').validate('0.001').valid, false);
});

test('bad arguments throw before anything is stored', () => {
  const registry = new SchemaRegistry();
  for (const bad of [null, true, [[]], { type: 'string' }, { $id: '' }, { $id: 5 }]) {
    assert.throws(() => registry.add(bad), (e) => e instanceof SchemaError && e.code === 'SCHEMA_INVALID');
  }
  assert.throws(() => registry.add([money, { type: 'string' }]), SchemaError);
  assert.throws(() => registry.validator('urn:money'), code('SCHEMA_NOT_FOUND'));
  assert.throws(() => registry.validator(''), SchemaError);
  assert.throws(() => new Validator(true, { registry: {} }), code('CONFIG_INVALID'));
  assert.throws(() => new Validator(true, { registry, schemas: {} }), code('CONFIG_INVALID'));
});

test('compile options pick their own compiled copy: formats asserted or not', () => {
  const registry = new SchemaRegistry().add({ $id: 'urn:mail', type: 'string', format: 'email' });
  assert.equal(registry.validator('urn:mail').validate('"nope"').valid, true);
  assert.equal(registry.validator('urn:mail', { formats: 'assert' }).validate('"nope"').valid, false);
  const all = registry.validator('urn:mail', { formats: 'assert', allErrors: true, maxErrors: 5 });
  assert.equal(all.validate('1').errors.length, 1);
});

test('validators keep a disposed registry\'s schemas alive; the registry itself refuses use', () => {
  const registry = new SchemaRegistry().add([money, order, line]);
  const v = registry.validator('https://shop.example/order.json');
  registry.dispose();
  assert.equal(registry.disposed, true);
  assert.equal(v.validate({ total: 'x' }).valid, false);
  assert.equal(v.validate({ total: 3 }).valid, true);
  assert.throws(() => registry.add(money), code('DISPOSED'));
  assert.throws(() => registry.validator('urn:money'), code('DISPOSED'));
  assert.throws(() => new Validator(true, { registry }), code('DISPOSED'));
  v.dispose();
});

test('a schema whose getter disposes the registry is DISPOSED, never read from freed memory', () => {
  const disposing = (registry) => ({ $id: 'urn:a', get type() { registry.dispose(); return 'string'; } });
  const a = new SchemaRegistry();
  assert.throws(() => a.add(disposing(a)), code('DISPOSED'));
  const b = new SchemaRegistry();
  assert.throws(() => new Validator(disposing(b), { registry: b }), code('DISPOSED'));
});

test('addSchema on a validator over a registry adds to the registry', () => {
  const registry = new SchemaRegistry().add(money);
  const v = new Validator({ $ref: 'urn:money' }, { registry });
  v.addSchema({ $id: 'urn:text', type: 'string' });
  assert.equal(v.validate('1', 'urn:text').valid, false);
  assert.equal(registry.validator('urn:text').validate('"a"').valid, true);
  // A failed addSchema leaves nothing in the registry for others to reach.
  assert.throws(() => v.addSchema({ $id: 'urn:bad', minimum: 'x' }), SchemaError);
  assert.throws(() => registry.validator('urn:bad'), code('SCHEMA_NOT_FOUND'));
});

test('an id with a fragment names its subschema (JSON pointer or anchor), never the whole document', () => {
  const defs = { $id: 'http://x/defs.json', $defs: { pos: { $anchor: 'pos', type: 'number', minimum: 0 } } };
  const r = new SchemaRegistry().add(defs);
  for (const id of ['http://x/defs.json#/$defs/pos', 'http://x/defs.json#pos']) {
    const v = r.validator(id);
    assert.equal(v.validate(-5).valid, false, id);
    assert.equal(v.validate(5).valid, true, id);
    assert.equal(new Validator(true, { registry: r }).validate(-5, id).valid, false, id);
  }
  assert.throws(() => r.validator('http://x/defs.json#/$defs/none'), code('SCHEMA_NOT_FOUND'));
  assert.throws(() => r.validator('http://x/defs.json#none'), code('SCHEMA_NOT_FOUND'));
});

test('a schema without $id leaves no names (anchors, nested $ids, dynamic anchors) to other validators', () => {
  const r = new SchemaRegistry();
  const a = new Validator({
    $defs: { s: { $anchor: 'item', $dynamicAnchor: 'meta' }, u: { $id: 'urn:user' }, i: { $id: 'item.json' } },
    type: 'object', properties: { u: { $ref: 'urn:user' }, i: { $ref: '#item' } },
  }, { registry: r });
  for (const other of [{ items: { $ref: '#item' } }, { items: { $dynamicRef: '#meta' } }, { $ref: 'item.json' }, { $ref: 'urn:user' }]) {
    assert.throws(() => new Validator(other), SchemaError);  // standalone
    assert.throws(() => new Validator(other, { registry: r }), SchemaError, JSON.stringify(other));
  }
  for (const id of ['urn:user', '#', '#item']) assert.throws(() => r.validator(id), code('SCHEMA_NOT_FOUND'), id);
  r.add({ $id: 'urn:user', type: 'object', required: ['name'] });
  assert.equal(r.validator('urn:user').validate({}).valid, false);
  assert.equal(a.validate(1).valid, false);
});

test('a stored schema that fails to load fails no compile that does not reach it', () => {
  const r = new SchemaRegistry().add([
    { $id: 'urn:c', $defs: { n: { $id: 'urn:nested', type: 'string' } } },
    { $id: 'urn:bad', $defs: { a: { $id: 'urn:c', type: 'number' } } },
  ]);
  assert.equal(new Validator({ $ref: 'urn:nested' }, { registry: r }).validate(5).valid, false);
  assert.equal(r.validator('urn:nested').validate('"x"').valid, true);  // a nested resource is a target by id
  assert.throws(() => r.validator('urn:bad'), SchemaError);
});

test('schemas bundling the same resource all compile over a registry; another one under its $id does not', () => {
  const item = { $id: 'urn:item', type: 'string' };
  const s1 = { type: 'array', items: { $ref: 'urn:item' }, $defs: { item } };
  const s2 = { $id: 'urn:map', additionalProperties: { $ref: 'urn:item' }, $defs: { item } };
  const r = new SchemaRegistry();
  assert.equal(new Validator(s2, { registry: r }).validate({ x: 5 }).valid, false);
  assert.equal(new Validator(s1, { registry: r }).validate([5]).valid, false);
  const stored = new SchemaRegistry().add(item);
  assert.equal(new Validator(s1, { registry: stored }).validate([5]).valid, false);
  assert.throws(() => new Validator({ $defs: { i: { $id: 'urn:item', type: 'number' } } }, { registry: stored }), SchemaError);
});

test('a 2020-12 "$id": "#foo" names no resource (it took its document\'s URI); a root one is no $id', () => {
  const odd = { $id: 'urn:odd', type: 'object', $defs: { a: { $id: '#foo' } } };
  assert.equal(new Validator({ $ref: 'urn:odd' }, { schemas: { 'urn:odd': odd } }).validate(42).valid, false);
  assert.equal(new Validator({ $ref: 'urn:odd' }, { registry: new SchemaRegistry().add(odd) }).validate(42).valid, false);
  for (const s of [
    { $schema: 'http://json-schema.org/draft-07/schema#', $id: '#root', type: 'string' },
    { $id: '#', type: 'string' },
  ]) assert.equal(new Validator(s, { registry: new SchemaRegistry() }).validate(1).valid, false);
});

test('a duplicate is SCHEMA_DUPLICATE however it comes: add, addSchema, a validator\'s schema', () => {
  const r = new SchemaRegistry().add({ $id: 'urn:a', type: 'string' });
  assert.throws(() => r.add({ $id: 'urn:a', type: 'number' }), code('SCHEMA_DUPLICATE'));
  assert.throws(() => new Validator(true, { registry: r }).addSchema({ $id: 'urn:a', type: 'number' }), code('SCHEMA_DUPLICATE'));
  assert.throws(() => new Validator({ $id: 'urn:a', type: 'number' }, { registry: r }), code('SCHEMA_DUPLICATE'));
  assert.throws(() => r.validator('urn:b'), code('SCHEMA_NOT_FOUND'));
});

// The core's kMaxAnonymousSchemas (validate/registry.hpp), as README and schema-registry.d.ts
// document it: pinned here.
const MAX_ANONYMOUS_SCHEMAS = 1024;

test('a registry compiles at most 1024 distinct schemas without $id, then REGISTRY_FULL', () => {
  const registry = new SchemaRegistry().add(money);
  const schema = (k) => ({ type: 'object', properties: { total: { $ref: 'urn:money' } }, required: [`k${k}`] });
  for (let k = 0; k < MAX_ANONYMOUS_SCHEMAS; k++) new Validator(schema(k), { registry }).dispose();
  assert.throws(() => new Validator(schema(MAX_ANONYMOUS_SCHEMAS), { registry }),
    (e) => e instanceof EdgeguardError && e.code === 'REGISTRY_FULL' && /1024/.test(e.message));
  // Compiled already (the same schema, key order aside), or named by $id: still served.
  const again = new Validator({ required: ['k7'], properties: { total: { $ref: 'urn:money' } }, type: 'object' }, { registry });
  assert.equal(again.validate({ k7: 1, total: 0.5 }).valid, true);
  assert.equal(again.validate({ total: 0.5 }).valid, false);
  assert.equal(new Validator({ $id: 'urn:named', ...schema(MAX_ANONYMOUS_SCHEMAS) }, { registry }).validate({}).valid, false);
  // Other compile options compile into their own program, with their own count.
  assert.equal(new Validator(schema(MAX_ANONYMOUS_SCHEMAS), { registry, formats: 'assert' }).validate({}).valid, false);
});

test('ids and $refs name one resource however their dot segments are spelt', () => {
  const registry = new SchemaRegistry().add({ $id: 'https://x.example/a/./b.json', type: 'string' });
  registry.add({ $id: 'https://x.example/a/c/../b.json', type: 'string' });  // the same schema
  assert.throws(() => registry.add({ $id: 'https://x.example/a/b.json', type: 'number' }), code('SCHEMA_DUPLICATE'));
  for (const id of ['https://x.example/a/b.json', 'https://x.example/a/./b.json', 'https://x.example/z/../a/b.json']) {
    assert.equal(registry.validator(id).validate('1').valid, false, id);
    assert.equal(registry.validator(id).validate('"s"').valid, true, id);
  }
  const ref = new Validator({ $ref: 'https://x.example/a/d/./../b.json' }, { registry });
  assert.equal(ref.validate('1').valid, false);
  assert.equal(ref.validate('1', 'https://x.example/a/./b.json').valid, false);
  const standalone = new Validator({ $ref: 'https://y.example/a/b.json' }, { schemas: { 'https://y.example/a/./b.json': { type: 'string' } } });
  assert.equal(standalone.validate('1').valid, false);
  assert.equal(standalone.validate('"s"').valid, true);
});

test('out of memory making a registry is OUT_OF_MEMORY from the core\'s error channel, and freed memory serves again', () => {
  const mod = module('validator');
  const release = exhaustHeap(mod);
  try {
    assert.throws(() => new SchemaRegistry(), (e) => e.code === 'OUT_OF_MEMORY' && e.message === 'out of memory');
  } finally {
    release();
  }
  new SchemaRegistry().dispose();
});
