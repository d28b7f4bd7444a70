// The validator bridge's statuses are written twice, as an enum in wasm/bridge_validate.cpp and
// as constants in js/validator.js: this pins one to the other, so neither can drift alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('js/validator.js names every status of wasm/bridge_validate.cpp with the same number', () => {
  const cpp = /enum Status : uint32_t \{([^}]*)\}/.exec(read('wasm/bridge_validate.cpp'))[1];
  const core = [...cpp.matchAll(/k(\w+) = (\d+)/g)]
    .map(([, name, n]) => [name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), Number(n)]);
  assert.ok(core.length >= 7, `read ${core.length} statuses`);
  const js = read('js/validator.js');
  for (const [name, n] of core) {
    const m = new RegExp(`^const ${name} = (\\d+);`, 'm').exec(js);
    assert.ok(m, `js/validator.js has no ${name}`);
    assert.equal(Number(m[1]), n, name);
  }
});

test('js/validator.js reads error reports with errors.hpp\'s field separator and field count', () => {
  const hpp = read('src/edgeguard/validate/errors.hpp');
  const js = read('js/validator.js');
  assert.equal(/constexpr char kFieldSeparator = '\\0';/.test(hpp), true);
  assert.equal(/^const FIELD_SEPARATOR = '\\u0000';$/m.test(js), true);
  assert.equal(/constexpr int kErrorFields = (\d+);/.exec(hpp)[1], /^const ERROR_FIELDS = (\d+);$/m.exec(js)[1]);
});
