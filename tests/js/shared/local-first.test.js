// local-first leases against real engines (standalone and 3-node Cluster, node-redis and
// ioredis): answered from the lease without a round trip, renewed in the background (handed to
// waitUntil), refusals cached until the store's time, the table bounded with unused units given
// back, concurrent calls on a cold key joining one take, and the overshoot bound, reached and not
// passed. Limiters on separate clients stand for instances; clocks are injected.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { FakeTime, settle } from '../resilience_fakes.js';

const engines = redisEngines();

let run = 0;
const LIMIT = 100;

for (const topology of ['standalone', 'cluster']) {
  for (const kind of KINDS) {
    describe(`${kind}, ${topology}`, () => {
      const conns = [];
      const stores = [];
      before(async () => {
        for (let i = 0; i < 5; i++) {
          const conn = await connect(kind, engines[topology]);
          conns.push(conn);
          stores.push(new RedisStore(conn.client, { deadlineMs: 2000, prefix: `lf:${kind}:` }));
        }
      });
      after(() => Promise.all(conns.map((c) => c.close())));

      // `count` instances on one clock, a fresh limiter name per test.
      function instances(count, options = {}) {
        const name = `t${run++}`;
        const time = { now: 1000 };
        const make = (store) => new RateLimiter({
          policies: [{ name: 'w', limit: LIMIT, windowMs: 1000 }], store, name, clock: () => time.now, deadlineMs: 2000, ...options,
        });
        return { time, limiters: stores.slice(0, count).map(make) };
      }

      test('a lease answers without a round trip, and is topped up in the background, through waitUntil', async () => {
        const { limiters: [a] } = instances(1, { lease: { units: 10 } });
        const background = [];
        const waitUntil = (p) => background.push(p);
        const first = await a.check('k', { waitUntil });
        assert.deepEqual([first.allowed, first.source, first.remaining], [true, 'store', 99]);
        assert.equal(a.stats().storeCalls, 1);
        const sources = [];
        for (let i = 0; i < 5; i++) sources.push((await a.check('k', { waitUntil })).source);
        assert.deepEqual(sources, Array(5).fill('lease'));
        assert.equal(a.stats().storeCalls, 1, 'five calls from the lease: no store call');
        // The sixth leaves 4 of 10: under half, so a renewal goes out, to waitUntil.
        await a.check('k', { waitUntil });
        assert.equal(background.length, 1);
        assert.equal(await background[0], undefined, 'a background renewal resolves (never rejects)');
        assert.equal(a.stats().storeCalls, 2);
        const r = await a.check('k', { waitUntil });
        assert.equal(r.source, 'lease');
        assert.equal(r.remaining, LIMIT - 8, 'the shared view: the store\'s remaining plus this lease, after 8 calls');
      });

      test('a refused key is refused locally until the store\'s time: a flood costs no round trips', async () => {
        const { time, limiters: [a] } = instances(1, { lease: { units: 10 } });
        let allowed = 0;
        for (let i = 0; i < 150; i++) allowed += (await a.check('flood')).allowed;
        assert.equal(allowed, LIMIT);
        const calls = a.stats().storeCalls;
        const refusals = await Promise.all(Array.from({ length: 1000 }, () => a.check('flood')));
        assert.ok(refusals.every((r) => !r.allowed && r.source === 'lease'));
        assert.equal(a.stats().storeCalls, calls, '1000 refusals, no store call');
        // Until the units the refused take asked for would fit: several emission intervals of 10 ms.
        const wait = refusals[0].retryAfterMs;
        assert.ok(wait > 10 && wait % 10 === 0, `${wait}`);
        assert.ok(refusals.every((r) => r.retryAfterMs === wait));
        time.now += wait - 1;
        assert.equal((await a.check('flood')).allowed, false);
        assert.equal(a.stats().storeCalls, calls);
        time.now += 1;
        const back = await a.check('flood');
        assert.deepEqual([back.allowed, back.source], [true, 'store']);
      });

      test('concurrent calls on a cold key join one take', async () => {
        const { limiters: [a] } = instances(1, { lease: { units: 10 } });
        const results = await Promise.all(Array.from({ length: 30 }, () => a.check('cold')));
        assert.ok(results.every((r) => r.allowed));
        // 11 from the first take, then renewals of a lease each for the rest: a few takes, not 30.
        assert.ok(a.stats().storeCalls <= 6, `${a.stats().storeCalls} store calls`);
        const held = LIMIT - 30 - (await a.peek('cold')).remaining;
        assert.ok(held >= 0 && held <= 10, `granted beyond what was used: ${held}, at most a lease`);
      });

      test('the lease table is bounded: the key asked longest ago is evicted and its unused units go back', async () => {
        const { limiters: [a, b] } = instances(2, { lease: { units: 10 }, maxKeys: 3 });
        const background = [];
        for (const key of ['k1', 'k2', 'k3']) await a.check(key);
        assert.equal((await b.peek('k1')).remaining, LIMIT - 11);
        await a.check('k4', { waitUntil: (p) => background.push(p) });
        assert.equal(a.stats().leases, 3);
        await Promise.all(background);
        assert.equal((await b.peek('k1')).remaining, LIMIT - 1, 'the 10 unused units of k1 are back');
      });

      test('reset clears the shared state and the lease', async () => {
        const { limiters: [a, b] } = instances(2, { lease: { units: 10 } });
        for (let i = 0; i < 120; i++) await a.check('r');
        assert.equal((await b.check('r')).allowed, false);
        assert.equal(await b.reset('r'), true);
        assert.equal(await a.reset('r'), false, 'already cleared in the store');
        const again = await a.check('r');
        assert.deepEqual([again.allowed, again.source], [true, 'store']);
      });

      test('the overshoot bound: in one window, at most the limit plus the instances\' outstanding leases', async () => {
        const units = 12;
        const { time, limiters } = instances(5, { lease: { units, ttlMs: 3000 } });
        const leased = limiters.slice(0, 4);
        const other = limiters[4];
        // Four instances take a lease each (1 used, 12 held); a fifth spends the rest of the window.
        for (const l of leased) assert.equal((await l.check('o')).allowed, true);
        let spent = 0;
        for (let i = 0; i < 200; i++) spent += (await other.check('o', { cost: 1 })).allowed;
        assert.equal(spent + 4 * (units + 1), LIMIT);
        // The next window: the store's full limit, and the held leases on top.
        time.now += 1000;
        let allowed = 0;
        for (let i = 0; i < 200; i++) allowed += (await other.check('o')).allowed;
        for (const l of leased) for (let i = 0; i < 50; i++) allowed += (await l.check('o')).allowed;
        assert.equal(allowed, LIMIT + 4 * units, 'the bound, reached and not passed');
      });
    });
  }
}

