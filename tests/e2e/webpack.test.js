// webpack 5 (production, the README's config) bundles a page that imports the tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { installedPackage } from './installed-package.js';
import { writeApp, checkBuiltPage, PAGE_HEAD } from './bundled-page.js';

function compile(config) {
  const compiler = webpack(config);
  return new Promise((resolve, reject) => compiler.run((err, stats) => {
    compiler.close((closeErr) => (err || closeErr ? reject(err ?? closeErr) : resolve(stats)));
  }));
}

test('webpack 5: a production build emits the wasm, and the page validates in headless Chromium', { timeout: 60_000 }, async (t) => {
  const dir = installedPackage();
  const app = writeApp(dir, 'webpack');
  const stats = await compile({
    mode: 'production', context: app.root, entry: app.entry,
    output: { path: app.outDir, filename: 'main.js' },
    performance: { assetFilter: (file) => !file.endsWith('.wasm') },
  });
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual([...errors, ...warnings].map((w) => w.message), []);
  writeFileSync(join(app.outDir, 'index.html'), `${PAGE_HEAD}<script src="/main.js"></script>`);
  await checkBuiltPage(t, 'webpack', dir, app.outDir);
});
