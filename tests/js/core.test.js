import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as core from '../../js/core.js';

const wasmUrl = new URL('../../dist/edgeguard.wasm', import.meta.url);

// Runs before any init() in this process (each test file is its own process).
test('using the module before init() is a typed error', () => {
  assert.throws(() => core.module(), { code: 'NOT_INITIALIZED' });
});

test('init() without a source fails with INIT_FAILED and can be retried', async () => {
  await assert.rejects(core.init(), { code: 'INIT_FAILED' });
  await assert.rejects(core.init({ wasm: new Uint8Array([0, 1, 2, 3]) }), { code: 'INIT_FAILED' });
});

test('init({ module }) accepts a compiled WebAssembly.Module, and is idempotent', async () => {
  const compiled = await WebAssembly.compile(await readFile(wasmUrl));
  const first = core.init({ module: compiled });
  const second = core.init({ module: compiled });
  await Promise.all([first, second]);
  await core.init();
  assert.equal(typeof core.module()._eg_version, 'function');
});

test('exports are the raw wasm functions, not the glue\'s forwarding wrappers', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const mod = core.module();
  for (const name of ['_eg_version', '_eg_json_reader_check', '_malloc', '_free']) {
    assert.match(Function.prototype.toString.call(mod[name]), /\[native code\]/, name);
  }
  assert.ok(mod.HEAPU8 instanceof Uint8Array);
});
