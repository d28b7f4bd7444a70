import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Retry, CircuitBreaker, BrokenCircuitError, TimeoutError, ConfigError, EdgeguardError }
  from '../../js/entry.node.js';
import { FakeTime, armedClock, coreCalls, response } from './resilience_fakes.js';
import { module } from '../../js/core.js';

before(() => init());

// An independent reference of the core's generator (splitmix64 seeding xoshiro256**, Lemire's
// bounded draw), in BigInt, to check the delays that come out of the wasm.
const M64 = (1n << 64n) - 1n;
const rotl = (x, k) => ((x << k) | (x >> (64n - k))) & M64;
function reference(seed) {
  let sm = BigInt(seed);
  const split = () => {
    sm = (sm + 0x9e3779b97f4a7c15n) & M64;
    let z = sm;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  const s = [split(), split(), split(), split()];
  const next = () => {
    const result = (rotl((s[1] * 5n) & M64, 7n) * 9n) & M64;
    const t = (s[1] << 17n) & M64;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45n);
    return result;
  };
  return (lo, hi) => {
    const span = BigInt(hi - lo + 1);
    for (;;) {
      const m = next() * span;
      const low = m & M64;
      if (low >= span || low >= ((1n << 64n) - span) % span) return lo + Number(m >> 64n);
    }
  };
}

const always = (outcome) => async () => { throw outcome; };

function retry(time, options = {}) {
  return new Retry({ clock: time.clock, sleep: time.sleep, budget: false, ...options });
}

async function delaysOf(options, failures) {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: failures + 1, ...options });
  let calls = 0;
  const run = r.execute(async () => {
    if (++calls <= failures) throw new TypeError('fetch failed');
    return 'ok';
  });
  await time.advance(1e9);
  assert.equal(await run, 'ok');
  return time.sleeps;
}

test('no jitter: base * 2^attempt, capped at maxMs', async () => {
  assert.deepEqual(await delaysOf({ jitter: 'none', baseMs: 100, maxMs: 1000 }, 6), [100, 200, 400, 800, 1000, 1000]);
});

test('full jitter draws uniformly in [0, min(max, base * 2^attempt)] from the seeded PRNG', async () => {
  const draw = reference(42);
  const expected = [0, 1, 2, 3, 4, 5].map((a) => draw(0, Math.min(1000, 100 * 2 ** a)));
  assert.deepEqual(await delaysOf({ jitter: 'full', seed: 42, baseMs: 100, maxMs: 1000 }, 6), expected);
  assert.notDeepEqual(await delaysOf({ jitter: 'full', seed: 43, baseMs: 100, maxMs: 1000 }, 6), expected);
});

test('equal jitter keeps half and draws the other half', async () => {
  const draw = reference(7);
  const expected = [0, 1, 2, 3, 4].map((a) => {
    const e = Math.min(1000, 100 * 2 ** a);
    return e - Math.floor(e / 2) + draw(0, Math.floor(e / 2));
  });
  assert.deepEqual(await delaysOf({ jitter: 'equal', seed: 7, baseMs: 100, maxMs: 1000 }, 5), expected);
});

test('decorrelated jitter draws in [base, previous * 3], capped', async () => {
  const draw = reference(2 ** 40 + 5);  // seeds above 32 bits reach the core whole
  let previous = 100;
  const expected = [];
  for (let i = 0; i < 6; i++) {
    previous = Math.min(5000, draw(100, previous * 3));
    expected.push(previous);
  }
  assert.deepEqual(await delaysOf({ jitter: 'decorrelated', seed: 2 ** 40 + 5, baseMs: 100, maxMs: 5000 }, 6),
    expected);
});

test('gives up after maxAttempts: the last error is thrown, the last response returned', async () => {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: 3, jitter: 'none' });
  const giveUps = [];
  r.on('giveUp', (e) => giveUps.push([e.reason, e.attempts]));
  let attempts = 0;
  const failing = r.execute(async () => { attempts++; throw new TypeError(`fail ${attempts}`); }).catch((e) => e);
  await time.advance(1e6);
  assert.match((await failing).message, /fail 3/);
  const unavailable = r.execute(async () => response(503));
  await time.advance(1e6);
  assert.equal((await unavailable).status, 503);
  assert.deepEqual(giveUps, [['maxAttempts', 3], ['maxAttempts', 3]]);
});

