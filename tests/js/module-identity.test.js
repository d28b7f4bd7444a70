// js/core.js's check that a wasm file is its glue's own (found in review: init({ module }) with
// another module's file initialised "OK", then every call answered at random or read out of
// bounds). Each test file is its own process: nothing is loaded before the first test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init as initResilience, RateLimiter } from '../../js/entry.resilience.node.js';
import { init as initValidator } from '../../js/entry.validator.node.js';
import { init as initWhole, Validator } from '../../js/entry.node.js';
import { version } from '../../js/version.js';

const wasm = (name) => readFileSync(new URL(`../../dist/${name}.wasm`, import.meta.url));

// The module's own file with its version string (once in its data, NUL-ended) changed: a stale
// wasm deployed beside newer JS, whose minified exports may name other functions.
function otherRelease(name) {
  const bytes = new Uint8Array(wasm(name));
  const text = new TextEncoder().encode(`${version}\0`);
  const at = Buffer.from(bytes).indexOf(text);
  assert.ok(at > 0 && Buffer.from(bytes).indexOf(text, at + 1) === -1, `${name}: the version once`);
  bytes.set(new TextEncoder().encode('9'.repeat(version.length)), at);
  return bytes;
}

test('a wasm of another release is refused with INIT_FAILED naming both versions', async () => {
  for (const [init, file] of [[initResilience, 'edgeguard-resilience'], [initValidator, 'edgeguard-validator'],
    [initWhole, 'edgeguard']]) {
    await assert.rejects(init({ wasm: otherRelease(file) }),
      (e) => e.code === 'INIT_FAILED' && e.message.includes(version) && e.message.includes('9'.repeat(version.length)), file);
  }
});

test('another module\'s wasm is refused with INIT_FAILED, whichever pair, and the right one still loads after', async () => {
  const pairs = [
    [initResilience, 'edgeguard'], [initResilience, 'edgeguard-validator'],
    [initValidator, 'edgeguard'], [initValidator, 'edgeguard-resilience'],
    [initWhole, 'edgeguard-resilience'], [initWhole, 'edgeguard-validator'],
  ];
  for (const [init, file] of pairs) {
    await assert.rejects(init({ wasm: wasm(file) }), (e) => e.code === 'INIT_FAILED' && /is not edgeguard/.test(e.message), file);
    await assert.rejects(init({ module: new WebAssembly.Module(wasm(file)) }), { code: 'INIT_FAILED' }, file);
  }
  assert.throws(() => new RateLimiter({ policies: [{ limit: 1, windowMs: 1000 }] }), { code: 'NOT_INITIALIZED' });
  await initResilience({ wasm: wasm('edgeguard-resilience') });
  assert.equal(new RateLimiter({ policies: [{ limit: 1, windowMs: 1000 }] }).check('k').allowed, true);
  await initWhole({ wasm: wasm('edgeguard') });
  assert.equal(new Validator({ type: 'integer' }).validate(7).valid, true);
});
