// Shared rate limits on one redis-server on loopback (started here, stopped after), one process:
// edgeguard's RateLimiter with a store, mode 'exact' and 'local-first', on RedisStore (node-redis
// and ioredis) against rate-limiter-flexible's RateLimiterRedis on the same clients, and on
// UpstashStore against @upstash/ratelimit, both through the Upstash-REST-compatible server
// (tests/support/upstash-rest-server.js) in front of the same redis-server.
//   1. One check on one instance: checks/s awaited one after another with p50 / p99, and checks/s
//      with 64 in flight; under the limit (1,000 keys) and over it (one key refused).
//   2. A flood: 4 instances (4 limiter objects in this process, each with its own client) send
//      10x the limit to one key for a few windows, paced in real time: commands per 1,000 checks
//      counted on the server (MONITOR and INFO commandstats), and what each let through.
//   3. local-first's overshoot: what it let through beyond 'exact' under the same flood, as a
//      percentage of the limit; in real time and on an injected clock.
//   4. Server time per check (INFO commandstats), one at a time and 64 in flight.
// Prints ratios; writes bench/results/shared.json.
//   node bench/shared.bench.js   (BENCH_TIME_MS=1000 per task over BENCH_ROUNDS=5 rounds;
//                                 BENCH_ONLY=<regex>: only the edgeguard contenders matching it;
//                                 BENCH_PEERS=<regex>: only the peers matching it;
//                                 BENCH_CASES=<regex>: only the cases whose title matches it)
//   e.g. exact against rate-limiter-flexible on the same clients, one check only:
//   BENCH_ONLY='exact, (ioredis|node-redis)' BENCH_PEERS='^rate-limiter-flexible RateLimiterRedis, (ioredis|node-redis)$'
//   BENCH_CASES='^One check' node bench/shared.bench.js
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { init, RateLimiter } from '../js/entry.node.js';
import { RedisStore, UpstashStore } from '../js/store/index.js';
import { startRedis } from '../tests/support/redis-engines.js';
import { startUpstashRest } from '../tests/support/upstash-rest-server.js';
import { connect } from '../tests/support/redis-clients.js';
import { seededRandom } from '../web-demo/seeded-random.js';
import { countCommands } from './server-commands.js';
import { latencyRounds, medianRounds, writeResults } from './rounds.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 64;
const engine = await startRedis();
const rest = await startUpstashRest(engine);
const closers = [];
const results = {};

// Every contender is a `make(prefix, { limit, windowMs })` that resolves with one instance, on a
// client of its own: check(key) resolves true (allowed) or false; edgeguard's also count the
// answers that came from its fallback rather than the store.
async function client(kind) {
  const c = await connect(kind, engine);
  closers.push(() => c.close());
  return c.client;
}

const rlf = (kind, { blockInMemory = false } = {}) => async (prefix, { limit, windowMs }) => {
  const limiter = new RateLimiterRedis({
    storeClient: await client(kind), useRedisPackage: kind === 'node-redis', keyPrefix: prefix, points: limit, duration: windowMs / 1000,
    ...(blockInMemory && { inMemoryBlockOnConsumed: limit }),
  });
  return {
    async check(key) {
      try {
        await limiter.consume(key);
        return true;
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        return false;
      }
    },
  };
};

// One @upstash/redis client per instance, as a serverless function has (no retries: see UpstashStore).
const upstashClient = (options) => new UpstashRedis({ url: rest.url, token: rest.token, ...options });

const stores = {
  'node-redis': async (prefix) => new RedisStore(await client('node-redis'), { prefix }),
  ioredis: async (prefix) => new RedisStore(await client('ioredis'), { prefix }),
  UpstashStore: async (prefix) => new UpstashStore(upstashClient({ retry: false }), { prefix }),
};

const edgeguard = (kind, mode, clock) => async (prefix, { limit, windowMs }) => {
  const store = await stores[kind](prefix);
  // A deadline of 1 s rather than the default 50 ms: the peers wait as long as the store takes
  // (@upstash/ratelimit up to 5 s), and on a loaded machine a 50 ms deadline lets the local
  // fallback answer, which is not what is measured here. Fallback answers are counted and
  // printed all the same, so a run where the store fell behind shows it.
  const limiter = new RateLimiter({
    policies: [{ name: 'p', limit, windowMs }], store, mode, deadlineMs: 1000, headers: false, ...(clock && { clock }),
  });
  closers.push(() => { limiter.dispose(); store.close?.(); });
  return { check: async (key) => (await limiter.check(key)).allowed, fallbacks: () => limiter.stats().sources.fallback };
};

