// Properties of Cache: under a monotonic clock nothing is fresh after its ttl or stale after
// its window; impossible clocks are errors, never answers; keys, sizes, tags and snapshots are
// checked; restore is all or nothing; getOrFetch never crashes the process or rejects unhandled.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Cache, CacheError } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attempt, attemptAsync, describe, driveTimers, UserFailure, USER_REJECTION } from './verdict.js';
import { Clock, option, wrongType, edgeNumber, anyKey, impossibleReading, extremeReading, loneSurrogateString, payload } from './hostile.js';
import { assertCanaries } from './canary.js';

const POLICIES = ['tinylfu', 'lru', 'lfu', 'fifo'];
const lifetime = fc.record({
  ttlMs: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(Infinity)),
  staleWhileRevalidateMs: fc.integer({ min: 0, max: 100 }),
  staleIfErrorMs: fc.integer({ min: 0, max: 100 }),
  ageMs: fc.integer({ min: 0, max: 50 }),
});
const op = fc.oneof(
  fc.record({ op: fc.constant('set'), key: fc.constantFrom('a', 'b', 'c'), lifetime }),
  fc.record({ op: fc.constantFrom('get', 'peek', 'has', 'delete'), key: fc.constantFrom('a', 'b', 'c') }),
  fc.record({ op: fc.constant('advance'), dt: fc.integer({ min: 0, max: 80 }) }),
);

/** What get() must answer for `entry` at `now`: fresh, stale or nothing, and the age. */
function expected(entry, now) {
  if (!entry) return undefined;
  const age = Math.max(0, now - entry.at) + entry.ageMs;
  if (age < entry.ttlMs) return { state: 'fresh', ageMs: age };
  if (age < entry.ttlMs + entry.staleWhileRevalidateMs) return { state: 'stale', ageMs: age };
  return undefined;
}

property('monotonic clock: get/peek/has answer exactly what the ttl and stale windows say',
  [fc.constantFrom(...POLICIES), fc.array(op, { maxLength: 40 })], (policy, ops) => {
    const clock = new Clock();
    clock.now = 1000;
    const cache = new Cache({ maxEntries: 100, policy, clock: clock.read, seed: 1 });
    const model = new Map();
    try {
      for (const o of ops) {
        if (o.op === 'advance') clock.now += o.dt;
        else if (o.op === 'set') {
          const entry = { ...o.lifetime, at: clock.now, value: `${o.key}@${clock.now}` };
          const { ttlMs, staleWhileRevalidateMs, staleIfErrorMs, ageMs } = o.lifetime;
          const dead = ageMs >= ttlMs + Math.max(staleWhileRevalidateMs, staleIfErrorMs);
          const stored = cache.set(o.key, entry.value, o.lifetime);
          // Refusing an entry that is dead on arrival is fine; with room to spare, nothing else.
          if (!dead) assert.equal(stored, true, 'set refused with room to spare');
          if (stored) model.set(o.key, entry);
          else model.delete(o.key);
        } else if (o.op === 'delete') {
          const want = model.has(o.key) && expected(model.get(o.key), clock.now) !== undefined;
          const got = cache.delete(o.key);
          if (want) assert.equal(got, true, `delete(${o.key}) of a live entry`);
          model.delete(o.key);
        } else {
          const want = expected(model.get(o.key), clock.now);
          const got = cache[o.op](o.key);
          if (o.op === 'has') {
            assert.equal(got, want !== undefined, `has(${o.key}) at ${clock.now}: ${JSON.stringify(model.get(o.key))}`);
          } else {
            const seen = got && { state: got.state, ageMs: got.ageMs };
            assert.deepEqual(seen, want, `${o.op}(${o.key}) at ${clock.now}: ${JSON.stringify(model.get(o.key))}`);
            if (got) assert.equal(got.value, model.get(o.key).value);
          }
          if (want === undefined && o.op === 'get') model.delete(o.key);
        }
      }
    } finally {
      cache.dispose();
    }
  }, { numRuns: 300 });

const reader = fc.constantFrom('get', 'peek', 'has', 'set', 'snapshot', 'prune', 'getOrFetch', 'restore');
async function read(cache, name) {
  switch (name) {
    case 'set': return cache.set('k', 'new');
    case 'snapshot': return cache.snapshot();
    case 'prune': return cache.prune();
    case 'restore': return cache.restore({ version: 1, entries: [{ key: 'r', value: 1, ageMs: 0, ttlMs: 10, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, size: 1 }] });
    case 'getOrFetch': return cache.getOrFetch('k', () => { throw new UserFailure('origin down'); });
    default: return cache[name]('k');
  }
}

