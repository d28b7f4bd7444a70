// RateLimiter with a store (SharedRateLimiter) against real engines: a standalone redis-server
// and a 3-node Redis Cluster, through node-redis and ioredis. Limiters on separate clients stand
// for instances; every clock is injected.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RateLimiter, RateLimitError, ConfigError } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { SharedRateLimiter } from '../../../js/shared/shared-limiter.js';
import { MAX_COST } from '../../../js/limit.js';
import { Redis as UpstashRedis } from '@upstash/redis';
import { UpstashStore } from '../../../js/store/upstash-store.js';
import { storeFailed } from '../../../js/store/store-error.js';
import { CHECK, CHECK_MANY } from '../../../js/shared/check-script.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { KINDS, connect } from '../../support/redis-clients.js';
import { upstashFixture } from '../store/upstash-fixture.js';
import { FakeTime, settle } from '../resilience_fakes.js';

const engines = redisEngines();

const policies = [{ name: 'second', limit: 5, windowMs: 1000 }, { name: 'minute', limit: 20, windowMs: 60000 }];
let run = 0;

for (const topology of ['standalone', 'cluster']) {
  for (const kind of KINDS) {
    describe(`${kind}, ${topology}`, () => {
      const conns = [];
      const stores = [];
      before(async () => {
        for (let i = 0; i < 2; i++) {
          const conn = await connect(kind, engines[topology]);
          conns.push(conn);
          stores.push(new RedisStore(conn.client, { deadlineMs: 2000, prefix: `sl:${kind}:` }));
        }
      });
      after(() => Promise.all(conns.map((c) => c.close())));

      // Two instances (two clients) on one clock; a fresh limiter name per test.
      function instances(options = {}) {
        const name = `t${run++}`;
        const time = { now: 1000 };
        const make = (store) => new RateLimiter({ policies, store, name, mode: 'exact', clock: () => time.now, deadlineMs: 2000, ...options });
        return { time, limiters: stores.map(make) };
      }

      test('exact: instances together allow exactly the limit, then each window\'s', async () => {
        const { time, limiters: [a, b] } = instances();
        assert.ok(a instanceof SharedRateLimiter && a instanceof RateLimiter);
        const verdicts = [];
        for (let i = 0; i < 12; i++) verdicts.push((await (i % 2 ? a : b).check('user:1')).allowed);
        assert.equal(verdicts.filter(Boolean).length, 5);
        assert.deepEqual(verdicts.slice(0, 5), [true, true, true, true, true]);
        time.now += 1000;
        const next = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).check('user:1')));
        assert.equal(next.filter((r) => r.allowed).length, 5, 'concurrent checks: still exactly the limit');
        assert.ok(next.every((r) => r.source === 'store'));
        // Four windows of 5 spend the minute's 20; 4 s later it has refilled one (one per 3 s).
        for (let w = 0; w < 2; w++) {
          time.now += 1000;
          await Promise.all(Array.from({ length: 6 }, () => b.check('user:1')));
        }
        time.now += 1000;
        const last = await a.check('user:1');
        assert.deepEqual([last.allowed, last.policy, last.remaining], [true, 'minute', 0]);
        const minute = await a.check('user:1');
        assert.deepEqual([minute.allowed, minute.policy, minute.retryAfterMs], [false, 'minute', 2000]);
        assert.equal(a.stats().storeCalls, 14, 'one store call per check');
      });

      test('a refusal says when to come back, and coming back then is allowed', async () => {
        const { time, limiters: [a, b] } = instances();
        for (let i = 0; i < 5; i++) await a.check('k');
        const refused = await b.check('k');
        assert.equal(refused.allowed, false);
        assert.equal(refused.retryAfterMs, 200);
        assert.equal(refused.headers['Retry-After'], '1');
        time.now += 199;
        assert.equal((await b.check('k')).allowed, false);
        time.now += 1;
        assert.equal((await b.check('k')).allowed, true);
      });

      test('headers and remaining are the shared view', async () => {
        const { limiters: [a, b] } = instances();
        await a.check('h', { cost: 2 });
        const r = await b.check('h');
        assert.equal(r.remaining, 2);
        assert.equal(r.limit, 5);
        assert.equal(r.headers.RateLimit, '"second";r=2;t=1');
      });

      test('many keys (many cluster slots) each keep their own allowance', async () => {
        const { limiters: [a] } = instances();
        const results = await Promise.all(Array.from({ length: 60 }, (_, i) => a.check(`user:${i % 30}:{x}%`, { cost: 3 })));
        assert.equal(results.filter((r) => r.allowed).length, 30);
      });

      test('peek consumes nothing; penalize, reward and reset act on the shared state', async () => {
        const { limiters: [a, b] } = instances();
        assert.equal((await a.peek('p')).remaining, 5);
        await a.check('p');
        assert.equal((await b.peek('p')).remaining, 4);
        await b.penalize('p', 4);
        const spent = await a.peek('p');
        assert.equal(spent.allowed, false);
        await a.reward('p', 2);
        assert.equal((await b.peek('p')).remaining, 2);
        assert.equal(await b.reset('p'), true, 'the key had state');
        assert.equal((await a.peek('p')).remaining, 5);
        assert.equal(await b.reset('p'), false);
      });

      test('exact, one GCRA policy: one CHECK per check, and peek, penalize and reward act on its key', async () => {
        const sent = [];
        const real = stores[0];
        const store = { key: (t, n) => real.key(t, n), stats: () => real.stats(),
          evalScript: (script, keys, args, o) => { sent.push(script.name); return real.evalScript(script, keys, args, o); } };
        const time = { now: 1000 };
        const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
        const [a, b] = [store, stores[1]].map((s) => new RateLimiter({ policies: one, store: s, name: `c${run}`, mode: 'exact', clock: () => time.now, deadlineMs: 2000 }));
        run++;
        const verdicts = [];
        for (let i = 0; i < 7; i++) verdicts.push(await (i % 2 ? b : a).check('k'));
        assert.deepEqual(verdicts.map((r) => [r.allowed, r.remaining, r.source]),
          [[true, 4, 'store'], [true, 3, 'store'], [true, 2, 'store'], [true, 1, 'store'], [true, 0, 'store'], [false, 0, 'store'], [false, 0, 'store']]);
        assert.equal(verdicts[5].retryAfterMs, 200);
        assert.deepEqual(sent, ['edgeguard.limit.check', 'edgeguard.limit.check', 'edgeguard.limit.check', 'edgeguard.limit.check']);
        await b.reward('k', 2);
        assert.equal((await a.peek('k')).remaining, 2);
        assert.equal((await a.check('k', { cost: 2 })).allowed, true);
        await a.penalize('k', 1);
        assert.deepEqual([(await b.check('k')).allowed, (await b.peek('k')).retryAfterMs], [false, 400]);
        time.now += 400;
        assert.equal((await a.check('k')).allowed, true);
        a.dispose();
        b.dispose();
      });

      test('token-bucket and blockMs run in the store as in the core', async () => {
        const time = { now: 0 };
        const shape = [{ name: 'tb', algorithm: 'token-bucket', limit: 2, windowMs: 1000, blockMs: 5000 }];
        const name = `t${run++}`;
        const shared = new RateLimiter({ policies: shape, store: stores[0], name, mode: 'exact', clock: () => time.now, deadlineMs: 2000 });
        const local = new RateLimiter({ policies: shape, clock: () => time.now });
        for (const dt of [0, 0, 0, 100, 4900, 500, 500, 0]) {
          time.now += dt;
          const [s, l] = [await shared.check('b'), local.check('b')];
          assert.deepEqual([s.allowed, s.remaining, s.resetMs, s.retryAfterMs], [l.allowed, l.remaining, l.resetMs, l.retryAfterMs], `at ${time.now}`);
        }
        local.dispose();
      });
    });
  }
}

