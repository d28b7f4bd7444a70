// scripts/bundle-node.js's output, js-node/ (what package.json's "node" conditions name): each
// entry exports what its source in js/ exports, every entry shares one definition of each class
// (and so one wasm instance), and an entry is a few files rather than one per module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesHash } from '../../scripts/sources-hash.js';

const ENTRIES = ['entry.node.js', 'entry.resilience.node.js', 'entry.validator.node.js', 'hono.js', 'express.js', 'store/index.js'];
const url = (dir, file) => new URL(`../../${dir}/${file}`, import.meta.url);

test('js-node/ was built from the sources as they are (else: npm run build)', () => {
  const { inputs, sha256 } = JSON.parse(readFileSync(url('js-node', 'inputs.json'), 'utf8'));
  assert.ok(inputs.includes('js/limit.js') && inputs.every((f) => f.startsWith('js/')), inputs.join());
  assert.equal(sourcesHash(inputs, fileURLToPath(new URL('../../', import.meta.url))), sha256, 'js-node/ is stale: run `npm run build`');
});

test('each bundled entry exports the names its source exports', async () => {
  for (const file of ENTRIES) {
    const [bundled, source] = await Promise.all([import(url('js-node', file)), import(url('js', file))]);
    assert.deepEqual(Object.keys(bundled).sort(), Object.keys(source).sort(), file);
  }
});

test('the entries share their classes: edgeguard/resilience\'s are edgeguard\'s, and the store\'s are the limiter\'s', async () => {
  const [whole, resilience, validator, store] = await Promise.all(
    ['entry.node.js', 'entry.resilience.node.js', 'entry.validator.node.js', 'store/index.js'].map((f) => import(url('js-node', f))));
  for (const name of ['CircuitBreaker', 'RateLimiter', 'Cache', 'Retry', 'Bulkhead', 'EdgeguardError', 'init']) {
    assert.equal(resilience[name] === whole[name], name !== 'init', name);
  }
  assert.equal(validator.Validator, whole.Validator);
  // The store's classes and the limiter's check of them (instanceof StoreBase) read one definition.
  const files = readdirSync(url('js-node', ''), { recursive: true }).filter((f) => f.endsWith('.js'));
  const text = files.map((f) => readFileSync(url('js-node', f), 'utf8')).join('\n');
  for (const name of ['StoreBase', 'StoreError', 'CircuitBreaker', 'SharedRateLimiter']) {
    // Minified with keepNames, esbuild names each class definition once: `static{x(this,"Name")}`.
    assert.equal(text.match(new RegExp(`\\(this,"${name}"\\)`, 'g'))?.length, 1, `one class ${name} in js-node/`);
  }
  assert.equal(typeof store.RedisStore, 'function');
  await resilience.init();
  // One core: loading edgeguard/resilience serves edgeguard's resilience classes too.
  assert.equal(new whole.CircuitBreaker({}).state, 'closed');
});

test('an entry is a handful of files: the point of bundling', () => {
  const imports = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(url('js-node', file), 'utf8');
    for (const [, dep] of text.matchAll(/from\s*"\.\/(chunk-[\w-]+\.js)"/g)) imports(dep, seen);
    return seen;
  };
  assert.ok(imports('entry.resilience.node.js').size <= 8, [...imports('entry.resilience.node.js')].join());
});
