// `npm run size`: raw and gzip sizes of what a user ships (the wasm, its glue, the JS layer).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('../', import.meta.url);
const shipped = [
  'dist/edgeguard.wasm', 'dist/edgeguard.mjs',
  ...readdirSync(new URL('js/', root)).filter((f) => f.endsWith('.js')).map((f) => `js/${f}`),
];
const kb = (n) => +(n / 1024).toFixed(1);
const rows = shipped.map((file) => {
  const bytes = readFileSync(new URL(file, root));
  return { file, 'raw KiB': kb(bytes.length), 'gzip KiB': kb(gzipSync(bytes, { level: 9 }).length) };
});
const sum = (key) => +rows.reduce((s, r) => s + r[key], 0).toFixed(1);
rows.push({ file: 'total', 'raw KiB': sum('raw KiB'), 'gzip KiB': sum('gzip KiB') });
console.table(rows);
