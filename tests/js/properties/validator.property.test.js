// Properties of Validator over random options, schemas and payloads: answers agree with Ajv on
// simple schemas, failures are typed, nothing fails open after an error, and canaries survive.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Validator, SchemaError } from '../../../js/entry.node.js';
import { property } from './property.js';
import { attempt, describe } from './verdict.js';
import { option, wrongType, payload, jsonText, detachedBuffer, sharedBytes } from './hostile.js';
import { simpleSchema, referencedSchema, instance, reference, comparable, brokenSubschema, schemaAround } from './schemas.js';
import { assertCanaries } from './canary.js';

function assertResult(r, where) {
  assert.equal(typeof r.valid, 'boolean', `${where}: valid is not a boolean`);
  assert.ok(Array.isArray(r.errors) && Array.isArray(r.warnings), `${where}: errors/warnings not arrays`);
  assert.equal(r.valid, r.errors.length === 0, `${where}: valid=${r.valid} with ${r.errors.length} errors`);
}

const validatorOptions = fc.oneof(
  { weight: 5, arbitrary: fc.record({
    draft: option(fc.constantFrom('2020-12', 'draft-07')),
    formats: option(fc.constantFrom('assert', 'annotate')),
    allErrors: option(fc.boolean()),
    useDefaults: option(fc.boolean()),
    removeAdditional: option(fc.constantFrom(true, false, 'additional', 'all', 'failing')),
    sanitize: option(fc.boolean()),
    throwOnMalformed: option(fc.boolean()),
    maxBytes: option(fc.integer({ min: 1, max: 1 << 20 })),
    maxDepth: option(fc.integer({ min: 1, max: 1000 })),
    maxErrors: option(fc.integer({ min: 1, max: 100 })),
    schemas: option(fc.dictionary(fc.constantFrom('https://ex/a', 'https://ex/b', ''), simpleSchema, { maxKeys: 2 })),
  }, { requiredKeys: [] }) },
  wrongType,
);

// Hostile keyword values: a compile either succeeds or is a SchemaError/ConfigError.
const hostileSchema = fc.oneof(
  simpleSchema,
  fc.record({
    type: option(fc.constantFrom('string', 'object', 'nope')),
    minimum: option(fc.integer()), maxLength: option(fc.nat()), minItems: option(fc.nat()),
    pattern: option(fc.constantFrom('^a', '(', '\\', '[z-a]', '(a+)+$', 'a{99999}')),
    required: option(fc.constantFrom(['x'], 'x', [1], ['x', 'x'])),
    $ref: option(fc.constantFrom('#', '#/nope', 'https://ex/a', '#/$defs/a', '')),
    $defs: option(fc.record({ a: simpleSchema })),
    'x-sanitize': option(fc.constantFrom('trim', 'strip-tags', 'bogus', ['trim'])),
    'x-severity': option(fc.constantFrom('warning', 'error', 'bogus')),
    properties: option(fc.dictionary(fc.string({ maxLength: 3 }), simpleSchema, { maxKeys: 2 })),
  }, { requiredKeys: [] }),
  wrongType,
);

property('random options and schemas: a Validator or a typed error; its answers well-formed; canaries survive',
  [hostileSchema, validatorOptions, payload],
  (schema, options, input) => {
    const built = attempt(() => new Validator(schema, options), 'new Validator');
    if (built.ok) {
      const v = built.value;
      const r = attempt(() => v.validate(input), 'validate');
      if (r.ok) assertResult(r.value, 'validate');
      v.dispose();
    }
    assertCanaries();
  }, { numRuns: 150 });

property('simple schemas: valid exactly when Ajv says so', [referencedSchema, instance.filter(comparable)], (schema, value) => {
  const v = new Validator(schema);
  try {
    const r = v.validate(JSON.stringify(value));
    assertResult(r, 'validate');
    assert.equal(r.valid, reference(schema, value), `edgeguard says ${r.valid}: ${JSON.stringify(r.errors)}`);
  } finally {
    v.dispose();
  }
}, { numRuns: 400 });

const text = (value) => JSON.stringify(value);
property('one payload, one answer: a JS value, its text, its bytes and a SharedArrayBuffer of them agree',
  [simpleSchema, instance], (schema, value) => {
    const v = new Validator(schema);
    try {
      const expected = v.validate(text(value)).valid;
      const bytes = new TextEncoder().encode(text(value));
      // A JS string is JSON text, not a value: only other values have a "value" form.
      const forms = typeof value === 'string' ? [] : [['value', value]];
      for (const [form, input] of [...forms, ['Uint8Array', bytes], ['ArrayBuffer', bytes.slice().buffer],
        ['SharedArrayBuffer', sharedBytes(text(value), false)], ['shared Uint8Array', sharedBytes(text(value), true)]]) {
        const r = attempt(() => v.validate(input), `validate(${form})`);
        if (r.ok) assert.equal(r.value.valid, expected, `${form} answered ${r.value.valid}, the text ${expected}`);
      }
    } finally {
      v.dispose();
    }
  }, { numRuns: 150 });