property('an impossible clock is a typed error wherever it is read, never a fresh or stale answer',
  [impossibleReading, reader, lifetime], async (reading, name, life) => {
    const clock = new Clock();
    clock.now = 1000;
    const cache = new Cache({ maxEntries: 10, clock: clock.read });
    try {
      cache.set('k', 'old', { ...life, staleIfErrorMs: 100000 });
      clock.now = reading;
      const r = await attemptAsync(async () => read(cache, name), `${name} with the clock at ${String(reading)}`);
      if (r.ok) assert.fail(`${name} answered ${JSON.stringify(r.value)} with an impossible clock reading`);
      clock.now = 1000;
      assert.ok(cache.set('k2', 'v', { ttlMs: 10 }) && cache.get('k2')?.state === 'fresh', 'the cache did not recover');
    } finally {
      cache.dispose();
    }
    assertCanaries();
  }, { numRuns: 200 });

property('extreme clock readings (far past, far future): answers follow the ttl model',
  [extremeReading, extremeReading, lifetime], (setAt, readAt, life) => {
    const clock = new Clock();
    clock.now = setAt;
    const cache = new Cache({ maxEntries: 10, clock: clock.read });
    try {
      const stored = attempt(() => cache.set('k', 'v', life), `set at ${setAt}`);
      if (!stored.ok) return;
      clock.now = readAt;
      const got = attempt(() => cache.get('k'), `get at ${readAt}`);
      if (!got.ok) return;
      const want = expected({ ...life, at: setAt }, readAt);
      if (got.value?.state === 'fresh') assert.equal(want?.state, 'fresh', `fresh at ${readAt} though set at ${setAt} with ${JSON.stringify(life)}`);
      if (got.value) assert.ok(Number.isFinite(got.value.ageMs) && got.value.ageMs >= 0, `ageMs ${got.value.ageMs}`);
    } finally {
      cache.dispose();
    }
  }, { numRuns: 100 });

const entryOptions = fc.record({
  ttlMs: option(fc.integer({ min: 0, max: 1000 })),
  staleWhileRevalidateMs: option(fc.integer({ min: 0, max: 1000 })),
  staleIfErrorMs: option(fc.integer({ min: 0, max: 1000 })),
  ageMs: option(fc.integer({ min: 0, max: 1000 })),
  size: option(fc.integer({ min: 0, max: 300 })),
  tags: option(fc.array(fc.oneof(fc.constantFrom('t', 'u'), loneSurrogateString, fc.constant('é'.repeat(600)), wrongType), { maxLength: 3 })),
}, { requiredKeys: [] });

property('set with random keys, values and options: stored, or a typed error; bounds and stats hold',
  [fc.array(fc.tuple(anyKey, payload, fc.oneof(entryOptions, wrongType)), { maxLength: 12 }), fc.constantFrom(...POLICIES)],
  (sets, policy) => {
    const clock = new Clock();
    const cache = new Cache({ maxEntries: 8, maxBytes: 1000, policy, clock: clock.read, sizeOf: (v) => (typeof v === 'string' ? v.length : 10) });
    try {
      for (const [key, value, options] of sets) {
        clock.now += 1;
        const r = attempt(() => cache.set(key, value, options), `set(${describe(key)})`);
        if (typeof key !== 'string') assert.ok(!r.ok, `set accepted a ${typeof key} key`);
        if (!r.ok && !(r.error instanceof UserFailure)) {
          assert.ok(r.error instanceof CacheError || r.error.code === 'CONFIG_INVALID', `${describe(r.error)} is not a CacheError/ConfigError`);
          if (typeof key !== 'string') assert.equal(r.error.code, 'CACHE_INVALID_KEY');
        }
        if (r.ok && r.value) {
          const got = cache.peek(key);
          if (got) assert.equal(got.value, value, `peek(${describe(key)}) gave another value`);
        }
        const s = cache.stats();
        assert.ok(s.entries <= 8 && s.bytes <= 1000, `stats over bounds: ${JSON.stringify(s)}`);
        assert.equal(s.entries, cache.size, 'stats().entries differs from size');
        assert.deepEqual([...cache.keys()].length, cache.size);
      }
      for (const [key] of sets) attempt(() => cache.invalidate({ key }), 'invalidate');
      attempt(() => cache.invalidate({ tag: 't' }), 'invalidate tag');
    } finally {
      cache.dispose();
    }
    assertCanaries();
  }, { numRuns: 200 });

