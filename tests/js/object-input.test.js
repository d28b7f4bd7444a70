// js/object-input.js through Validator#validate: the cases the encoder hands back to the
// JSON.stringify path, its limits, and a broken tape never reading as valid.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Validator } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { encode, nodeCount, data } from '../../js/object-input.js';

before(() => init());

const textAnswer = (v, value) => v.validate(JSON.stringify(value));

test('plain objects and arrays are encoded; values JSON.stringify treats specially are handed back', () => {
  assert.equal(encode({ a: [1, 'x', null, true, 1.5] }, 1 << 20, 128), true);
  assert.equal(nodeCount(), 8);
  for (const value of [{ d: new Date(0) }, { m: new Map() }, [1n], { toJSON: () => 1 }, new (class { })(),
    { s: new String('x') }, { bad: '\ud800' }, Object.assign([], { toJSON: () => 1 })]) {
    assert.equal(encode(value, 1 << 20, 128), false, JSON.stringify(value, (_, x) => typeof x === 'bigint' ? 'n' : x));
  }
});

test('numbers travel as doubles: none is formatted on the way', () => {
  assert.equal(encode([0.1, -0, 2 ** 60, 7], 1 << 20, 128), true);
  const doubles = new Float64Array(data().slice().buffer);
  assert.deepEqual([...doubles], [0.1, 0, 2 ** 60, 7]);
  assert.ok(Object.is(doubles[1], 0), '-0 is written as 0, as JSON.stringify writes it');
});

test('answers, errors and instance paths equal the text path\'s, escapes and astral keys included', () => {
  const v = new Validator({
    type: 'object', additionalProperties: { type: 'integer', multipleOf: 0.5 },
    properties: { 'é"\n': { enum: ['a\u0000', 'b'] }, list: { items: { maximum: 1.5 } } },
  }, { allErrors: true });
  const value = { 'é"\n': 'a\u0000', 'x/~𝄞': 2.25, list: [1, 1.6, 1e300], n: 1e21, m: 3 };
  const answer = v.validate(value);
  assert.deepEqual(answer, textAnswer(v, value));
  assert.deepEqual(answer.errors.map((e) => e.instancePath), ['/x~1~0𝄞', '/x~1~0𝄞', '/list/1', '/list/2']);
});

test('maxBytes is JSON.stringify\'s length: at the limit valid, one byte under it too large', () => {
  const value = { a: 'é', b: [0.1, 123, -7, null], c: '"\\\u0001' };
  const length = Buffer.byteLength(JSON.stringify(value));
  for (const [maxBytes, valid] of [[length, true], [length - 1, false]]) {
    const v = new Validator(true, { maxBytes });
    const answer = v.validate(value);
    assert.equal(answer.valid, valid);
    assert.deepEqual(answer, textAnswer(v, value));
  }
});

test('a polluted Object.prototype is seen as JSON.stringify sees it', () => {
  const v = new Validator({ type: 'object', additionalProperties: false, properties: { a: {} } });
  try {
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true });
    assert.equal(encode({ a: 1 }, 1 << 20, 128), false);
    assert.equal(v.validate({ a: 1 }).valid, true);
  } finally {
    delete Object.prototype.polluted;
  }
});

test('a getter validating another value mid-walk leaves both answers right', () => {
  const v = new Validator({ properties: { a: { type: 'string' }, b: { type: 'integer' } } });
  let inner;
  const value = { a: 'x', get b() { inner = v.validate({ a: 1 }); return 2; } };
  assert.equal(v.validate(value).valid, true);
  assert.equal(inner.valid, false);
});

test('a broken tape is an INVALID_INPUT error from the core, never valid', () => {
  const v = new Validator(true);
  const mod = module();
  const ptr = mod._malloc(64);
  try {
    mod.HEAPU8.fill(0, ptr, ptr + 64);
    const words = new Uint32Array(mod.HEAPU8.buffer, ptr, 10);
    words.set([5, 0, 1, 2, 0]);  // an object of one member with no member after it
    assert.equal(mod._eg_validator_validate_tape(v.handle, ptr, 1, ptr + 40, 8, 0, 0), 6);
  } finally {
    mod._free(ptr);
  }
});