// @upstash/ratelimit as its README sets it up: defaults (ephemeral cache of blocked keys on,
// analytics off, the client's retries), one @upstash/redis client per instance.
const upstash = (algorithm) => async (prefix, { limit, windowMs }) => {
  const window = `${windowMs} ms`;
  const limiter = {
    slidingWindow: () => Ratelimit.slidingWindow(limit, window),
    fixedWindow: () => Ratelimit.fixedWindow(limit, window),
    tokenBucket: () => Ratelimit.tokenBucket(limit, window, limit),
  }[algorithm]();
  const ratelimit = new Ratelimit({ redis: upstashClient(), limiter, prefix });
  return { check: async (key) => (await ratelimit.limit(key)).success };
};

// The flood (section 2): 10x this limit from 4 instances for a few windows.
const INSTANCES = 4;
const FLOOD = { limit: 100, windowMs: 1000 };
const WINDOWS = 4;
// Contenders run in the flood only: the same path as another under the limit.
const FLOOD_ONLY = /fixedWindow|tokenBucket/;

const all = {
  'rate-limiter-flexible RateLimiterRedis, ioredis': rlf('ioredis'),
  'rate-limiter-flexible RateLimiterRedis, node-redis': rlf('node-redis'),
  // Its answer to floods: a key found over its limit is refused in memory until its window ends.
  'rate-limiter-flexible RateLimiterRedis + inMemoryBlockOnConsumed, ioredis': rlf('ioredis', { blockInMemory: true }),
  'edgeguard exact, ioredis': edgeguard('ioredis', 'exact'),
  'edgeguard exact, node-redis': edgeguard('node-redis', 'exact'),
  'edgeguard local-first, ioredis': edgeguard('ioredis', 'local-first'),
  'edgeguard local-first, node-redis': edgeguard('node-redis', 'local-first'),
  '@upstash/ratelimit slidingWindow, REST': upstash('slidingWindow'),
  '@upstash/ratelimit fixedWindow, REST': upstash('fixedWindow'),
  '@upstash/ratelimit tokenBucket, REST': upstash('tokenBucket'),
  'edgeguard exact, UpstashStore, REST': edgeguard('UpstashStore', 'exact'),
  'edgeguard local-first, UpstashStore, REST': edgeguard('UpstashStore', 'local-first'),
};
// BENCH_ONLY=<regex>: only edgeguard's contenders whose name matches; BENCH_PEERS: the same for
// the others (a ratio whose peer did not run prints NaN).
const only = new RegExp(process.env.BENCH_ONLY ?? '');
const peers = new RegExp(process.env.BENCH_PEERS ?? '');
const contenders = Object.fromEntries(Object.entries(all).filter(([name]) => (name.startsWith('edgeguard') ? only : peers).test(name)));
// BENCH_CASES=<regex>: only the cases whose title ('One check, <label>', 'Flood', 'local-first overshoot') matches.
const cases = new RegExp(process.env.BENCH_CASES ?? '');
// Ratios: edgeguard over UpstashStore against @upstash/ratelimit's slidingWindow; all else
// against rate-limiter-flexible on the same client (on ioredis for @upstash/ratelimit).
const peerOf = (name) => {
  if (name.includes('UpstashStore')) return '@upstash/ratelimit slidingWindow, REST';
  return `rate-limiter-flexible RateLimiterRedis, ${name.includes('node-redis') ? 'node-redis' : 'ioredis'}`;
};
const ratio = (name, value, of) => (value / of[peerOf(name)]).toFixed(2);

