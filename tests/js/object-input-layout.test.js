// js/object-input.js writes the core's tape nodes itself: their kinds, the binary number flag and
// the node's size in words are written again in JS. This pins them to src/edgeguard/validate/
// tape.hpp, so neither side can drift alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('js/object-input.js names tape.hpp\'s Kind, kBinary and Node layout as the core does', () => {
  const hpp = read('src/edgeguard/validate/tape.hpp');
  const js = read('js/object-input.js');
  const constant = (name) => Number(new RegExp(`^const ${name} = (\\d+);`, 'm').exec(js)?.[1]);
  const kinds = /enum class Kind : uint8_t \{([^}]*)\}/.exec(hpp)[1].split(',').map((k) => k.trim());
  assert.deepEqual(kinds, ['null', 'boolean', 'number', 'string', 'key', 'object', 'array']);
  kinds.forEach((kind, i) => assert.equal(constant(kind.toUpperCase()), i, kind));
  assert.equal(constant('BINARY'), Number(/constexpr uint8_t kBinary = (\d+);/.exec(hpp)[1]));
  // Five 32-bit words: kind and flag (one byte each, packed in the first), pos, len, next, end.
  const fields = /struct Node \{([^}]*)\}/.exec(hpp)[1].match(/^\s*(\w+) \w+;/gm).map((f) => f.trim().split(' ')[0]);
  assert.deepEqual(fields, ['Kind', 'uint8_t', 'uint32_t', 'uint32_t', 'uint32_t', 'uint32_t']);
  assert.equal(constant('WORDS'), 5);
});
