import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  init, Validator, SchemaError, PayloadError, ConfigError, EdgeguardError, Json, SchemaRegistry,
} from '../../js/entry.node.js';
import { bytesRunning } from './running-bytes.js';

before(() => init());

const order = {
  type: 'object',
  required: ['id', 'email', 'items'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    email: { type: 'string', format: 'email' },
    items: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['sku', 'qty'],
        properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' }, qty: { type: 'integer', minimum: 1 } },
      },
    },
    revenue: { type: 'number', exclusiveMinimum: 0, 'x-severity': 'warning' },
  },
};
const good = { id: 7, email: 'a@example.com', items: [{ sku: 'ABC-1', qty: 2 }] };
const enc = new TextEncoder();

test('validates strings, bytes, ArrayBuffers, views and JS values alike', () => {
  const v = new Validator(order);
  const text = JSON.stringify(good);
  for (const input of [text, enc.encode(text), enc.encode(text).buffer, new DataView(enc.encode(text).buffer), good]) {
    assert.deepEqual(v.validate(input), { valid: true, errors: [], warnings: [] });
  }
  const bad = v.validate({ ...good, id: 0 });
  assert.equal(bad.valid, false);
  assert.deepEqual(bad.errors, [{
    instancePath: '/id', schemaPath: '#/properties/id/minimum', keyword: 'minimum',
    params: { comparison: '>=', limit: 1 }, message: 'must be >= 1',
  }]);
});

test('errors are the ones of their own validation, whenever read, and behave as plain data', () => {
  const v = new Validator(order);
  const text = JSON.stringify({ ...good, email: 5 });
  for (const first of [{ ...good, id: 0 }, JSON.stringify({ ...good, id: 0 })]) {
    const bad = v.validate(first);
    // Later validations (invalid ones of the same input form included) leave it as it was.
    assert.equal(v.validate(text).errors[0].instancePath, '/email');
    assert.equal(v.validate({ ...good, revenue: 0 }).warnings.length, 1);
    assert.deepEqual(bad, {
      valid: false, warnings: [],
      errors: [{ instancePath: '/id', schemaPath: '#/properties/id/minimum', keyword: 'minimum',
        params: { comparison: '>=', limit: 1 }, message: 'must be >= 1' }],
    });
    assert.equal(bad.errors, bad.errors);  // built once
    assert.deepEqual(Object.keys(bad), ['valid', 'errors', 'warnings']);
    assert.equal(JSON.parse(JSON.stringify(bad)).errors[0].keyword, 'minimum');
    assert.equal({ ...bad }.errors[0].keyword, 'minimum');
    bad.errors = [];
    assert.deepEqual(bad.errors, []);
  }
});

// Ten errors: a report past the ones decoded at once.
const badItems = [0, 1, 2, 3];
const many = { ...good, id: 0, email: 5, items: badItems.map(() => ({ sku: 'abc', qty: 0 })) };

test('a long report is decoded when first read, and behaves as a short one does', () => {
  const v = new Validator(order, { allErrors: true });
  const expected = ['/id minimum', '/email type',
    ...badItems.flatMap((k) => [`/items/${k}/sku pattern`, `/items/${k}/qty minimum`])];
  const short = v.validate({ ...good, id: 0 });
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(short, 'errors').value));  // decoded at once
  for (const first of [many, JSON.stringify(many)]) {
    const bad = v.validate(first);
    assert.equal(typeof Object.getOwnPropertyDescriptor(bad, 'errors').get, 'function');
    v.validate({ ...good, email: 6, items: [] });  // replaces the core's report
    assert.deepEqual(bad.errors.map((e) => `${e.instancePath} ${e.keyword}`), expected);
    assert.equal(bad.errors, bad.errors);
    assert.deepEqual(Object.keys(bad), ['valid', 'errors', 'warnings']);
    assert.equal(JSON.parse(JSON.stringify(bad)).errors.length, expected.length);
    assert.equal({ ...bad }.errors[3].keyword, 'minimum');
    bad.errors = [];
    assert.deepEqual(bad, { valid: false, errors: [], warnings: [] });
  }
  v.dispose();
});

test('a number whose exponent cancels many leading zeros is read at its value', () => {
  const v = new Validator({ maximum: 1 });
  // 1.5: 100,000 zeros then an exponent past 100,000 (an exponent cut at 10^5 read it as 0.15).
  const text = `0.${'0'.repeat(100_000)}15e100001`;
  assert.equal(Number(text), 1.5);
  assert.equal(v.validate(text).valid, false);
  assert.equal(v.validate(enc.encode(text)).valid, false);
  v.dispose();
});

