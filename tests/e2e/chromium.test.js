import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { chromium } from 'playwright-core';
import { installedPackage, probe, expected, repoRoot } from './installed-package.js';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

export async function launchChromium() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'edgeguard-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

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
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  const result = await page.evaluate(() => window.result);
  assert.deepEqual(result, expected(version));
  assert.deepEqual(errors, []);
});
