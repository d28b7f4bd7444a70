// The validator bridge's statuses, reports, result words and error field count come from the C++
// (js/seam/validator.js, pinned by tests/js/seam.test.js); the field separator is a char, which
// the generator does not read, so this pins it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('js/validator.js reads error reports with errors.hpp\'s field separator', () => {
  assert.match(read('src/edgeguard/validate/errors.hpp'), /constexpr char kFieldSeparator = '\\0';/);
  assert.match(read('js/validator.js'), /^const FIELD_SEPARATOR = '\\u0000';/m);
});
