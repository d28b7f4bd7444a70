// The shared cache tier (new Cache({ shared: store })) on a redis-server on loopback, started
// here and stopped after. Two parts, each in a process of its own:
//   backend:    backend calls under Zipf(0.9) traffic from 4 instances (4 caches in this process,
//               each with its own ioredis client), L1 only against L1 + the shared tier. Seeded
//               trace, injected clock: one request at a time (the same counts on every run), and
//               one per instance at once (the instances race for the keys they miss together).
//   throughput: an L1 miss served by the shared tier, edgeguard against bentocache (L1 memory +
//               L2 redis) on the same redis-server and the same ioredis client, awaited one after
//               another and IN_FLIGHT at once; ops/s and the ratio edgeguard / bentocache.
// Prints ratios; writes bench/results/cache-shared.json.
//   node bench/cache-shared.bench.js   (BENCH_PARTS=backend,throughput; BENCH_REQUESTS=200000
//   requests in the backend part; BENCH_TIME_MS=1000 per task over BENCH_ROUNDS=5 rounds)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { init, Cache } from '../js/entry.node.js';
import { RedisStore } from '../js/store/index.js';
import { startRedis } from '../tests/support/redis-engines.js';
import { connect } from '../tests/support/redis-clients.js';
import { medianRounds, writeResults } from './rounds.js';
import { zipfTrace } from './zipf.js';

const results = {};

// ---------------------------------------------------------------------------------------------
// Backend calls. One trace of Zipf(0.9) requests over KEYS keys, dealt round-robin to the
// instances (a load balancer's spread), one request per simulated ms: TTL_MS makes every hot key
// expire many times in the run. The stale-if-error window keeps expired copies in redis
// (their store TTL runs to its end) so that redis's real-time expiry never meets the simulated
// clock; neither tier serves them without an error, so they change no count here.
// 'one at a time': every request, and what it writes behind, done before the next: the counts
// are the same on every run. 'all 4 at once': one request per instance at the same moment, then
// the next 4: instances that miss the same key race for it, and the shared tier's lease lets one
// fetch while the others wait for its value (polled every ms here, as the fetcher answers at
// once); these counts may vary a little from run to run with which call reaches redis first.
const KEYS = 10_000;
const L1_ENTRIES = 500;
const INSTANCES = 4;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const TTL_MS = 60_000;
const LIFE = { ttlMs: TTL_MS, staleIfErrorMs: 3_600_000 };

async function backendCalls(engine, shared, together = false) {
  let now = 1_000_000;
  const clock = () => now;
  let calls = 0;
  const fetcher = async ({ key }) => {
    calls++;
    return { key, body: 'x'.repeat(200) };
  };
  const pending = [];
  const clients = [];
  const caches = [];
  for (let i = 0; i < INSTANCES; i++) {
    let store;
    if (shared) {
      const c = await connect('ioredis', engine);
      clients.push(c);
      // A deadline of 1 s, not 50 ms: a store call given up on a loaded machine would become a
      // backend call, and the counts would vary from run to run.
      store = new RedisStore(c.client, { prefix: 'zipf:', deadlineMs: 1000 });
    }
    caches.push(new Cache({
      maxEntries: L1_ENTRIES, clock, seed: i + 1, ...LIFE,
      ...(store && { shared: store, sharedOptions: { leasePollMs: 1 }, waitUntil: (p) => pending.push(p) }),
    }));
  }
  const trace = zipfTrace(0.9, KEYS, REQUESTS, 21);
  const request = (n) => caches[n % INSTANCES].getOrFetch(`/api/items/${trace[n]}`, fetcher);
  const step = together ? INSTANCES : 1;
  for (let n = 0; n < REQUESTS; n += step) {
    now = 1_000_000 + n;
    if (together) await Promise.all(caches.map((_, i) => request(n + i)));
    else await request(n);
    while (pending.length > 0) await pending.shift();
  }
  const stats = caches.map((c) => c.stats());
  const sum = (f) => stats.reduce((n, s) => n + f(s), 0);
  const row = {
    backendCalls: calls,
    l1Hits: sum((s) => s.hits),
    sharedHits: shared ? sum((s) => s.shared.hits) : 0,
    // Any of these would make the run depend on timing: printed so that a run with some shows it.
    storeFailures: shared ? sum((s) => s.shared.errors + s.shared.timeouts + s.shared.skips) : 0,
    leaseWaits: shared ? sum((s) => s.shared.leaseWaits) : 0,
  };
  for (const c of caches) c.dispose();
  for (const c of clients) await c.close();
  if (shared) await engine.server.command('FLUSHALL');
  return row;
}

