// Vite (production build, no edgeguard-specific config) bundles a page that imports the tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, createLogger } from 'vite';
import { installedPackage } from './installed-package.js';
import { writeApp, checkBuiltPage, PAGE_HEAD } from './bundled-page.js';

test('Vite: a production build emits the wasm, and the page validates in headless Chromium', { timeout: 60_000 }, async (t) => {
  const dir = installedPackage();
  const app = writeApp(dir, 'vite');
  writeFileSync(join(app.root, 'index.html'), `${PAGE_HEAD}<script type="module" src="/src/main.js"></script>`);
  const warnings = [];
  const logger = createLogger('warn');
  logger.warn = logger.warnOnce = logger.error = (message) => warnings.push(message);
  await build({ root: app.root, configFile: false, mode: 'production', logLevel: 'warn', customLogger: logger,
    build: { outDir: app.outDir } });
  assert.deepEqual(warnings, []);
  await checkBuiltPage(t, 'Vite', dir, app.outDir);
});