// ---------------------------------------------------------------------------------------------
// 1. One check, on one instance: under the limit (1,000 keys in a seeded order, a limit no key
// reaches: the allowed path), on a key never seen before (every check: no lease to answer
// from), and over the limit (one key refused, as in a flood: the refusing path).
async function oneCheck(label, { keys, limit, allowed }) {
  let next;
  if (typeof keys === 'function') {
    next = keys;
  } else {
    const rand = seededRandom(7);
    const order = Uint16Array.from({ length: 1 << 16 }, () => Math.floor(rand() * keys.length));
    let i = 0;
    next = () => keys[order[(i++) & 0xffff]];
  }
  const one = {};
  const many = {};
  const fallbacks = {};
  const unexpected = {};  // answers other than `allowed` in the sequential run
  for (const [name, make] of Object.entries(contenders)) {
    if (FLOOD_ONLY.test(name)) continue;
    const { check, fallbacks: counted } = await make(`${label.replace(/\W+/g, '')}${Object.keys(one).length}:`, { limit, windowMs: 60_000 });
    // Every key of a set seen twice before timing: known (leased), or over a limit of 1.
    for (let n = 0; n < 2 && Array.isArray(keys); n++) for (const key of keys) await check(key);
    unexpected[name] = 0;
    one[name] = async () => {
      if (await check(next()) !== allowed) unexpected[name]++;
    };
    many[name] = () => Promise.all(Array.from({ length: IN_FLIGHT }, () => check(next())));
    fallbacks[name] = counted;
  }
  const latency = await latencyRounds(one, { rounds: ROUNDS, timeMs: TIME });
  const rates = Object.fromEntries(Object.entries(latency).map(([name, r]) => [name, r.callsPerSecond]));
  const parallel = await medianRounds(many, { rounds: ROUNDS, timeMs: TIME, batch: IN_FLIGHT, rotate: 1 });
  console.log(`\nOne check, ${label}: awaited one after another, and ${IN_FLIGHT} in flight (x: against rate-limiter-flexible on the same client, or on ioredis for @upstash/ratelimit; edgeguard on UpstashStore against @upstash/ratelimit slidingWindow)`);
  console.table(Object.fromEntries(Object.entries(latency).map(([name, r]) => [name, {
    'checks/s': Math.round(r.callsPerSecond).toLocaleString('en'),
    x: ratio(name, r.callsPerSecond, rates),
    'p50 ms': r.p50.toFixed(3),
    'p99 ms': r.p99.toFixed(3),
    [`checks/s, ${IN_FLIGHT} in flight`]: Math.round(parallel[name]).toLocaleString('en'),
    [`x, ${IN_FLIGHT} in flight`]: ratio(name, parallel[name], parallel),
    [allowed ? 'refused' : 'allowed']: unexpected[name],
    'fallback answers': fallbacks[name]?.() ?? '-',
  }])));
  return Object.fromEntries(Object.entries(latency).map(([name, r]) => [name, {
    ...r, unexpected: unexpected[name], fallbacks: fallbacks[name]?.(), peer: peerOf(name), vsPeer: +ratio(name, r.callsPerSecond, rates),
    inFlightCallsPerSecond: parallel[name], inFlightVsPeer: +ratio(name, parallel[name], parallel),
  }]));
}

const oneCheckCase = (label, options) => (cases.test(`One check, ${label}`) ? oneCheck(label, options) : undefined);
// 10^7 per window: never reached here, and within what GCRA counts exactly at wall-clock times
// (at 10^9 per minute the time unit is 1/50000 ms and a call's 3 units vanish in rounding).
results.underTheLimit = await oneCheckCase('1,000 keys under the limit', {
  keys: Array.from({ length: 1000 }, (_, i) => `ip:10.0.${i >> 8}.${i & 255}`), limit: 10_000_000, allowed: true,
});
let fresh = 0;
results.newKeys = await oneCheckCase('a new key every check', { keys: () => `new:${fresh++}`, limit: 100, allowed: true });
results.overTheLimit = await oneCheckCase('one key over its limit (1 per minute)', { keys: ['flooded'], limit: 1, allowed: false });

// ---------------------------------------------------------------------------------------------
// 2. The flood: 4 instances, one key, 10x the limit for WINDOWS windows, in real time (every
// peer reads Date.now). Checks are sent on schedule without waiting for earlier answers, so a
// slower contender is not sent fewer.
async function flood(make, prefix) {
  const instances = await Promise.all(Array.from({ length: INSTANCES }, () => make(prefix, FLOOD)));
  const total = 10 * FLOOD.limit * WINDOWS;
  const spacingMs = (FLOOD.windowMs * WINDOWS) / total;
  const counter = await countCommands(engine.server);
  const restBefore = rest.stats().requests;
  const answers = [];
  const allowedAt = [];  // when each allowed check was sent, in ms from the start
  let failed = 0;
  const start = performance.now();
  for (let sent = 0; sent < total;) {
    while (sent < total && start + sent * spacingMs <= performance.now()) {
      const at = sent * spacingMs;
      answers.push(instances[sent % INSTANCES].check('flooded').then((ok) => { if (ok) allowedAt.push(at); }, () => { failed++; }));
      sent++;
    }
    await sleep(1);
  }
  await Promise.all(answers);
  await sleep(300);  // what is sent in the background after the answers (leases returned) counts too
  const { sent, inScripts, byName } = await counter.stop();
  const restRequests = rest.stats().requests - restBefore;
  const fallbacks = instances[0].fallbacks && instances.reduce((n, instance) => n + instance.fallbacks(), 0);
  return { checks: total, ...tally(allowedAt), failed, fallbacks, restRequests, sent, inScripts, byName };
}