async function backend(engine) {
  const rows = {
    'L1 only': await backendCalls(engine, false),
    'L1 + shared tier, one at a time': await backendCalls(engine, true),
    [`L1 + shared tier, all ${INSTANCES} at once`]: await backendCalls(engine, true, true),
  };
  const ratio = rows['L1 + shared tier, one at a time'].backendCalls / rows['L1 only'].backendCalls;
  console.log(`\nBackend calls: ${REQUESTS.toLocaleString('en')} requests, Zipf(0.9) over ${KEYS.toLocaleString('en')} keys (seeded), ` +
    `dealt round-robin to ${INSTANCES} instances of ${L1_ENTRIES} L1 entries each, 1 request per ms (injected clock), ttl ${TTL_MS / 1000} s`);
  console.table(Object.fromEntries(Object.entries(rows).map(([name, r]) => [name, {
    'backend calls': r.backendCalls.toLocaleString('en'),
    'x L1 only': (r.backendCalls / rows['L1 only'].backendCalls).toFixed(3),
    'L1 hits': r.l1Hits.toLocaleString('en'),
    'shared-tier hits': r.sharedHits.toLocaleString('en'),
    'store failures': r.storeFailures,
    'lease waits': r.leaseWaits,
  }])));
  console.log(`shared tier (one at a time) / L1 only: ${ratio.toFixed(3)} of the backend calls (target: at most 0.333)`);
  results.backend = { requests: REQUESTS, keys: KEYS, l1Entries: L1_ENTRIES, instances: INSTANCES, ttlMs: TTL_MS, rows, ratio };
}

