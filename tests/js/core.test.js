import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
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

test('init({ module }) accepts a compiled WebAssembly.Module, from another realm too, and is idempotent', async () => {
  // The Vercel CLI compiles the wasm outside the edge-runtime VM its function runs in.
  const bytes = await readFile(wasmUrl);
  const foreign = new (runInNewContext('WebAssembly').Module)(bytes);
  assert.ok(!(foreign instanceof WebAssembly.Module));
  const compiled = await WebAssembly.compile(bytes);
  const first = core.init({ module: foreign });
  const second = core.init({ module: compiled });
  await Promise.all([first, second]);
  await core.init();
  assert.equal(typeof core.module()._eg_version, 'function');
});

test('exports are the raw wasm functions, not the glue\'s forwarding wrappers', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const mod = core.module();
  // Every export: past 52 of them the minified names take a '$', which the lookup once missed.
  const names = Object.keys(Object.getPrototypeOf(mod)).filter((n) => n[0] === '_' && typeof mod[n] === 'function');
  assert.ok(names.length > 52, `${names.length} exports`);
  for (const name of names) {
    assert.match(Function.prototype.toString.call(mod[name]), /\[native code\]/, name);
  }
  assert.ok(mod.HEAPU8 instanceof Uint8Array);
});

test('withBytes: an input over maxBytes never reaches fn: onTooLarge gets its size, or INPUT_TOO_LARGE', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const never = () => assert.fail('fn called for an oversized input');
  assert.equal(core.withBytes('abcd', 3, never, undefined, (size) => `too large: ${size}`), 'too large: 4');
  assert.equal(core.withBytes(new Uint8Array(5), 4, never, undefined, (size) => size), 5);
  assert.throws(() => core.withBytes('abcd', 3, never), { code: 'INPUT_TOO_LARGE', size: 4, limit: 3 });
  assert.throws(() => core.withBytes(new Uint8Array(5), 4, never), { code: 'INPUT_TOO_LARGE' });
  // Within the limit, even empty inputs get a real pointer.
  for (const input of ['', new Uint8Array(0), new ArrayBuffer(0)]) {
    assert.equal(core.withBytes(input, 3, (ptr, len) => ptr !== 0 && len === 0), true);
  }
});

test('withBytes: a detached buffer or a view of one is INVALID_INPUT, not a TypeError or an empty input', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const buffer = new ArrayBuffer(8);
  const view = new Uint8Array(buffer, 2, 4);
  const data = new DataView(buffer, 1, 2);
  structuredClone(buffer, { transfer: [buffer] });
  for (const input of [buffer, view, data]) {
    assert.throws(() => core.withBytes(input, 100, () => assert.fail('fn called')), { code: 'INVALID_INPUT' });
  }
});

test('withBytes: a SharedArrayBuffer (or a view of one) is copied as bytes', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const shared = new SharedArrayBuffer(4);
  new Uint8Array(shared).set([104, 105, 33, 10]);
  const read = (ptr, len) => new TextDecoder().decode(core.module().HEAPU8.slice(ptr, ptr + len));
  assert.equal(core.withBytes(shared, 100, read), 'hi!\n');
  assert.equal(core.withBytes(new Uint8Array(shared, 1, 2), 100, read), 'i!');
  assert.equal(core.isBytes(shared), true);
});

test('withBytes: a failed allocation is OUT_OF_MEMORY, and fn is not called', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const mod = core.module();
  const malloc = mod._malloc;
  mod._malloc = () => 0;
  try {
    const big = 'x'.repeat((1 << 20) + 1);  // larger than the reusable scratch: allocated per call
    assert.throws(() => core.withBytes(big, Infinity, () => assert.fail('fn called')), { code: 'OUT_OF_MEMORY' });
    assert.throws(() => core.withBytes(new Uint8Array((1 << 20) + 1), Infinity, () => assert.fail('fn called')),
      { code: 'OUT_OF_MEMORY' });
  } finally {
    mod._malloc = malloc;
  }
});

test('readCString, u32 and f64 refuse a null pointer from the core (CORE_FAILED), never read address 0', async () => {
  await core.init({ wasm: await readFile(wasmUrl) });
  assert.throws(() => core.readCString(0), { code: 'CORE_FAILED' });
  assert.throws(() => core.u32(0, 2), { code: 'CORE_FAILED' });
  assert.throws(() => core.f64(0, 2), { code: 'CORE_FAILED' });
});

test('withBytes: a lone surrogate goes to onBadString even where String.prototype.isWellFormed is missing (Node 18)', async (t) => {
  await core.init({ wasm: await readFile(wasmUrl) });
  const own = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed');
  if (own) {
    delete String.prototype.isWellFormed;
    t.after(() => Object.defineProperty(String.prototype, 'isWellFormed', own));
  }
  const never = () => assert.fail('fn called with a lone surrogate replaced');
  const e300 = 'é'.repeat(300);  // 600 bytes of UTF-8 before the surrogate, past the ASCII fast path
  for (const [s, offset] of [[`${e300}\ud800`, 600], [`${e300}\udc00x`, 600], [`\ud800${e300}`, 0]]) {
    assert.equal(core.withBytes(s, 1e6, never, (at) => at.offset), offset);
  }
  assert.equal(core.withBytes(`${'é'.repeat(300)}\ud83d\ude00`, 1e6, (ptr, len) => len), 604);
});
