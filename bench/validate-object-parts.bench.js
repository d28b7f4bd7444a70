// Where the time of validate(object) goes on the 0.5 KB form, the row of issue 14 that misses its
// object-input targets: the walk that writes the value into the core's tape (js/object-input.js),
// the core's validation of that tape alone, the two in a row, JSON.stringify followed by the same
// tape validation (any JS run just before the core slows it: the two code paths share the CPU's
// caches and predictors), a minimal walk that only writes the nodes and copies the strings (no
// limit, no check: the floor any walk pays), the whole call valid and invalid, and Ajv's. Each
// task runs 100 operations a call, after one walk that writes the form's tape; prints ns per
// operation, median of rounds, and writes bench/results/validate-object-parts.json.
//   node bench/validate-object-parts.bench.js        (BENCH_TIME_MS per task, default 300)
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { init, Validator } from '../js/entry.node.js';
import { module } from '../js/core.js';
import { encode, nodesAt, nodeCount, dataAt, dataLength } from '../js/object-input.js';
import { medianRounds, writeResults } from './rounds.js';
import { cases } from './validate-documents.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 300);
const BATCH = 100;
const { schema, make } = cases.find((c) => c.label.includes('form'));
const eg = new Validator(schema, { formats: 'assert' });
const ajvValidate = addFormats(new Ajv2020()).compile(schema);
const mod = module('validator');
const value = make(false);
const invalid = make(true);
if (!encode(value, eg.maxBytes, eg.maxDepth)) throw new Error('the form did not take the object path');

// The floor: nodes of five words and the strings' bytes written, nothing counted or checked.
const words = new Uint32Array(1 << 12);
const bytes = new Uint8Array(1 << 14);
let nodes = 0;
let used = 0;
function floorNode() {
  const w = nodes++ * 5;
  words[w] = 1;
  words[w + 1] = used;
  words[w + 2] = 0;
  words[w + 3] = nodes;
  words[w + 4] = 0;
}
function floorWalk(v) {
  floorNode();
  if (typeof v === 'string') {
    for (let i = 0; i < v.length; i++) bytes[used++] = v.charCodeAt(i);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) floorWalk(v[i]);
  } else if (typeof v === 'object' && v !== null) {
    for (const key in v) {
      floorNode();
      floorWalk(v[key]);
    }
  }
}

const tape = () => mod._eg_validator_validate_tape(eg.handle, nodesAt(), nodeCount(), dataAt(), dataLength(), 0, 0);
const walk = () => encode(value, eg.maxBytes, eg.maxDepth);
// Each call writes the valid form's tape first, once for its batch: the task before it may have
// left another.
const times = (fn) => () => {
  walk();
  for (let i = 0; i < BATCH; i++) fn();
};
const hz = await medianRounds({
  'floor walk': times(() => {
    nodes = used = 0;
    floorWalk(value);
  }),
  'walk (encode)': times(walk),
  'core (tape)': times(tape),
  'walk + core': times(() => {
    walk();
    tape();
  }),
  'JSON.stringify': times(() => JSON.stringify(value)),
  'JSON.stringify + core': times(() => {
    JSON.stringify(value);
    tape();
  }),
  'validate(object)': times(() => eg.validate(value)),
  'validate(invalid)': times(() => eg.validate(invalid)),
  'validate(invalid).errors': times(() => eg.validate(invalid).errors),
  'ajv(object)': times(() => ajvValidate(value)),
  'ajv(invalid)': times(() => ajvValidate(invalid)),
}, { rounds: 10, timeMs: TIME, batch: BATCH, rotate: 3 });
const ns = Object.fromEntries(Object.entries(hz).map(([k, v]) => [k, Math.round(1e9 / v)]));
console.table(Object.entries(ns).map(([task, n]) => ({ task, 'ns/op': n })));
console.log('walk + core, past walk and core alone (ns):', ns['walk + core'] - ns['walk (encode)'] - ns['core (tape)']);
console.log('JSON.stringify + core, past each alone (ns):', ns['JSON.stringify + core'] - ns['JSON.stringify'] - ns['core (tape)']);
await writeResults('validate-object-parts', { node: process.version, ns });
