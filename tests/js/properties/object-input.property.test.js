// Object input (js/object-input.js writes a JS value straight into the core's tape) answers
// exactly what the value's JSON.stringify text answers: the same verdict, errors and warnings,
// the same typed error when there is no text, the same maxBytes / maxDepth edges; on random
// values and schemas, and on the real-world corpus's examples (tests/fixtures/schema-corpus).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Validator } from '../../../js/entry.node.js';
import { property } from './property.js';
import { simpleSchema, instance } from './schemas.js';

// What validate(value) answered before object input: the text's answer, or the error thrown.
function viaText(v, value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    return { code: 'INVALID_INPUT' };
  }
  if (text === undefined) return { code: 'INVALID_INPUT' };
  return answer(() => v.validate(text));
}

function answer(fn) {
  try {
    return fn();
  } catch (err) {
    return { code: err.code ?? err.message };
  }
}

// A string is JSON text and bytes are its UTF-8 to validate(), not values: only others compare.
const isValue = (x) => typeof x !== 'string' && !ArrayBuffer.isView(x);

function assertSame(v, value, where) {
  if (!isValue(value)) return;
  assert.deepEqual(answer(() => v.validate(value)), viaText(v, value), where);
}

// Numbers JSON.stringify writes in every form: exponents, -0, beyond 2^53, non-finite.
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 1e21, 1e-7, 2 ** 53 + 2, -(2 ** 31),
  2 ** 31, 0.1, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 1.5, 100, -2147483649));
// Strings with escapes, non-ASCII, astral characters, lone surrogates; long and short.
const text = fc.oneof(fc.string({ unit: 'grapheme-composite' }), fc.string({ unit: 'binary' }),
  fc.constantFrom('a"b\\c', '\u0000\u001f\n\t', 'é', '\ud83d\ude00', '\ud800', 'x\udc00y', 'é'.repeat(40) + '"',
    'a'.repeat(100), `${'b'.repeat(60)}\n`));
class Thing {
  constructor() { this.a = 1; }
}
// Values JSON.stringify treats specially, for the encoder to hand back or match.
const odd = fc.constantFrom(undefined, () => 1, Symbol('s'), new Date(0), { toJSON: () => 'x' }, new Thing(),
  Object.assign(Object.create(null), { a: 1 }), new Map([[1, 2]]), new Number(3), new String('s'), [, 1], 10n,
  new Uint8Array([1]), { toJSON: 'not a function' });
const leaf = fc.oneof(number, text, fc.boolean(), fc.constant(null), odd);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('v'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(text, fc.constantFrom('a', 'b', 'x', '1', '01', '__proto__')), tie('v'), { maxKeys: 4 }),
})).v;

property('a JS value answers what its JSON text answers (verdict, errors, warnings, typed errors)',
  [simpleSchema, fc.oneof(value, instance), fc.boolean()], (schema, input, allErrors) => {
    // Scalars only reach the object path inside a container: the schema goes with them.
    for (const [s, wrapped] of [[schema, input], [{ items: schema }, [input, input]],
      [{ additionalProperties: schema }, { k: input }]]) {
      const v = new Validator(s, { allErrors });
      try {
        assertSame(v, wrapped, JSON.stringify(s));
      } finally {
        v.dispose();
      }
    }
  }, { numRuns: 600 });

property('maxBytes and maxDepth fall on the same value for objects and their text',
  [value.filter((x) => x !== null && typeof x === 'object'), fc.integer({ min: -2, max: 2 }), fc.integer({ min: 1, max: 6 })],
  (input, slack, maxDepth) => {
    let length;
    try {
      length = Buffer.byteLength(JSON.stringify(input) ?? '');
    } catch {
      return;
    }
    const v = new Validator(true, { maxBytes: Math.max(1, length + slack), maxDepth });
    try {
      assertSame(v, input, `maxBytes ${length + slack}, maxDepth ${maxDepth}`);
    } finally {
      v.dispose();
    }
  }, { numRuns: 400 });

// The real-world corpus: each schema's own examples, whole and with members dropped, as values.
const fixtures = fileURLToPath(new URL('../../fixtures/schema-corpus/schemastore/', import.meta.url));
const corpus = readdirSync(fixtures).filter((f) => f.endsWith('.json') && f !== 'SOURCE.json').sort()
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(fixtures + f, 'utf8')) }));

property('corpus schemas: an example as a value answers what its text answers',
  [fc.constantFrom(...corpus), fc.boolean(), fc.nat()], ({ file, draft, schema, schemas, valid = {}, invalid = {} }, allErrors, pick) => {
    const examples = [...Object.values(valid), ...Object.values(invalid)];
    if (!examples.length) return;
    const example = examples[pick % examples.length];
    const v = new Validator(schema, { draft, schemas, allErrors, formats: pick % 2 ? 'assert' : 'annotate' });
    try {
      assertSame(v, example, file);
      if (example && typeof example === 'object' && !Array.isArray(example)) {
        const [first] = Object.keys(example);
        if (first !== undefined) {
          const { [first]: _, ...rest } = example;
          assertSame(v, rest, `${file} without ${first}`);
        }
      }
    } finally {
      v.dispose();
    }
  }, { numRuns: 300 });

