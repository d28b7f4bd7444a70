// js/object-input.js writes the core's tape nodes itself. Their kinds, the binary number flag and
// the node's words come from tape.hpp (js/seam/validator.js, pinned by
// tests/js/seam.test.js); that the first word holds kind then flag, one byte each, is pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NodeWord } from '../../js/seam/validator.js';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('tape.hpp\'s Node starts with kind and flag as one byte each, then 32-bit words', () => {
  const hpp = read('src/edgeguard/validate/tape.hpp');
  assert.match(hpp, /enum class Kind : uint8_t \{/, 'a kind is one byte');
  const fields = /struct Node \{([^}]*)\}/.exec(hpp)[1].match(/^\s*(\w+) \w+;/gm).map((f) => f.trim().split(' ')[0]);
  assert.deepEqual(fields, ['Kind', 'uint8_t', 'uint32_t', 'uint32_t', 'uint32_t', 'uint32_t']);
});

test('object-input.js writes a node\'s words at the offsets NodeWord gives them', () => {
  assert.deepEqual({ ...NodeWord }, { KIND: 0, POS: 1, LEN: 2, NEXT: 3, END: 4, COUNT: 5 });
  const js = read('js/object-input.js');
  const writes = [...js.matchAll(/words\[w(?: \+ (\d))?\] = /g)].map((m) => Number(m[1] ?? 0));
  assert.deepEqual(writes, [NodeWord.KIND, NodeWord.POS, NodeWord.LEN, NodeWord.NEXT, NodeWord.END]);
});
