// Properties of Json.check: it agrees with JSON.parse on well-formedness, enforces its limits,
// reports typed PayloadErrors with offsets inside the input, and refuses bad options.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Json, PayloadError, ConfigError } from '../../../js/entry.node.js';
import { describe } from '../../../js/errors.js';
import { property } from './property.js';
import { attempt } from './verdict.js';
import { jsonText, option, wrongType, detachedBuffer, sharedBytes } from './hostile.js';

const CODES = ['PAYLOAD_MALFORMED', 'PAYLOAD_BAD_UTF8', 'PAYLOAD_TOO_DEEP', 'PAYLOAD_TOO_LARGE'];

function depthOf(value) {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

// JSON.parse is the model, except where RFC 8259 leaves room: escaped lone surrogates.
const arguable = (s) => /\\u[dD][89a-fA-F]/.test(s);

// The line and column (in code points) of a byte offset, as the error must report them.
function assertPosition(input, e) {
  const bytes = Buffer.from(input.isWellFormed() ? input : input.toWellFormed());
  assert.ok(e.offset <= bytes.length, `offset ${e.offset} past the end (${bytes.length} bytes)`);
  const before = bytes.subarray(0, e.offset).toString();
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  assert.deepEqual({ line: e.line, column: e.column }, { line, column }, `position of byte ${e.offset} (${e.code})`);
}

property('Json.check agrees with JSON.parse and the limits', [jsonText, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 4096 })],
  (input, maxDepth, maxBytes) => {
    if (arguable(input)) return;
    let expected;
    try {
      const value = JSON.parse(input);
      expected = input.isWellFormed() && depthOf(value) <= maxDepth && Buffer.byteLength(input) <= maxBytes;
    } catch {
      expected = false;
    }
    const r = attempt(() => Json.check(input, { maxDepth, maxBytes }), 'Json.check');
    assert.ok(r.ok, 'Json.check threw instead of answering');
    assert.equal(r.value.valid, expected, `Json.check said ${r.value.valid}: ${r.value.error?.message}`);
    if (!r.value.valid) {
      const e = r.value.error;
      assert.ok(e instanceof PayloadError && CODES.includes(e.code), `error ${e?.code}`);
      for (const k of ['offset', 'line', 'column']) assert.ok(Number.isInteger(e[k]) && e[k] >= 0, `${k} ${e[k]}`);
      if (e.code !== 'PAYLOAD_TOO_LARGE') assertPosition(input, e);
    }
  }, { numRuns: 500 });

property('bytes, views and SharedArrayBuffers of a text get the text\'s answer',
  [jsonText], (input) => {
    if (!input.isWellFormed()) return;
    const expected = Json.check(input).valid;
    const bytes = new TextEncoder().encode(input);
    for (const [form, value] of [['Uint8Array', bytes], ['DataView', new DataView(bytes.buffer)],
      ['SharedArrayBuffer', sharedBytes(input, false)], ['shared view', sharedBytes(input, true)]]) {
      const r = attempt(() => Json.check(value), `Json.check(${form})`);
      if (r.ok) assert.equal(r.value.valid, expected, `${form} answered ${r.value.valid}, the text ${expected}`);
    }
  }, { numRuns: 100 });

property('a detached ArrayBuffer (or a view of one) is a typed error or invalid, for Json and new Json',
  [fc.boolean(), fc.boolean()], (view, instance) => {
    const input = detachedBuffer(view);
    const reader = instance ? new Json() : Json;
    const r = attempt(() => reader.check(input), 'check(detached)');
    if (r.ok) assert.equal(r.value.valid, false, 'a detached buffer is valid JSON?');
  }, { numRuns: 4 });

property('bad limits and non-object options are a ConfigError, for Json.check as for new Json',
  [fc.oneof(wrongType.filter((o) => o === null || typeof o !== 'object'),
    fc.record({ maxBytes: option(fc.nat()), maxDepth: option(fc.integer({ min: 1, max: 1000 })) }, { requiredKeys: [] }))],
  (options) => {
    const valid = options === undefined || (options !== null && typeof options === 'object' &&
      [options.maxBytes, options.maxDepth].every((v) => v === undefined || (Number.isInteger(v) && v >= 0)) &&
      !(options.maxDepth === 0) && !(options.maxDepth > 1 << 20) && !(options.maxBytes > 0x7fffffff));
    for (const [where, fn] of [['Json.check', () => Json.check('{}', options)], ['new Json', () => new Json(options)]]) {
      const r = attempt(fn, where);
      if (valid) assert.ok(r.ok, `${where} refused valid options`);
      else assert.ok(!r.ok && r.error instanceof ConfigError, `${where} accepted ${describe(options)} (${typeof options})`);
      if (r.ok && r.value instanceof Json) r.value.dispose();
    }
  }, { numRuns: 200 });