property('malformed or unusable input is never valid', [jsonText, fc.boolean()], (text, asBytes) => {
  // UTF-8 cannot carry a lone surrogate: as bytes, the text is what TextEncoder makes of it.
  const input = asBytes ? text.toWellFormed() : text;
  let parses = true;
  try {
    JSON.parse(input);
  } catch {
    parses = false;
  }
  if (parses && input.isWellFormed()) return;
  const v = new Validator(true);
  try {
    const r = attempt(() => v.validate(asBytes ? new TextEncoder().encode(input) : input), 'validate');
    if (r.ok) assert.equal(r.value.valid, false, 'malformed input answered valid');
  } finally {
    v.dispose();
  }
}, { numRuns: 200 });

property('a detached ArrayBuffer or view is a typed error or invalid', [fc.boolean()], (view) => {
  const v = new Validator(true);
  try {
    const r = attempt(() => v.validate(detachedBuffer(view)), 'validate(detached)');
    if (r.ok) assert.equal(r.value.valid, false, 'a detached buffer answered valid');
  } finally {
    v.dispose();
  }
}, { numRuns: 2 });

property('a failed compile leaves nothing reachable: every later use of the id, or of a schema reaching it, fails',
  [brokenSubschema.chain((b) => schemaAround(b)), fc.constantFrom('{}', '{"x":1}', '[]', '"s"')],
  (broken, input) => {
    const id = 'https://ex/broken';
    const v = new Validator(true);
    try {
      assert.throws(() => v.addSchema(broken, id), (e) => e instanceof SchemaError, 'addSchema of a broken schema');
      for (let i = 0; i < 3; i++) {
        const r = attempt(() => v.validate(input, id), `validate against the failed id (try ${i + 1})`);
        assert.ok(!r.ok, `validate against the failed id answered ${JSON.stringify(r.value)} (try ${i + 1})`);
      }
      const via = attempt(() => v.addSchema({ $ref: id }, 'https://ex/via'), 'addSchema of a schema reaching it');
      if (via.ok) {
        const r = attempt(() => v.validate(input, 'https://ex/via'), 'validate via the failed id');
        assert.ok(!r.ok, `a schema reaching the failed one answered ${JSON.stringify(r.value)}`);
      }
      // Re-adding an id that compiled once: a failure keeps the old schema, or fails every use.
      v.addSchema({ type: 'object', required: ['x'] }, 'https://ex/good');
      assert.throws(() => v.addSchema(broken, 'https://ex/good'), (e) => e instanceof SchemaError, 're-adding with a broken schema');
      const again = attempt(() => v.validate('{}', 'https://ex/good'), 'validate the re-added id');
      if (again.ok) assert.equal(again.value.valid, false, 'the re-added id accepted {} that its old schema rejects');
    } finally {
      v.dispose();
    }
    const main = attempt(() => new Validator({ $ref: id }, { schemas: { [id]: broken } }), 'new Validator with a broken options.schemas');
    if (main.ok) {
      for (let i = 0; i < 3; i++) {
        const r = attempt(() => main.value.validate(input), `validate (try ${i + 1})`);
        assert.ok(!r.ok, `a validator whose schema reaches a broken one answered ${JSON.stringify(r.value)} (try ${i + 1}); construction should throw SchemaError`);
      }
      main.value.dispose();
    }
    assertCanaries();
  }, { numRuns: 60 });

const strip = (s) => JSON.parse(JSON.stringify(s), (k, val) => (val && typeof val === 'object' && !Array.isArray(val)
  ? Object.fromEntries(Object.entries(val).filter(([key]) => key !== 'x-severity')) : val));
const warned = (s) => (typeof s === 'boolean' ? { 'x-severity': 'warning', allOf: [s] } : { ...s, 'x-severity': 'warning' });

// Inside not / anyOf / oneOf / if / contains a warning cannot be "passing" without inverting
// the parent's logic: it is refused at compile, or changes nothing.
const applicator = fc.tuple(simpleSchema, simpleSchema, simpleSchema).chain(([w, a, b]) => fc.constantFrom(
  { not: warned(w) }, { anyOf: [warned(w), a] }, { oneOf: [warned(w), a] },
  { if: warned(w), then: a, else: b }, { contains: warned(w) }));

