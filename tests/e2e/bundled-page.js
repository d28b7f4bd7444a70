// A front-end app that imports the installed package, for the bundler tests: its source, the
// built page run in headless Chromium over loopback, and the gzip size of what the page loads.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { launchChromium, collectErrors } from './browser.js';

/** The app's entry: the default init() (the wasm found by the bundler), then a Validator. */
const MAIN = `import { init, Validator } from 'edgeguard';

window.result = (async () => {
  await init();
  const order = new Validator({ type: 'object', required: ['sku'],
    properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-\\\\d{4}$' } } });
  const bad = order.validate('{"sku":"abc-1234"}');
  return { good: order.validate('{"sku":"ABC-1234"}').valid, bad: bad.valid,
    error: [bad.errors[0]?.keyword, bad.errors[0]?.instancePath] };
})();
`;

// What the page's `window.result` must be.
const expectedAnswers = { good: true, bad: false, error: ['pattern', '/sku'] };

export const PAGE_HEAD = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">';

/**
 * A new app folder inside the installed package's folder, so that 'edgeguard' resolves to the
 * tarball's copy: src/main.js, and the folder the bundler writes to.
 */
export function writeApp(installDir, name) {
  const root = mkdtempSync(join(installDir, `${name}-`));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'main.js'), MAIN);
  return { root, entry: join(root, 'src', 'main.js'), outDir: join(root, 'dist') };
}

/**
 * Opens `url` in headless Chromium and checks the page: its answers, no console or page error,
 * the wasm fetched once with 200 as application/wasm. Returns the path of every response.
 */
export async function checkPage(url) {
  const browser = await launchChromium();
  const responses = [];
  let errors;
  let result;
  try {
    const page = await browser.newPage();
    errors = collectErrors(page);
    page.on('response', (r) => responses.push({
      path: new URL(r.url()).pathname, status: r.status(), type: r.headers()['content-type'],
    }));
    page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    await page.goto(url);
    // The page's own timer bounds the wait, and leaves no handle in this process.
    result = await page.evaluate(() => Promise.race([window.result, new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error('the page gave no answer in 20 s')), 20_000);
    })]));
  } finally {
    await browser.close();
  }
  assert.deepEqual(result, expectedAnswers);
  assert.deepEqual(errors, []);
  const wasm = responses.filter((r) => r.path.endsWith('.wasm'));
  assert.deepEqual(wasm.map(({ status, type }) => ({ status, type })), [{ status: 200, type: 'application/wasm' }]);
  return responses.map((r) => r.path);
}

/**
 * Everything a built page must show: the package's wasm emitted once, unchanged, and fetched
 * from where it was emitted; no path of the build machine in the JS; checkPage() over a
 * loopback server of `outDir`. Prints what the page loaded, gzipped.
 */
export async function checkBuiltPage(t, bundler, installDir, outDir) {
  const files = readdirSync(outDir, { recursive: true }).map((f) => `/${f.split(sep).join('/')}`);
  const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasmFiles.length, 1, `one wasm emitted: ${files.join(', ')}`);
  const packaged = readFileSync(join(installDir, 'node_modules', 'edgeguard', 'dist', 'edgeguard.wasm'));
  assert.ok(readFileSync(join(outDir, wasmFiles[0])).equals(packaged), 'the emitted wasm is the package\'s');
  for (const js of files.filter((f) => f.endsWith('.js'))) {
    assert.ok(!readFileSync(join(outDir, js), 'utf8').includes(installDir), `${js} names no build path`);
  }

  const server = createServer(sirv(outDir)).listen(0, '127.0.0.1');
  let loaded;
  try {
    await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    loaded = await checkPage(`http://127.0.0.1:${server.address().port}/index.html`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.ok(loaded.includes(wasmFiles[0]), `the page fetched ${wasmFiles[0]}: ${loaded.join(', ')}`);
  t.diagnostic(describeSizes(bundler, gzipSizes(outDir, loaded.filter((p) => /\.(js|wasm)$/.test(p)))));
}

/** Bytes of each file the page fetched from `outDir` (by URL path), gzip-compressed at level 9. */
function gzipSizes(outDir, paths) {
  return Object.fromEntries(paths.map((p) => [p, gzipSync(readFileSync(join(outDir, p)), { level: 9 }).length]));
}

// One line for the diagnostics: the JS and the wasm the page loaded, gzipped.
function describeSizes(bundler, sizes) {
  const sum = (ext) => Object.entries(sizes).filter(([p]) => p.endsWith(ext)).reduce((n, [, b]) => n + b, 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const js = sum('.js');
  const wasm = sum('.wasm');
  return `${bundler}: the page loads, gzip -9: JS ${kb(js)} + wasm ${kb(wasm)} = ${kb(js + wasm)}`;
}
