// Validator against Ajv (compiled, with ajv-formats) and @cfworker/json-schema, one process, same
// schemas and documents (bench/validate-documents.js: valid, and invalid near the end), formats
// asserted everywhere. Text/bytes input: the peers pay JSON.parse, as they must for a request
// body. Object input: everyone gets a parsed value (edgeguard writes it into its tape,
// js/object-input.js). Tasks run in short rounds, order rotated, median kept. Also reports
// JSON.parse alone and compile time per schema. Prints ops/s and ratios; writes
// bench/results/validate.json.
//   node bench/validate.bench.js        (BENCH_TIME_MS per task, default 300)
import { stat } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator as CfValidator } from '@cfworker/json-schema';
import { init, Validator } from '../js/entry.node.js';
import { medianRounds, writeResults } from './rounds.js';
import { cases } from './validate-documents.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 300);

const rows = [];
// BENCH_ROWS=form,120 runs only the rows whose label contains one of the words.
const only = process.env.BENCH_ROWS?.split(',');
for (const { label, schema, make } of cases.filter((c) => !only || only.some((w) => c.label.includes(w)))) {
  const ajvValidate = addFormats(new Ajv2020({ allErrors: false })).compile(schema);
  const cf = new CfValidator(schema, '2020-12', true);
  const eg = new Validator(schema, { formats: 'assert', maxBytes: 8 << 20 });
  for (const invalid of [false, true]) {
    const value = make(invalid);
    const text = JSON.stringify(value);
    const bytes = new TextEncoder().encode(text);
    // Every contender must agree before it is timed.
    const verdicts = [eg.validate(text).valid, eg.validate(bytes).valid, ajvValidate(JSON.parse(text)),
      cf.validate(JSON.parse(text)).valid, eg.validate(value).valid];
    if (verdicts.some((v) => v !== !invalid)) throw new Error(`disagreement on ${label}: ${verdicts}`);
    // Median of short rounds, task order rotated: load from the shared machine that comes and
    // goes hits every contender alike.
    const hz = await medianRounds({
      'JSON.parse': () => JSON.parse(text),
      'edgeguard(string)': () => eg.validate(text),
      'edgeguard(bytes)': () => eg.validate(bytes),
      'ajv(parse+validate)': () => ajvValidate(JSON.parse(text)),
      'cfworker(parse+validate)': () => cf.validate(JSON.parse(text)),
      'edgeguard(object)': () => eg.validate(value),
      'ajv(object)': () => ajvValidate(value),
      'cfworker(object)': () => cf.validate(value),
    }, { rounds: 10, timeMs: TIME, batch: 1, rotate: 3 });
    const r = (a, b) => +(hz[a] / hz[b]).toFixed(2);
    rows.push({
      size: label, valid: !invalid, bytes: bytes.length,
      'eg bytes/s': Math.round(hz['edgeguard(bytes)']),
      'eg object/s': Math.round(hz['edgeguard(object)']),
      'ajv text/s': Math.round(hz['ajv(parse+validate)']),
      'ajv object/s': Math.round(hz['ajv(object)']),
      'cf object/s': Math.round(hz['cfworker(object)']),
      'bytes vs ajv': r('edgeguard(bytes)', 'ajv(parse+validate)'),
      'string vs ajv': r('edgeguard(string)', 'ajv(parse+validate)'),
      'bytes vs cf': r('edgeguard(bytes)', 'cfworker(parse+validate)'),
      'object vs ajv': r('edgeguard(object)', 'ajv(object)'),
      'object vs cf': r('edgeguard(object)', 'cfworker(object)'),
    });
  }
  eg.dispose();
}
console.table(rows);

// Compile time per schema: fresh instances, so no contender reuses a cache.
function timeCompile(fn, n = 30) {
  fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t) / n;
}
const schema = cases.find((c) => c.label.includes('order')).schema;
const compileMs = {
  edgeguard: timeCompile(() => new Validator(structuredClone(schema), { formats: 'assert' }).dispose()),
  ajv: timeCompile(() => addFormats(new Ajv2020()).compile(structuredClone(schema))),
  cfworker: timeCompile(() => new CfValidator(structuredClone(schema), '2020-12', true)),
};
console.log('compile ms per schema:', Object.fromEntries(Object.entries(compileMs).map(([k, v]) => [k, +v.toFixed(3)])));
const wasmBytes = (await stat(new URL('../dist/edgeguard.wasm', import.meta.url))).size;
console.log(`dist/edgeguard.wasm: ${wasmBytes} bytes (whole module)`);

await writeResults('validate', { node: process.version, rows, compileMs, wasmBytes });
