// js/object-input.js through Validator#validate: the cases the encoder hands back to the
// JSON.stringify path, its limits, and a broken tape never reading as valid.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Validator, EdgeguardError } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { encode, overLimit, nodeCount, data } from '../../js/object-input.js';

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

test('short strings are written as TextEncoder writes them; a lone surrogate is handed back', () => {
  // Under 48 UTF-16 units the encoder writes UTF-8 itself: 1- to 4-byte sequences at the edges.
  const strings = ['a\u007f', '\u0080\u07ff', '\u0800\ud7ff\ue000\uffff', '\ud800\udc00\udbff\udfff', 'Déjà 𝄞 x'];
  for (const s of strings) {
    assert.equal(encode([s], 1 << 20, 128), true, s);
    assert.deepEqual(data(), new TextEncoder().encode(s), s);
  }
  for (const s of ['\ud800', 'a\udc00', '\ud800a', '\udbff\ud800', '\udfff\udc00', 'é\ud83d']) {
    assert.equal(encode([s], 1 << 20, 128), false, JSON.stringify(s));
    assert.equal(encode({ [s]: 1 }, 1 << 20, 128), false, JSON.stringify(s));
  }
});

test('numbers travel as doubles: none is formatted on the way', () => {
  assert.equal(encode([0.1, -0, 1e21, 7], 1 << 20, 128), true);
  const doubles = new Float64Array(data().slice().buffer);
  assert.deepEqual([...doubles], [0.1, 0, 1e21, 7]);
  assert.ok(Object.is(doubles[1], 0), '-0 is written as 0, as JSON.stringify writes it');
  // Every finite double, those a printf-based core once wrote otherwise than Number#toString
  // included (integers from 2^53 to 1e21, powers of two, subnormals).
  const hard = [2 ** 60, -(2 ** 53), 2 ** -24, -(2 ** -1074), 95239254266200210000, 1e-7];
  assert.equal(encode(hard, 1 << 20, 128), true);
  assert.deepEqual([...new Float64Array(data().slice().buffer)], hard);
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

const answer = (fn) => {
  try {
    return fn();
  } catch (err) {
    return { threw: err.constructor.name, code: err.code };
  }
};

test('maxBytes counts an integer\'s digits as JSON.stringify writes them, at every power of ten', () => {
  const integers = [2 ** 31 - 1, -(2 ** 31)];
  for (let k = 0, p = 1; k <= 9; k++, p *= 10) integers.push(p - 1, p, 1 - p, -p);
  for (const n of integers) {
    const value = [n];
    const length = JSON.stringify(value).length;
    for (const maxBytes of [length, length - 1]) {
      const v = new Validator(true, { maxBytes });
      assert.equal(encode(value, maxBytes, 10), maxBytes === length, `${n} under maxBytes ${maxBytes}`);
      assert.deepEqual(v.validate(value), textAnswer(v, value), `${n} under maxBytes ${maxBytes}`);
    }
  }
});

test('maxBytes: a negative number JSON.stringify writes in 25 bytes is not counted as 24', () => {
  // Number#toString writes -d.ddd...e-6 positionally: "-0.0000012345678901234567" (25 bytes),
  // one more than MAX_NUMBER_TEXT, so the encoder lets the value through one byte per number
  // over maxBytes, where its text is PAYLOAD_TOO_LARGE.
  const value = [-0.0000012345678901234567, -0.0000012345678901234567];
  const length = Buffer.byteLength(JSON.stringify(value));
  assert.equal(String(value[0]).length, 25);
  const v = new Validator(true, { maxBytes: length - 1 });
  assert.equal(v.validate(JSON.stringify(value)).valid, false);
  assert.deepEqual(v.validate(value), v.validate(JSON.stringify(value)));
});

test('multipleOf: a double answers as its JSON text does (the core writes Number#toString\'s digits)', () => {
  // Found by a review's probe (358k doubles against Number#toString), when the core wrote
  // printf's text: integers from 2^53 to 1e21 ("9.523925426620021e+19" where JSON.stringify
  // writes "95239254266200210000"), and powers of two whose nearest 16 digits do not read back
  // (2^-24 is 5.960464477539063e-8, not ...062e-8 rounded nor 17 digits): 2^-24 was then no
  // multiple of itself.
  const cases = [[95239254266200210000, 3], [-142697558692995000000, 1e-300], [-30730284866355024000, 7e-17],
    [2 ** -24, 2 ** -24], [2 ** -44, 2 ** -44], [2 ** -24, 3e-23], [2 ** -24, 1e-23], [100000000000000000000, 1e20]];
  for (const [n, m] of cases) {
    const v = new Validator({ items: { multipleOf: m } });
    assert.deepEqual(v.validate([n]), v.validate(JSON.stringify([n])), `${n} multipleOf ${m}`);
  }
});

test('a getter polluting Object.prototype mid-walk adds no member to later objects (fail-open)', () => {
  const v = new Validator({ properties: { b: { required: ['isAdmin'] } } });
  const value = () => ({
    a: { get x() {
      Object.defineProperty(Object.prototype, 'isAdmin', { value: true, enumerable: true, configurable: true });
      return 1;
    } },
    b: {},
  });
  let viaObject;
  let viaText;
  try {
    viaObject = v.validate(value());
  } finally {
    delete Object.prototype.isAdmin;
  }
  try {
    viaText = v.validate(JSON.stringify(value()));
  } finally {
    delete Object.prototype.isAdmin;
  }
  assert.equal(viaText.valid, false);
  assert.deepEqual(viaObject, viaText);
});

test('a throwing getter (or revoked Proxy) is an INVALID_INPUT EdgeguardError, as before object input', () => {
  const v = new Validator(true);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  for (const value of [{ get a() { throw new Error('boom'); } }, { a: revoked.proxy }]) {
    assert.throws(() => v.validate(value), (err) => err instanceof EdgeguardError && err.code === 'INVALID_INPUT');
  }
});

test('a sparse array costs work bounded by maxBytes, not by its length', () => {
  // JSON.parse never makes holes, but `a[i] = x` with a large i does. The encoder writes a null
  // node per hole without checking maxBytes: new Array(2 ** 32 - 1) runs for minutes and ends
  // in an untyped RangeError (the text path's JSON.stringify refuses it at once).
  assert.equal(encode({ a: new Array(1e6) }, 1000, 64), false);
  assert.ok(nodeCount() <= 1000, `${nodeCount()} nodes written for a 1000-byte limit`);
  assert.equal(overLimit(), true, 'its text is certainly over the limit');
});

test('a value whose text is certainly past maxBytes is PAYLOAD_TOO_LARGE without JSON.stringify building it', (t) => {
  // The text path would stringify new Array(1e8) (500 MB, half a minute) before refusing it, and
  // an object reached 2^40 times over (a DAG 40 deep) never. Cleaning (useDefaults) needs the
  // text path: the walk measures for it.
  let dag = {};
  for (let k = 0; k < 40; k++) dag = { a: dag, b: dag };
  const v = new Validator({}, { maxBytes: 1000 });
  const cleaning = new Validator({}, { maxBytes: 1000, useDefaults: true });
  const stringify = t.mock.method(JSON, 'stringify');
  for (const value of [new Array(1e8), dag, { a: 'x'.repeat(2000) }, { ['k'.repeat(30)]: 'x'.repeat(990) }]) {
    for (const validator of [v, cleaning]) {
      const r = validator.validate(value);
      assert.equal(r.valid, false);
      assert.equal(r.errors[0].params.code, 'PAYLOAD_TOO_LARGE');
    }
  }
  assert.equal(stringify.mock.callCount(), 0);
  assert.deepEqual(cleaning.validate({ a: [1] }).data, { a: [1] }, 'under the limit, cleaning still has its text');
  // A member JSON.stringify leaves out (toJSON answering undefined) is not counted: its text is {}.
  const omitted = { ['k'.repeat(2000)]: { toJSON() {} } };
  for (const validator of [v, cleaning]) assert.equal(validator.validate(omitted).valid, true);
  assert.throws(() => v.validate(new Array(1e8), ''), (e) => e.code === 'CONFIG_INVALID', 'a bad schema id is still refused first');
  assert.throws(() => new Validator({}, { maxBytes: 1000, throwOnMalformed: true }).validate(new Array(1e8)),
    (e) => e.code === 'PAYLOAD_TOO_LARGE');
  // Maybe past it (numbers whose text is 1 to 25 bytes): the text path measures.
  stringify.mock.restore();
  const floats = Array.from({ length: 60 }, (_, i) => 0.1 + i);
  assert.equal(encode(floats, 1000, 64), false);
  assert.equal(overLimit(), false);
  assert.equal(v.validate(floats).valid, JSON.stringify(floats).length <= 1000);
});

test('a getter disposing the validator is a DISPOSED error, never a verdict read from freed memory', () => {
  // validate() takes this.handle before running the value's getters (object path: encode; text
  // path: JSON.stringify/toJSON) and hands it to the core after dispose() freed it. Seen: a
  // "broken tape" error read from the freed options, {a: 2} "valid" against const 1 when a new
  // Validator(true) reuses the memory, and then "memory access out of bounds" from every later
  // constructor: the heap is corrupt. One case per process is enough to show it.
  const v = new Validator({ type: 'object', properties: { a: { const: 1 } }, required: ['a'] });
  const keep = [];
  const got = answer(() => v.validate({ get a() { v.dispose(); keep.push(new Validator(true)); return 2; } }));
  assert.deepEqual(got, { threw: 'EdgeguardError', code: 'DISPOSED' });
});

test('keys kept from one document to the next: answers and paths stay the text path\'s, past the keys\' room too', () => {
  const v = new Validator({ additionalProperties: { type: 'integer', additionalProperties: { type: 'integer' } } },
    { allErrors: true });
  const doc = (prefix, n, bad) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`${prefix}-${k}`, k === bad ? 'x' : k]));
  // 16 KB of kept keys fill with the third document's long keys; the fourth starts them afresh
  // and writes over the nested keys of the first, whose places must not be taken as theirs.
  const long = 'k'.repeat(800);
  const nested = { n: doc('nested', 20, 5) };
  const docs = [nested, doc('a', 20, 3), doc(long, 8, 7), doc(`${long}b`, 8, 0), nested, doc('c', 20, 19), doc('a', 20, 3)];
  for (const d of [...docs, ...docs]) {
    const answer = v.validate(d);
    assert.equal(answer.valid, false);
    assert.deepEqual(answer, textAnswer(v, d));
  }
});

