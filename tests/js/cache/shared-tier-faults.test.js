// The shared tier when its redis-server dies or stalls, through node-redis and ioredis: every
// instance keeps answering from memory and the fetcher, no store error reaches a caller, the
// store's breaker skips the tier while it fails and probes it again, and stats() counts it.
// Deadlines and the breaker run on one fake clock, so "within the deadline" is exact; the server
// and the clients run in real time. Nothing may reject unhandled.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, Cache } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { startRedis } from '../../support/redis-engines.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { FakeTime, settle } from '../resilience_fakes.js';

const DEADLINE_MS = 50;
const OPEN_MS = 1000;
const GENERATION_CHECK_MS = 1000;  // the default
const LIFE = { ttlMs: 1000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));
before(() => init());
after(() => assert.deepEqual(unhandled, []));

let run = 0;

const stores = [];

function instance(client, time) {
  const pending = [];
  const store = new RedisStore(client, {
    prefix: `f${run}:`, deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers,
    breaker: { consecutiveFailures: 3, openMs: OPEN_MS, halfOpenCalls: 1 },
  });
  stores.push(store);
  const cache = new Cache({ maxEntries: 100, clock: time.clock, shared: store, waitUntil: (p) => pending.push(p), ...LIFE });
  return { cache, store, pending };
}

/** Resolves with what `call()` gives once `ms` (a deadline) have passed; fails if it has not settled by then. */
async function byDeadline(time, call, ms = DEADLINE_MS) {
  let result;
  let settled = false;
  call().then((r) => { result = r; settled = true; }, (e) => { result = e; settled = true; });
  await time.advance(ms);
  await settle();
  assert.ok(settled, 'answered by the deadline');
  return result;
}

const value = (v) => async () => v;

for (const kind of KINDS) {
  describe(kind, () => {
    let engine;
    let conns;
    before(async () => {
      engine = await startRedis();
      conns = await Promise.all([connect(kind, engine), connect(kind, engine)]);
    });
    after(async () => {
      for (const store of stores.splice(0)) store.close();  // the invalidation channel's subscriber connections
      await Promise.all(conns.map((c) => c.close()));
      await engine?.stop();
    });

    test('redis-server killed: every instance answers from memory and the fetcher, the breaker skips the tier, then probes it again', async () => {
      run++;
      const time = new FakeTime();
      time.now = 1_000_000;
      const [a, b] = conns.map((c) => instance(c.client, time));
      await a.cache.getOrFetch('k1', value('v1'));
      await Promise.all(a.pending);
      assert.equal((await b.cache.getOrFetch('k1', value('unused'))).shared, true);

      await engine.server.kill();
      for (const x of [a, b]) {
        const ageMs = time.now - 1_000_000;
        assert.deepEqual(await byDeadline(time, () => x.cache.getOrFetch('k1', value('unused'))), { value: 'v1', status: 'hit', ageMs });
      }
      // Keys memory does not hold: the read fails, the fetcher answers, the write fails behind.
      for (let i = 0; i < 6; i++) {
        const r = await byDeadline(time, () => b.cache.getOrFetch(`down${i}`, value(i)));
        assert.deepEqual(r, { value: i, status: 'miss', ageMs: 0 });
      }
      await byDeadline(time, () => Promise.all(b.pending.splice(0)));
      const down = b.cache.stats().shared;
      assert.equal(b.store.breaker.state, 'open');
      assert.ok(down.skips > 0, JSON.stringify(down));
      assert.equal(down.hits, 1);
      assert.equal(down.errors + down.timeouts + down.skips, 12, JSON.stringify(down));  // 6 reads, 6 writes
      assert.equal(b.cache.get('down5').value, 5);

      // Restarted: once the breaker half-opens, one probe goes through, and the tier is back (the
      // server answers in real time, before any fake time passes: no deadline can fire).
      await engine.server.start();
      await Promise.all(conns.map((c) => c.ready()));
      await time.advance(OPEN_MS);
      assert.deepEqual(await b.cache.getOrFetch('k2', value('v2')), { value: 'v2', status: 'miss', ageMs: 0 });
      await Promise.all(b.pending.splice(0));
      assert.equal(b.store.breaker.state, 'closed');
      assert.equal(b.cache.stats().shared.writes, 1);
      assert.deepEqual(await a.cache.getOrFetch('k2', value('unused')), { value: 'v2', status: 'hit', ageMs: 0, shared: true });
    });

    test('redis-server stalled (SIGSTOP): a read gives up at its deadline and the fetcher answers; with the invalidation log due, one deadline', async () => {
      run++;
      const time = new FakeTime();
      time.now = 1_000_000;
      const a = instance(conns[0].client, time);
      await conns[0].ready();
      await a.cache.getOrFetch('warm', value('w'));  // the invalidation log read: not due again for generationCheckMs
      await Promise.all(a.pending.splice(0));
      engine.server.pause();
      try {
        const r = await byDeadline(time, () => a.cache.getOrFetch('slow', value('fetched')));
        assert.deepEqual(r, { value: 'fetched', status: 'miss', ageMs: 0 });
        assert.equal(a.cache.stats().shared.timeouts, 1);
        await byDeadline(time, () => Promise.all(a.pending.splice(0)));
        assert.equal(a.cache.stats().shared.timeouts, 2);  // the write behind too
        await time.advance(GENERATION_CHECK_MS);
        const due = await byDeadline(time, () => a.cache.getOrFetch('slow2', value('fetched')));
        assert.deepEqual(due, { value: 'fetched', status: 'miss', ageMs: 0 });
        // The log's generation timed out (the third failure in a row: the store's breaker opens);
        // with the log unread the entry is not read, and its write behind was skipped.
        const { timeouts, skips } = a.cache.stats().shared;
        assert.deepEqual({ timeouts, skips }, { timeouts: 3, skips: 1 });
      } finally {
        engine.server.resume();
      }
    });
  });
}

