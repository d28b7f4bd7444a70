import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeguardError } from '../../../js/entry.node.js';
import { StoreScript, defineScript } from '../../../js/store/script.js';

test('sha1 is Redis\'s name for the script (SCRIPT LOAD "return 1"), computed once', async () => {
  const script = defineScript('return 1');
  assert.ok(script instanceof StoreScript);
  assert.equal(await script.sha1(), 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  assert.equal(script.sha1(), script.sha1());
  assert.equal(defineScript('return 2').digest, undefined, 'unknown until sha1() has resolved');
  assert.equal(script.digest, 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  assert.equal(await defineScript('return "é"').sha1(), '3cf71d276cb9832cebc56895d377282f6a326756', 'of the UTF-8 bytes');
});

test('an empty, non-string or oversized source is INVALID_INPUT', () => {
  for (const source of ['', undefined, 7, 'x'.repeat((1 << 20) + 1)]) {
    assert.throws(() => defineScript(source), (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
  }
});

test('a script for engines without Lua has a name and a run function, both or neither', () => {
  const run = () => 1;
  const script = defineScript('return 1', { name: 'edgeguard.test-1', run });
  assert.equal(script.name, 'edgeguard.test-1');
  assert.equal(script.run, run);
  assert.equal(defineScript('return 1').name, undefined);
  for (const options of [{ name: 'x' }, { run }, { name: 'Bad Name', run }, { name: '', run }, { name: 'x', run: 1 }]) {
    assert.throws(() => defineScript('return 1', options), (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
  }
});