describe('@upstash/redis through the REST server', () => {
  const fixture = upstashFixture();
  const make = (mode, name) => {
    const client = new UpstashRedis({ url: fixture.rest.url, token: fixture.rest.token, retry: false });
    return new RateLimiter({ policies, store: new UpstashStore(client), name, mode, clock: () => 5000, deadlineMs: 2000 });
  };

  test('exact: the same scripts, exactly the limit across two instances, one command per check', async () => {
    const [a, b] = [make('exact', 'up-exact'), make('exact', 'up-exact')];
    await a.check('warm');  // loads the script (NOSCRIPT, then EVAL) outside the count
    assert.equal((await b.check('warm')).source, 'store');
    const before = fixture.rest.stats().commands;
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await (i % 2 ? a : b).check('u'));
    assert.equal(results.filter((r) => r.allowed).length, 5);
    assert.equal(fixture.rest.stats().commands - before, 12);
  });

  test('local-first: leases over REST, never more than the limit', async () => {
    const [a, b] = [make('local-first', 'up-lf'), make('local-first', 'up-lf')];
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await (i % 2 ? a : b).check('u'));
    assert.ok(results.filter((r) => r.allowed).length <= 5);
    assert.ok(results.some((r) => r.source === 'lease'));
    assert.ok(a.stats().storeCalls + b.stats().storeCalls < 40);
  });
});