const snapshotEntry = fc.record({
  key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('s1', 's2', 's3', 's4') }, anyKey),
  value: fc.jsonValue({ maxDepth: 1 }),
  ageMs: option(fc.integer({ min: 0, max: 100 })),
  ttlMs: fc.oneof(fc.constant(null), option(fc.integer({ min: 1, max: 1e6 }))),
  staleWhileRevalidateMs: option(fc.integer({ min: 0, max: 100 })),
  staleIfErrorMs: option(fc.integer({ min: 0, max: 100 })),
  size: option(fc.integer({ min: 0, max: 10 })),
  tags: option(fc.array(fc.constantFrom('t', ''), { maxLength: 2 })),
}, { requiredKeys: ['key', 'value'], noNullPrototype: true });

property('restore is all or nothing: a refused snapshot leaves the cache as it was',
  [fc.array(snapshotEntry, { maxLength: 6 }), fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, wrongType)],
  (entries, junk) => {
    const clock = new Clock();
    clock.now = 1000;
    const cache = new Cache({ maxEntries: 50, maxBytes: 10000, clock: clock.read });
    try {
      cache.set('before', 'kept', { size: 1, ttlMs: 1e6 });
      const snapshot = junk === undefined ? { version: 1, entries } : junk;
      const r = attempt(() => cache.restore(snapshot), 'restore');
      if (!r.ok) {
        assert.deepEqual([...cache.keys()], ['before'], `a refused restore (${r.error.code}) left ${JSON.stringify([...cache.keys()])}`);
        assert.equal(cache.get('before')?.value, 'kept');
      } else {
        assert.ok(Number.isInteger(r.value) && r.value <= entries.length, `restore returned ${r.value}`);
      }
    } finally {
      cache.dispose();
    }
  }, { numRuns: 300 });

const goodSignal = fc.constantFrom('none', 'aborted', 'live');
const badSignal = fc.constantFrom('plain object', 'string', 'fake listener');
function makeSignal(kind) {
  switch (kind) {
    case 'plain object': return {};
    case 'aborted': return AbortSignal.abort(new UserFailure('aborted'));
    case 'live': return new AbortController().signal;
    case 'string': return 'signal';
    case 'fake listener': return { aborted: false, addEventListener() {}, removeEventListener() {} };
    default: return undefined;
  }
}
const fetcherKind = fc.constantFrom('value', 'throws', 'rejects', 'never', 'late', 'non-error');
function makeFetcher(kind, time) {
  return ({ signal: s }) => {
    switch (kind) {
      case 'throws': throw new UserFailure('fetch threw');
      case 'rejects': return Promise.reject(new UserFailure('fetch rejected'));
      case 'non-error': return Promise.reject(USER_REJECTION);
      case 'never': return new Promise(() => {});
      case 'late': return new Promise((resolve, reject) => {
        time.timers.setTimeout(() => resolve('late'), 100);
        s?.addEventListener?.('abort', () => reject(s.reason));
      });
      default: return 'fetched';
    }
  };
}

async function fetchTwice(kind, signalKind, timeoutMs, life, isErrorThrows, dt) {
  const time = new FakeTime();
  time.now = 1000;
  const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers });
  try {
    if (life) cache.set('k', 'old', life);
    time.now += dt;
    if (kind === 'never' && !(Number.isInteger(timeoutMs) && timeoutMs >= 1)) return;  // a hang by request
    const options = { timeoutMs, signal: makeSignal(signalKind), isError: isErrorThrows ? () => { throw new UserFailure('isError'); } : undefined };
    const drive = () => driveTimers(time);
    // The second call coalesces with the first (or is served what the first stored).
    await Promise.all([
      attemptAsync(() => cache.getOrFetch('k', makeFetcher(kind, time), options), 'getOrFetch', drive),
      attemptAsync(() => cache.getOrFetch('k', makeFetcher(kind, time), options), 'getOrFetch (coalesced)', drive),
    ]);
    await drive();  // every timer left behind gets its turn too
  } finally {
    cache.dispose();
  }
  assertCanaries();
}

const fetchCase = (signals) => [fetcherKind, signals, option(fc.integer({ min: 1, max: 1000 })),
  fc.option(lifetime, { nil: undefined }), fc.boolean(), fc.integer({ min: 0, max: 300 })];

property('getOrFetch with random options and fetchers: settles with a value or a typed error; no crash, no unhandled rejection',
  fetchCase(goodSignal), fetchTwice, { numRuns: 300 });

property('getOrFetch with a signal that is not an AbortSignal: a typed error before anything is armed',
  fetchCase(badSignal), fetchTwice, { numRuns: 50 });

