// Json.check against JSON.parse of the same text, in one process, on ~0.5 KB, ~10 KB and
// ~1 MB documents. edgeguard is measured on string input and on Uint8Array input (what an edge
// worker gets from request.arrayBuffer()). Prints ops/s and ratios; writes bench/results/json.json.
//   node bench/json.bench.js        (BENCH_TIME_MS per task, default 500)
import { Bench } from 'tinybench';
import { init, Json } from '../js/entry.node.js';
import { writeResults } from './rounds.js';

const t0 = performance.now();
await init();
const initMs = performance.now() - t0;

function apiDocument(items) {
  return JSON.stringify({
    id: 'req_7f3a9c', createdAt: '2026-11-22T10:15:00Z', user: { id: 42, email: 'ana@example.com', roles: ['admin', 'ops'] },
    items: Array.from({ length: items }, (_, i) => ({
      sku: `SKU-${1000 + i}`, name: `Item ${i} – déjà vu`, qty: (i % 7) + 1, price: 19.99 + i,
      tags: ['new', 'sale'], dims: { w: 10.5, h: 3, d: 0.25 }, active: i % 3 !== 0, note: null,
    })),
  });
}

const sizes = [['0.5 KB', 2], ['10 KB', 62], ['1 MB', 6400]];
const time = Number(process.env.BENCH_TIME_MS ?? 500);
const reader = new Json({ maxBytes: 8 << 20 });
const rows = [];
for (const [label, items] of sizes) {
  const text = apiDocument(items);
  const bytes = new TextEncoder().encode(text);
  if (!reader.check(bytes).valid) throw new Error('benchmark document must be valid');
  const bench = new Bench({ time, warmup: true });
  bench
    .add('JSON.parse(string)', () => JSON.parse(text))
    .add('Json.check(Uint8Array)', () => reader.check(bytes))
    .add('Json.check(string)', () => reader.check(text));
  await bench.run();
  const hz = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.throughput.mean]));
  const parse = hz['JSON.parse(string)'];
  rows.push({
    size: label, bytes: bytes.length,
    'JSON.parse ops/s': Math.round(parse),
    'check(bytes) ops/s': Math.round(hz['Json.check(Uint8Array)']),
    'check(string) ops/s': Math.round(hz['Json.check(string)']),
    'bytes vs parse': +(hz['Json.check(Uint8Array)'] / parse).toFixed(2),
    'string vs parse': +(hz['Json.check(string)'] / parse).toFixed(2),
    'MB/s (bytes)': Math.round((hz['Json.check(Uint8Array)'] * bytes.length) / 1e6),
  });
}
console.table(rows);
console.log(`init() cold: ${initMs.toFixed(1)} ms`);
await writeResults('json', { node: process.version, initMs, rows });