test('options: a store takes gcra and token-bucket only; bad modes, names and stores are ConfigErrors', () => {
  const store = { evalScript() {}, key() {}, stats() {} };
  const code = (options) => {
    try {
      new RateLimiter({ policies, store, ...options });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.code;
    }
    return 'OK';
  };
  assert.equal(code({ policies: [{ limit: 1, windowMs: 10, algorithm: 'sliding-window' }] }), 'LIMIT_STORE_ALGORITHM');
  assert.equal(code({ mode: 'eventual' }), 'CONFIG_INVALID');
  assert.equal(code({ onStoreError: 'ignore' }), 'CONFIG_INVALID');
  assert.equal(code({ name: 'has space' }), 'CONFIG_INVALID');
  assert.equal(code({ store: {} }), 'CONFIG_INVALID');
  assert.equal(code({ expectedInstances: 0 }), 'CONFIG_INVALID');
  assert.equal(code({ lease: { units: 6 } }), 'CONFIG_INVALID', 'more than the smallest capacity');
  assert.equal(code({ lease: { size: 2 } }), 'CONFIG_INVALID');
  assert.equal(code({ policies: [{ limit: 0, windowMs: 10 }] }), 'LIMIT_BAD_LIMIT', 'the core checks the policies');
  assert.equal(code({}), 'OK');
});

// The core owns the limits and the policies' terms; a shared limiter reads them back from it.
test('maxKeys, maxKeyBytes and each policy\'s capacity are the core\'s, defaults included', () => {
  const store = { evalScript: () => Promise.resolve([1, 0, 0, 0, 0, 0]), key: (t, n) => `${t}:${n}`, stats: () => ({}) };
  const local = new RateLimiter({ policies });
  const shared = new RateLimiter({ policies: [{ limit: 5, windowMs: 1000, burst: 3 }], store });
  assert.deepEqual([shared.maxKeys, shared.maxKeyBytes], [local.maxKeys, local.maxKeyBytes]);
  assert.deepEqual([local.maxKeys, local.maxKeyBytes], [100000, 1024]);  // the documented defaults
  // Read-only: what the key check holds keys to cannot be changed from outside.
  for (const l of [local, shared]) assert.throws(() => { l.maxKeyBytes = 4096; }, TypeError);
  // The burst is the largest cost: 4 can never be allowed, whatever the limit.
  assert.throws(() => shared.check('k', { cost: 4 }), (e) => e.code === 'LIMIT_COST_EXCEEDS_LIMIT' && /at most 3 at once/.test(e.message));
  for (const l of [local, shared]) l.dispose();
});

// The gateway's config schema bounds the store options it hands its limiters (store.deadlineMs,
// expectedInstances, lease.ttlMs); the limiter checks the same options itself: one range, two
// writings, held together here.
test('the config schema\'s store ranges are the ones a shared limiter takes', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../js/config.schema.json', import.meta.url), 'utf8')).properties.store.properties;
  const store = { evalScript: () => Promise.resolve([1, 0, 0, 0, 0, 0]), key: (t, n) => `${t}:${n}`, stats: () => ({}) };
  const bounds = [['deadlineMs', schema.deadlineMs, (v) => ({ deadlineMs: v })],
    ['expectedInstances', schema.expectedInstances, (v) => ({ expectedInstances: v })],
    ['lease.ttlMs', schema.lease.properties.ttlMs, (v) => ({ lease: { ttlMs: v } })]];
  for (const [name, { minimum, maximum }, option] of bounds) {
    const takes = (v) => {
      try {
        new RateLimiter({ policies, store, ...option(v) }).dispose();
        return true;
      } catch (e) {
        assert.equal(e.code, 'CONFIG_INVALID', name);
        return false;
      }
    };
    assert.deepEqual([minimum - 1, minimum, maximum, maximum + 1].map(takes), [false, true, true, false], name);
  }
});

