// `npm run size`: what each wasm module costs an app that loads it (the .wasm and its Emscripten
// glue; raw, gzip -9 and brotli), against its budget (tests/js/size.test.js fails past it) and
// issue 16's target; then each entry point's JS as a bundler ships it (minified, glue included).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = new URL('../', import.meta.url);
const KiB = 1024;

/**
 * Every module the package ships. `budgetKiB` (gzip, wasm + glue) is the size measured when it was
 * set plus a KiB or two: it stops growth, it is not the goal; `targetKiB` is issue 16's goal.
 */
export const MODULES = [
  { name: 'edgeguard', files: ['dist/edgeguard.wasm', 'dist/edgeguard.mjs'], budgetKiB: 216, targetKiB: 200 },
  { name: 'edgeguard/resilience', files: ['dist/edgeguard-resilience.wasm', 'dist/edgeguard-resilience.mjs'], budgetKiB: 43, targetKiB: 40 },
  { name: 'edgeguard/validator', files: ['dist/edgeguard-validator.wasm', 'dist/edgeguard-validator.mjs'], budgetKiB: 146, targetKiB: 150 },
];

const ENTRIES = [
  { name: 'edgeguard', file: 'js/entry.browser.js' },
  { name: 'edgeguard/resilience', file: 'js/entry.resilience.browser.js' },
  { name: 'edgeguard/validator', file: 'js/entry.validator.browser.js' },
];

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

/** Each module's bytes: raw, gzip and brotli, its files compressed one by one and summed. */
export function moduleSizes() {
  return MODULES.map((m) => ({
    ...m, ...m.files.map((f) => sizes(readFileSync(new URL(f, root)))).reduce(add),
  }));
}

/** Each entry point's JS (its browser build, glue included, no wasm) bundled and minified. */
export async function entrySizes() {
  const { build } = await import('esbuild');
  return Promise.all(ENTRIES.map(async (e) => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(e.file, root))], bundle: true, minify: true, format: 'esm',
      platform: 'browser', write: false, logLevel: 'error', external: ['*.wasm'],
    });
    return { ...e, ...sizes(result.outputFiles[0].contents) };
  }));
}

const kib = (n) => +(n / KiB).toFixed(1);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const modules = moduleSizes();
  console.log('wasm + glue of each module (KiB):');
  console.table(modules.map((m) => ({
    module: m.name, raw: kib(m.raw), gzip: kib(m.gzip), brotli: kib(m.brotli),
    'gzip budget': m.budgetKiB, 'issue 16 target': m.targetKiB,
  })));
  const entries = await entrySizes();
  console.log('JS of each entry point, minified bundle incl. glue (KiB); an app ships it plus its module\'s .wasm:');
  console.table(entries.map((e) => {
    const wasm = sizes(readFileSync(new URL(MODULES.find((m) => m.name === e.name).files[0], root)));
    return { entry: e.name, raw: kib(e.raw), gzip: kib(e.gzip), brotli: kib(e.brotli), 'gzip with wasm': kib(e.gzip + wasm.gzip) };
  }));
}
