// RateLimiter: accuracy against an exact sliding log, check() throughput against
// rate-limiter-flexible and a plain-JS GCRA over a Map, and memory per tracked key.
// One process, same inputs for every contender; prints ratios and writes bench/results/limit.json.
//   node bench/limit.bench.js            (BENCH_TIME_MS=1000 per task by default)
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { init, RateLimiter } from '../js/entry.node.js';
import { module } from '../js/core.js';
// Seeded (mulberry32): every run and every contender sees the same trace.
import { seededRandom } from '../web-demo/seeded-random.js';
import { medianRounds, writeResults } from './rounds.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 1000);  // per task, over ROUNDS rounds
const ROUNDS = 5;
const results = {};

// ---------------------------------------------------------------------------------------------
// Accuracy. Bursty traces: each key has its own mean rate (log-uniform; a share of keys abusive)
// and sends it in on/off bursts (3x the mean while on, idle in between), over 60 s of simulated
// time. Every contender sees the same calls; a call is "wrongly allowed" if the exact sliding
// log (on its own history) rejects it, and vice versa.
const LIMIT = 10;
const WINDOW = 1000;

function burstyTrace(keys, durationMs, seed, abusive) {
  const rand = seededRandom(seed);
  const events = [];
  for (let k = 0; k < keys; k++) {
    // Calls per ms: most clients 0.01x to 0.5x the limit, the abusive ones 2x to 10x.
    const mean = (LIMIT / WINDOW) * (rand() < abusive ? 2 * 5 ** rand() : 0.01 * 50 ** rand());
    let t = rand() * 2000;
    while (t < durationMs) {
      const start = t;
      const end = t + 100 + rand() * 2000;                  // a burst at 3x the mean ...
      while (t < end && t < durationMs) {
        events.push([Math.floor(t), k]);
        t += -Math.log(1 - rand()) / (3 * mean);
      }
      t = end + (end - start) * 4 * rand();                 // ... then idle, 2/3 of the time
    }
  }
  return events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

// The reference: an exact sliding log per key, written independently of the core.
function exactSlidingLog() {
  const logs = new Map();
  return (key, now) => {
    let log = logs.get(key);
    if (!log) logs.set(key, (log = []));
    while (log.length && log[0] + WINDOW <= now) log.shift();
    if (log.length + 1 > LIMIT) return false;
    log.push(now);
    return true;
  };
}

// Most calls allowed in any window of WINDOW ms, over all keys (> LIMIT: a burst got through).
function worstWindow(allowedTimesPerKey) {
  let worst = 0;
  for (const times of allowedTimesPerKey.values()) {
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi] - times[lo] >= WINDOW) lo++;
      worst = Math.max(worst, hi - lo + 1);
    }
  }
  return worst;
}

function accuracy(label, abusive) {
  const events = burstyTrace(2000, 60_000, 42, abusive);
  const ref = exactSlidingLog();
  const truth = events.map(([t, k]) => ref(k, t));
  const rows = {};
  for (const algorithm of ['sliding-log', 'sliding-window', 'fixed-window', 'gcra', 'token-bucket']) {
    const clock = () => clock.now;
    const rl = new RateLimiter({ policies: [{ name: 'p', limit: LIMIT, windowMs: WINDOW, algorithm }], clock, headers: false });
    let wronglyAllowed = 0;
    let wronglyRejected = 0;
    let allowed = 0;
    const allowedTimes = new Map();
    events.forEach(([t, k], i) => {
      clock.now = t;
      const ok = rl.check(`client-${k}`).allowed;
      if (ok) {
        allowed++;
        if (!allowedTimes.has(k)) allowedTimes.set(k, []);
        allowedTimes.get(k).push(t);
      }
      if (ok && !truth[i]) wronglyAllowed++;
      if (!ok && truth[i]) wronglyRejected++;
    });
    rl.dispose();
    rows[algorithm] = {
      calls: events.length,
      allowedShare: allowed / events.length,
      wronglyAllowed: wronglyAllowed / events.length,
      wronglyRejected: wronglyRejected / events.length,
      worstWindow: worstWindow(allowedTimes),
    };
  }
  console.log(`\nAccuracy vs an exact sliding log, ${label} (${LIMIT} per ${WINDOW} ms, ${events.length} calls, 2000 keys, bursty, seed 42)`);
  console.table(Object.fromEntries(Object.entries(rows).map(([a, r]) => [a, {
    'allowed %': (100 * r.allowedShare).toFixed(2),
    'wrongly allowed %': (100 * r.wronglyAllowed).toFixed(3),
    'wrongly rejected %': (100 * r.wronglyRejected).toFixed(3),
    'most allowed in any 1 s': `${r.worstWindow} (limit ${LIMIT})`,
  }])));
  results[`accuracy_${label.replace(/\W+/g, '_')}`] = rows;
}

// ---------------------------------------------------------------------------------------------
// Throughput of check() over N distinct keys in a seeded random order, on each contender's
// default clock (Date.now for the peers), plus edgeguard on Date.now too.
class MapGcra {
  constructor(limit, windowMs) {
    this.interval = windowMs / limit;
    this.tolerance = windowMs;
    this.tats = new Map();
  }

  check(key) {
    const now = Date.now();
    const base = Math.max(this.tats.get(key) ?? now, now);
    const next = base + this.interval;
    if (next - now > this.tolerance) {
      return { allowed: false, remaining: 0, retryAfterMs: next - this.tolerance - now };
    }
    this.tats.set(key, next);
    return { allowed: true, remaining: Math.floor((this.tolerance - (next - now)) / this.interval), retryAfterMs: 0 };
  }
}

