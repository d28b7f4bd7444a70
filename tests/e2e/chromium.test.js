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

test('headless Chromium: a page imports the installed package through an import map', async () => {
  const dir = installedPackage();
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "edgeguard": "/node_modules/edgeguard/js/entry.browser.js" } }</script>
<script type="module">
  import { init, version, Json, EdgeguardError } from 'edgeguard';
  window.result = (async () => { ${probe} })();
</script>`);
  server = createServer(sirv(dir, { dev: true })).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  const result = await page.evaluate(() => window.result);
  assert.deepEqual(result, expected);
  assert.deepEqual(errors, []);
});

test('headless Chromium: a page imports edgeguard/resilience and fetches only the resilience wasm', async () => {
  const dir = installedPackage();
  writeFileSync(join(dir, 'resilience.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "edgeguard/resilience": "/node_modules/edgeguard/js/entry.resilience.browser.js" } }</script>
<script type="module">
  import * as eg from 'edgeguard/resilience';
  window.result = (async () => { ${resilienceProbe} })();
</script>`);
  server ??= createServer(sirv(dir, { dev: true })).listen(0, '127.0.0.1');
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  browser ??= await launchChromium();
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(`http://127.0.0.1:${server.address().port}/resilience.html`);
  assert.deepEqual(await page.evaluate(() => window.result), resilienceExpected);
  assert.deepEqual(fetched.filter((p) => /\.(wasm|mjs)$/.test(p)).sort(),
    ['/node_modules/edgeguard/dist/edgeguard-resilience.mjs', '/node_modules/edgeguard/dist/edgeguard-resilience.wasm']);
  assert.deepEqual(errors, []);
});