test('a call joining a take that outlives its deadline answers from the fallback at the deadline', async () => {
  const engine = engines.standalone;
  const conn = await connect('ioredis', engine);
  const time = new FakeTime();
  time.now = 1000;
  const store = new RedisStore(conn.client, { deadlineMs: 5000, clock: time.clock, timers: time.timers });
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: LIMIT, windowMs: 1000 }], store, name: `t${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: 50, expectedInstances: 4,
  });
  engine.server.pause();
  try {
    const first = limiter.check('j');
    const joined = limiter.check('j');
    let answer;
    joined.then((r) => { answer = r; });
    await time.advance(49);
    assert.equal(answer, undefined);
    await time.advance(1);
    await settle();
    assert.deepEqual([answer.allowed, answer.source, answer.limit], [true, 'fallback', 25]);
    await time.advance(50);
    assert.equal((await first).source, 'fallback', 'the take itself times out at its deadline');
  } finally {
    engine.server.resume();
    await conn.close();
  }
});

test('a background take that never settles (a runtime dropped it) holds the key only until its deadline', async () => {
  const conn = await connect('node-redis', engines.standalone);
  const time = new FakeTime();
  time.now = 1000;
  const real = new RedisStore(conn.client, { deadlineMs: 5000 });
  let calls = 0;
  // An injected fault: the second call (the first renewal) is dropped, as workerd drops what a
  // finished request left running without waitUntil.
  const store = {
    key: (tag, name) => real.key(tag, name), stats: () => real.stats(),
    evalScript: (...args) => (++calls === 2 ? new Promise(() => {}) : real.evalScript(...args)),
  };
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: LIMIT, windowMs: 1000 }], store, name: `t${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: 50, lease: { units: 4 },
  });
  try {
    assert.equal((await limiter.check('d')).source, 'store');
    for (let i = 0; i < 4; i++) assert.equal((await limiter.check('d')).source, 'lease');
    assert.equal(calls, 2, 'the renewal went out, and hangs');
    const joined = limiter.check('d');
    await time.advance(50);
    assert.equal((await joined).source, 'fallback', 'a call waiting on it answers at its deadline');
    assert.equal(calls, 3, 'at its deadline the renewal failed: the key asked again');
    await settle();
    const after = await limiter.check('d');
    assert.deepEqual([after.allowed, after.source, calls], [true, 'lease', 3]);
  } finally {
    await conn.close();
  }
});