test('longestMs bounds a whole execute(): every attempt at its longest, every wait at its longest', async () => {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: 3, jitter: 'none', baseMs: 1000, maxMs: 1000, maxRetryAfterMs: 3000 });
  const start = time.now;
  let end;
  // Each attempt runs 200 ms and asks to be retried after 3 s, the longest wait allowed.
  const run = r.execute(async () => {
    await time.sleep(200);
    end = time.now;
    return response(503, { 'retry-after': '3' });
  });
  await time.advance(1e6);
  assert.equal((await run).status, 503);
  assert.equal(end - start, 3 * 200 + 2 * 3000);
  assert.equal(r.longestMs(200), end - start);
  // Its own per-attempt timeout bounds an attempt when that is shorter.
  assert.equal(retry(time, { maxAttempts: 2, maxMs: 500, timeoutMs: 100 }).longestMs(1000), 2 * 100 + 500);
  assert.equal(retry(time, { maxAttempts: 1, timeoutMs: 100 }).longestMs(50), 50);
});

test('4xx responses and our own refusals are not retried', async () => {
  const time = new FakeTime();
  const r = retry(time);
  assert.equal((await r.execute(async () => response(404))).status, 404);
  await assert.rejects(r.execute(always(new BrokenCircuitError('open', 1000))), BrokenCircuitError);
  assert.deepEqual(time.sleeps, []);
});

test('Retry-After on 429 and 503 replaces the backoff; too long gives up', async () => {
  const time = new FakeTime();
  time.now = Date.parse('2026-01-01T00:00:00Z');
  const r = retry(time, { maxAttempts: 4, jitter: 'none', maxRetryAfterMs: 30000 });
  const replies = [response(429, { 'Retry-After': '2' }),
    response(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:09 GMT' }),
    response(500, { 'Retry-After': '60' }),  // ignored on a 500: the backoff applies
    response(200)];
  const run = r.execute(async () => replies.shift());
  await time.advance(1e6);
  assert.equal((await run).status, 200);
  assert.deepEqual(time.sleeps, [2000, 7000, 400]);

  const giveUps = [];
  r.on('giveUp', (e) => giveUps.push(e.reason));
  const tooLong = await r.execute(async () => response(429, { 'Retry-After': '3600' }));
  assert.equal(tooLong.status, 429);
  assert.deepEqual(giveUps, ['retryAfterTooLong']);
});

test('POST is not retried unless told; GET and PUT are', async () => {
  const time = new FakeTime();
  const r = retry(time, { jitter: 'none' });
  const count = async (options, rr = r) => {
    let n = 0;
    const run = rr.execute(async () => { n++; return response(503); }, options);
    await time.advance(1e6);
    await run;
    return n;
  };
  assert.equal(await count({ method: 'POST' }), 1);
  assert.equal(await count({ method: 'patch' }), 1);
  assert.equal(await count({ method: 'GET' }), 3);
  assert.equal(await count({ method: 'put' }), 3);
  assert.equal(await count({ method: 'POST', idempotent: true }), 3);
  assert.equal(await count({ method: 'GET', idempotent: false }), 1);
  assert.equal(await count({ method: 'POST' }, retry(time, { retryNonIdempotent: true })), 3);
});

test('stops as soon as a circuit breaker opens', async () => {
  const time = new FakeTime();
  const breaker = new CircuitBreaker({ clock: time.clock, window: { size: 2 }, minimumCalls: 2 });
  const r = retry(time, { maxAttempts: 5, jitter: 'none' });
  let backend = 0;
  const run = r.execute(() => breaker.execute(async () => { backend++; throw new TypeError('down'); }))
    .catch((e) => e);
  await time.advance(1e6);
  assert.ok(await run instanceof BrokenCircuitError);
  assert.equal(backend, 2);
  assert.equal(time.sleeps.length, 2);
});

test('the retry budget stops a retry storm during an outage', async () => {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: 3, budget: { ratio: 0.2, minPerSecond: 1, windowMs: 10000 } });
  const reasons = new Map();
  r.on('giveUp', (e) => reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1));
  let backend = 0;
  const calls = [];
  for (let i = 0; i < 200; i++) {
    calls.push(r.execute(async () => { backend++; return response(503); }));
  }
  await time.advance(1e6);
  await Promise.all(calls);
  // Without the budget: 600 backend calls. With it: 200 + 20% of 200 + the 10-retry reserve.
  assert.equal(backend, 200 + 40 + 10);
  // 150 calls were refused their first retry, the 50 that got one were refused a second.
  assert.equal(reasons.get('budgetExhausted'), 200);
  assert.equal(r.metrics().budget.exhausted, reasons.get('budgetExhausted'));
  assert.equal(r.metrics().budget.balance, 10);  // the outage has left the window: the reserve is back
});