const cacheOptions = fc.oneof({ weight: 6, arbitrary: fc.record({
  maxEntries: option(fc.integer({ min: 1, max: 1000 })),
  maxBytes: option(fc.integer({ min: 1, max: 1e6 })),
  ttlMs: option(fc.integer({ min: 0, max: 1e6 })),
  staleWhileRevalidateMs: option(fc.integer({ min: 0, max: 1e6 })),
  staleIfErrorMs: option(fc.integer({ min: 0, max: 1e6 })),
  policy: option(fc.constantFrom(...POLICIES, 'arc')),
  seed: option(fc.nat()),
  maxKeyLength: option(fc.integer({ min: 1, max: 5000 })),
  sizeOf: option(fc.constantFrom(() => 1, () => NaN, () => -1, () => { throw new UserFailure('sizeOf'); }, () => 'big')),
  clock: option(fc.constant(() => 1000)),
  timers: option(fc.constant(new FakeTime().timers)),
  waitUntil: option(fc.constant(() => {})),
}, { requiredKeys: [] }) }, wrongType, edgeNumber);

property('random options: a Cache whose calls answer or throw typed errors', [cacheOptions, anyKey, payload], (options, key, value) => {
  const built = attempt(() => new Cache(options), 'new Cache');
  if (built.ok) {
    const cache = built.value;
    attempt(() => cache.set(key, value), 'set');
    const got = attempt(() => cache.get(key), 'get');
    if (got.ok && got.value) assert.ok(got.value.state === 'fresh' || got.value.state === 'stale');
    attempt(() => cache.stats(), 'stats');
    attempt(() => cache.snapshot(), 'snapshot');
    cache.dispose();
  }
  assertCanaries();
}, { numRuns: 200 });

const KEYS = ['a', 'b', 'c', 'd', 'e', 'ab'];
const boundedOp = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set'), key: fc.constantFrom(...KEYS), size: fc.integer({ min: 0, max: 6 }),
    tags: fc.subarray(['t1', 't2']) }) },
  fc.record({ op: fc.constantFrom('get', 'peek', 'delete'), key: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant('tag'), tag: fc.constantFrom('t1', 't2') }),
  fc.record({ op: fc.constant('prefix'), prefix: fc.constantFrom('a', 'b', '') }),
);

// The reference: keys in eviction order (first out first), with their value, size and tags.
// LRU moves a key to the back on get and on set; FIFO on a first set only, so a replaced key
// that needs room may be the first out itself (set then returns false).
class Model {
  entries = new Map();
  constructor(policy, maxEntries, maxBytes) {
    Object.assign(this, { policy, maxEntries, maxBytes });
  }

  get bytes() {
    return [...this.entries.values()].reduce((s, e) => s + Math.max(1, e.size), 0);
  }

  touch(key) {
    const e = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  set(key, value, size, tags) {
    if (Math.max(1, size) > this.maxBytes) {
      this.entries.delete(key);
      return false;
    }
    if (this.entries.has(key)) {
      Object.assign(this.entries.get(key), { value, size, tags });
      if (this.policy === 'lru') this.touch(key);
    } else {
      this.entries.set(key, { value, size, tags });
    }
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      this.entries.delete(this.entries.keys().next().value);
    }
    return this.entries.has(key);
  }
}

property('lru and fifo: evictions, sizes, tags, prefixes and values follow the reference model exactly',
  [fc.constantFrom('lru', 'fifo'), fc.integer({ min: 1, max: 4 }), fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 12 })),
    fc.array(boundedOp, { maxLength: 40 })], (policy, maxEntries, maxBytes, ops) => {
    const cache = new Cache({ maxEntries, maxBytes: maxBytes === Infinity ? undefined : maxBytes, policy, clock: () => 1 });
    const model = new Model(policy, maxEntries, maxBytes);
    let serial = 0;
    try {
      for (const o of ops) {
        const where = `${JSON.stringify(o)} with ${JSON.stringify([...model.entries.keys()])}`;
        if (o.op === 'set') {
          const value = serial++;
          const stored = cache.set(o.key, value, { size: o.size, tags: o.tags.length ? o.tags : undefined });
          assert.equal(stored, model.set(o.key, value, o.size, o.tags), `set ${where}`);
        } else if (o.op === 'get' || o.op === 'peek') {
          const got = cache[o.op](o.key);
          assert.equal(got?.value, model.entries.get(o.key)?.value, `${o.op} ${where}`);
          if (o.op === 'get' && got && policy === 'lru') model.touch(o.key);
        } else if (o.op === 'delete') {
          assert.equal(cache.delete(o.key), model.entries.delete(o.key), `delete ${where}`);
        } else {
          const hit = [...model.entries].filter(([k, e]) => (o.op === 'tag' ? e.tags.includes(o.tag) : k.startsWith(o.prefix)));
          const n = cache.invalidate(o.op === 'tag' ? { tag: o.tag } : { prefix: o.prefix });
          assert.equal(n, hit.length, `invalidate ${where}`);
          for (const [k] of hit) model.entries.delete(k);
        }
        assert.deepEqual([...cache.keys()].sort(), [...model.entries.keys()].sort(), `keys after ${where}`);
        const s = cache.stats();
        assert.equal(s.bytes, model.bytes, `stats().bytes after ${where}`);
        assert.equal(s.entries, model.entries.size, `stats().entries after ${where}`);
      }
    } finally {
      cache.dispose();
    }
  }, { numRuns: 300 });

