import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import { launchChromium, collectErrors } from './browser.js';
import { installedPackage, probe, expected, resilienceProbe, resilienceExpected } from './installed-package.js';

let server;
let browser;
after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * Serves the installed package and opens `file`, a page that maps `specifier` to `entry` with an
 * import map and sets `window.result` from `script`; returns the page, its errors and the paths
 * it fetched.
 */
async function openPage(dir, { file, specifier, entry, script }) {
  writeFileSync(join(dir, file), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "${specifier}": "/node_modules/edgeguard/js/${entry}" } }</script>
<script type="module">${script}</script>`);
  if (!server) {
    server = createServer(sirv(dir, { dev: true })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  }
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`http://127.0.0.1:${server.address().port}/${file}`);
  return { page, errors, fetched };
}

/** The package's wasm modules and their glue among the paths a page fetched, sorted. */
const wasmFetched = (fetched) => fetched.filter((p) => /\.(wasm|mjs)$/.test(p)).sort();

test('headless Chromium: a page imports the installed package through an import map', async () => {
  const { page, errors } = await openPage(installedPackage(), {
    file: 'index.html', specifier: 'edgeguard', entry: 'entry.browser.js',
    script: `import { init, version, Json, EdgeguardError } from 'edgeguard';
  window.result = (async () => { ${probe} })();`,
  });
  assert.deepEqual(await page.evaluate(() => window.result), expected);
  assert.deepEqual(errors, []);
});

test('headless Chromium: a page imports edgeguard/resilience and fetches only the resilience wasm', async () => {
  const { page, errors, fetched } = await openPage(installedPackage(), {
    file: 'resilience.html', specifier: 'edgeguard/resilience', entry: 'entry.resilience.browser.js',
    script: `import * as eg from 'edgeguard/resilience';
  window.result = (async () => { ${resilienceProbe} })();`,
  });
  assert.deepEqual(await page.evaluate(() => window.result), resilienceExpected);
  assert.deepEqual(wasmFetched(fetched),
    ['/node_modules/edgeguard/dist/edgeguard-resilience.mjs', '/node_modules/edgeguard/dist/edgeguard-resilience.wasm']);
  assert.deepEqual(errors, []);
});

test('headless Chromium: a page imports edgeguard/validator and fetches only the validator wasm', async () => {
  const { page, errors, fetched } = await openPage(installedPackage(), {
    file: 'validator.html', specifier: 'edgeguard/validator', entry: 'entry.validator.browser.js',
    script: `import { init, Validator, Json } from 'edgeguard/validator';
  window.result = (async () => {
    await init();
    const validator = new Validator({ type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] });
    const good = validator.validate('{"id":7}');
    const bad = validator.validate({ id: 0 });
    return { good: good.valid, bad: bad.valid, error: [bad.errors[0].instancePath, bad.errors[0].keyword],
             json: Json.check('{"id":7}').valid };
  })();`,
  });
  assert.deepEqual(await page.evaluate(() => window.result), { good: true, bad: false, error: ['/id', 'minimum'], json: true });
  assert.deepEqual(wasmFetched(fetched),
    ['/node_modules/edgeguard/dist/edgeguard-validator.mjs', '/node_modules/edgeguard/dist/edgeguard-validator.wasm']);
  assert.deepEqual(errors, []);
});