// What was allowed: in all, in each window from the start, and the most in any span of one window.
function tally(allowedAt) {
  const times = allowedAt.sort((a, b) => a - b);
  const perWindow = new Array(WINDOWS).fill(0);
  for (const t of times) perWindow[Math.floor(t / FLOOD.windowMs)]++;
  let worstSpan = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= FLOOD.windowMs) lo++;
    worstSpan = Math.max(worstSpan, hi - lo + 1);
  }
  return { allowed: times.length, perWindow, worstSpan };
}

const floods = {};
for (const [name, make] of Object.entries(contenders)) {
  if (name.includes('node-redis')) continue;  // the same commands as on ioredis
  if (cases.test('Flood')) floods[name] = await flood(make, `flood${Object.keys(floods).length}:`);
}
if (cases.test('Flood')) {
  console.log(`\nFlood: ${INSTANCES} limiter objects in one process, each with its own client, one key, 10x a limit of ${FLOOD.limit} per ${FLOOD.windowMs} ms for ${WINDOWS} windows; commands counted on the server`);
  console.table(Object.fromEntries(Object.entries(floods).map(([name, f]) => [name, {
    'commands sent per 1,000 checks': Math.round((1000 * f.sent) / f.checks),
    'incl. run inside scripts': Math.round((1000 * (f.sent + f.inScripts)) / f.checks),
    'HTTP requests per 1,000 checks': f.restRequests ? Math.round((1000 * f.restRequests) / f.checks) : '-',
    allowed: `${f.allowed} of ${f.checks}`,
    'allowed in each window': f.perWindow.join(' '),
    [`most in any ${FLOOD.windowMs} ms`]: f.worstSpan,
    failed: f.failed,
    'fallback answers': f.fallbacks ?? '-',
    commands: Object.entries(f.byName).map(([c, n]) => `${c} ${n}`).join(', '),
  }])));
  results.flood = { ...FLOOD, windows: WINDOWS, instances: INSTANCES, contenders: floods };
}

// ---------------------------------------------------------------------------------------------
// 3. Overshoot of local-first: what it let through beyond 'exact' under the same flood, in % of
// the limit; in real time (the flood above) and on an injected clock that steps
// 1 ms per check whatever the machine's load (the store still answers in real time, so leases
// renew while the simulated flood runs on).
async function simulatedFlood(mode, prefix) {
  const clock = () => clock.now;
  clock.now = Date.now();
  const start = clock.now;
  const make = edgeguard('ioredis', mode, clock);
  const instances = await Promise.all(Array.from({ length: INSTANCES }, () => make(prefix, FLOOD)));
  const total = 10 * FLOOD.limit * WINDOWS;
  const spacingMs = (FLOOD.windowMs * WINDOWS) / total;
  const allowedAt = [];
  for (let i = 0; i < total; i++) {
    clock.now = start + Math.floor(i * spacingMs);
    if (await instances[i % INSTANCES].check('flooded')) allowedAt.push(clock.now - start);
    await new Promise(setImmediate);  // lets answers from the store in, as a server's other work would
  }
  return { ...tally(allowedAt), fallbacks: instances.reduce((n, instance) => n + instance.fallbacks(), 0) };
}