test('the budget refills as the outage calls leave the window', async () => {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: 2, budget: { ratio: 0, minPerSecond: 1, windowMs: 2000 },
    sleep: async () => {} });
  const attempts = async () => {
    let n = 0;
    await r.execute(async () => { n++; return response(503); });
    return n;
  };
  assert.equal(await attempts(), 2);
  assert.equal(await attempts(), 2);
  assert.equal(await attempts(), 1);  // the 2-retry reserve is spent
  time.now += 2000;
  assert.equal(await attempts(), 2);
});

test('fn gets a signal and the attempt number; aborting stops the wait', async () => {
  const time = new FakeTime();
  const r = retry(time, { jitter: 'none', baseMs: 1000 });
  const controller = new AbortController();
  const seen = [];
  const run = r.execute(async (signal, attempt) => {
    seen.push([signal === controller.signal, attempt]);
    throw new TypeError('down');
  }, { signal: controller.signal });
  await time.advance(10);
  controller.abort(new Error('gone'));
  await assert.rejects(run, /gone/);
  assert.deepEqual(seen, [[true, 1]]);
});

test('timeoutMs bounds each attempt, and a timed-out attempt is retried', async () => {
  const time = new FakeTime();
  const r = new Retry({ clock: time.clock, timers: time.timers, budget: false, jitter: 'none', timeoutMs: 50 });
  const signals = [];
  const run = r.execute((signal, attempt) => {
    signals.push(signal);
    return attempt < 3 ? new Promise(() => {}) : Promise.resolve('third time');
  });
  await time.advance(1e6);
  assert.equal(await run, 'third time');
  assert.deepEqual(signals.map((s) => s.aborted), [true, true, false]);
  assert.ok(signals[0].reason instanceof TimeoutError);
  assert.equal(time.now, 1e6);
  assert.equal(time.pending, 0);
});

test('custom retryOn decides, with the attempt number', async () => {
  const time = new FakeTime();
  const seen = [];
  const r = retry(time, { jitter: 'none', retryOn: (o, { thrown, attempt }) => { seen.push([o, thrown, attempt]); return o === 'again'; } });
  const replies = ['again', 'done'];
  const run = r.execute(async () => replies.shift());
  await time.advance(1e6);
  assert.equal(await run, 'done');
  assert.deepEqual(seen, [['again', false, 1], ['done', false, 2]]);
});

test('bad options are refused with CONFIG_INVALID', () => {
  for (const options of [{ maxAttempts: 0 }, { maxAttempts: 101 }, { jitter: 'random' }, { baseMs: 0 },
    { baseMs: 100, maxMs: 50 }, { budget: { ratio: -1 } }, { budget: { windowMs: 1000, buckets: 3 } },
    { budget: 'yes' }, { seed: -1 }, { seed: 1.5 }, { sleep: 5 }, { retryNonIdempotent: 'no' }]) {
    assert.throws(() => new Retry(options), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID',
      JSON.stringify(options));
  }
});

test('bad inputs to execute are refused with INVALID_INPUT', async () => {
  const r = new Retry();
  await assert.rejects(r.execute('not a function'), { code: 'INVALID_INPUT' });
  await assert.rejects(r.execute(async () => 1, { method: 42 }), { code: 'INVALID_INPUT' });
  r.dispose();
  await assert.rejects(r.execute(async () => 1), { code: 'DISPOSED' });
});