test('errors read through a Proxy of a result, or an object inheriting from it, are its own', () => {
  const v = new Validator(order);
  const all = new Validator(order, { allErrors: true });
  const minimum = (r) => r.errors[0].keyword;
  // Vue's reactive() reads with Reflect.get(target, key, receiver): the receiver is the proxy.
  const reactive = (t) => new Proxy(t, { get: (target, key, receiver) => Reflect.get(target, key, receiver) });
  for (const wrap of [(r) => new Proxy(r, {}), reactive, (r) => Object.create(r)]) {
    // A short report (decoded at once) and a long one (decoded when first read).
    for (const [validator, errors] of [[v, 1], [all, 10]]) {
      const r = wrap(validator.validate(many));
      validator.validate({ ...good, email: 6 });
      assert.equal(minimum(r), 'minimum');
      assert.equal(r.errors.length, errors);
      assert.deepEqual(r.warnings, []);
    }
  }
  const viaProxy = v.validate({ ...good, revenue: 0 });
  assert.equal(new Proxy(viaProxy, {}).warnings.length, 1);
});

test('stops at the first error unless allErrors', () => {
  const doc = { id: 0, email: 5, items: [{ sku: 'abc', qty: 0 }] };
  assert.equal(new Validator(order).validate(doc).errors.length, 1);
  const all = new Validator(order, { allErrors: true }).validate(doc);
  assert.deepEqual(all.errors.map((e) => `${e.instancePath} ${e.keyword}`),
    ['/id minimum', '/email type', '/items/0/sku pattern', '/items/0/qty minimum']);
});

test('x-severity warning subschemas report in warnings and keep the document valid', () => {
  const r = new Validator(order).validate({ ...good, revenue: 0 });
  assert.equal(r.valid, true);
  assert.deepEqual(r.errors, []);
  assert.equal(r.warnings.length, 1);
  assert.equal(r.warnings[0].instancePath, '/revenue');
  assert.equal(r.warnings[0].keyword, 'exclusiveMinimum');
});

test('formats annotate by default and assert on request', () => {
  const doc = { ...good, email: 'not-an-email' };
  assert.equal(new Validator(order).validate(doc).valid, true);
  const r = new Validator(order, { formats: 'assert' }).validate(doc);
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].keyword, 'format');
  assert.deepEqual(r.errors[0].params, { format: 'email' });
});

// validate/errors.cpp writes a malformed payload's code as text; Json reports it from the status
// names generated into js/seam/json.js: the two name each status alike.
test('a malformed payload\'s code is the one Json.check reports for it', () => {
  const v = new Validator({}, { maxDepth: 3 });
  const inputs = [new TextEncoder().encode('{"a": 01}'), new Uint8Array([0x22, 0xff, 0x22]), '[[[[1]]]]'];
  const codes = inputs.map((input) => [v.validate(input).errors[0].params.code, Json.check(input, { maxDepth: 3 }).error.code]);
  assert.deepEqual(codes, [['PAYLOAD_MALFORMED', 'PAYLOAD_MALFORMED'], ['PAYLOAD_BAD_UTF8', 'PAYLOAD_BAD_UTF8'],
    ['PAYLOAD_TOO_DEEP', 'PAYLOAD_TOO_DEEP']]);
  v.dispose();
});

test('malformed input is one "json" error with its offset, or a PayloadError on request', () => {
  const v = new Validator(order);
  const r = v.validate('{"id": 1,\n "items": [}');
  assert.equal(r.valid, false);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].keyword, 'json');
  assert.deepEqual(r.errors[0].params, { code: 'PAYLOAD_MALFORMED', offset: 21, line: 2, column: 12 });
  const strict = new Validator(order, { throwOnMalformed: true });
  assert.throws(() => strict.validate(enc.encode('[1,')), (e) => e instanceof PayloadError &&
    e.code === 'PAYLOAD_MALFORMED' && e.offset === 3 && e.line === 1 && e.column === 4);
  assert.throws(() => strict.validate(new Uint8Array([0x22, 0xc0, 0xaf, 0x22])),
    (e) => e instanceof PayloadError && e.code === 'PAYLOAD_BAD_UTF8' && e.offset === 1);
  const lone = v.validate('"a\ud800"');
  assert.equal(lone.errors[0].params.code, 'PAYLOAD_BAD_UTF8');
});