// ---------------------------------------------------------------------------------------------
// An L1 miss served by the shared tier. SET_KEYS keys, written to redis by each contender before
// timing, requested in turn through an L1 of L1_TINY entries: every read misses L1 and hits L2,
// and its value is copied into L1 (evicting another). Same value (about VALUE_BYTES of JSON),
// JSON on both sides, the same ioredis client. The fetchers are never meant to run; their calls
// are counted and printed (a store call that failed would have made one).
// edgeguard: RedisStore with its breaker's defaults and a deadline of 1 s per call (see
// edgeguard() below), the invalidation log read once a second (generationCheckMs), leases on
// (taken only before a fetch); policy tinylfu (the default) and lru.
// bentocache: its defaults (L1 entries kept serialized, no grace, no bus, no L2 deadline), and its
// L2 circuit breaker on (l2CircuitBreakerDuration; off by default), as edgeguard's always is.
const SET_KEYS = 1000;
const L1_TINY = 10;
const VALUE_BYTES = 1024;
const IN_FLIGHT = 64;
const TIME = Number(process.env.BENCH_TIME_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HOUR_MS = 3_600_000;

function value(i) {
  const v = { id: i, name: `item ${i}`, tags: ['a', 'b', 'c'], price: 12.5, body: '' };
  v.body = 'y'.repeat(VALUE_BYTES - JSON.stringify(v).length);
  return v;
}

async function edgeguard(client, keys, fetcher, policy) {
  const pending = [];
  // A deadline of 1 s rather than the default 50 ms: bentocache's L2 calls have none, and on a
  // loaded machine a read given up at 50 ms becomes a fetch, which is not what is measured here
  // (fetches are counted and printed all the same).
  const store = new RedisStore(client, { prefix: `eg-${policy}:`, deadlineMs: 1000 });
  const cache = new Cache({ maxEntries: L1_TINY, policy, shared: store, waitUntil: (p) => pending.push(p) });
  // One write at a time: a burst of them, issued in one synchronous loop, outlasts their deadline.
  for (let i = 0; i < SET_KEYS; i++) {
    cache.set(keys[i], value(i), { ttlMs: HOUR_MS });
    await Promise.all(pending.splice(0));
  }
  return { cache, read: (key) => cache.getOrFetch(key, fetcher, { ttlMs: HOUR_MS }) };
}

async function bentocache(client, keys, fetcher) {
  const bento = new BentoCache({
    default: 'c',
    l2CircuitBreakerDuration: '10s',
    stores: { c: bentostore().useL1Layer(memoryDriver({ maxItems: L1_TINY })).useL2Layer(redisDriver({ connection: client })) },
  });
  for (let i = 0; i < SET_KEYS; i++) await bento.set({ key: keys[i], value: value(i), ttl: HOUR_MS });
  return { read: (key) => bento.getOrSet({ key, factory: fetcher, ttl: HOUR_MS }) };
}

async function throughput(engine) {
  const { client, close } = await connect('ioredis', engine);
  const keys = Array.from({ length: SET_KEYS }, (_, i) => `/api/items/${i}`);
  let fetched = 0;
  const fetcher = async () => { fetched++; return value(-1); };
  // TinyLFU (the default) may turn a copy away from L1; LRU, as bentocache's lru-cache, always
  // takes it and evicts another.
  const contenders = {
    'edgeguard (tinylfu)': await edgeguard(client, keys, fetcher, 'tinylfu'),
    'edgeguard (lru)': await edgeguard(client, keys, fetcher, 'lru'),
    bentocache: await bentocache(client, keys, fetcher),
  };
  // Each contender walks the keys in its own turn, so none meets one another just read.
  const tasks = {};
  for (const [name, { read }] of Object.entries(contenders)) {
    let i = 0;
    const next = () => keys[(i = (i + 1) % SET_KEYS)];
    tasks[`${name}, sequential`] = async () => { for (let n = 0; n < IN_FLIGHT; n++) await read(next()); };
    tasks[`${name}, ${IN_FLIGHT} in flight`] = () => Promise.all(Array.from({ length: IN_FLIGHT }, () => read(next())));
  }
  const ops = await medianRounds(tasks, { rounds: ROUNDS, timeMs: TIME, batch: IN_FLIGHT, rotate: 1 });
  const timedFetches = fetched;

  // Every read an L2 hit in one round trip: the commands redis was sent (a script's own calls are
  // not sent: EVALSHA counts once) over one pass of the keys each, apart from timing.
  const sent = {};
  for (const [name, { read }] of Object.entries(contenders)) {
    await engine.server.command('CONFIG', 'RESETSTAT');
    for (const key of keys) await read(key);
    const info = await engine.server.command('INFO', 'commandstats');
    const calls = (command) => Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    const scripts = calls('evalsha');
    sent[name] = scripts > 0 ? `${scripts} EVALSHA` : `${calls('get')} GET`;
  }

  console.log(`\nAn L1 miss served by the shared tier: ${SET_KEYS} keys through an L1 of ${L1_TINY}, values of ${VALUE_BYTES} bytes of JSON, ` +
    'one ioredis client on loopback (x: against bentocache)');
  const modes = ['sequential', `${IN_FLIGHT} in flight`];
  const rows = Object.fromEntries(Object.keys(contenders).map((name) => [name, Object.fromEntries(modes.map((mode) => [mode, {
    ops: Math.round(ops[`${name}, ${mode}`]), ratio: +(ops[`${name}, ${mode}`] / ops[`bentocache, ${mode}`]).toFixed(3),
  }]))]));
  console.table(Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, {
    ...Object.fromEntries(modes.flatMap((mode) => [[`ops/s, ${mode}`, row[mode].ops.toLocaleString('en')], [`x, ${mode}`, row[mode].ratio.toFixed(2)]])),
    [`redis commands per ${SET_KEYS} reads`]: sent[name],
    'L1 hits': contenders[name].cache?.stats().hits ?? '-',
    'store failures': ((s) => (s ? s.errors + s.timeouts + s.skips : '-'))(contenders[name].cache?.stats().shared),
  }])));
  console.log(`fetcher calls while timed: ${timedFetches} (0 expected: every read is an L2 hit)`);
  results.throughput = { setKeys: SET_KEYS, l1Entries: L1_TINY, valueBytes: VALUE_BYTES, inFlight: IN_FLIGHT, rows, redisCommands: sent, fetches: timedFetches };
  for (const { cache } of Object.values(contenders)) cache?.dispose();
  await close();
}

// BENCH_PARTS=backend,throughput picks parts (both by default), each run in a process of its own.
const parts = process.env.BENCH_PARTS?.split(',');
if (parts === undefined) {
  for (const part of ['backend', 'throughput']) {
    const { status } = spawnSync(process.execPath, [fileURLToPath(import.meta.url)],
      { stdio: 'inherit', env: { ...process.env, BENCH_PARTS: part } });
    if (status !== 0) process.exit(status ?? 1);
  }
} else {
  await init();
  const engine = await startRedis();
  try {
    if (parts.includes('backend')) await backend(engine);
    if (parts.includes('throughput')) await throughput(engine);
  } finally {
    await engine.stop();
  }
  await writeResults('cache-shared', results, { merge: true });
}
