import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import { launchChromium, collectErrors } from './browser.js';
import { installedPackage, probe, expected } from './installed-package.js';

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
