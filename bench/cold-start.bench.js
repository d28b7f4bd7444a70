// Cold start in Node: the time from nothing loaded to a usable module, for each entry point: the
// JS import, then init() (reading and compiling its wasm, instantiating it), each run in a fresh
// process (a warm one has compiled code cached in memory). Peers are JS only: their import is
// their whole cold start. The figures move with the machine's load: compare rows of one run. Issue 16's target: import + init() of edgeguard/resilience under 15 ms.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './rounds.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 15;
// Node's floor for any package: its ESM loader reading one file from disk, which a data: URL skips.
const scratch = mkdtempSync(join(tmpdir(), 'edgeguard-cold-'));
const oneLine = join(scratch, 'one-line.mjs');
writeFileSync(oneLine, 'export default 1;\n');

const ENTRIES = [
  { name: 'an empty module (Node\'s own cost)', file: 'data:text/javascript,export default 1', init: false },
  { name: 'a one-line module file', file: oneLine, init: false },
  // By name, as an app imports them (package.json's "node" conditions: the js-node/ bundles).
  { name: 'edgeguard/resilience', file: 'edgeguard/resilience', init: true },
  { name: 'edgeguard/validator', file: 'edgeguard/validator', init: true },
  { name: 'edgeguard', file: 'edgeguard', init: true },
  // The same from the unbundled sources (js/), one file read per module.
  { name: 'edgeguard/resilience from js/', file: `${root}js/entry.resilience.node.js`, init: true },
  { name: 'opossum (peer)', file: 'opossum', init: false },
  { name: 'cockatiel (peer)', file: 'cockatiel', init: false },
  { name: 'lru-cache (peer)', file: 'lru-cache', init: false },
];

// One fresh process: prints [import ms, init ms].
const child = (e) => `
const t0 = performance.now();
const m = await import(${JSON.stringify(e.file)});
const t1 = performance.now();
${e.init ? 'await m.init();' : ''}
const t2 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1]));`;

const measure = (e) => {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child(e)], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${e.name}: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  const importMs = median(runs.map((r) => r[0]));
  const initMs = median(runs.map((r) => r[1]));
  return { entry: e.name, 'import ms': +importMs.toFixed(1), 'init() ms': +initMs.toFixed(1), 'total ms': +(importMs + initMs).toFixed(1) };
};
let rows;
try {
  rows = ENTRIES.map(measure);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const base = rows.find((r) => r.entry === 'edgeguard/resilience')['total ms'];
console.log(`cold start in Node ${process.version}, median of ${RUNS} fresh processes each (target for edgeguard/resilience: < 15 ms)`);
console.table(rows.map((r) => ({ ...r, 'x resilience': +(r['total ms'] / base).toFixed(2) })));
