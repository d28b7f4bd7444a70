// Writes tests/fixtures/number-text/cases.txt: doubles (as their IEEE bits in hex) and the text
// this JS engine's Number#toString writes for them, one "bits text" a line, for the native test
// of src/edgeguard/validate/number_text.cpp. The families are where a printf-based writer goes
// wrong: integers from 2^53 to 1e21, powers of two and their neighbours, subnormals, the
// positional/exponent edges at 1e-7 and 1e21, sums of short decimals (0.1 + 0.2), random bits.
// Seeded, so a rerun writes the same file: node scripts/gen-number-text-table.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../tests/fixtures/number-text/cases.txt', import.meta.url));

let seed = 0x9e3779b9;
function next32() {  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}
const uniform = () => next32() / 2 ** 32;
const below = (n) => Math.floor(uniform() * n);

const view = new DataView(new ArrayBuffer(8));
const bits = (x) => {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
};
const fromBits = (b) => {
  view.setBigUint64(0, BigInt.asUintN(64, b));
  return view.getFloat64(0);
};
const step = (x, k) => fromBits(bits(x) + BigInt(k));  // k ulps away (for x > 0)

const values = [];
const add = (x) => {
  if (Number.isFinite(x) && x !== 0) values.push(below(2) ? -x : x);
};

for (let i = 0; i < 1500; i++) add(fromBits(BigInt(next32()) << 32n | BigInt(next32())));
for (let i = 0; i < 1500; i++) add(2 ** 53 * 2 ** (uniform() * Math.log2(1e21 / 2 ** 53)));
for (let k = -1074; k <= 1023; k++) add(2 ** k);
for (let k = -1074; k <= 1023; k += 5) for (const d of [-1, 1]) add(step(2 ** k, d));
for (let i = 0; i < 500; i++) add(fromBits(BigInt(below(2 ** 20)) << 32n | BigInt(next32())));
for (const edge of [1e-7, 1e-6, 1e21, 1e20, 2 ** 53, Number.MAX_VALUE, 2.2250738585072014e-308, 5e-324]) {
  for (let k = -20; k <= 20; k++) add(step(edge, k));
  for (let i = 0; i < 100; i++) add(edge * (0.9 + uniform() * 0.2));
}
for (let i = 0; i < 1000; i++) add(below(10000) / 10 ** below(9) + below(10000) / 10 ** below(9));
for (let i = 0; i < 500; i++) add(below(1000) / 10 ** below(4) * (below(1000) / 10 ** below(4)));
for (let i = 0; i < 500; i++) add(below(10 ** 7) * 10 ** (below(60) - 30));

const lines = values.map((x) => `${bits(x).toString(16).padStart(16, '0')} ${String(x)}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} cases -> ${out}`);
