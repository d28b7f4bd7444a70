// Edge runtimes refuse timers, randomness and code generation at module scope (workerd throws
// "Disallowed operation called within global scope"); loading edgeguard must use none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('importing the package starts no timer, draws no randomness and compiles no code', async () => {
  const used = [];
  const trap = (name, original) => function trapped(...args) {
    used.push(name);
    return original.apply(this, args);
  };
  const saved = { setTimeout, setInterval, random: Math.random, getRandomValues: crypto.getRandomValues };
  globalThis.setTimeout = trap('setTimeout', setTimeout);
  globalThis.setInterval = trap('setInterval', setInterval);
  Math.random = trap('Math.random', Math.random);
  crypto.getRandomValues = trap('crypto.getRandomValues', crypto.getRandomValues.bind(crypto));
  try {
    await import('../../js/entry.node.js');
  } finally {
    Object.assign(globalThis, { setTimeout: saved.setTimeout, setInterval: saved.setInterval });
    Math.random = saved.random;
    crypto.getRandomValues = saved.getRandomValues;
  }
  assert.deepEqual(used, []);
});

test('the wasm glue was built without eval or new Function (DYNAMIC_EXECUTION=0)', () => {
  const glue = readFileSync(new URL('../../dist/edgeguard.mjs', import.meta.url), 'utf8');
  assert.doesNotMatch(glue, /new Function\s*\(|\beval\s*\(/);
});

test('the wasm glue never reads import.meta (USE_ES6_IMPORT_META=0): js/ locates the wasm', () => {
  // webpack replaces a bare import.meta.url with the build machine's file:// path of the glue,
  // which would ship in every app's bundle and change its hash from one checkout to another.
  const glue = readFileSync(new URL('../../dist/edgeguard.mjs', import.meta.url), 'utf8');
  assert.doesNotMatch(glue, /import\.meta/);
});
