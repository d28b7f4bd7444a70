import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage, probe, expected, resilienceProbe, resilienceExpected, validatorProbe, validatorExpected } from './installed-package.js';

function run(dir, file, source) {
  writeFileSync(join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }));
}

test('Node ESM: import from the installed tarball', () => {
  const dir = installedPackage();
  const out = run(dir, 'esm-probe.mjs', `import { init, version, Json, EdgeguardError } from 'edgeguard';
console.log(JSON.stringify(await (async () => { ${probe} })()));`);
  assert.deepEqual(out, expected);
});

test('Node CJS: require from the installed tarball', () => {
  const dir = installedPackage();
  const out = run(dir, 'cjs-probe.cjs', `const { init, version, Json, EdgeguardError } = require('edgeguard');
(async () => { ${probe} })().then((r) => console.log(JSON.stringify(r)));`);
  assert.deepEqual(out, expected);
});

// No CJS build of its own: require() loads the same ESM bundles (require(esm): Node 20.19 and
// 22.12 on), so every entry point required shares one core with the others and with an import.
test('Node CJS: require(\'edgeguard/resilience\') and require(\'edgeguard/validator\') from the installed tarball', () => {
  const dir = installedPackage();
  const out = run(dir, 'cjs-feature-probe.cjs', `const eg = require('edgeguard/resilience');
const { Validator, init: initValidator } = require('edgeguard/validator');
(async () => {
  const resilience = await (async () => { ${resilienceProbe} })();
  await initValidator();
  return { resilience, valid: new Validator({ type: 'integer' }).validate('3').valid };
})().then((r) => console.log(JSON.stringify(r)));`);
  assert.deepEqual(out, { resilience: resilienceExpected, valid: true });
});

test('Node CJS: edgeguard, edgeguard/resilience and edgeguard/store required together share one core, initialised once', () => {
  const dir = installedPackage();
  const out = run(dir, 'cjs-together-probe.cjs', `const eg = require('edgeguard');
const resilience = require('edgeguard/resilience');
const { RedisStore } = require('edgeguard/store');
const client = { isCluster: false, status: 'ready', evalsha() {}, eval() {}, get() {}, set() {}, del() {}, publish() {}, duplicate() {} };
(async () => {
  await eg.init();
  const store = new RedisStore(client);
  return { sameClass: eg.CircuitBreaker === resilience.CircuitBreaker, breaker: store.breaker instanceof resilience.CircuitBreaker,
    state: new resilience.CircuitBreaker({}).state };
})().then((r) => console.log(JSON.stringify(r)));`);
  assert.deepEqual(out, { sameClass: true, breaker: true, state: 'closed' });
});

test('the tarball ships the runtime files and no sources or build outputs beyond them', () => {
  const dir = installedPackage();
  const pkg = join(dir, 'node_modules', 'edgeguard');
  const files = execFileSync('find', ['.', '-type', 'f'], { cwd: pkg, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  for (const f of ['./dist/edgeguard.wasm', './dist/edgeguard.mjs', './js-node/entry.node.js', './js/index.d.ts', './js/entry.workerd.js', './js/entry.edge-light.js', './package.json']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.ok(!files.some((f) => f.startsWith('./src/') || f.startsWith('./build/') || f.startsWith('./tests/')));
});

test('Node ESM: edgeguard/resilience from the installed tarball, alone and next to edgeguard', () => {
  const dir = installedPackage();
  const alone = run(dir, 'resilience-probe.mjs', `import * as eg from 'edgeguard/resilience';
console.log(JSON.stringify(await (async () => { ${resilienceProbe} })()));`);
  assert.deepEqual(alone, resilienceExpected);
  // Two modules in one app: the resilience classes on their own instance, the rest on the whole one.
  const both = run(dir, 'both-probe.mjs', `import * as eg from 'edgeguard/resilience';
import { init, Validator, Cache } from 'edgeguard';
const resilience = await (async () => { ${resilienceProbe} })();
await init();
const cache = new Cache({ maxEntries: 2 });
cache.set('x', 1);
console.log(JSON.stringify({ resilience, valid: new Validator({ type: 'integer' }).validate('3').valid, cached: cache.get('x').value,
  sameClass: Cache === eg.Cache }));`);
  assert.deepEqual(both, { resilience: resilienceExpected, valid: true, cached: 1, sameClass: true });
  const pkg = join(dir, 'node_modules', 'edgeguard');
  const files = execFileSync('find', ['.', '-type', 'f'], { cwd: pkg, encoding: 'utf8' }).split('\n');
  for (const f of ['./dist/edgeguard-resilience.wasm', './dist/edgeguard-resilience.mjs', './js/entry.resilience.workerd.js']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
});

test('Node ESM: edgeguard/validator from the installed tarball answers the probe alone', () => {
  const dir = installedPackage();
  const out = run(dir, 'validator-probe.mjs', `import { init, version, Json, EdgeguardError } from 'edgeguard/validator';
console.log(JSON.stringify(await (async () => { ${probe} })()));`);
  assert.deepEqual(out, expected);
});

test('Node ESM: edgeguard/validator from the installed tarball validates objects and bytes, over a registry too', () => {
  const dir = installedPackage();
  const out = run(dir, 'validator-classes.mjs', `import * as eg from 'edgeguard/validator';
console.log(JSON.stringify(await (async () => { ${validatorProbe} })()));`);
  assert.deepEqual(out, validatorExpected);
});
