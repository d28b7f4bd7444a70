// Vite bundles a page that imports the tarball (production build, no edgeguard-specific config),
// and serves it in development.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, createLogger, createServer } from 'vite';
import { installedPackage } from './installed-package.js';
import { writeApp, checkPage, checkBuiltPage, PAGE_HEAD } from './bundled-page.js';

// An app with Vite's index.html, and the options both tests pass: no config file, and every
// warning or error Vite logs collected.
function viteApp(dir, name) {
  const app = writeApp(dir, name);
  writeFileSync(join(app.root, 'index.html'), `${PAGE_HEAD}<script type="module" src="/src/main.js"></script>`);
  const warnings = [];
  const customLogger = createLogger('warn');
  customLogger.warn = customLogger.warnOnce = customLogger.error = (message) => warnings.push(message);
  return { ...app, warnings, options: { root: app.root, configFile: false, logLevel: 'warn', customLogger } };
}

test('Vite: a production build emits the wasm, and the page validates in headless Chromium', { timeout: 60_000 }, async (t) => {
  const dir = installedPackage();
  const app = viteApp(dir, 'vite');
  await build({ ...app.options, mode: 'production', build: { outDir: app.outDir } });
  assert.deepEqual(app.warnings, []);
  await checkBuiltPage(t, 'Vite', dir, app.outDir);
});

test('Vite dev server: the page validates, the wasm is served from the package', { timeout: 60_000 }, async () => {
  const dir = installedPackage();
  const app = viteApp(dir, 'vite-dev');
  const server = await createServer({ ...app.options, server: { host: '127.0.0.1', port: 0 } });
  let loaded;
  try {
    await server.listen();
    loaded = await checkPage(new URL('index.html', server.resolvedUrls.local[0]).href);
  } finally {
    await server.close();
  }
  assert.ok(loaded.some((p) => p.endsWith('/node_modules/edgeguard/dist/edgeguard.wasm')), loaded.join(', '));
  assert.deepEqual(app.warnings, []);
});