test('bad keys and costs throw synchronously, before any store call', () => {
  let calls = 0;
  const store = { evalScript() { calls++; return Promise.resolve([1, 0, 0, 0, 0, 0]); }, key: (t, n) => `${t}:${n}`, stats: () => ({}) };
  const limiter = new RateLimiter({ policies, store, mode: 'exact', maxKeyBytes: 8 });
  for (const [key, options, code] of [[1, undefined, 'LIMIT_BAD_KEY'], ['\ud800', undefined, 'LIMIT_BAD_KEY'],
    ['123456789', undefined, 'LIMIT_KEY_TOO_LONG'], ['k', { cost: 0 }, 'LIMIT_BAD_COST'], ['k', { cost: 6 }, 'LIMIT_COST_EXCEEDS_LIMIT'],
    ['k', { waitUntil: 1 }, 'CONFIG_INVALID']]) {
    assert.throws(() => limiter.check(key, options), (e) => (e instanceof RateLimitError || e instanceof ConfigError) && e.code === code, code);
  }
  assert.equal(calls, 0);
  limiter.dispose();
  assert.throws(() => limiter.check('k'), (e) => e.code === 'DISPOSED');
});

test('limiter names with \':\' are escaped in store keys: limiter api on key v2:alice and api:v2 on alice are two counters', async () => {
  const keys = [];
  const store = { evalScript(script, k) { keys.push(k.join(',')); return Promise.resolve([1, 4, 0, 0, 0, 0]); },
    key: (t, n) => `{${t}}:${n}`, stats: () => ({}) };
  const a = new RateLimiter({ policies, store, name: 'api', mode: 'exact' });
  const b = new RateLimiter({ policies, store, name: 'api:v2', mode: 'exact' });
  const c = new RateLimiter({ policies, store, name: 'api%3Av2', mode: 'exact' });
  await a.check('v2:alice');
  await b.check('alice');
  await c.check('alice');
  assert.equal(new Set(keys).size, 3, keys.join(' | '));
  for (const l of [a, b, c]) l.dispose();
});

test('a store that throws, rejects or replies garbage (injected faults): checks answer from the fallback, never reject', async () => {
  const faults = [() => { throw new Error('sync'); }, () => Promise.reject(new Error('async')), () => Promise.resolve(['no']), () => Promise.resolve([1, 9, 0, 0, 0, 0]),
    () => Promise.resolve([1e6, 0, 0, 0, 0, 0]), () => Promise.resolve([1, 0, 1e15, 0, 0, 0])];
  for (const mode of ['exact', 'local-first']) {
    for (const fault of faults) {
      const store = { evalScript: fault, key: (t, n) => `${t}:${n}`, stats: () => ({}) };
      const limiter = new RateLimiter({ policies, store, mode, expectedInstances: 5, clock: () => 0 });
      // The fallback holds limit / expectedInstances: 1 of the second's 5.
      const results = await Promise.all(Array.from({ length: 3 }, () => limiter.check('k')));
      assert.deepEqual(results.map((r) => [r.allowed, r.source, r.limit]),
        [[true, 'fallback', 1], [false, 'fallback', 1], [false, 'fallback', 1]], `${mode} ${fault}`);
      assert.equal(limiter.stats().storeErrors, limiter.stats().storeCalls);
      await assert.rejects(limiter.reset('k'), { name: 'StoreError', code: 'STORE_ERROR' });
      await assert.rejects(limiter.penalize('k', 1), { name: 'StoreError', code: 'STORE_ERROR' });
      limiter.dispose();
    }
    // 1 granted to a call of cost 2 (read as allowed, and a lease of -1 units).
    const partial = { evalScript: () => Promise.resolve([1, 0, 0, 0, 0, 0]), key: (t, n) => `${t}:${n}`, stats: () => ({}) };
    const short = new RateLimiter({ policies, store: partial, mode, clock: () => 0 });
    assert.equal((await short.check('k', { cost: 2 })).source, 'fallback', mode);
    short.dispose();
  }
});