// In % of the limit: beyond exact in all (per window), and in the window where local-first went
// furthest beyond it.
const percent = (units) => (100 * units) / FLOOD.limit;
const overshoot = (local, exact) => ({
  total: percent((local.allowed - exact.allowed) / WINDOWS),
  worstWindow: percent(Math.max(...local.perWindow.map((n, k) => n - exact.perWindow[k]))),
});
if (floods['edgeguard exact, ioredis'] && floods['edgeguard local-first, ioredis'] && cases.test('local-first overshoot')) {
  const rows = {
    'real time (the flood above)': [floods['edgeguard local-first, ioredis'], floods['edgeguard exact, ioredis']],
    'injected clock, 1 ms per check': [await simulatedFlood('local-first', 'simlf:'), await simulatedFlood('exact', 'simex:')],
  };
  console.log(`\nlocal-first overshoot: allowed beyond exact under the same flood (${INSTANCES} instances, 10x a limit of ${FLOOD.limit} per ${FLOOD.windowMs} ms, ${WINDOWS} windows), in % of the limit`);
  console.table(Object.fromEntries(Object.entries(rows).map(([name, [local, exact]]) => [name, {
    'local-first allowed (each window)': `${local.allowed} (${local.perWindow.join(' ')})`,
    'exact allowed (each window)': `${exact.allowed} (${exact.perWindow.join(' ')})`,
    'beyond exact, per window': `${overshoot(local, exact).total.toFixed(1)}%`,
    'beyond exact, worst window': `${overshoot(local, exact).worstWindow.toFixed(1)}%`,
    [`most in any ${FLOOD.windowMs} ms (local-first, exact)`]: `${local.worstSpan}, ${exact.worstSpan}`,
    'fallback answers (local-first, exact)': `${local.fallbacks}, ${exact.fallbacks}`,
  }])));
  results.overshoot = Object.fromEntries(Object.entries(rows).map(([name, [local, exact]]) => [name, {
    localFirst: local, exact, percentOfLimit: overshoot(local, exact),
  }]));
}

// ---------------------------------------------------------------------------------------------
// 4. Server time per check: what redis-server spends on each contender's checks (INFO
// commandstats' usec of EVALSHA, which includes the commands its script runs), under the limit
// on 1,000 keys, checks awaited one after another (one script call each) and 64 in flight (where
// edgeguard's exact mode sends a stretch's checks as one CHECK_MANY).
async function serverTime(make, prefix) {
  const { check } = await make(prefix, { limit: 10_000_000, windowMs: 60_000 });
  const keys = Array.from({ length: 1000 }, (_, i) => `ip:10.0.${i >> 8}.${i & 255}`);
  for (const key of keys) await check(key);  // every key known, every script loaded
  const usecPerCheck = async (run, checks) => {
    await engine.server.command('CONFIG', 'RESETSTAT');
    await run();
    const stats = await engine.server.command('INFO', 'commandstats');
    const [, calls, usec] = /^cmdstat_evalsha:calls=(\d+),usec=(\d+)/m.exec(stats) ?? [0, 0, 0];
    return { usec: Number(usec) / checks, calls: Number(calls) / checks };
  };
  const N = 20_000;
  const one = await usecPerCheck(async () => { for (let i = 0; i < N; i++) await check(keys[i % 1000]); }, N);
  const many = await usecPerCheck(async () => {
    for (let i = 0; i < N; i += IN_FLIGHT) await Promise.all(Array.from({ length: IN_FLIGHT }, (_, k) => check(keys[(i + k) % 1000])));
  }, N);
  return { one, many };
}
if (cases.test('Server time')) {
  const timed = {};
  for (const [name, make] of Object.entries(contenders)) {
    if (name.includes('node-redis') || name.includes('REST') || FLOOD_ONLY.test(name) || name.includes('inMemoryBlock')) continue;
    timed[name] = await serverTime(make, `st${Object.keys(timed).length}:`);
  }
  console.log(`\nServer time per check (INFO commandstats, EVALSHA incl. what its script runs), 1,000 keys under the limit`);
  console.table(Object.fromEntries(Object.entries(timed).map(([name, t]) => [name, {
    'us per check, one at a time': t.one.usec.toFixed(2),
    'script calls per check': t.one.calls.toFixed(2),
    [`us per check, ${IN_FLIGHT} in flight`]: t.many.usec.toFixed(2),
    [`script calls per check, ${IN_FLIGHT} in flight`]: t.many.calls.toFixed(3),
  }])));
  results.serverTime = timed;
}

// A filtered run leaves the full run's results alone.
const filtered = ['BENCH_ONLY', 'BENCH_PEERS', 'BENCH_CASES'].some((name) => process.env[name]);
if (!filtered) await writeResults('shared', results);
for (const close of closers) await close();
await rest.stop();
await engine.stop();