test('a store of the user\'s own that never answers (keeping no deadline itself): each call is given up at sharedOptions.deadlineMs', async () => {
  const time = new FakeTime();
  time.now = 1_000_000;
  const never = () => new Promise(() => {});
  const hanging = { key: (tag, name) => `${tag}:${name}`, get: never, set: never, delete: never, evalScript: never, stats: () => ({}) };
  const pending = [];
  const cache = new Cache({
    maxEntries: 10, clock: time.clock, timers: time.timers, shared: hanging, sharedOptions: { deadlineMs: 30 },
    waitUntil: (p) => pending.push(p), ...LIFE,
  });
  // The invalidation log's generation: one deadline (the entry is not read while the log is unread).
  assert.deepEqual(await byDeadline(time, () => cache.getOrFetch('k', value('v')), 30), { value: 'v', status: 'miss', ageMs: 0 });
  await byDeadline(time, () => Promise.all(pending.splice(0)), 30);
  assert.equal(cache.stats().shared.timeouts, 2);  // the generation, the write (no read, no lease)
});

test('a shared entry born in the future with no age to check it by (a store of the user\'s own): a miss, never fresh for good', async () => {
  const time = new FakeTime();
  time.now = 1_000_000;
  const text = JSON.stringify({ f: 1, at: time.now + 365 * 86400e3, t: 1000, w: 0, e: 0, s: 1, v: 'old' });
  const store = { key: (tag, name) => `${tag}:${name}`, stats: () => ({}), get: async () => null, set: async () => {},
    delete: async () => true, evalScript: async (script) => (script.name === 'edgeguard.cache.read' ? [text, 3600e3] : 1) };
  const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers, shared: store, sharedOptions: { leaseMs: 0 }, ...LIFE });
  const got = await cache.getOrFetch('k', value('new'));
  assert.deepEqual([got.value, got.status], ['new', 'miss']);
  assert.ok(cache.stats().shared.errors >= 1);
  cache.dispose();
});

test('a cache disposed while its invalidation log is being read: the check ends quietly', async () => {
  const time = new FakeTime();
  time.now = 1_000_000;
  const texts = new Map();
  let answer;
  const store = {
    key: (tag, name) => `${tag}:${name}`,
    get: (key) => new Promise((resolve) => { answer = () => resolve(texts.get(key) ?? null); }),
    set: async () => {}, delete: async () => true, evalScript: async () => 0, stats: () => ({}),
  };
  const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers, shared: store, sharedOptions: { leaseMs: 0 }, ttlMs: 60000 });
  texts.set('cache:invalidations:gen', 'e:1').set('cache:invalidations:log', JSON.stringify([[1, 't', 'x']]));
  const first = cache.getOrFetch('k', value('v'));
  answer();  // the generation
  await settle();
  answer();  // the log: adopted
  await settle();
  answer();  // the entry: none
  await first;
  time.now += 1000;
  texts.set('cache:invalidations:gen', 'e:9').set('cache:invalidations:log', 'unreadable');  // a reset, once read
  assert.equal(cache.get('k').value, 'v');  // starts the check
  cache.dispose();
  answer();
  await settle();
  answer();
  await settle();
  assert.equal(cache.disposed, true);
});

test('a memory miss waits for the shared tier one deadline in all, not one per store call', async () => {
  const time = new FakeTime();
  time.now = 1_000_000;
  // A store of the user's own that answers every call just inside the 50 ms deadline.
  const slow = (reply) => () => new Promise((resolve) => { time.timers.setTimeout(() => resolve(reply), 49); });
  const store = { key: (tag, name) => `${tag}:${name}`, get: slow(null), set: slow('OK'), delete: slow(true), evalScript: slow(1), stats: () => ({}) };
  const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers, shared: store, sharedOptions: { deadlineMs: 50 }, ...LIFE });
  let waited;
  const served = cache.getOrFetch('k', async () => { waited = time.now - 1_000_000; return 'v'; });
  await time.advance(4 * 49);
  assert.equal((await served).value, 'v');
  assert.ok(waited <= 50, `the fetcher ran after ${waited} ms`);
});

test('a lease reply of another shape ([1], \'1 \') is not a lease taken; 1 and \'1\' are', async () => {
  for (const [reply, taken] of [[[1], 0], ['1 ', 0], [true, 0], [1, 1], ['1', 1]]) {
    const time = new FakeTime();
    time.now = 1_000_000;
    const store = { key: (tag, name) => `${tag}:${name}`, stats: () => ({}), get: async () => null, set: async () => {},
      delete: async () => true, evalScript: async (script) => (script.name === 'edgeguard.cache.lease' ? reply : null) };
    const cache = new Cache({ maxEntries: 10, clock: time.clock, timers: time.timers, shared: store,
      sharedOptions: { leaseWaitMs: 100, leasePollMs: 50 }, ...LIFE });
    const got = cache.getOrFetch('k', value('v'));
    await time.advance(200);
    assert.equal((await got).value, 'v');
    assert.equal(cache.stats().shared.leases, taken, JSON.stringify(reply));
    cache.dispose();
  }
});