test('a getter that grows linear memory mid-walk hands the value to the JSON.stringify path', () => {
  // The tape is written through views of linear memory; growing it detaches them, and what was
  // written after that went nowhere.
  const big = new Validator(true, { maxBytes: 1 << 30 });
  const v = new Validator({ properties: { a: { type: 'integer' }, b: { type: 'string' } } });
  const grower = () => ({ a: 1, get b() { big.validate(`"${'x'.repeat(64 << 20)}"`); return 2; } });
  const before = module().HEAPU8.buffer;
  assert.equal(encode(grower(), 1 << 30, 128), false);
  assert.notEqual(module().HEAPU8.buffer, before, 'memory grew');
  const answer = v.validate(grower());
  assert.equal(answer.valid, false);
  assert.deepEqual(answer.errors.map((e) => e.instancePath), ['/b']);
});

// Grows linear memory for certain (as any code a getter runs may), holding 16 MB blocks until it
// has grown, then giving them back: growth is by a fifth, so a run stays far below 2 GB.
function growMemory() {
  const mod = module();
  const before = mod.HEAPU8.buffer;
  const held = [];
  try {
    while (mod.HEAPU8.buffer === before) {
      const ptr = mod._malloc(16 << 20);
      if (!ptr) throw new Error('linear memory is out');
      held.push(ptr);
    }
  } finally {
    for (const ptr of held) mod._free(ptr);
  }
}