property('getOrFetch follows the freshness table: hit, stale (revalidated once), stale-if-error or the fetch\'s error; stats agree',
  [lifetime, fc.integer({ min: 0, max: 300 }), fc.boolean()], async (life, dt, fails) => {
    const time = new FakeTime();
    time.now = 1000;
    const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers });
    try {
      cache.set('k', 'old', life);
      time.now += dt;
      const age = dt + life.ageMs;
      let fetches = 0;
      const fetcher = async () => {
        fetches++;
        if (fails) throw new UserFailure('origin down');
        return 'new';
      };
      const r = await attemptAsync(() => cache.getOrFetch('k', fetcher), 'getOrFetch', () => driveTimers(time));
      await driveTimers(time);
      const s = cache.stats();
      const where = `age ${age} with ${JSON.stringify(life)}, fetch ${fails ? 'fails' : 'succeeds'}: ${JSON.stringify(r.ok ? r.value : String(r.error))}, stats ${JSON.stringify(s)}`;
      const { ttlMs, staleWhileRevalidateMs: swr, staleIfErrorMs: sie } = life;
      if (age < ttlMs) {
        assert.ok(r.ok && r.value.status === 'hit' && fetches === 0, where);
      } else if (age < ttlMs + swr) {
        assert.ok(r.ok && r.value.status === 'stale' && r.value.value === 'old' && fetches === 1, where);
        assert.equal(s.revalidations, 1, where);
        assert.equal(s.revalidationErrors, fails ? 1 : 0, `revalidationErrors: ${where}`);
        assert.equal(s.staleIfErrorHits, 0, `a failed background revalidation counted as a stale-if-error hit: ${where}`);
      } else if (fails && age < ttlMs + sie) {
        assert.ok(r.ok && r.value.status === 'stale-if-error' && r.value.value === 'old', where);
        assert.equal(s.staleIfErrorHits, 1, where);
      } else if (fails) {
        assert.ok(!r.ok && r.error instanceof UserFailure, where);
      } else {
        assert.ok(r.ok && r.value.status === 'miss' && r.value.value === 'new', where);
      }
    } finally {
      cache.dispose();
    }
  }, { numRuns: 300 });

property('restore(snapshot()) through JSON gives a cache that answers like the original, now and later',
  [fc.array(fc.tuple(fc.constantFrom('a', 'b', 'é', '\ud800'), fc.jsonValue({ maxDepth: 1 }), lifetime, fc.subarray(['t1', 't2']),
    fc.nat(5), fc.nat(60)), { maxLength: 8 }), fc.nat(200)], (sets, later) => {
    const clock = new Clock();
    clock.now = 1000;
    const make = () => new Cache({ maxEntries: 20, maxBytes: 1000, clock: clock.read });
    const original = make();
    const restored = make();
    try {
      for (const [key, value, life, tags, size, dt] of sets) {
        clock.now += dt;
        original.set(key, value, { ...life, size, tags: tags.length ? tags : undefined });
      }
      restored.restore(JSON.parse(JSON.stringify(original.snapshot())));
      clock.now += later;
      for (const key of ['a', 'b', 'é', '\ud800']) {
        // Compared as JSON: the values went through JSON (-0 came back as 0).
        assert.equal(JSON.stringify(restored.peek(key)), JSON.stringify(original.peek(key)), `peek(${JSON.stringify(key)}) ${later} ms after the restore`);
      }
      for (const tag of ['t1', 't2']) assert.equal(restored.invalidate({ tag }), original.invalidate({ tag }), `invalidate tag ${tag}`);
    } finally {
      original.dispose();
      restored.dispose();
    }
  }, { numRuns: 200 });
