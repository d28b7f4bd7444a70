// tests/fixtures/number-text/cases.txt is the native test's reference for js_number_text
// (src/edgeguard/validate/number_text.cpp): each line must be what this engine's Number#toString
// writes for the double whose bits it names, so the table cannot drift from JavaScript. The wasm
// build (Emscripten's libc formats and reads the digits there) is held to it too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Validator } from '../../js/entry.node.js';

before(() => init());

const view = new DataView(new ArrayBuffer(8));
const cases = readFileSync(new URL('../fixtures/number-text/cases.txt', import.meta.url), 'utf8').trim().split('\n')
  .map((line) => {
    const [bits, text] = line.split(' ');
    view.setBigUint64(0, BigInt(`0x${bits}`));
    return { bits, text, x: view.getFloat64(0) };
  });

test('every line of the number-text table is Number#toString of its double', () => {
  for (const { bits, text, x } of cases) assert.equal(String(x), text, bits);
  assert.ok(cases.length > 9000);
});

test('in the wasm core, every double of the table sent as a value is a multiple of its own text', () => {
  // The schema holds String(|x|) as the divisor and decides on decimal digits: only the very
  // same digits for the value make it a multiple.
  for (let from = 0; from < cases.length; from += 1000) {
    const chunk = cases.slice(from, from + 1000);
    const properties = Object.fromEntries(chunk.map(({ bits, x }) => [bits, { multipleOf: Math.abs(x) }]));
    const v = new Validator({ properties }, { allErrors: true });
    try {
      const answer = v.validate(Object.fromEntries(chunk.map(({ bits, x }) => [bits, x])));
      assert.deepEqual(answer.errors ?? [], []);
      assert.equal(answer.valid, true);
    } finally {
      v.dispose();
    }
  }
});
