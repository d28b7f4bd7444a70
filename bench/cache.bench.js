// Cache: hit ratio on seeded traces against lru-cache and our own 'lru' policy, get/set
// throughput against lru-cache, and the core's bytes per entry at 1M entries. One process, same
// inputs for every contender; prints ratios and writes bench/results/cache.json.
//   node --expose-gc bench/cache.bench.js   (BENCH_TIME_MS=300 per task, BENCH_REQUESTS=1000000,
//   BENCH_PARTS=hit,throughput,throughput-ttl,memory; each part runs in a process of its own)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LRUCache } from 'lru-cache';
import { init, Cache } from '../js/entry.node.js';
import { hashKey } from '../js/cache.js';
import { coarseClock } from '../js/coarse-clock.js';
// Seeded (mulberry32): every run and every contender sees the same trace.
import { seededRandom } from '../web-demo/seeded-random.js';
import { medianRounds, writeResults } from './rounds.js';
import { zipfTrace } from './zipf.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 300);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const ROUNDS = 15;
const results = {};

// ---------------------------------------------------------------------------------------------
// Traces (zipf.js). The scan-polluted trace is Zipf 0.9 with a burst of one-off keys (never
// requested again) after every 20,000 requests, a third of all.
function scanPollutedTrace(keys, requests, seed) {
  const zipf = zipfTrace(0.9, keys, requests, seed);
  const trace = new Uint32Array(requests);
  let z = 0, scanKey = keys;
  for (let n = 0; n < requests;) {
    for (let i = 0; i < 20_000 && n < requests; i++) trace[n++] = zipf[z++];
    for (let i = 0; i < 10_000 && n < requests; i++) trace[n++] = scanKey++;
  }
  return trace;
}

// Read-through simulation: a miss stores the key. Same loop for every contender.
function hitRatio(trace, names, make) {
  const cache = make();
  let hits = 0;
  for (let n = 0; n < trace.length; n++) {
    const key = names(trace[n]);
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, n);
  }
  cache.dispose?.();
  return hits / trace.length;
}

function hitRatios() {
  const KEYS = 100_000;
  const nameCache = new Map();
  const names = (id) => {
    let s = nameCache.get(id);
    if (s === undefined) nameCache.set(id, (s = `/api/items/${id}`));
    return s;
  };
  const traces = {
    'zipf 0.9': zipfTrace(0.9, KEYS, REQUESTS, 1),
    'zipf 1.1': zipfTrace(1.1, KEYS, REQUESTS, 2),
    'zipf 0.9 + scans': scanPollutedTrace(KEYS, REQUESTS, 3),
  };
  const contenders = {
    'lru-cache': (max) => new LRUCache({ max }),
    'edgeguard lru': (max) => new Cache({ maxEntries: max, policy: 'lru', clock: () => 0, seed: 1 }),
    'edgeguard tinylfu': (max) => new Cache({ maxEntries: max, policy: 'tinylfu', clock: () => 0, seed: 1 }),
    'edgeguard lfu': (max) => new Cache({ maxEntries: max, policy: 'lfu', clock: () => 0, seed: 1 }),
    'edgeguard fifo': (max) => new Cache({ maxEntries: max, policy: 'fifo', clock: () => 0, seed: 1 }),
  };
  const rows = {};
  for (const [traceName, trace] of Object.entries(traces)) {
    for (const share of [0.01, 0.1]) {
      const capacity = KEYS * share;
      const row = {};
      for (const [name, make] of Object.entries(contenders)) row[name] = hitRatio(trace, names, () => make(capacity));
      rows[`${traceName}, capacity ${share * 100}%`] = row;
      nameCache.clear();
    }
  }
  console.log(`\nHit ratio, ${KEYS.toLocaleString('en')} keys, ${REQUESTS.toLocaleString('en')} requests (seeded), read-through`);
  console.table(Object.fromEntries(Object.entries(rows).map(([trace, row]) => [trace, {
    ...Object.fromEntries(Object.entries(row).map(([n, v]) => [n, (100 * v).toFixed(2)])),
    'tinylfu / lru-cache': (row['edgeguard tinylfu'] / row['lru-cache']).toFixed(2),
  }])));
  results.hitRatio = rows;
}

// ---------------------------------------------------------------------------------------------
// Throughput: string keys of 10-40 characters in a seeded random order, BATCH calls per task.
const BATCH = 1000;