test('maxBytes and maxDepth bound what is read', () => {
  const v = new Validator({}, { maxBytes: 10, maxDepth: 2 });
  assert.equal(v.validate('[[1]]').valid, true);
  assert.equal(v.validate('[[[1]]]').errors[0].params.code, 'PAYLOAD_TOO_DEEP');
  assert.equal(v.validate('"0123456789"').errors[0].params.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(v.validate(new Uint8Array(11)).errors[0].params.code, 'PAYLOAD_TOO_LARGE');
});

test('invalid schemas throw SchemaError naming the schema path', () => {
  const cases = [
    [{ properties: { a: { minLength: -1 } } }, '#/properties/a/minLength'],
    [{ type: 'strng' }, '#/type'],
    [{ $ref: '#/$defs/nope' }, '#/$ref'],
    [{ pattern: '(a)\\1' }, '#/pattern'],
    [42, '#'],
    // Longer than the error channel's fixed buffer (4 KiB): kept whole.
    [{ properties: { ['p'.repeat(5000)]: { type: 'strng' } } }, `#/properties/${'p'.repeat(5000)}/type`],
  ];
  for (const [schema, path] of cases) {
    assert.throws(() => new Validator(schema), (e) => e instanceof SchemaError &&
      e instanceof EdgeguardError && e.code === 'SCHEMA_INVALID' && e.schemaPath === path, path);
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => new Validator(cyclic), SchemaError);
  let deep = {};
  for (let k = 0; k < 1000; k++) deep = { not: deep };
  assert.throws(() => new Validator(deep), (e) => e instanceof SchemaError && /too deep/.test(e.message));
});

test('options are checked', () => {
  for (const options of [{ draft: '4' }, { formats: 'strict' }, { allErrors: 1 }, { maxDepth: 5000 },
    { maxBytes: -1 }, { removeAdditional: 'some' }, { schemas: [] }, { allerrors: true }, { maxErrors: 0 }, []]) {
    assert.throws(() => new Validator({}, options), ConfigError, JSON.stringify(options));
  }
});

// The core owns the options' values (src/edgeguard/validate/options.cpp and the validator's
// ranges): its refusal reaches the user naming the option and showing the value given.
test('the core refuses an option naming it, with the value given', () => {
  const refused = (options, option, got) => assert.throws(() => new Validator({}, options), (e) =>
    e instanceof ConfigError && e.code === 'CONFIG_INVALID' && e.option === option && e.message.includes(`(got ${got})`),
  JSON.stringify(options));
  refused({ maxDepth: 5000 }, 'maxDepth', '5000');
  refused({ maxBytes: 0 }, 'maxBytes', '0');
  refused({ maxErrors: 1.5 }, 'maxErrors', '1.5');
  refused({ draft: 'draft-04' }, 'draft', '"draft-04"');
  // Values JSON has no form for reach the core as null: refused, never read as the default.
  refused({ maxBytes: NaN }, 'maxBytes', 'NaN');
  refused({ maxDepth: Infinity }, 'maxDepth', 'Infinity');
  refused({ allErrors: () => true }, 'allErrors', '() => true');
  refused({ formats: Symbol('assert') }, 'formats', 'Symbol(assert)');
  refused({ maxBytes: { toJSON() { return undefined; } } }, 'maxBytes', '[object Object]');
  refused({ draft: null }, 'draft', 'null');
  // Over a registry, through its own constructor export.
  const registry = new SchemaRegistry().add({ $id: 'urn:n', type: 'number' });
  assert.throws(() => registry.validator('urn:n', { maxErrors: 0 }), (e) => e instanceof ConfigError && e.option === 'maxErrors');
  registry.dispose();
});

test('maxBytes and maxDepth read back what the core made of the options', () => {
  const defaults = new Validator({});
  const json = new Json();
  assert.deepEqual([defaults.maxBytes, defaults.maxDepth], [json.maxBytes, json.maxDepth]);  // one default for both
  const given = new Validator({}, { maxBytes: 10, maxDepth: 3 });
  assert.deepEqual([given.maxBytes, given.maxDepth], [10, 3]);
  assert.equal(given.validate('[[[1]]]').valid, true);
  assert.equal(given.validate('[[[[1]]]]').errors[0].params.code, 'PAYLOAD_TOO_DEEP');
  assert.equal(given.validate('"01234567890"').errors[0].params.code, 'PAYLOAD_TOO_LARGE');
  for (const v of [defaults, given]) v.dispose();
  json.dispose();
});

test('known schemas resolve by id and addSchema targets another schema', () => {
  const v = new Validator({ $ref: 'https://example.com/money.json' }, {
    schemas: { 'https://example.com/money.json': { type: 'number', multipleOf: 0.01 } },
  });
  assert.equal(v.validate('12.34').valid, true);
  assert.equal(v.validate('12.345').valid, false);
  assert.equal(v.validate('"x"', 'https://example.com/money.json').valid, false);  // by its id
  assert.equal(v.addSchema({ $id: 'urn:sku', type: 'string', pattern: '^[A-Z]+$' }), v);
  assert.equal(v.validate('"ABC"', 'urn:sku').valid, true);
  assert.equal(v.validate('"abc"', 'urn:sku').valid, false);
  v.addSchema({ type: 'boolean' }, 'flag');
  assert.equal(v.validate('true', 'flag').valid, true);
  assert.throws(() => v.validate('1', 'missing'), (e) => e.code === 'SCHEMA_NOT_FOUND');
  assert.throws(() => v.addSchema({ minimum: 'x' }, 'bad'), SchemaError);
});

test('draft-07 is chosen by option or $schema', () => {
  const schema = { items: [{ type: 'string' }], additionalItems: false };
  assert.throws(() => new Validator(schema), SchemaError);  // 2020-12 has prefixItems instead
  assert.equal(new Validator(schema, { draft: 'draft-07' }).validate('["a", 1]').valid, false);
  const v = new Validator({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema });
  assert.equal(v.validate('["a"]').valid, true);
});

test('__proto__ and constructor keys are plain data', () => {
  const v = new Validator({
    properties: { ['__proto__']: { type: 'string' } }, additionalProperties: false,  // own key
  }, { useDefaults: true });
  const r = v.validate('{"__proto__": "x"}');
  assert.equal(r.valid, true);
  assert.equal(Object.getPrototypeOf(r.data), Object.prototype);
  assert.deepEqual(Object.keys(r.data), ['__proto__']);
  assert.equal(v.validate('{"__proto__": {"polluted": true}}').valid, false);
  assert.equal({}.polluted, undefined);
});

test('useDefaults: an inserted default must pass its property schema, and fills a required property first (as Ajv)', () => {
  const schema = {
    type: 'object', required: ['role'],
    properties: { n: { type: 'integer', default: false }, role: { enum: ['user', 'admin'], default: 'user' } },
  };
  const v = new Validator(schema, { useDefaults: true });
  const bad = v.validate('{}');
  assert.equal(bad.valid, false, 'a default the schema rejects cannot make cleaned data valid');
  assert.deepEqual(bad.errors.map((e) => [e.keyword, e.schemaPath]), [['default', '#/properties/n/default']]);
  const ok = v.validate('{"n": 3}');
  assert.equal(ok.valid, true, 'role is filled before required is tested');
  assert.deepEqual(ok.data, { n: 3, role: 'user' });
  assert.equal(new Validator(schema, { useDefaults: true }).validate('{"n": 3}').valid, true);
  const off = new Validator(schema);
  assert.equal(off.validate('{}').valid, false, 'without useDefaults nothing is filled');
  assert.equal(off.validate('{}').errors[0].keyword, 'required');
  assert.equal(off.validate('{"role": "user"}').valid, true, 'without useDefaults a default is never checked');
});

test('cleaning returns data with defaults, removed members and sanitized strings', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', 'x-sanitize': ['strip-tags', 'trim'], minLength: 1 },
      role: { enum: ['user', 'admin'], default: 'user' },
      note: { type: 'string', 'x-sanitize': 'escape-html' },
    },
    additionalProperties: false,
  };
  const v = new Validator(schema, { useDefaults: true, removeAdditional: true, sanitize: true });
  const r = v.validate('{"name": " <b>Ann</b> ", "note": "a<b", "debug": 1}');
  assert.equal(r.valid, true);
  assert.deepEqual(r.data, { name: 'Ann', note: 'a&lt;b', role: 'user' });
  assert.equal(v.validate('{"name": "<i></i>"}').valid, false);  // empty once sanitized
  assert.equal(new Validator(schema).validate('{}').data, undefined);
});

