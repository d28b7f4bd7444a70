// tests/fixtures/number-text/cases.txt is the native test's reference for js_number_text
// (src/edgeguard/validate/number_text.cpp): each line must be what this engine's Number#toString
// writes for the double whose bits it names, so the table cannot drift from JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('every line of the number-text table is Number#toString of its double', () => {
  const lines = readFileSync(new URL('../fixtures/number-text/cases.txt', import.meta.url), 'utf8').trim().split('\n');
  const view = new DataView(new ArrayBuffer(8));
  for (const line of lines) {
    const [bits, text] = line.split(' ');
    view.setBigUint64(0, BigInt(`0x${bits}`));
    assert.equal(String(view.getFloat64(0)), text, bits);
  }
  assert.ok(lines.length > 9000);
});