test('exact, one GCRA policy: a CHECK reply of another shape falls back, never reads as allowed', async () => {
  const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
  for (const reply of [['no'], [1, 0, 0], [2, 0, 0, 0], [1, 0, 0, 0, 0, 0], [1, -1, 0, 0], [1, 1e15, 0, 0]]) {
    const store = { evalScript: () => Promise.resolve(reply), key: (t, n) => `${t}:${n}`, stats: () => ({}) };
    const limiter = new RateLimiter({ policies: one, store, mode: 'exact', onStoreError: 'closed', clock: () => 0 });
    const r = await limiter.check('k');
    assert.deepEqual([r.allowed, r.source], [false, 'fallback'], JSON.stringify(reply));
    assert.equal(limiter.stats().storeErrors, 1);
    limiter.dispose();
  }
});

test('exact on a store without slots: the checks of a stretch after its first go as one CHECK_MANY, each decided as if alone', async () => {
  const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
  for (const topology of ['standalone', 'cluster']) {
    for (const kind of KINDS) {
      const conn = await connect(kind, engines[topology]);
      try {
        const real = new RedisStore(conn.client, { deadlineMs: 2000, prefix: `many:${kind}:` });
        const sent = [];
        const store = { key: (t, n) => real.key(t, n), stats: () => real.stats(), spansTags: real.spansTags,
          evalScript: (script, keys, args, o) => { sent.push([script.name, keys.length]); return real.evalScript(script, keys, args, o); } };
        const limiter = new RateLimiter({ policies: one, store, name: `m${run++}`, mode: 'exact', clock: () => 1000, deadlineMs: 2000 });
        await Promise.all([CHECK.sha1(), CHECK_MANY.sha1()]);  // batching starts once both digests are known
        await settle();
        // 8 on a key of limit 5 and 3 on another, then 2 x 64 + 3 more on keys of their own: 1 + 64 + 64 + 3 checks after the first.
        const hot = await Promise.all([...Array(8).fill('hot'), ...Array(3).fill('cool')].map((k) => limiter.check(k)));
        assert.deepEqual(hot.map((r) => r.allowed), [true, true, true, true, true, false, false, false, true, true, true], `${kind} ${topology}`);
        assert.deepEqual(hot.map((r) => r.remaining), [4, 3, 2, 1, 0, 0, 0, 0, 4, 3, 2]);
        assert.ok(hot.every((r) => r.source === 'store'));
        const wide = await Promise.all(Array.from({ length: 132 }, (_, i) => limiter.check(`k${i}`)));
        assert.ok(wide.every((r) => r.allowed && r.source === 'store' && r.remaining === 4));
        const expected = topology === 'standalone'
          ? [['edgeguard.limit.check', 1], ['edgeguard.limit.check-many', 10], ['edgeguard.limit.check', 1],
            ['edgeguard.limit.check-many', 64], ['edgeguard.limit.check-many', 64], ['edgeguard.limit.check-many', 3]]
          : Array(143).fill(['edgeguard.limit.check', 1]);
        assert.deepEqual(sent, expected, `${kind} ${topology}: a Cluster's keys live in slots, one call a check`);
        assert.equal(limiter.stats().storeCalls, expected.length);
        limiter.dispose();
      } finally {
        await conn.close();
      }
    }
  }
});

test('exact: a CHECK_MANY that fails or replies another shape is every one of its checks\' fallback, never an allowance', async () => {
  const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
  const replies = [() => Promise.reject(new Error('down')), () => Promise.resolve([1, 0, 0, 0]), () => Promise.resolve([1, 0, 0, 0, 2, 0, 0, 0]),
    () => Promise.resolve([1, 0, 0, 0, 1, -1, 0, 0]), () => Promise.resolve(null), () => { throw new Error('sync'); }];
  for (const many of replies) {
    const store = { spansTags: true, key: (t, n) => `${t}:${n}`, stats: () => ({}),
      evalScript: (script) => (script.name === 'edgeguard.limit.check' ? Promise.resolve([1, 4, 200, 0]) : many()) };
    const limiter = new RateLimiter({ policies: one, store, mode: 'exact', onStoreError: 'closed', clock: () => 0 });
    await Promise.all([CHECK.sha1(), CHECK_MANY.sha1()]);
    await settle();
    const [first, ...rest] = await Promise.all(['a', 'b', 'c'].map((k) => limiter.check(k)));
    assert.deepEqual([first.allowed, first.source], [true, 'store']);
    assert.deepEqual(rest.map((r) => [r.allowed, r.source]), [[false, 'fallback'], [false, 'fallback']], String(many));
    assert.deepEqual([limiter.stats().storeCalls, limiter.stats().storeErrors], [2, 1]);
    limiter.dispose();
  }
});