// multipleOf reads a number's decimal text: a double sent as binary must answer as its
// JSON.stringify digits do. The families are where a printf-based writer errs (integers from
// 2^53 to 1e21, powers of two and their neighbours, subnormals, the 1e-7 and 1e21 edges, sums
// of short decimals); the divisors are the ones those digits decide: the value itself, the
// power of ten of its last digit and the next, 3 and 7.
const bitsView = new DataView(new ArrayBuffer(8));
const ulps = (x, k) => {
  bitsView.setFloat64(0, x);
  bitsView.setBigUint64(0, bitsView.getBigUint64(0) + BigInt(k));
  return bitsView.getFloat64(0);
};
const finite = { noNaN: true, noDefaultInfinity: true };
const hardDouble = fc.tuple(fc.oneof(
  fc.double(finite),
  fc.double({ ...finite, min: 2 ** 53, max: 1e21 }),
  fc.tuple(fc.integer({ min: -1074, max: 1023 }), fc.integer({ min: -2, max: 2 })).map(([k, d]) => ulps(2 ** k, d)),
  fc.double({ ...finite, min: 0, max: 2.2250738585072014e-308 }),
  fc.tuple(fc.constantFrom(1e-7, 1e-6, 1e20, 1e21), fc.integer({ min: -30, max: 30 })).map(([x, d]) => ulps(x, d)),
  fc.tuple(fc.nat(9999), fc.nat(8), fc.nat(9999), fc.nat(8)).map(([a, i, b, j]) => a / 10 ** i + b / 10 ** j),
), fc.boolean()).map(([x, negative]) => (negative ? -x : x)).filter((x) => Number.isFinite(x) && x !== 0);

// The power of ten of the last digit of String(x): 1.25e-7 -> -9, 1200 -> 2, 0.5 -> -1.
function lastDigitPower(x) {
  const [digits, exponent = '0'] = String(Math.abs(x)).split('e');
  const [whole, fraction = ''] = digits.split('.');
  const zeros = fraction ? 0 : whole.length - whole.replace(/0+$/, '').length;
  return Number(exponent) - fraction.length + zeros;
}

property('multipleOf: a double as a value answers what its JSON text answers', [hardDouble], (x) => {
  const p = lastDigitPower(x);
  const divisors = [Math.abs(x), Number(`1e${p}`), Number(`1e${p + 1}`), 3, 7].filter((m) => m > 0 && Number.isFinite(m));
  const properties = Object.fromEntries(divisors.map((m, i) => [`m${i}`, { multipleOf: m }]));
  const v = new Validator({ properties, items: { anyOf: divisors.map((m) => ({ multipleOf: m })) } }, { allErrors: true });
  try {
    const object = Object.fromEntries(divisors.map((_, i) => [`m${i}`, x]));
    assertSame(v, object, String(x));
    assertSame(v, [x, -x], String(x));
  } finally {
    v.dispose();
  }
}, { numRuns: 3000 });

// Keys of one pool, so that documents in a row share places (js/object-input.js keeps a key's
// bytes from one document to the next) and long ones fill the 16 KB kept for them mid-document.
const poolKey = fc.oneof(fc.constantFrom('a', 'b', 'id', 'é', '𝄞', '\u2028', 'a\u0000b', 'x/~y', '"\\', '~0', ''),
  fc.integer({ min: 1, max: 1200 }).map((n) => `${'k'.repeat(n)}é`), fc.string({ maxLength: 6 }));
const poolValue = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.constantFrom('s', 'é\u0000', 1.5, null, true), tie('object'),
    fc.array(tie('v'), { maxLength: 3 })),
  object: fc.dictionary(poolKey, tie('v'), { maxKeys: 12 }),
})).v;
const validators = new Map();
const pooled = (allErrors) => {
  if (!validators.has(allErrors)) {
    validators.set(allErrors, new Validator({
      propertyNames: { maxLength: 4 }, additionalProperties: { $ref: '#/$defs/v' },
      $defs: { v: { type: ['integer', 'object', 'array'], additionalProperties: { $ref: '#/$defs/v' }, items: { $ref: '#/$defs/v' } } },
    }, { allErrors, maxBytes: 1 << 24 }));
  }
  return validators.get(allErrors);
};

property('documents in a row sharing keys answer as their text and their bytes do (kept keys never stale)',
  [fc.array(fc.dictionary(poolKey, poolValue, { maxKeys: 16 }), { minLength: 1, maxLength: 8 }), fc.boolean()],
  (docs, allErrors) => {
    const v = pooled(allErrors);
    for (const doc of docs) {
      const text = JSON.stringify(doc);
      const expected = answer(() => v.validate(text));
      assert.deepEqual(answer(() => v.validate(doc)), expected, 'object');
      assert.deepEqual(answer(() => v.validate(new TextEncoder().encode(text))), expected, 'bytes');
    }
  }, { numRuns: 300 });