test('a getter validating another object mid-walk of a large document leaves the document\'s blocks alone', () => {
  // The inner validate() hands its value back (encode is busy) and then release()d the outer
  // document's grown blocks: the outer walk went on writing into freed linear memory, and its
  // tape was then a null pointer (INVALID_INPUT) instead of an answer.
  const inner = new Validator({ type: 'object' });
  const v = new Validator({ properties: { z: { type: 'integer' }, w: { type: 'integer' } } }, { maxBytes: 1 << 30 });
  const value = () => ({ big: 'x'.repeat(1 << 19), get g() { inner.validate({ a: 1 }); return 1; }, z: 1, w: 'after' });
  const got = answer(() => v.validate(value()));
  assert.deepEqual(got, textAnswer(v, value()));
  assert.deepEqual(got.errors.map((e) => e.instancePath), ['/w']);
  assert.equal(encode({ a: 1 }, 1 << 20, 128), true, 'object input still works');
});

test('a getter that grows linear memory before its own non-ASCII or long key is written: the JSON.stringify path, not a throw', () => {
  // A kept key is written without room(): the detached view's subarray() threw a TypeError,
  // which validate() reported as INVALID_INPUT for a value JSON.stringify writes fine.
  const v = new Validator({ additionalProperties: { type: 'integer' } });
  for (const key of ['é', 'k'.repeat(60)]) {
    const got = answer(() => v.validate({ a: 1, get [key]() { growMemory(); return 's'; } }));
    assert.deepEqual(got, textAnswer(v, { a: 1, [key]: 's' }), key);
    assert.equal(got.valid, false);
  }
});

test('object input is not switched off for good by a getter that grew memory while a large document grew its blocks', () => {
  // encode() cleared `moved` only after ready(), whose grow() (the blocks were released after
  // that document) read the old `moved` as stale memory and failed: every later value took the
  // JSON.stringify path.
  const v = new Validator({ type: 'object' }, { maxBytes: 1 << 30 });
  assert.equal(v.validate({ s: 'x'.repeat(1 << 19), get g() { growMemory(); return 1; } }).valid, true);
  assert.equal(encode({ a: 1 }, 1 << 20, 128), true);
});
