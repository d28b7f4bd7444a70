// Cold start in headless Chromium (Debian's, as the e2e tests drive it): the time
// WebAssembly.compile takes over each module's bytes, as V8 does it by default, lazily (decoding
// and validating; each function is compiled at its first call), and with every function compiled
// up front (--no-wasm-lazy-compilation), which bounds what the first calls add. Every run is a
// fresh browser profile and every answer `no-store`, so nothing compiled is reused from an earlier
// run. The figures move with the machine's load: compare rows of one run.
//   node bench/cold-start-browser.bench.js        (BENCH_RUNS=5 fresh browsers per figure)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { launchChromium } from '../tests/e2e/browser.js';
import { MODULES } from '../scripts/size.js';
import { median, writeResults } from './rounds.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number of runs, not ${process.env.BENCH_RUNS}`);
const root = new URL('../', import.meta.url);
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

// Only js/ and dist/, read-only: the page needs nothing else.
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (!/^\/(js|dist)\/[\w./-]+$/.test(path) || path.includes('..')) return res.writeHead(404).end();
  try {
    const body = await readFile(new URL(`.${path}`, root));
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// One fresh profile: runs `measure` in a page of the server's origin and closes.
async function inFreshBrowser(measure, arg, args) {
  const context = await launchChromium(args);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/js/version.js`);
    return await page.evaluate(measure, arg);
  } finally {
    await context.close();
  }
}

const compileMs = (wasm) => fetch(wasm).then((r) => r.arrayBuffer()).then(async (bytes) => {
  const t0 = performance.now();
  await WebAssembly.compile(bytes);
  return performance.now() - t0;
});

const rows = {};
try {
  for (const m of MODULES) {
    const lazy = [];
    const eager = [];
    for (let i = 0; i < RUNS; i++) {
      lazy.push(await inFreshBrowser(compileMs, `/${m.files[0]}`));
      eager.push(await inFreshBrowser(compileMs, `/${m.files[0]}`, ['--js-flags=--no-wasm-lazy-compilation']));
    }
    rows[m.name] = { 'compile ms (lazy, default)': +median(lazy).toFixed(1), 'compile ms (every function)': +median(eager).toFixed(1) };
  }
} finally {
  server.close();
}
console.log(`cold start in headless Chromium, median of ${RUNS} fresh profiles each`);
console.table(rows);
await writeResults('cold-start-browser', { runs: RUNS, rows });
