// SchemaRegistry against Ajv on a 700-schema catalogue: variations of the draft-07 corpus
// schemas (tests/fixtures/schema-corpus) under distinct $ids, each in a group of 10 that $refs
// the next two of its group (so compiling a group's first schema reaches the ten). Ajv: its
// defaults (addSchema stores and checks against the meta-schema, getSchema compiles), strict off
// for the corpus's vendor keywords, formats not asserted (as the registry here).
//   add-all + compile-one: a fresh registry / Ajv, every schema added, one group root compiled.
//   compile-all: the same, then every schema compiled.
//   memory: wasm memory (fresh process) after one validator, and after 100 over one registry.
// Prints median ms over rounds and ratios (edgeguard time / Ajv time: lower is faster);
// writes bench/results/registry.json.
// Also Ajv without its meta-schema check (validateSchema: false), to show what that costs it.
//   node --expose-gc bench/registry.bench.js   (BENCH_ROUNDS, default 5; compile-all: 3 at most,
//   as Ajv takes about a minute a round)
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { init, SchemaRegistry, Validator } from '../js/entry.node.js';
import { module } from '../js/core.js';
import { writeResults } from './rounds.js';

await init();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COUNT = 700;
const GROUP = 10;
const corpus = fileURLToPath(new URL('../tests/fixtures/schema-corpus/schemastore/', import.meta.url));

const idOf = (k) => `https://bench.example/s${k}.json`;

function catalogue() {
  const bases = readdirSync(corpus).filter((f) => f.endsWith('.json') && f !== 'SOURCE.json').sort()
    .map((f) => JSON.parse(readFileSync(corpus + f, 'utf8')))
    .filter((c) => c.schema && c.draft === 'draft-07' && !c.schemas && typeof c.schema === 'object')
    .map((c) => c.schema)
    // A schema that $refs its own published URL would not resolve under another $id.
    .filter((s) => !JSON.stringify(s).includes('"$ref":"http'));
  const out = [];
  for (let k = 0; k < COUNT; k++) {
    const schema = structuredClone(bases[k % bases.length]);
    schema.$id = idOf(k);
    const refs = {};
    for (const next of [k + 1, k + 2]) {
      if (Math.floor(next / GROUP) === Math.floor(k / GROUP) && next < COUNT) refs[`x-bench-${next}`] = { $ref: idOf(next) };
    }
    schema.properties = { ...schema.properties, ...refs };
    out.push(schema);
  }
  return out;
}

const schemas = catalogue();
const ROOT = idOf(0);
const ajvOptions = { strict: false, logger: false, validateFormats: false };

function median(fn, rounds = ROUNDS) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

function edgeguard(all) {
  const registry = new SchemaRegistry();
  registry.add(schemas);
  const validators = (all ? schemas.map((s) => s.$id) : [ROOT]).map((id) => registry.validator(id, { draft: 'draft-07' }));
  const verdict = validators[0].validate('{}').valid;
  for (const v of validators) v.dispose();
  registry.dispose();
  return verdict;
}

function ajv(all, options = ajvOptions) {
  const a = new Ajv(options);
  a.addSchema(schemas);
  const validators = (all ? schemas.map((s) => s.$id) : [ROOT]).map((id) => a.getSchema(id));
  return validators[0]({});
}

function memory(count) {
  const registry = new SchemaRegistry();
  registry.add(schemas);
  const validators = [];
  for (let k = 0; k < count; k++) validators.push(registry.validator(ROOT, { draft: 'draft-07' }));
  const bytes = module().HEAPU8.buffer.byteLength;
  for (const v of validators) v.dispose();
  registry.dispose();
  return bytes;
}

function oldPathMemory() {
  const others = Object.fromEntries(schemas.slice(1).map((s) => [s.$id, s]));
  const v = new Validator(schemas[0], { draft: 'draft-07', schemas: others });
  const bytes = module().HEAPU8.buffer.byteLength;
  v.dispose();
  return bytes;
}

// Memory is measured in fresh processes: wasm memory only grows, so one figure per process.
if (process.argv[2] === 'memory') {
  const what = process.argv[3];
  const before = module().HEAPU8.buffer.byteLength;
  const after = what === 'schemas' ? oldPathMemory() : memory(Number(what));
  console.log(JSON.stringify({ before, after }));
  process.exit(0);
}

const runMemory = (what) => JSON.parse(spawnSync(process.execPath,
  [fileURLToPath(import.meta.url), 'memory', what], { encoding: 'utf8' }).stdout);

// Both compiled what they were asked to, and agree on it.
if (edgeguard(false) !== ajv(false)) throw new Error('edgeguard and Ajv disagree on {} for the root');

const unchecked = { ...ajvOptions, validateSchema: false };
const rows = {
  'add-all + compile-one': { edgeguard: median(() => edgeguard(false)), ajv: median(() => ajv(false)) },
  'same, Ajv unchecked': { edgeguard: median(() => edgeguard(false)), ajv: median(() => ajv(false, unchecked)) },
  'compile-all': {
    edgeguard: median(() => edgeguard(true), Math.min(ROUNDS, 3)),
    ajv: median(() => ajv(true), Math.min(ROUNDS, 3)),
  },
};
console.log(`${COUNT} schemas, groups of ${GROUP}; median of ${ROUNDS} rounds (compile-all: ${Math.min(ROUNDS, 3)})`);
for (const [name, { edgeguard: e, ajv: a }] of Object.entries(rows)) {
  console.log(`${name.padEnd(24)} edgeguard ${e.toFixed(1).padStart(8)} ms   Ajv ${a.toFixed(1).padStart(8)} ms   ` +
    `edgeguard/Ajv time ${(e / a).toFixed(3)}x${name === 'add-all + compile-one' ? ' (target <= 0.5x)' : ''}`);
}
const mb = (b) => (b / 2 ** 20).toFixed(1);
const one = runMemory('1');
const hundred = runMemory('100');
const old = runMemory('schemas');
console.log(`wasm memory: 1 validator ${mb(one.after)} MB, 100 validators over one registry ${mb(hundred.after)} MB ` +
  `(ratio ${(hundred.after / one.after).toFixed(2)}x, target <= 2x; fresh module ${mb(one.before)} MB)`);
console.log(`wasm memory: 1 validator with options.schemas of all ${COUNT} ${mb(old.after)} MB`);
await writeResults('registry', { rows, memory: { one, hundred, schemasOption: old } });