test('exact: a store sharded behind a proxy (CROSSSLOT to a CHECK_MANY) gets its checks one by one, and no more batches', async () => {
  const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
  const sent = [];
  const store = { spansTags: true, key: (t, n) => `${t}:${n}`, stats: () => ({}),
    evalScript: (script) => {
      sent.push(script.name);
      if (script.name === 'edgeguard.limit.check-many') {
        return Promise.reject(storeFailed(new Error("CROSSSLOT Keys in request don't hash to the same slot")));
      }
      return Promise.resolve([1, 4, 200, 0]);
    } };
  const limiter = new RateLimiter({ policies: one, store, mode: 'exact', onStoreError: 'closed', clock: () => 0 });
  await Promise.all([CHECK.sha1(), CHECK_MANY.sha1()]);
  await settle();
  const first = await Promise.all(['a', 'b', 'c'].map((k) => limiter.check(k)));
  assert.deepEqual(first.map((r) => [r.allowed, r.source]), [[true, 'store'], [true, 'store'], [true, 'store']]);
  const second = await Promise.all(['d', 'e'].map((k) => limiter.check(k)));
  assert.deepEqual(second.map((r) => r.source), ['store', 'store']);
  assert.deepEqual(sent, ['edgeguard.limit.check', 'edgeguard.limit.check-many', 'edgeguard.limit.check', 'edgeguard.limit.check',
    'edgeguard.limit.check', 'edgeguard.limit.check']);
  limiter.dispose();
});

test('exact: a reset, penalty, reward or peek made after queued checks never overtakes them', async () => {
  const one = [{ name: 'second', limit: 5, windowMs: 1000 }];
  for (const op of ['reset', 'penalize', 'reward', 'peek']) {
    const sent = [];
    const store = { spansTags: true, key: (t, n) => `${t}:${n}`, stats: () => ({}),
      evalScript: (script, keys) => {
        sent.push(script.name);
        if (script.name === 'edgeguard.limit.check-many') return Promise.resolve(keys.flatMap(() => [1, 4, 200, 0]));
        if (script.name === 'edgeguard.limit.check') return Promise.resolve([1, 4, 200, 0]);
        return Promise.resolve(op === 'reset' ? 1 : [1, 0, 4, 200, 0, 0]);
      } };
    const limiter = new RateLimiter({ policies: one, store, mode: 'exact', clock: () => 0 });
    await Promise.all([CHECK.sha1(), CHECK_MANY.sha1()]);
    await settle();
    const checks = [limiter.check('u'), limiter.check('u'), limiter.check('u')];
    const after = op === 'peek' ? limiter.peek('u') : op === 'reset' ? limiter.reset('u') : limiter[op]('u', 1);
    await Promise.allSettled([...checks, after]);
    assert.deepEqual(sent.slice(0, 2), ['edgeguard.limit.check', 'edgeguard.limit.check-many'], `${op}: ${sent}`);
    assert.equal(sent.length, 3, op);
    limiter.dispose();
  }
});

test('a policy that drops its block (a new deploy) keeps working from the store: a block is part of the key\'s name', async () => {
  const conn = await connect('ioredis', engines.standalone);
  try {
    const store = new RedisStore(conn.client, { deadlineMs: 2000, prefix: 'block:' });
    const name = `block${run++}`;
    const make = (blockMs) => new RateLimiter({ policies: [{ name: 's', limit: 2, windowMs: 1000, blockMs }],
      store, name, mode: 'exact', clock: () => 5000, deadlineMs: 2000 });
    const blocking = make(60000);
    for (let i = 0; i < 3; i++) await blocking.check('k');
    assert.equal((await blocking.check('k')).retryAfterMs, 60000, 'blocked');
    // Its key holds the block's end beside the arrival time, which CHECK does not read.
    const plain = make(0);
    const r = await plain.check('k');
    assert.deepEqual([r.allowed, r.source], [true, 'store']);
    blocking.dispose();
    plain.dispose();
  } finally {
    await conn.close();
  }
});