test('without a seed, delays still respect the formula bounds', async () => {
  const time = new FakeTime();
  const r = retry(time, { maxAttempts: 6, baseMs: 100, maxMs: 1000 });
  const run = r.execute(always(new TypeError('down'))).catch((e) => e);
  await time.advance(1e9);
  assert.ok(await run instanceof TypeError);
  assert.equal(time.sleeps.length, 5);
  time.sleeps.forEach((d, a) => assert.ok(d >= 0 && d <= Math.min(1000, 100 * 2 ** a), `${d} at ${a}`));
});

test('bad call options reject before the first attempt or any timer', async () => {
  const time = new FakeTime();
  const r = new Retry({ clock: time.clock, timers: time.timers, timeoutMs: 50, budget: false });
  let calls = 0;
  const fn = async () => { calls++; };
  for (const options of [{ signal: {} }, { signal: null }, { idempotent: 'yes' }, { method: 5 }, 'GET']) {
    await assert.rejects(r.execute(fn, options), (e) => e.code === 'CONFIG_INVALID' || e.code === 'INVALID_INPUT',
      JSON.stringify(options));
  }
  assert.equal(calls, 0);
  assert.equal(time.pending, 0);
});

test("the default sleep survives a signal whose listener methods throw", async () => {
  const time = new FakeTime();
  const r = new Retry({ clock: time.clock, timers: time.timers, budget: false, jitter: 'none', baseMs: 10 });
  let calls = 0;
  const sticky = { aborted: false, addEventListener() {}, removeEventListener() { throw new Error('stuck'); } };
  const run = r.execute(async () => { if (++calls < 2) throw new TypeError('fetch failed'); return 'ok'; }, { signal: sticky });
  await time.advance(1000);
  assert.equal(await run, 'ok');
});

test('a Retry-After date is read against the clock as it is, also after the clock stepped back', async () => {
  const time = new FakeTime();
  time.now = Date.parse('2026-01-01T01:00:00Z');
  const r = retry(time, { maxAttempts: 2, jitter: 'none', maxRetryAfterMs: 30000 });
  await r.execute(async () => response(200));
  time.now = Date.parse('2026-01-01T00:00:00Z');  // the clock corrected an hour back
  const replies = [response(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:09 GMT' }), response(200)];
  const run = r.execute(async () => replies.shift());
  await time.advance(1e6);
  assert.equal((await run).status, 200);
  assert.deepEqual(time.sleeps, [9000]);
});

test('a clock or classifier that disposes the retry mid-call: DISPOSED or the outcome, and the freed handle never reaches the core', async (t) => {
  const calls = coreCalls(t, module('resilience'), '_eg_retry_');
  const disposed = (e) => e instanceof EdgeguardError && e.code === 'DISPOSED';
  const made = (options = {}) => {
    const clock = armedClock();
    const made1 = { clock };
    made1.r = new Retry({ clock, sleep: async () => {}, maxAttempts: 3, seed: 1, ...options });
    made1.handle = made1.r.handle;
    clock.onRead = () => made1.r.dispose();
    return made1;
  };
  const cases = {
    'the clock, starting execute()': async () => {
      const m = made();
      m.clock.armed = true;
      await assert.rejects(m.r.execute(async () => 'ok'), disposed);
      return m;
    },
    'the clock, in metrics()': () => {
      const m = made();
      m.clock.armed = true;
      assert.throws(() => m.r.metrics(), disposed);
      return m;
    },
    'the classifier, after a failed attempt': async () => {
      const m = made({ retryOn: () => { m.r.dispose(); return true; } });
      let attempts = 0;
      await assert.rejects(m.r.execute(async () => { attempts++; throw new TypeError('x'); }), TypeError);
      assert.equal(attempts, 1, 'no attempt after the dispose');
      return m;
    },
  };
  for (const [name, run] of Object.entries(cases)) {
    const from = calls.length;
    const { handle } = await run();
    const mine = calls.slice(from);
    const freed = mine.findIndex(([n, h]) => n === '_eg_retry_free' && h === handle);
    assert.ok(freed >= 0, `${name}: disposed`);
    assert.deepEqual(mine.filter(([, h], k) => h === 0 || (k > freed && h === handle)), [], name);
  }
});