// A RedisStore whose replies to the chosen calls (1-based) are held until released, or that
// fail when told without reaching Redis: an injected fault, standing for a store that answers late.
function heldStore(real, plan) {
  let calls = 0;
  const held = [];
  return {
    held,
    get calls() { return calls; },
    key: (tag, name) => real.key(tag, name), stats: () => real.stats(),
    evalScript: (...args) => {
      const what = plan[++calls];
      if (what === undefined) return real.evalScript(...args);
      const reply = what === 'hold' ? real.evalScript(...args) : null;
      return new Promise((resolve, reject) => held.push({
        release: () => reply.then(resolve, reject),
        fail: () => reject(new Error('injected')),
      }));
    },
  };
}

async function leaseAllowances(limiter, key, n) {
  let lease = 0;
  for (let i = 0; i < n; i++) {
    const r = await limiter.check(key);
    lease += r.allowed && r.source === 'lease';
  }
  return lease;
}

test('a take that a joined call gave up on keeps no more than a lease: the units granted for that call are spent', async () => {
  const conn = await connect('ioredis', engines.standalone);
  const time = new FakeTime();
  time.now = 1000;
  const store = heldStore(new RedisStore(conn.client, { deadlineMs: 5000 }), { 1: 'fail', 2: 'hold' });
  // 5 in the store: the joined call's take is granted all of them, its cost and a lease of 4.
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: 5, windowMs: 60000 }], store, name: `t${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: 50, lease: { units: 4 },
  });
  try {
    const first = limiter.check('c');
    const joined = limiter.check('c');
    await time.advance(30);
    store.held.shift().fail();
    assert.equal((await first).source, 'fallback', 'the first take failed');
    await settle();
    assert.equal(store.calls, 2, 'the joined call took again');
    await time.advance(20);
    assert.equal((await joined).source, 'fallback', 'answered at its deadline, before its take');
    store.held.shift().release();
    await settle();
    assert.equal(await leaseAllowances(limiter, 'c', 10), 4, 'the lease holds lease.units, not one more');
  } finally {
    await conn.close();
  }
});

test('a renewal that settles after a newer take replaced it adds nothing to the lease', async () => {
  const conn = await connect('ioredis', engines.standalone);
  const time = new FakeTime();
  time.now = 1000;
  const store = heldStore(new RedisStore(conn.client, { deadlineMs: 5000 }), { 2: 'hold' });
  // 13 in the store: the first take 5 (1 used), the renewal 3, the newer take 5: nothing left.
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: 13, windowMs: 60000 }], store, name: `t${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: 50, lease: { units: 4 },
  });
  try {
    assert.equal((await limiter.check('r')).source, 'store');
    assert.equal(await leaseAllowances(limiter, 'r', 4), 4);
    assert.equal(store.calls, 2, 'the renewal went out; its answer is held');
    // The clock passes the renewal's deadline before its timer runs (a busy event loop).
    time.now += 51;
    const newer = await limiter.check('r');
    assert.deepEqual([newer.allowed, newer.source, store.calls], [true, 'store', 3], 'past its deadline the key asks again');
    store.held.shift().release();
    await settle();
    assert.equal(await leaseAllowances(limiter, 'r', 10), 4, 'the newer lease only: the late renewal\'s units are lost, not added');
  } finally {
    await conn.close();
  }
});

test('a waitUntil that throws (called after its request ended) neither throws out of a check nor leaves a rejection', async () => {
  const conn = await connect('ioredis', engines.standalone);
  const time = new FakeTime();
  time.now = 1000;
  const store = new RedisStore(conn.client, { deadlineMs: 2000 });
  const limiter = new RateLimiter({
    policies: [{ name: 'w', limit: LIMIT, windowMs: 1000 }], store, name: `t${run++}`, clock: time.clock,
    timers: time.timers, deadlineMs: 50, lease: { units: 4 }, maxKeys: 1,
  });
  const waitUntil = () => { throw new Error('the request is over'); };
  try {
    // The third answer from the lease renews it, and a second key evicts the first: both hand a
    // background call to waitUntil.
    for (let i = 0; i < 5; i++) assert.equal((await limiter.check('a', { waitUntil })).allowed, true);
    await settle();
    assert.equal((await limiter.check('b', { waitUntil })).allowed, true);
    await settle();
  } finally {
    await conn.close();
  }
});