test('penalize and reward send at most MAX_COST, as a local limiter takes, so the Lua and run see the same cost', async () => {
  const conn = await connect('ioredis', engines.standalone);
  try {
    const real = new RedisStore(conn.client, { deadlineMs: 2000, prefix: 'cost:' });
    const sent = [];
    const store = { key: (t, n) => real.key(t, n), stats: () => real.stats(),
      evalScript: (script, keys, args, o) => { sent.push([script, keys, args]); return real.evalScript(script, keys, args, o); } };
    const limiter = new RateLimiter({ policies, store, name: `t${run++}`, mode: 'exact', clock: () => 1000, deadlineMs: 2000 });
    await limiter.penalize('c', 2 ** 40);
    await limiter.reward('c', 2 ** 40);
    const state = new Map();
    for (const [script, keys, args] of sent) {
      assert.ok(args.slice(1, 3).every((n) => n <= MAX_COST), `costs sent: ${args.slice(1, 3)}`);
      assert.doesNotThrow(() => script.run(state, keys, args), 'run takes what the Lua took');
    }
    limiter.dispose();
  } finally {
    await conn.close();
  }
});

test('a store that never answers (one without deadlines of its own): every check still settles at the limiter\'s deadline', async () => {
  const time = new FakeTime();
  const store = { evalScript: () => new Promise(() => {}), key: (t, n) => `${t}:${n}`, stats: () => ({}) };
  for (const mode of ['exact', 'local-first']) {
    const limiter = new RateLimiter({ policies, store, mode, clock: time.clock, timers: time.timers, deadlineMs: 50 });
    let answer;
    limiter.check('k').then((r) => { answer = r; });
    await time.advance(49);
    assert.equal(answer, undefined, mode);
    await time.advance(1);
    await settle();
    assert.deepEqual([answer?.allowed, answer?.source], [true, 'fallback'], mode);
    const peeked = limiter.peek('k');
    await time.advance(50);
    assert.equal((await peeked).source, 'fallback');
    const penalty = assert.rejects(limiter.penalize('k', 1), { code: 'STORE_TIMEOUT' });
    await time.advance(50);
    await penalty;
    assert.equal(limiter.stats().storeErrors, 3);
    limiter.dispose();
  }
});

test('a policy whose limit or window changes (a new deploy) starts afresh in the store, never reads the old state in other units', async () => {
  const conn = await connect('ioredis', engines.standalone);
  try {
    const store = new RedisStore(conn.client, { deadlineMs: 2000, prefix: 'shape:' });
    const now = 1.7e12;
    const make = (limit, algorithm = 'gcra') => new RateLimiter({ policies: [{ name: 's', algorithm, limit, windowMs: 1000 }],
      store, name: `shape${run}`, mode: 'exact', clock: () => now, deadlineMs: 2000 });
    const before = make(7);
    for (let i = 0; i < 7; i++) assert.equal((await before.check('k')).allowed, true);
    // 7 per second counts time in 1/7 ms; 10 per second in ms: read as ms, the state of the old
    // policy is centuries ahead, and the key was locked out (and kept) for 2^40 ms.
    for (const after of [make(10), make(7, 'token-bucket')]) {
      const r = await after.check('k');
      assert.deepEqual([r.allowed, r.source], [true, 'store'], `retryAfterMs ${r.retryAfterMs}`);
      after.dispose();
    }
    before.dispose();
  } finally {
    await conn.close();
  }
});

test('a clock that steps back (NTP, a restored VM) locks no key out for the size of the step, in either mode', async () => {
  const conn = await connect('ioredis', engines.standalone);
  try {
    const store = new RedisStore(conn.client, { deadlineMs: 2000, prefix: 'step:' });
    for (const mode of ['exact', 'local-first']) {
      let now = 1.7e12;
      const limiter = new RateLimiter({ policies: [{ name: 's', limit: 5, windowMs: 1000 }], store, name: `step${run++}`, mode,
        clock: () => now, deadlineMs: 2000, lease: { units: 1 } });
      let allowed = 0;
      for (let i = 0; i < 10; i++) allowed += (await limiter.check('k')).allowed;
      assert.equal(allowed, 5, mode);
      now -= 3600000;
      assert.equal((await limiter.check('k')).allowed, false, `${mode}: time stands still at the step`);
      now += 1000;
      const r = await limiter.check('k');
      assert.deepEqual([r.allowed, r.source], [true, 'store'], `${mode}: retryAfterMs ${r.retryAfterMs}`);
      limiter.dispose();
    }
  } finally {
    await conn.close();
  }
});
