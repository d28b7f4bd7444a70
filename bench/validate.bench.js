// Validator against Ajv (compiled, with ajv-formats) and @cfworker/json-schema, one process, same
// schema and documents (~0.5 KB, ~10 KB, ~1 MB; valid, and invalid near the end), formats
// asserted everywhere. Text/bytes input: the peers pay JSON.parse, as they must for a request
// body. Object input: everyone gets a parsed value (edgeguard serializes it once). Also reports
// JSON.parse alone and compile time per schema. Prints ops/s and ratios; writes
// bench/results/validate.json.
//   node bench/validate.bench.js        (BENCH_TIME_MS per task, default 300)
import { stat } from 'node:fs/promises';
import { Bench } from 'tinybench';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator as CfValidator } from '@cfworker/json-schema';
import { init, Validator } from '../js/entry.node.js';
import { writeResults } from './rounds.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 300);

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'createdAt', 'status', 'currency', 'customer', 'items'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    status: { enum: ['pending', 'paid', 'shipped', 'cancelled'] },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    customer: {
      type: 'object',
      required: ['id', 'email', 'name'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        email: { type: 'string', format: 'email' },
        name: { type: 'string', minLength: 1, maxLength: 100 },
        address: {
          type: 'object',
          required: ['country'],
          properties: {
            line1: { type: 'string', maxLength: 200 },
            city: { type: 'string' },
            zip: { type: 'string', pattern: '^[0-9]{5}$' },
            country: { type: 'string', minLength: 2, maxLength: 2 },
          },
        },
      },
    },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'qty', 'price'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', pattern: '^SKU-[0-9]{4,}$' },
          name: { type: 'string', maxLength: 200 },
          qty: { type: 'integer', minimum: 1, maximum: 1000 },
          price: { type: 'number', exclusiveMinimum: 0 },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 10 },
          url: { type: 'string', format: 'uri' },
          gift: { type: 'boolean' },
        },
      },
    },
    notes: { type: ['string', 'null'] },
  },
};

function order(items, invalid) {
  const doc = {
    id: '0b6f9a3e-8c1d-4f5a-9e2b-7d4c3a1f0e9b',
    createdAt: '2026-11-22T10:15:00Z',
    status: 'paid',
    currency: 'EUR',
    customer: {
      id: 42, email: 'ana@example.com', name: 'Ana Déjà',
      address: { line1: '1 Rue de la Paix', city: 'Paris', zip: '75002', country: 'FR' },
    },
    items: Array.from({ length: items }, (_, i) => ({
      sku: `SKU-${1000 + i}`, name: `Item ${i}`, qty: (i % 7) + 1, price: 19.99 + i,
      tags: ['new', 'sale'], url: `https://shop.example.com/p/${i}`, gift: i % 3 === 0,
    })),
    notes: null,
  };
  if (invalid) doc.items[items - 1].qty = 0;  // an error near the end
  return doc;
}

const ajv = addFormats(new Ajv2020({ allErrors: false }));
const ajvValidate = ajv.compile(schema);
const cf = new CfValidator(schema, '2020-12', true);
const eg = new Validator(schema, { formats: 'assert', maxBytes: 8 << 20 });

const sizes = [['0.5 KB', 1], ['10 KB', 60], ['1 MB', 6500]];
const rows = [];
for (const [label, items] of sizes) {
  for (const invalid of [false, true]) {
    const value = order(items, invalid);
    const text = JSON.stringify(value);
    const bytes = new TextEncoder().encode(text);
    // Every contender must agree before it is timed.
    const verdicts = [eg.validate(text).valid, eg.validate(bytes).valid, ajvValidate(JSON.parse(text)),
      cf.validate(JSON.parse(text)).valid, eg.validate(value).valid];
    if (verdicts.some((v) => v !== !invalid)) throw new Error(`disagreement on ${label}: ${verdicts}`);
    const bench = new Bench({ time: TIME, warmup: true });
    bench
      .add('JSON.parse', () => JSON.parse(text))
      .add('edgeguard(string)', () => eg.validate(text))
      .add('edgeguard(bytes)', () => eg.validate(bytes))
      .add('ajv(parse+validate)', () => ajvValidate(JSON.parse(text)))
      .add('cfworker(parse+validate)', () => cf.validate(JSON.parse(text)))
      .add('edgeguard(object)', () => eg.validate(value))
      .add('ajv(object)', () => ajvValidate(value))
      .add('cfworker(object)', () => cf.validate(value));
    await bench.run();
    const hz = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.throughput.mean]));
    const r = (a, b) => +(hz[a] / hz[b]).toFixed(2);
    rows.push({
      size: label, valid: !invalid, bytes: bytes.length,
      'eg bytes/s': Math.round(hz['edgeguard(bytes)']),
      'eg string/s': Math.round(hz['edgeguard(string)']),
      'ajv text/s': Math.round(hz['ajv(parse+validate)']),
      'cf text/s': Math.round(hz['cfworker(parse+validate)']),
      'parse/s': Math.round(hz['JSON.parse']),
      'bytes vs ajv': r('edgeguard(bytes)', 'ajv(parse+validate)'),
      'string vs ajv': r('edgeguard(string)', 'ajv(parse+validate)'),
      'bytes vs cf': r('edgeguard(bytes)', 'cfworker(parse+validate)'),
      'object vs ajv': r('edgeguard(object)', 'ajv(object)'),
      'object vs cf': r('edgeguard(object)', 'cfworker(object)'),
    });
  }
}
console.table(rows);

// Compile time per schema: fresh instances, so no contender reuses a cache.
function timeCompile(fn, n = 30) {
  fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t) / n;
}
const compileMs = {
  edgeguard: timeCompile(() => new Validator(structuredClone(schema), { formats: 'assert' }).dispose()),
  ajv: timeCompile(() => addFormats(new Ajv2020()).compile(structuredClone(schema))),
  cfworker: timeCompile(() => new CfValidator(structuredClone(schema), '2020-12', true)),
};
console.log('compile ms per schema:', Object.fromEntries(Object.entries(compileMs).map(([k, v]) => [k, +v.toFixed(3)])));
const wasmBytes = (await stat(new URL('../dist/edgeguard.wasm', import.meta.url))).size;
console.log(`dist/edgeguard.wasm: ${wasmBytes} bytes (whole module)`);

await writeResults('validate', { node: process.version, rows, compileMs, wasmBytes });