property('x-severity inside not/anyOf/oneOf/if/contains is refused or changes nothing', [applicator, instance], (schema, value) => {
  const built = attempt(() => new Validator(schema), 'new Validator');
  if (!built.ok) {
    assert.ok(built.error instanceof SchemaError, `refused with ${describe(built.error)}`);
    return;
  }
  try {
    const r = built.value.validate(JSON.stringify(value));
    assert.equal(r.valid, reference(strip(schema), value), 'the warning changed the outcome');
  } finally {
    built.value.dispose();
  }
}, { numRuns: 300 });

property('a warning never makes a valid instance invalid', [simpleSchema, instance], (schema, value) => {
  if (typeof schema === 'boolean' || !reference(schema, value)) return;
  const marks = JSON.parse(JSON.stringify(schema), (k, val) => (val && typeof val === 'object' && !Array.isArray(val)
    ? { ...val, 'x-severity': 'warning' } : val));
  const built = attempt(() => new Validator(marks), 'new Validator');
  if (!built.ok) return;
  try {
    assert.equal(built.value.validate(JSON.stringify(value)).valid, true, 'valid without warnings, invalid with them');
  } finally {
    built.value.dispose();
  }
}, { numRuns: 300 });

const nested = (depth) => '['.repeat(depth) + ']'.repeat(depth);
property('a recursive schema accepts nesting up to maxDepth and refuses beyond it, as a json error',
  [fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -3, max: 3 })], (maxDepth, delta) => {
    const depth = Math.max(1, maxDepth + delta);
    const v = new Validator({ type: 'array', items: { $ref: '#' } }, { maxDepth });
    try {
      const r = attempt(() => v.validate(nested(depth)), 'validate');
      assert.ok(r.ok, `depth ${depth} threw ${r.ok || describe(r.error)}`);
      assert.equal(r.value.valid, depth <= maxDepth, `depth ${depth} with maxDepth ${maxDepth}: ${JSON.stringify(r.value.errors[0])}`);
      if (!r.value.valid) assert.equal(r.value.errors[0].params.code, 'PAYLOAD_TOO_DEEP', 'refused, but not as too deep');
    } finally {
      v.dispose();
    }
  }, { numRuns: 60, examples: [[1000, 0], [600, 0], [501, 0]] });

const markup = fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '?', '=', '"', "'", ' ', '\n', '\t', 'a', 'img', 'script',
  'svg', 'onerror', 'src', 'x', '&lt;', '<!--', '-->', '\u0000', '%3C', '\u00bc'), maxLength: 16 });
const OPENS_TAG = /<[a-zA-Z!/?]/;

property('strip-tags leaves no "<" that could open a tag', [markup], (input) => {
  const v = new Validator({ type: 'string', 'x-sanitize': 'strip-tags' }, { sanitize: true });
  try {
    const r = v.validate(JSON.stringify(input));
    assert.equal(typeof r.data, 'string', `no cleaned string: ${JSON.stringify(r)}`);
    assert.ok(!OPENS_TAG.test(r.data), `strip-tags left ${JSON.stringify(r.data)}`);
  } finally {
    v.dispose();
  }
}, { numRuns: 400, examples: [['hi <img src=x onerror=alert(1)//']] });

// Not removeAdditional: like Ajv's, it may drop a property that `required` names (one outside
// `properties`, or failing additionalProperties), by definition.
const cleaning = fc.record({
  useDefaults: fc.boolean(),
  sanitize: fc.boolean(),
});
const withDefaults = simpleSchema.chain((s) => fc.record({
  type: fc.constant('object'),
  required: fc.subarray(['a', 'x']),
  properties: fc.record({ a: fc.constant(s), b: fc.record({ type: fc.constantFrom('integer', 'string'), default: fc.jsonValue({ maxDepth: 0 }) }) }, { requiredKeys: [] }),
  additionalProperties: fc.oneof(fc.boolean(), fc.constant({ type: 'integer' })),
}, { requiredKeys: ['type'] }));

property('cleaned data that was answered valid is valid against the same schema', [withDefaults, cleaning, instance], (schema, options, value) => {
  const v = new Validator(schema, options);
  try {
    const r = v.validate(JSON.stringify(value));
    if (!r.valid || r.data === undefined) return;  // data comes only with a cleaning option
    const again = new Validator(schema);
    try {
      const check = again.validate(JSON.stringify(r.data));
      assert.equal(check.valid, true, `valid, but its cleaned data ${JSON.stringify(r.data)} is not: ${JSON.stringify(check.errors[0])}`);
    } finally {
      again.dispose();
    }
  } finally {
    v.dispose();
  }
}, { numRuns: 300 });