test('patterns are linear-time: the classic ReDoS answers at once', () => {
  const v = new Validator({ pattern: '^(a+)+$' });
  assert.equal(v.validate(JSON.stringify(`${'a'.repeat(30)}!`)).valid, false);
  assert.equal(v.validate(JSON.stringify('a'.repeat(100000))).valid, true);
});

test('deep recursion through $ref ends in an error, not a crash', () => {
  const v = new Validator({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' });
  assert.equal(v.validate('1').errors[0].message, 'schema recursion is too deep');
  const tree = new Validator({ $defs: { n: { type: 'array', items: { $ref: '#/$defs/n' } } }, $ref: '#/$defs/n' },
    { maxDepth: 1000 });
  const deep = '['.repeat(700) + ']'.repeat(700);
  assert.equal(tree.validate(deep).valid, true);
});

// Issue 12: the bound refused recursive schemas on documents deeper than 500, though maxDepth
// allows 1000. It is set by the wasm engine's stack (evaluator.cpp): documents 1000 deep are
// followed through every recursive form, and what goes deeper ends in the recursion error, never
// a stack overflow, also once the code is optimized (the warm-up) and its frames have grown.
// Node's default stack is the tightest of the runtimes.
function warmUp() {
  const v = new Validator({ anyOf: [{ type: 'integer' }, { type: 'array', items: { $ref: '#' } }],
    allOf: [{ not: { type: 'string' } }], properties: { a: { $ref: '#' } }, additionalProperties: { $ref: '#' },
    unevaluatedItems: { $ref: '#' }, if: { type: 'object' }, then: { minProperties: 0 } }, { allErrors: true });
  for (let k = 0; k < 20000; k++) v.validate('[[1,2,[3]],{"a":[1],"b":{"c":1}},"s"]');
  v.dispose();
}

// `levels` containers around `leaf`.
const nestedArrays = (levels, leaf = '1') => `${'['.repeat(levels)}${leaf}${']'.repeat(levels)}`;
const nestedObjects = (levels, leaf = '1') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;

test('recursive schemas follow documents 1000 deep through every applicator', () => {
  warmUp();
  const arrays = ['array', 'integer'];
  const objects = ['object', 'integer'];
  for (const [schema, nested] of [
    [{ type: arrays, items: { $ref: '#' } }, nestedArrays],
    [{ $defs: { n: { type: arrays, items: { $ref: '#/$defs/n' } } }, $ref: '#/$defs/n' }, nestedArrays],
    [{ type: objects, properties: { a: { $ref: '#' } } }, nestedObjects],
    [{ type: objects, additionalProperties: { $ref: '#' } }, nestedObjects],
    [{ type: objects, patternProperties: { '^a$': { $ref: '#' } } }, nestedObjects],
    [{ anyOf: [{ type: 'integer' }, { type: 'array', items: { $ref: '#' } }] }, nestedArrays],
    [{ oneOf: [{ type: 'integer' }, { type: 'array', items: { $ref: '#' } }] }, nestedArrays],
    [{ allOf: [{ type: arrays }, { items: { $ref: '#' } }] }, nestedArrays],
    [{ if: { type: 'array' }, then: { items: { $ref: '#' } }, else: { type: 'integer' } }, nestedArrays],
    [{ type: arrays, contains: { $ref: '#' } }, nestedArrays],
    [{ type: arrays, unevaluatedItems: { $ref: '#' } }, nestedArrays],
    [{ type: objects, unevaluatedProperties: { $ref: '#' } }, nestedObjects],
  ]) {
    const v = new Validator(schema, { maxDepth: 1000, allErrors: true });
    const name = JSON.stringify(schema);
    assert.equal(v.validate(nested(1000)).valid, true, name);
    const r = v.validate(nested(1000, 'true'));
    assert.equal(r.valid, false, name);
    assert.notEqual(r.errors.at(-1).message, 'schema recursion is too deep', name);
    v.dispose();
  }
  // Through not: a level is valid when the one below is not.
  const alternating = new Validator({ type: ['array', 'integer'], items: { not: { $ref: '#' } } }, { maxDepth: 1000 });
  assert.equal(alternating.validate(nestedArrays(1000)).valid, true);
  assert.equal(alternating.validate(nestedArrays(999)).valid, false);
  assert.equal(alternating.validate(nestedArrays(999)).errors[0].keyword, 'not');
});

test('the costliest recursion chains end in the recursion error, within the default stack', () => {
  warmUp();
  // Each recurses on one value until the bound: every frame on the way is of its kind.
  const annotated = (applicator) => ({ $defs: { x: applicator({ $ref: '#/$defs/x' }) },
    unevaluatedProperties: false, $ref: '#/$defs/x' });
  for (const [schema, doc] of [[{ anyOf: [{ $ref: '#' }] }, '1'], [{ allOf: [{ $ref: '#' }] }, '1'],
    [{ not: { $ref: '#' } }, '1'], [{ oneOf: [{ $ref: '#' }] }, '1'], [{ if: { $ref: '#' } }, '1'],
    [{ if: true, then: { $ref: '#' } }, '1'], [{ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }, '1'],
    [{ dependentSchemas: { a: { $ref: '#' } } }, '{"a":1}'],
    [{ $dynamicAnchor: 'n', anyOf: [{ $dynamicRef: '#n' }] }, '1'],
    [{ 'x-severity': 'warning', allOf: [{ $ref: '#' }] }, '1'],
    [{ unevaluatedProperties: false, anyOf: [{ $ref: '#' }] }, '{}'],
    [annotated((s) => ({ anyOf: [s] })), '{}'], [annotated((s) => ({ oneOf: [s] })), '{}'],
    [annotated((s) => ({ if: s })), '{}'],
    [{ type: 'array', items: { anyOf: [{ allOf: [{ $ref: '#' }] }] } }, nestedArrays(1000)]]) {
    const v = new Validator(schema, { allErrors: true, maxDepth: 1000 });
    const r = v.validate(doc);
    assert.equal(r.valid, false, JSON.stringify(schema));
    assert.equal(r.errors.at(-1).message, 'schema recursion is too deep', JSON.stringify(schema));
    v.dispose();
  }
});

// Issue 12, item 2: after a failed compile, a half-filled node accepted anything.
test('a failed compile fails every time and leaves nothing that validates', () => {
  const v = new Validator(true);
  const broken = { type: 'object', required: ['x'], properties: { x: { $ref: '#/nope' } } };
  for (let attempt = 0; attempt < 2; attempt++) {
    assert.throws(() => v.addSchema(broken, 'https://ex/b'), SchemaError);
    assert.throws(() => v.validate('{}', 'https://ex/b'), (e) => e.code === 'SCHEMA_NOT_FOUND');
    assert.throws(() => v.addSchema({ $ref: 'https://ex/b' }, 'https://ex/c'), SchemaError);
  }
  const schemas = {
    'https://example.com/a.json': {
      type: 'object', required: ['x'], properties: { x: { $ref: 'https://elsewhere.example/b.json' } },
    },
  };
  // The README's promise: an unresolvable $ref is a SchemaError at construction.
  assert.throws(() => new Validator(true, { schemas }), (e) => e instanceof SchemaError &&
    e.schemaPath === 'https://example.com/a.json#/properties/x/$ref');
});

test('x-severity "warning" never inverts a test: not, anyOf', () => {
  const not = new Validator({ not: { 'x-severity': 'warning', type: 'integer' } });
  assert.equal(not.validate('"a"').valid, true);
  assert.equal(not.validate('1').valid, false);
  const anyOf = new Validator({ anyOf: [{ 'x-severity': 'warning', type: 'integer' }, { type: 'boolean' }] });
  assert.equal(anyOf.validate('"s"').valid, false);
  assert.equal(anyOf.validate('1').valid, true);
});

// t(4n) / t(n), each the fastest of seven runs, interleaved so a change in the machine's load
// weighs on both: ~4 when linear, ~16 when quadratic.
function growth(fn, n) {
  const time = (size) => {
    const start = process.hrtime.bigint();
    fn(size);
    return Number(process.hrtime.bigint() - start);
  };
  fn(n);  // warm up
  let small = Infinity;
  let large = Infinity;
  for (let k = 0; k < 7; k++) {
    small = Math.min(small, time(n));
    large = Math.min(large, time(4 * n));
  }
  return large / small;
}

// Issue 12: nlohmann's callback parser rescanned the parent at each end of object.
test('compiling is linear in sibling subschemas and enum members', (t) => {
  // The schemas are built once: the time is the compile's, not the JS heap's.
  const compile = (make) => {
    const built = new Map();
    return (n) => {
      if (!built.has(n)) built.set(n, make(n));
      new Validator(built.get(n)).dispose();
    };
  };
  const anyOf = compile((n) => ({ anyOf: Array.from({ length: n }, () => ({})) }));
  const members = compile((n) => ({ enum: Array.from({ length: n }, (_, k) => ({ k })) }));
  const ratios = { anyOf: growth(anyOf, 10000), enum: growth(members, 10000) };
  t.diagnostic(`t(4n)/t(n): anyOf ${ratios.anyOf.toFixed(2)}, enum ${ratios.enum.toFixed(2)}`);
  assert.ok(ratios.anyOf < 8, `anyOf: ${ratios.anyOf}`);
  assert.ok(ratios.enum < 8, `enum: ${ratios.enum}`);
});

// Issue 12: each error's instancePath was found by a walk from the root over the siblings.
test('reporting many errors is linear in their number', (t) => {
  const v = new Validator({ items: { type: 'string' } }, { allErrors: true, maxErrors: 1e6, maxBytes: 1 << 26 });
  const docs = new Map();
  const run = (n) => {
    if (!docs.has(n)) docs.set(n, JSON.stringify(Array.from({ length: n }, (_, k) => k)));
    assert.equal(v.validate(docs.get(n)).errors.length, n);
  };
  const ratio = growth(run, 10000);
  t.diagnostic(`t(4n)/t(n): allErrors ${ratio.toFixed(2)}`);
  // 10, not 8: 40,000 error objects take the garbage collector past the young generation, which
  // read 8.4 once on a loaded machine (4.9 quiet); quadratic reads 16.
  assert.ok(ratio < 10, `allErrors: ${ratio}`);
});

test('values without a JSON form are rejected; disposed validators throw DISPOSED', () => {
  const v = new Validator({});
  assert.throws(() => v.validate(undefined), (e) => e.code === 'INVALID_INPUT');
  assert.throws(() => v.validate(() => 1), (e) => e.code === 'INVALID_INPUT');
  assert.throws(() => v.validate({ n: 1n }), (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
  const cycle = [];
  cycle.push(cycle);
  assert.throws(() => v.validate(cycle), (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
  v.dispose();
  assert.equal(v.disposed, true);
  assert.throws(() => v.validate('1'), (e) => e.code === 'DISPOSED');
  v.dispose();
});

test('a schema whose toJSON disposes the validator adding it is DISPOSED, never added to the one made in its place', () => {
  const v = new Validator({ type: 'string' });
  let next;
  const schema = { toJSON() { v.dispose(); next = new Validator({ type: 'string' }); return { type: 'integer' }; } };
  assert.throws(() => v.addSchema(schema, 'x'), (e) => e.code === 'DISPOSED');
  // Made at the address the disposed one freed: it holds no schema 'x'.
  assert.throws(() => next.validate(1, 'x'), (e) => e.code === 'SCHEMA_NOT_FOUND');
  next.dispose();
});

test('bytes whose length getter disposes the validator: DISPOSED, never a verdict from freed memory', () => {
  const v = new Validator({ type: 'object' });
  assert.throws(() => v.validate(bytesRunning([123, 125], () => v.dispose())), (e) => e.code === 'DISPOSED');
});

test('a SharedArrayBuffer is validated as its bytes; a detached buffer is INVALID_INPUT', () => {
  const v = new Validator({ type: 'object', required: ['x'] });
  const shared = new SharedArrayBuffer(7);
  new Uint8Array(shared).set(new TextEncoder().encode('{"x":1}'));
  assert.equal(v.validate(shared).valid, true);
  new Uint8Array(shared).set(new TextEncoder().encode('[1,2,3]'));
  assert.equal(v.validate(shared).valid, false, 'not read as {}');
  assert.equal(v.validate(new Uint8Array(shared)).valid, false);
  const buffer = new TextEncoder().encode('{"x":1}').buffer;
  structuredClone(buffer, { transfer: [buffer] });
  assert.throws(() => v.validate(buffer), (e) => e.code === 'INVALID_INPUT');
});

test('a payload over maxBytes is refused without reaching the core, with the same error as before', () => {
  const v = new Validator({}, { maxBytes: 4 });
  const [error] = v.validate('[1,2,3]').errors;
  assert.equal(error.keyword, 'json');
  assert.equal(error.params.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(error.params.offset, 4);
  const strict = new Validator({}, { maxBytes: 4, throwOnMalformed: true });
  assert.throws(() => strict.validate('[1,2,3]'), (e) => e.code === 'PAYLOAD_TOO_LARGE');
});

test('error fields come through whole, whatever characters keys, patterns and values hold', () => {
  const v = new Validator({
    properties: {
      'a\u0000b': { pattern: '^\\d+"$' },
      'q"\\/~': { enum: ['x\u0000y', 'é"'] },
      '\u2028𝄞': { type: 'integer' },
    },
  }, { allErrors: true });
  const value = { 'a\u0000b': 'x', 'q"\\/~': 'z', '\u2028𝄞': 'n' };
  const expected = [
    { instancePath: '/a\u0000b', schemaPath: '#/properties/a\u0000b/pattern', keyword: 'pattern',
      params: { pattern: '^\\d+"$' }, message: 'must match pattern "^\\d+"$"' },
    { instancePath: '/q"\\~1~0', schemaPath: '#/properties/q"\\~1~0/enum', keyword: 'enum',
      params: { allowedValues: ['x\u0000y', 'é"'] }, message: 'must be equal to one of the allowed values' },
    { instancePath: '/\u2028𝄞', schemaPath: '#/properties/\u2028𝄞/type', keyword: 'type',
      params: { type: 'integer' }, message: 'must be integer' },
  ];
  for (const input of [value, JSON.stringify(value), new TextEncoder().encode(JSON.stringify(value))]) {
    assert.deepEqual(v.validate(input).errors, expected);
  }
  const malformed = v.validate('{"a":\u0000}');
  assert.deepEqual(malformed.errors, [{ instancePath: '', schemaPath: '', keyword: 'json',
    params: { code: 'PAYLOAD_MALFORMED', offset: 5, line: 1, column: 6 }, message: malformed.errors[0].message }]);
});

test('errors decoded at once: each its own params, its own instance path, the same for every input form', () => {
  const key = 'é/~€ a property name longer than thirty-two bytes';
  const v = new Validator({
    type: 'object', additionalProperties: false,
    properties: { e: { enum: [[1], 'x'] }, c: { const: { a: [1] } }, n: { minimum: 5 }, [key]: { type: 'string' } },
  });
  for (const form of [(x) => x, JSON.stringify, (x) => enc.encode(JSON.stringify(x))]) {
    const errors = (doc) => v.validate(form(doc)).errors;
    // The same schema failing the same way again: the same error, with params of its own.
    const [first] = errors({ n: 1 });
    assert.deepEqual(first, { instancePath: '/n', schemaPath: '#/properties/n/minimum', keyword: 'minimum',
      params: { comparison: '>=', limit: 5 }, message: 'must be >= 5' });
    first.params.limit = 99;
    assert.equal(errors({ n: 2 })[0].params.limit, 5);
    for (const [doc, params] of [[{ e: 2 }, { allowedValues: [[1], 'x'] }], [{ c: 1 }, { allowedValue: { a: [1] } }]]) {
      const [a, b] = [errors(doc)[0].params, errors(doc)[0].params];
      assert.deepEqual(a, params);
      assert.notEqual(Object.values(a)[0], Object.values(b)[0]);  // nested values too
    }
    // A part that names the instance's own key is never another document's.
    assert.equal(errors({ x: 1 })[0].params.additionalProperty, 'x');
    assert.equal(errors({ y: 1 })[0].params.additionalProperty, 'y');
    assert.equal(errors({ [key]: 1 })[0].instancePath, '/é~1~0€ a property name longer than thirty-two bytes');
    assert.equal(errors({ 'q\n"': 1 })[0].params.additionalProperty, 'q\n"');
  }
  v.dispose();
});

test('after linear memory grows, a short report is still read by its index (decoded at once)', async () => {
  const { module } = await import('../../js/core.js');
  const mod = module('validator');
  const v = new Validator(order);
  assert.equal(v.validate({ ...good, id: 0 }).errors[0].keyword, 'minimum');
  const before = mod.HEAPU8.buffer;
  const blocks = [];
  while (mod.HEAPU8.buffer === before && blocks.length < 256) blocks.push(mod._malloc(16 << 20));
  assert.ok(blocks.every(Boolean) && mod.HEAPU8.buffer !== before);
  for (const block of blocks) mod._free(block);
  const result = v.validate({ ...good, id: 0 });
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(result, 'errors').value));
  assert.deepEqual(result.errors.map((e) => `${e.instancePath} ${e.keyword}`), ['/id minimum']);
  v.dispose();
});

test('a field starting with U+FEFF keeps it (a schema $id\'s), in short reports and long ones', () => {
  const id = '\uFEFFurn:bom';
  const registry = new SchemaRegistry().add({ $id: id, type: 'array', items: { minimum: 5 } });
  const v = registry.validator(id);
  for (const items of [[1], Array(9).fill(1)]) {
    const errors = new Validator({ $ref: id }, { registry, allErrors: true }).validate(items).errors;
    assert.equal(errors.length, items.length);
    assert.equal(errors[0].schemaPath, `${id}#/items/minimum`);
  }
  assert.equal(v.validate([1]).errors[0].schemaPath, `${id}#/items/minimum`);
  registry.dispose();
});

test('an invalid document with warnings: errors and warnings each their own', () => {
  const v = new Validator({ properties: { w: { minimum: 5, 'x-severity': 'warning' }, a: { minimum: 5 } } },
    { allErrors: true });
  for (const input of [{ w: 1, a: 1 }, '{"w": 1, "a": 1}']) {
    const { valid, errors, warnings } = v.validate(input);
    assert.equal(valid, false);
    assert.deepEqual(errors.map((e) => e.instancePath), ['/a']);
    assert.deepEqual(warnings.map((e) => e.instancePath), ['/w']);
  }
  v.dispose();
});

test('instance paths of every length decode whole: ASCII up to and past 32 bytes, escapes included', () => {
  const v = new Validator({ additionalProperties: { type: 'string' } });
  for (let n = 1; n <= 40; n++) {
    for (const key of ['k'.repeat(n), `"${'q'.repeat(n)}\\`, `~/${'é'.repeat(n)}`]) {
      const expected = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      for (const input of [{ [key]: 1 }, JSON.stringify({ [key]: 1 })]) {
        assert.equal(v.validate(input).errors[0].instancePath, expected);
      }
    }
  }
  v.dispose();
});

test('a report index the core broke is not trusted: the errors are read from the report\'s text', async (t) => {
  const { module } = await import('../../js/core.js');
  const { out } = await import('../../js/validator.js');
  const { IndexWord, OutWord } = await import('../../js/seam/validator.js');
  const mod = module();
  const v = new Validator(order);
  const expected = v.validate({ ...good, id: 0 }).errors;
  const validateTape = mod._eg_validator_validate_tape;
  t.after(() => { mod._eg_validator_validate_tape = validateTape; });
  mod._eg_validator_validate_tape = (...args) => {
    const status = validateTape(...args);
    const o = out(mod);
    mod.u32(o[OutWord.INDEX], IndexWord.COUNT)[IndexWord.PATH_END] = o[OutWord.TEXT_LEN] + 1;  // the path past the report's end
    return status;
  };
  assert.deepEqual(v.validate({ ...good, id: 0 }).errors, expected);
  v.dispose();
});

test('a report the core broke (a field that is not JSON) is INTERNAL_ERROR, never a SyntaxError or an answer', async (t) => {
  const { module } = await import('../../js/core.js');
  const { out } = await import('../../js/validator.js');
  const mod = module();
  const v = new Validator(order);
  const validateTape = mod._eg_validator_validate_tape;
  t.after(() => { mod._eg_validator_validate_tape = validateTape; });
  mod._eg_validator_validate_tape = (...args) => {
    const status = validateTape(...args);
    const [, ptr, len] = out(mod);
    const bytes = mod.HEAPU8.subarray(ptr, ptr + len);
    let separators = 0;  // params is the 4th field: spoil its first character
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0 && ++separators === 3) { bytes[i + 1] = 0x78; break; }
    return status;
  };
  // The report is read when its errors are: the verdict stands, the errors throw.
  const result = v.validate({ ...good, id: 0 });
  assert.equal(result.valid, false);
  assert.throws(() => result.errors, (e) => e instanceof EdgeguardError && e.code === 'INTERNAL_ERROR' && e.cause instanceof SyntaxError);
  v.dispose();
});
