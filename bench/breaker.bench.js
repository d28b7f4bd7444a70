// CircuitBreaker: per-call overhead of execute(async () => 1) in the closed state, and the cost
// of a rejection in the open state, against opossum and cockatiel. One process, same function,
// calls in sequential batches so the harness's own per-iteration cost is amortised.
// Prints ratios and writes bench/results/breaker.json.
//   node bench/breaker.bench.js            (BENCH_TIME_MS=400 per task by default)
import { writeFile, mkdir } from 'node:fs/promises';
import { Bench } from 'tinybench';
import Opossum from 'opossum';
import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
import { init, CircuitBreaker } from '../js/entry.node.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 400);
const BATCH = 1000;
const fn = async () => 1;
const fail = async () => { throw new Error('down'); };
const noop = () => {};
let sink = 0;

// Each contender gets its leanest closed-state setup: no per-call timeout (edgeguard has none by
// default; opossum's default 10 s timeout arms a timer per call and is measured separately).
const eg = new CircuitBreaker({ openMs: 3_600_000 });
const opossum = new Opossum(fn, { timeout: false, resetTimeout: 3_600_000 });
const opossumDefaults = new Opossum(fn, { resetTimeout: 3_600_000 });
const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 3_600_000, breaker: new ConsecutiveBreaker(5) });

// Open ones, tripped by real failures where the library allows it.
const egOpen = new CircuitBreaker({ openMs: 3_600_000, consecutiveFailures: 5 });
for (let i = 0; i < 5; i++) await egOpen.execute(fail).catch(noop);
const opossumOpen = new Opossum(fail, { timeout: false, resetTimeout: 3_600_000 });
opossumOpen.on('error', noop);
opossumOpen.open();
const cockatielOpen = circuitBreaker(handleAll, { halfOpenAfter: 3_600_000, breaker: new ConsecutiveBreaker(5) });
for (let i = 0; i < 5; i++) await cockatielOpen.execute(fail).catch(noop);
if (egOpen.state !== 'open' || !opossumOpen.opened || cockatielOpen.state !== 1) throw new Error('not open');

const batch = (call) => async () => {
  for (let i = 0; i < BATCH; i++) sink += await call();
};
const rejectBatch = (call) => async () => {
  for (let i = 0; i < BATCH; i++) await call().catch(() => { sink++; });
};

const bench = new Bench({ time: TIME, warmup: true, warmupTime: 100 });
bench
  .add('baseline: await fn()', batch(fn))
  .add('edgeguard closed', batch(() => eg.execute(fn)))
  .add('opossum closed', batch(() => opossum.fire()))
  .add('opossum closed (default 10 s timeout)', batch(() => opossumDefaults.fire()))
  .add('cockatiel closed', batch(() => cockatiel.execute(fn)))
  .add('edgeguard open', rejectBatch(() => egOpen.execute(fn)))
  .add('opossum open', rejectBatch(() => opossumOpen.fire()))
  .add('cockatiel open', rejectBatch(() => cockatielOpen.execute(fn)));
await bench.run();

const ns = {};
for (const task of bench.tasks) ns[task.name] = (task.result.latency.mean * 1e6) / BATCH;
const base = ns['baseline: await fn()'];
const overhead = (name) => ns[name] - base;

console.log(`\nPer call (ns), batches of ${BATCH}, sink ${sink > 0}`);
console.table(Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, {
  'ns/call': Math.round(v), 'overhead ns': k.includes('open') || k.startsWith('baseline') ? '' : Math.round(v - base),
}])));

const ratios = {
  overhead_vs_opossum: overhead('edgeguard closed') / overhead('opossum closed'),
  overhead_vs_opossum_defaults: overhead('edgeguard closed') / overhead('opossum closed (default 10 s timeout)'),
  overhead_vs_cockatiel: overhead('edgeguard closed') / overhead('cockatiel closed'),
  open_speedup_vs_closed_call: ns['edgeguard closed'] / ns['edgeguard open'],
  open_vs_opossum_open: ns['edgeguard open'] / ns['opossum open'],
  open_vs_cockatiel_open: ns['edgeguard open'] / ns['cockatiel open'],
};
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');
console.log(`\nclosed overhead vs opossum:   ${ratios.overhead_vs_opossum.toFixed(2)}x  (target <= 0.5x: ${verdict(ratios.overhead_vs_opossum <= 0.5)})`);
console.log(`closed overhead vs opossum with its default timeout: ${ratios.overhead_vs_opossum_defaults.toFixed(2)}x`);
console.log(`closed overhead vs cockatiel: ${ratios.overhead_vs_cockatiel.toFixed(2)}x  (target <= 1.0x: ${verdict(ratios.overhead_vs_cockatiel <= 1)})`);
console.log(`open rejection is ${ratios.open_speedup_vs_closed_call.toFixed(1)}x faster than a closed call  (target >= 10x: ${verdict(ratios.open_speedup_vs_closed_call >= 10)})`);
console.log(`open rejection vs opossum's: ${ratios.open_vs_opossum_open.toFixed(2)}x, vs cockatiel's: ${ratios.open_vs_cockatiel_open.toFixed(2)}x (lower is faster)`);

await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/breaker.json', import.meta.url),
  `${JSON.stringify({ batch: BATCH, ns_per_call: ns, ratios }, null, 2)}\n`);
