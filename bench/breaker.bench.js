// CircuitBreaker: per-call overhead of execute(async () => 1) in the closed state, and the cost
// of a rejection in the open state, against opossum and cockatiel. One process, same function,
// calls in sequential batches so the harness's own per-iteration cost is amortised; several
// rounds in rotating order, medians reported, because the machine is shared.
// Prints ratios and writes bench/results/breaker.json.
//   node bench/breaker.bench.js            (BENCH_TIME_MS=200 per task and round, BENCH_ROUNDS=7)
import Opossum from 'opossum';
import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
import { init, CircuitBreaker } from '../js/entry.node.js';
import { medianRounds, writeResults } from './rounds.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BATCH = 1000;
const fn = async () => 1;
const fail = async () => { throw new Error('down'); };
const noop = () => {};
let sink = 0;

// Each contender gets its leanest closed-state setup: no per-call timeout (edgeguard has none by
// default; opossum's default 10 s timeout arms a timer per call and is measured separately).
const HOUR = 3_600_000;
const eg = new CircuitBreaker({ openMs: HOUR });
const egSlow = new CircuitBreaker({ openMs: HOUR, slowCallDurationMs: 1000 });
const egTime = new CircuitBreaker({ openMs: HOUR, window: { type: 'time', sizeMs: 60_000 } });
const opossum = new Opossum(fn, { timeout: false, resetTimeout: HOUR });
const opossumDefaults = new Opossum(fn, { resetTimeout: HOUR });
const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: HOUR, breaker: new ConsecutiveBreaker(5) });

// Open ones, tripped by real failures where the library allows it.
const egOpen = new CircuitBreaker({ openMs: HOUR, consecutiveFailures: 5 });
for (let i = 0; i < 5; i++) await egOpen.execute(fail).catch(noop);
const opossumOpen = new Opossum(fail, { timeout: false, resetTimeout: HOUR });
opossumOpen.on('error', noop);
opossumOpen.open();
const cockatielOpen = circuitBreaker(handleAll, { halfOpenAfter: HOUR, breaker: new ConsecutiveBreaker(5) });
for (let i = 0; i < 5; i++) await cockatielOpen.execute(fail).catch(noop);
if (egOpen.state !== 'open' || !opossumOpen.opened || cockatielOpen.state !== 1) throw new Error('not open');

// Every task has a loop of its own: one helper taking the call as a closure would make its call
// site megamorphic (about 10 ns a call on this host, measured), which no real caller pays.
const rejection = new Error('prebuilt');
const caught = () => { sink++; };

const tasks = {
  'baseline: await fn()': async () => { for (let i = 0; i < BATCH; i++) sink += await fn(); },
  'edgeguard closed': async () => { for (let i = 0; i < BATCH; i++) sink += await eg.execute(fn); },
  'edgeguard closed, slow calls tracked': async () => { for (let i = 0; i < BATCH; i++) sink += await egSlow.execute(fn); },
  'edgeguard closed, time window': async () => { for (let i = 0; i < BATCH; i++) sink += await egTime.execute(fn); },
  'opossum closed': async () => { for (let i = 0; i < BATCH; i++) sink += await opossum.fire(); },
  'opossum closed (default 10 s timeout)': async () => { for (let i = 0; i < BATCH; i++) sink += await opossumDefaults.fire(); },
  'cockatiel closed': async () => { for (let i = 0; i < BATCH; i++) sink += await cockatiel.execute(fn); },
  'edgeguard open: execute()': async () => { for (let i = 0; i < BATCH; i++) await egOpen.execute(fn).catch(caught); },
  'edgeguard open: tryAcquire()': () => { for (let i = 0; i < BATCH; i++) sink += egOpen.tryAcquire(); },
  'opossum open': async () => { for (let i = 0; i < BATCH; i++) await opossumOpen.fire().catch(caught); },
  'cockatiel open': async () => { for (let i = 0; i < BATCH; i++) await cockatielOpen.execute(fn).catch(caught); },
  'floor: Date.now()': () => { for (let i = 0; i < BATCH; i++) sink += Date.now(); },
  'floor: await a rejected promise': async () => { for (let i = 0; i < BATCH; i++) await Promise.reject(rejection).catch(caught); },
};

// TIME per task and round; the order rotates by 5 tasks a round.
const ops = await medianRounds(tasks, { rounds: ROUNDS, timeMs: TIME * ROUNDS, batch: BATCH, rotate: 5, warmupTime: 50 });
const ns = Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, 1e9 / v]));
const base = ns['baseline: await fn()'];
const overhead = (name) => ns[name] - base;

console.log(`\nPer call (ns, median of ${ROUNDS} rounds), batches of ${BATCH}, sink ${sink > 0}`);
console.table(Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, {
  'ns/call': Math.round(v), 'overhead ns': / closed/.test(k) ? Math.round(v - base) : '',
}])));

const ratios = {
  overhead_vs_opossum: overhead('edgeguard closed') / overhead('opossum closed'),
  overhead_vs_opossum_defaults: overhead('edgeguard closed') / overhead('opossum closed (default 10 s timeout)'),
  overhead_vs_cockatiel: overhead('edgeguard closed') / overhead('cockatiel closed'),
  open_execute_speedup_vs_closed_call: ns['edgeguard closed'] / ns['edgeguard open: execute()'],
  open_tryacquire_speedup_vs_closed_call: ns['edgeguard closed'] / ns['edgeguard open: tryAcquire()'],
  open_vs_opossum_open: ns['edgeguard open: execute()'] / ns['opossum open'],
  open_vs_cockatiel_open: ns['edgeguard open: execute()'] / ns['cockatiel open'],
};
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');
console.log(`\nclosed overhead vs opossum:   ${ratios.overhead_vs_opossum.toFixed(2)}x  (target <= 0.5x: ${verdict(ratios.overhead_vs_opossum <= 0.5)}); vs opossum with its default timeout: ${ratios.overhead_vs_opossum_defaults.toFixed(2)}x`);
console.log(`closed overhead vs cockatiel: ${ratios.overhead_vs_cockatiel.toFixed(2)}x  (target <= 1.0x: ${verdict(ratios.overhead_vs_cockatiel <= 1)})`);
console.log(`open rejection through execute() is ${ratios.open_execute_speedup_vs_closed_call.toFixed(2)}x as fast as a closed call, through tryAcquire() ${ratios.open_tryacquire_speedup_vs_closed_call.toFixed(2)}x  (target >= 10x: ${verdict(Math.max(ratios.open_execute_speedup_vs_closed_call, ratios.open_tryacquire_speedup_vs_closed_call) >= 10)})`);
console.log(`  floors on this host: one Date.now() ${Math.round(ns['floor: Date.now()'])} ns, awaiting a rejected promise ${Math.round(ns['floor: await a rejected promise'])} ns (an open circuit reads the default clock at most once per timer tick)`);
console.log(`open rejection vs opossum's: ${ratios.open_vs_opossum_open.toFixed(2)}x, vs cockatiel's: ${ratios.open_vs_cockatiel_open.toFixed(2)}x (lower is faster)`);

await writeResults('breaker', { batch: BATCH, rounds: ROUNDS, ns_per_call: ns, ratios });