const BATCH = 1000;

async function throughput(distinct) {
  const keys = Array.from({ length: distinct }, (_, i) => `ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const rand = seededRandom(7);
  const order = Uint32Array.from({ length: 1 << 20 }, () => Math.floor(rand() * distinct));
  const limit = 100;
  const windowMs = 1000;
  const options = { policies: [{ name: 'p', limit, windowMs }], maxKeys: Math.max(distinct, 100_000) };
  const ours = new RateLimiter(options);
  // The same limiter reading Date.now() on every call, as the plain-JS GCRA does: the default
  // clock reads it at most once per timer tick, and this row shows what that is worth.
  const oursDateNow = new RateLimiter({ ...options, clock: Date.now });
  const map = new MapGcra(limit, windowMs);
  const rlf = new RateLimiterMemory({ points: limit, duration: windowMs / 1000 });
  // Fill every contender with all keys first, so the timed part measures a steady state.
  for (const k of keys) {
    ours.check(k);
    oursDateNow.check(k);
    map.check(k);
    await rlf.consume(k).catch(() => {});
  }
  let i = 0;
  const next = () => keys[order[(i++) & (order.length - 1)]];
  let sink = 0;
  const tasks = {
    'edgeguard RateLimiter.check': () => {
      for (let n = 0; n < BATCH; n++) sink += ours.check(next()).remaining;
    },
    'edgeguard check, clock: Date.now': () => {
      for (let n = 0; n < BATCH; n++) sink += oursDateNow.check(next()).remaining;
    },
    'edgeguard check + headers': () => {
      for (let n = 0; n < BATCH; n++) sink += ours.check(next()).headers.RateLimit.length;
    },
    'plain-JS GCRA over a Map': () => {
      for (let n = 0; n < BATCH; n++) sink += map.check(next()).remaining;
    },
    'rate-limiter-flexible RateLimiterMemory.consume': async () => {
      for (let n = 0; n < BATCH; n++) {
        try {
          sink += (await rlf.consume(next())).remainingPoints;
        } catch (res) {
          sink += res.remainingPoints;
        }
      }
    },
  };
  const ops = await medianRounds(tasks, { rounds: ROUNDS, timeMs: TIME, batch: BATCH });
  const mine = ops['edgeguard RateLimiter.check'];
  console.log(`\ncheck() throughput, ${distinct.toLocaleString('en')} distinct keys (sink ${sink > 0})`);
  console.table(Object.fromEntries(Object.entries(ops).map(([name, v]) => [name, {
    'calls/s': Math.round(v).toLocaleString('en'),
    'edgeguard check is x faster': (mine / v).toFixed(2),
  }])));
  ours.dispose();
  oursDateNow.dispose();
  results[`throughput_${distinct}`] = {
    opsPerSecond: ops,
    vsRateLimiterFlexible: mine / ops['rate-limiter-flexible RateLimiterMemory.consume'],
    vsPlainJsGcra: mine / ops['plain-JS GCRA over a Map'],
    dateNowClockVsPlainJsGcra: ops['edgeguard check, clock: Date.now'] / ops['plain-JS GCRA over a Map'],
    dateNowClockVsRateLimiterFlexible: ops['edgeguard check, clock: Date.now'] / ops['rate-limiter-flexible RateLimiterMemory.consume'],
  };
}

// ---------------------------------------------------------------------------------------------
// Memory: bytes per tracked GCRA key, and 1M distinct keys through maxKeys = 100,000.
function memory() {
  const heap = () => module().HEAPU8.buffer.byteLength;
  const clock = () => clock.now;
  clock.now = 0;
  const before = heap();
  const rl = new RateLimiter({ policies: [{ name: 'p', limit: 10, windowMs: 1000 }], maxKeys: 100_000, clock });
  for (let i = 0; i < 100_000; i++) rl.check(`ip:${i}`);
  const full = rl.stats();
  const heapAtFull = heap();
  for (let i = 100_000; i < 1_000_000; i++) {
    clock.now = i;
    rl.check(`ip:${i}`);
  }
  const after = rl.stats();
  const heapAfter = heap();
  rl.dispose();
  const row = {
    bytesPerKey: full.memoryBytes / full.keys,
    wasmGrowthPerKey: (heapAtFull - before) / full.keys,
    memoryBytesAt100k: full.memoryBytes,
    memoryBytesAfter1M: after.memoryBytes,
    wasmHeapAt100k: heapAtFull,
    wasmHeapAfter1M: heapAfter,
    keysAfter1M: after.keys,
    evictions: after.evictions,
  };
  console.log('\nMemory (GCRA, one policy, keys "ip:N")');
  console.table({
    'bytes per tracked key (limiter accounting; target <= 48)': row.bytesPerKey.toFixed(1),
    'wasm heap growth per key while filling 100k (includes freed growth steps)': row.wasmGrowthPerKey.toFixed(1),
    'limiter bytes at 100k keys / after 1M distinct': `${row.memoryBytesAt100k} / ${row.memoryBytesAfter1M}`,
    'wasm heap at 100k keys / after 1M distinct': `${row.wasmHeapAt100k} / ${row.wasmHeapAfter1M}`,
    'tracked keys after 1M distinct (maxKeys 100k)': `${row.keysAfter1M} (${row.evictions} evictions)`,
  });
  results.memory = row;
}

accuracy('legitimate clients only', 0);
accuracy('5% of clients abusive', 0.05);
memory();
await throughput(10_000);
await throughput(1_000_000);
await writeResults('limit', results);
