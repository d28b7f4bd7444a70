import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Json, PayloadError, ConfigError, EdgeguardError } from '../../js/entry.node.js';
import { bytesRunning } from './running-bytes.js';

before(() => init());

const enc = new TextEncoder();
const bytes = (...b) => new Uint8Array(b);

function fails(input, code, offset, options) {
  const r = Json.check(input, options);
  assert.equal(r.valid, false, `expected ${code}`);
  assert.ok(r.error instanceof PayloadError);
  assert.ok(r.error instanceof EdgeguardError);
  assert.equal(r.error.code, code);
  if (offset !== undefined) assert.equal(r.error.offset, offset);
  return r.error;
}

test('accepts well-formed JSON as string, Uint8Array, ArrayBuffer and DataView', () => {
  const doc = '{"a":[1,-2.5e3,"x\\u00e9",true,false,null],"b":{}}';
  assert.deepEqual(Json.check(doc), { valid: true });
  assert.equal(Json.check(enc.encode(doc)).valid, true);
  assert.equal(Json.check(enc.encode(doc).buffer).valid, true);
  const padded = enc.encode(`xx${doc}`);
  assert.equal(Json.check(new DataView(padded.buffer, 2)).valid, true);
  assert.equal(Json.check(padded.subarray(2)).valid, true);
});

test('reports truncated documents at the end with line and column', () => {
  const e = fails('{\n  "a": [1, 2', 'PAYLOAD_MALFORMED', 14);
  assert.equal(e.line, 2);
  assert.equal(e.column, 13);
  assert.match(e.message, /line 2, column 13/);
  fails('', 'PAYLOAD_MALFORMED', 0);
  fails('"abc', 'PAYLOAD_MALFORMED', 4);
});

test('rejects bad numbers, trailing garbage and a leading BOM', () => {
  fails('01', 'PAYLOAD_MALFORMED', 1);
  fails('1.', 'PAYLOAD_MALFORMED', 2);
  fails('-', 'PAYLOAD_MALFORMED', 1);
  fails('[1] x', 'PAYLOAD_MALFORMED', 4);
  fails(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d), 'PAYLOAD_MALFORMED', 0);
  fails('\ufeff{}', 'PAYLOAD_MALFORMED', 0);
});

test('rejects control characters in strings', () => {
  fails('["a\tb"]', 'PAYLOAD_MALFORMED', 3);
  fails('"\u0000"', 'PAYLOAD_MALFORMED', 1);
});

test('rejects invalid UTF-8 bytes: overlong, surrogates, truncated', () => {
  fails(bytes(0x22, 0xc0, 0xaf, 0x22), 'PAYLOAD_BAD_UTF8', 1);
  fails(bytes(0x22, 0x61, 0xed, 0xa0, 0x80, 0x22), 'PAYLOAD_BAD_UTF8', 2);
  fails(bytes(0x22, 0xf4, 0x90, 0x80, 0x80, 0x22), 'PAYLOAD_BAD_UTF8', 1);
  fails(bytes(0x22, 0xe2, 0x82), 'PAYLOAD_BAD_UTF8', 1);
});

test('rejects lone surrogates, escaped or in a JS string, with their UTF-8 offset', () => {
  fails('"\\ud800"', 'PAYLOAD_BAD_UTF8', 1);
  const e = fails('["é",\n "\ud800"]', 'PAYLOAD_BAD_UTF8', 9);
  assert.equal(e.line, 2);
  assert.equal(e.column, 3);
});

test('10,000 nested arrays stop at maxDepth without a stack overflow', () => {
  fails('['.repeat(10000) + ']'.repeat(10000), 'PAYLOAD_TOO_DEEP', 128);
  assert.equal(Json.check('['.repeat(10000) + ']'.repeat(10000), { maxDepth: 10000 }).valid, true);
  fails('[[[1]]]', 'PAYLOAD_TOO_DEEP', 2, { maxDepth: 2 });
});

test('a 50 MB input is refused by the default 1 MiB limit without being copied', () => {
  const big = '"' + 'x'.repeat(50 * 1024 * 1024) + '"';
  fails(big, 'PAYLOAD_TOO_LARGE', 1 << 20);
  fails(new Uint8Array(50 * 1024 * 1024), 'PAYLOAD_TOO_LARGE', 1 << 20);
  fails('[1,2,3]', 'PAYLOAD_TOO_LARGE', 4, { maxBytes: 4 });
  assert.equal(Json.check('[1]', { maxBytes: 3 }).valid, true);
});

test('large inputs under a raised limit are read and their memory released', () => {
  const doc = JSON.stringify(Array.from({ length: 200000 }, (_, i) => ({ i, s: `v${i}` })));
  assert.ok(doc.length > 4 << 20);
  const reader = new Json({ maxBytes: 16 << 20 });
  assert.equal(reader.check(doc).valid, true);
  assert.equal(reader.check(doc.slice(0, -1)).error.offset, doc.length - 1);
  reader.dispose();
});

test('instances own their limits and are disposable', () => {
  const strict = new Json({ maxDepth: 1 });
  assert.equal(strict.check('[1]').valid, true);
  assert.equal(strict.check('[[1]]').error.code, 'PAYLOAD_TOO_DEEP');
  strict.dispose();
  strict.dispose();
  assert.equal(strict.disposed, true);
  assert.throws(() => strict.check('1'), { code: 'DISPOSED' });
  const scoped = new Json();
  scoped[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
  assert.equal(scoped.disposed, true);
});

test('invalid options and inputs throw typed errors', () => {
  assert.throws(() => new Json({ maxDepth: 0 }), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  assert.throws(() => Json.check('1', { maxBytes: -1 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => Json.check('1', { maxBytes: 1.5 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => Json.check({ a: 1 }), { code: 'INVALID_INPUT' });
  assert.throws(() => Json.check(null), { code: 'INVALID_INPUT' });
});

test('options that are not an object of limits throw ConfigError rather than read as defaults', () => {
  const config = (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID';
  for (const options of [null, 5, 'strict', true, [], () => {}]) {
    assert.throws(() => Json.check('1', options), config, String(options));
    assert.throws(() => new Json(options), config, String(options));
  }
  // A misspelt limit would otherwise leave the 1 MiB / depth 128 defaults in force.
  assert.throws(() => Json.check('[[1]]', { maxdepth: 1 }), config);
  assert.throws(() => new Json({ maxBytes: 10, limit: 1 }), config);
  assert.equal(Json.check('[[1]]', { maxDepth: 1 }).error.code, 'PAYLOAD_TOO_DEEP');
  assert.equal(Json.check('1', undefined).valid, true);
});

test('bytes whose length getter disposes the reader: DISPOSED, never an answer from freed memory', () => {
  const reader = new Json();
  assert.throws(() => reader.check(bytesRunning([123, 125], () => reader.dispose())), (e) => e instanceof EdgeguardError && e.code === 'DISPOSED');
});