function keySet(count, seed, prefix) {
  const rand = seededRandom(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789/-_';
  return Array.from({ length: count }, (_, i) => {
    const len = 10 + Math.floor(rand() * 31);
    let s = `${prefix}${i}:`;
    while (s.length < len) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  });
}

const rounds = (tasks) => medianRounds(tasks, { rounds: ROUNDS, timeMs: TIME, batch: BATCH });

function printOps(title, ops, ...bases) {
  console.log(`\n${title}`);
  console.table(Object.fromEntries(Object.entries(ops).map(([name, v]) => [name, {
    'ops/s': Math.round(v).toLocaleString('en'),
    ...Object.fromEntries(bases.map((base) => [`x ${base}`, (v / ops[base]).toFixed(2)])),
  }])));
}

// One process per lru-cache configuration (parts throughput and throughput-ttl): lru-cache's get()
// and set() call per-instance closures that differ with `ttl`, so an instance of each kind in one
// process makes its hot call sites polymorphic, which measured 30 ns more per lru-cache get.
const LRU_CACHE_VARIANTS = {
  'lru-cache': () => ({}),
  'lru-cache (ttl)': () => ({ ttl: 3_600_000 }),
};

async function throughput(variant) {
  const N = 10_000;
  const keys = keySet(N, 11, 'k');
  const absent = keySet(N, 12, 'absent');
  const rand = seededRandom(13);
  const uniform = Uint32Array.from({ length: 1 << 16 }, () => Math.floor(rand() * N));
  // The same keys requested with Zipf(0.9) popularity, as caches see traffic (and as Caffeine's
  // own throughput benchmarks draw keys): popular entries stay in the CPU's caches.
  const skewed = zipfTrace(0.9, N, 1 << 16, 14);
  let order = uniform;
  let i = 0;
  const next = () => order[(i++) & 0xffff];
  let sink = 0;
  const lruCacheOptions = LRU_CACHE_VARIANTS[variant]();

  // Every contender has loops of its own: one loop shared by all would make its get/set call
  // site polymorphic, which measured about 30 ns more per lru-cache get and 10 ns more per
  // edgeguard get; no real call site sees several cache classes.
  const full = {
    tinylfu: new Cache({ maxEntries: N, seed: 1 }),
    lru: new Cache({ maxEntries: N, policy: 'lru', seed: 1 }),
    lruCache: new LRUCache({ max: N, ...lruCacheOptions }),
  };
  for (const c of Object.values(full)) for (const k of keys) c.set(k, k);
  // The least any implementation of this get() does: find the key, read the entry's lifetime for
  // its state and age, and build the result, with no eviction policy at all.
  const floor = new Map(keys.map((k) => [k, { value: k, storedAt: coarseClock(), ttl: Infinity }]));
  let list = keys;
  const getTasks = {
    'edgeguard tinylfu': () => { for (let n = 0; n < BATCH; n++) sink += full.tinylfu.get(list[next()]) === undefined ? 0 : 1; },
    'edgeguard lru': () => { for (let n = 0; n < BATCH; n++) sink += full.lru.get(list[next()]) === undefined ? 0 : 1; },
    [variant]: () => { for (let n = 0; n < BATCH; n++) sink += full.lruCache.get(list[next()]) === undefined ? 0 : 1; },
    'floor: Map.get + lifetime + result, no policy': () => {
      for (let n = 0; n < BATCH; n++) {
        const e = floor.get(list[next()]);
        if (e === undefined) continue;
        const now = coarseClock();
        const age = now > e.storedAt ? now - e.storedAt : 0;
        sink += age < e.ttl && { value: e.value, state: 'fresh', ageMs: age } !== undefined ? 1 : 0;
      }
    },
  };
  const hit = await rounds(getTasks);
  printOps(`get hit, ${N.toLocaleString('en')} resident keys of 10-40 chars (sink ${sink > 0})`, hit, variant);
  order = skewed;
  const hitZipf = await rounds(getTasks);
  printOps('get hit, the same keys requested with Zipf(0.9) popularity', hitZipf, variant);
  order = uniform;
  list = absent;
  const miss = await rounds(getTasks);
  printOps('get miss', miss, variant);

  // set with eviction: 10,000 keys cycling through a cache of 1,000, so most sets insert a new
  // key and evict one.
  const small = {
    tinylfu: new Cache({ maxEntries: N / 10, seed: 1 }),
    lru: new Cache({ maxEntries: N / 10, policy: 'lru', seed: 1 }),
    lruCache: new LRUCache({ max: N / 10, ...lruCacheOptions }),
  };
  // What any Map-based cache's set of a new key costs at least: a lookup, an insert, and the
  // delete of the evicted key; TinyLFU also needs the key's hash.
  const floorRing = keys.slice(0, N / 10);
  const floorMap = new Map(floorRing.map((k, n) => [k, n]));
  let floorHead = 0;
  const floorInsert = (key, k) => {
    floorMap.set(key, k);
    floorMap.delete(floorRing[floorHead]);
    floorRing[floorHead] = key;
    floorHead = (floorHead + 1) % floorRing.length;
  };
  const set = await rounds({
    'edgeguard tinylfu': () => { for (let n = 0; n < BATCH; n++) { const k = next(); small.tinylfu.set(keys[k], k); } },
    'edgeguard lru': () => { for (let n = 0; n < BATCH; n++) { const k = next(); small.lru.set(keys[k], k); } },
    [variant]: () => { for (let n = 0; n < BATCH; n++) { const k = next(); small.lruCache.set(keys[k], k); } },
    'floor: Map get + set + delete': () => {
      for (let n = 0; n < BATCH; n++) {
        const k = next();
        if (floorMap.get(keys[k]) === undefined) floorInsert(keys[k], k);
      }
    },
    'floor: the same + key hash': () => {
      for (let n = 0; n < BATCH; n++) {
        const k = next();
        if (floorMap.get(keys[k]) === undefined) {
          sink += hashKey(keys[k], 1) & 1;
          floorInsert(keys[k], k);
        }
      }
    },
  });
  printOps('set with eviction (10,000 keys through 1,000 entries)', set, variant);
  for (const c of [...Object.values(full), ...Object.values(small)]) c.dispose?.();
  results[variant === 'lru-cache' ? 'throughput' : 'throughputTtl'] = {
    getHit: hit, getHitZipf: hitZipf, getMiss: miss, setWithEviction: set,
    ratios: Object.fromEntries(['edgeguard tinylfu', 'edgeguard lru'].map((name) => [name, {
      getHit: hit[name] / hit[variant],
      getHitZipf: hitZipf[name] / hitZipf[variant],
      getMiss: miss[name] / miss[variant],
      set: set[name] / set[variant],
    }])),
  };
}

// ---------------------------------------------------------------------------------------------
// Memory at 1M entries: the core's policy metadata (entry, lifetime, expiry heap, sketch) as the
// core counts it, and the JS heap plus ArrayBuffers each cache adds (keys map, slot arrays; lru-
// cache keeps its lists in typed arrays), each contender measured in a fresh child process so
// one's garbage cannot blur another's figure. Wasm memory is in neither JS figure.
const MEMORY_CONTENDERS = {
  'edgeguard tinylfu (ttl)': () => new Cache({ maxEntries: 1_000_000, clock: () => 0, seed: 1, ttlMs: 60_000 }),
  'edgeguard lru (no ttl)': () => new Cache({ maxEntries: 1_000_000, policy: 'lru', clock: () => 0, seed: 1 }),
  'lru-cache (ttl)': () => new LRUCache({ max: 1_000_000, ttl: 60_000 }),
  'lru-cache (no ttl)': () => new LRUCache({ max: 1_000_000 }),
};

function measureMemory(name) {
  const COUNT = 1_000_000;
  const keys = Array.from({ length: COUNT }, (_, i) => `/api/items/${i}`);
  const used = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const c = MEMORY_CONTENDERS[name]();
  for (let i = 0; i < COUNT; i++) c.set(keys[i], i);
  const js = (used() - before) / COUNT;
  const core = c instanceof Cache ? c.stats().memoryBytes / COUNT : 0;
  if (c.size !== COUNT) throw new Error(`${name} holds ${c.size} entries`);
  console.log(JSON.stringify({ core, js }));
}

function memory() {
  const rows = {};
  for (const name of Object.keys(MEMORY_CONTENDERS)) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)],
      { env: { ...process.env, CACHE_MEMORY_CONTENDER: name }, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory of ${name}: ${child.stderr}`);
    const { core, js } = JSON.parse(child.stdout.trim().split('\n').pop());
    rows[name] = { 'core bytes/entry': core.toFixed(1), 'JS bytes/entry': js.toFixed(1), total: (core + js).toFixed(1) };
  }
  console.log('\nMemory at 1,000,000 entries (keys themselves excluded; one child process each)');
  console.table(rows);
  results.memory = rows;
}

if (process.env.CACHE_MEMORY_CONTENDER) {
  measureMemory(process.env.CACHE_MEMORY_CONTENDER);
  process.exit(0);
}
// BENCH_PARTS=hit,throughput,throughput-ttl,memory picks parts (all by default). Each part runs in a process of
// its own, as bench/run.js runs each bench: the hit-ratio traces leave a heap that measurably
// slowed the throughput part that followed them, for every contender but unequally.
const parts = process.env.BENCH_PARTS?.split(',');
if (parts === undefined) {
  for (const part of ['hit', 'throughput', 'throughput-ttl', 'memory']) {
    const { status } = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)],
      { stdio: 'inherit', env: { ...process.env, BENCH_PARTS: part } });
    if (status !== 0) process.exit(status ?? 1);
  }
} else {
  if (parts.includes('hit')) hitRatios();
  if (parts.includes('throughput')) await throughput('lru-cache');
  if (parts.includes('throughput-ttl')) await throughput('lru-cache (ttl)');
  if (parts.includes('memory')) memory();
  // Each part adds its own figures to the file.
  await writeResults('cache', results, { merge: true });
}
