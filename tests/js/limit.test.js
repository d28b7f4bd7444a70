import { test, before, mock } from 'node:test';
import assert from 'node:assert/strict';
import {
  init, RateLimiter, RateLimitError, ConfigError, EdgeguardError,
} from '../../js/entry.node.js';
import { mockTimers } from './resilience_fakes.js';
import { ALGORITHMS } from '../../js/limit-algorithms.js';
import { bytesRunning } from './running-bytes.js';

before(() => init());

// A fake clock: tests move time explicitly, never sleep.
function fakeClock(start = 0) {
  const clock = () => clock.now;
  clock.now = start;
  return clock;
}

function limiter(policies, options = {}) {
  const clock = options.clock ?? fakeClock();
  return { rl: new RateLimiter({ policies, clock, ...options }), clock };
}

function drain(rl, key, options) {
  let n = 0;
  while (rl.check(key, options).allowed) n++;
  return n;
}

const BURST_AND_DAILY = [
  { name: 'burst', limit: 10, windowMs: 1000 },
  { name: 'daily', limit: 1000, windowMs: 86_400_000 },
];

test('draft headers: RateLimit-Policy lists every policy, RateLimit the most constraining', () => {
  const { rl } = limiter(BURST_AND_DAILY);
  for (let i = 0; i < 6; i++) rl.check('client');
  const r = rl.check('client');
  assert.equal(r.allowed, true);
  assert.equal(r.policy, 'burst');
  assert.equal(r.remaining, 3);
  assert.deepEqual(r.headers, {
    'RateLimit-Policy': '"burst";q=10;w=1, "daily";q=1000;w=86400',
    RateLimit: '"burst";r=3;t=1',
  });
});

test('draft headers on a rejection add Retry-After in whole seconds, rounded up', () => {
  const { rl, clock } = limiter([{ name: 'minute', limit: 2, windowMs: 60_000 }]);
  rl.check('k');
  clock.now = 10_000;
  rl.check('k');
  const r = rl.check('k');
  assert.equal(r.allowed, false);
  assert.equal(r.retryAfterMs, 20_000);  // one unit per 30 s, the first back at 30 s
  assert.deepEqual(r.headers, {
    'RateLimit-Policy': '"minute";q=2;w=60',
    RateLimit: '"minute";r=0;t=50',
    'Retry-After': '20',
  });
  clock.now = 10_001;
  assert.equal(rl.check('k').headers['Retry-After'], '20');  // 19.999 s -> 20
});

test('draft-6 headers', () => {
  const { rl } = limiter(BURST_AND_DAILY, { headers: 'draft-6' });
  for (let i = 0; i < 7; i++) rl.check('k');
  assert.deepEqual(rl.check('k').headers, {
    'RateLimit-Policy': '10;w=1, 1000;w=86400',
    'RateLimit-Limit': '10',
    'RateLimit-Remaining': '2',
    'RateLimit-Reset': '1',
  });
  rl.check('k');
  rl.check('k');
  assert.deepEqual(rl.check('k').headers, {
    'RateLimit-Policy': '10;w=1, 1000;w=86400',
    'RateLimit-Limit': '10',
    'RateLimit-Remaining': '0',
    'RateLimit-Reset': '1',
    'Retry-After': '1',
  });
});

test('x headers: X-RateLimit-Reset is Unix time in seconds on the injected clock', () => {
  const { rl } = limiter([{ name: 'h', limit: 100, windowMs: 3_600_000, algorithm: 'fixed-window' }],
    { headers: 'x', clock: fakeClock(1_700_000_100_500) });
  assert.deepEqual(rl.check('k').headers, {
    'X-RateLimit-Limit': '100',
    'X-RateLimit-Remaining': '99',
    'X-RateLimit-Reset': '1700002800',  // the aligned hour ends at 1,700,002,800 s
  });
});

test('policy names are sf-strings: quotes and backslashes are escaped', () => {
  const { rl } = limiter([{ name: 'a "quoted" \\ name', limit: 5, windowMs: 1000 }]);
  assert.deepEqual(rl.check('k').headers, {
    'RateLimit-Policy': '"a \\"quoted\\" \\\\ name";q=5;w=1',
    RateLimit: '"a \\"quoted\\" \\\\ name";r=4;t=1',
  });
});

test('unnamed policies get a descriptive default name; headers: false formats nothing', () => {
  const { rl } = limiter([{ limit: 5, windowMs: 60_000 }], { headers: false });
  const r = rl.check('k');
  assert.equal(r.policy, '5-in-60s');
  assert.deepEqual(r.headers, {});
});

test('the members of a policy are read as properties: getters and inherited ones count', () => {
  class Login {
    constructor() { this.name = 'login'; this.limit = 1; this.windowMs = 60_000; }
    get algorithm() { return 'fixed-window'; }
    get blockMs() { return 3_600_000; }
  }
  const inherited = Object.assign(Object.create({ algorithm: 'sliding-log', blockMs: 5_000, limit: 2 }),
    { name: 'api', windowMs: 1_000 });
  const rl = new RateLimiter({ policies: [new Login(), inherited] });
  assert.deepEqual(rl.policies.map(({ name, algorithm, limit, blockMs }) => ({ name, algorithm, limit, blockMs })), [
    { name: 'login', algorithm: 'fixed-window', limit: 1, blockMs: 3_600_000 },
    { name: 'api', algorithm: 'sliding-log', limit: 2, blockMs: 5_000 },
  ]);
  rl.dispose();
});

test('a result is a plain set of numbers plus lazily formatted headers', () => {
  const { rl } = limiter(BURST_AND_DAILY);
  const r = rl.check('k');
  assert.deepEqual({ ...r }, {
    allowed: true, remaining: 9, limit: 10, resetMs: 100, retryAfterMs: 0, policy: 'burst',
  });
  assert.equal(r.headers, r.headers);  // formatted once
});

for (const algorithm of ['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log']) {
  test(`${algorithm}: limit allowed, limit + 1 rejected, full again at reset, cost > 1`, () => {
    const { rl, clock } = limiter([{ name: 'p', limit: 5, windowMs: 1000, algorithm }]);
    for (let i = 0; i < 5; i++) assert.equal(rl.check('k').remaining, 4 - i);
    const over = rl.check('k');
    assert.equal(over.allowed, false);
    assert.ok(over.retryAfterMs > 0);
    assert.equal(over.headers['Retry-After'], String(Math.ceil(over.retryAfterMs / 1000)));
    // Exactly at the reset the client gave, it is allowed.
    clock.now = over.retryAfterMs;
    assert.equal(rl.check('k').allowed, true, 'allowed at retryAfterMs');
    // Long idle: back at full allowance.
    clock.now = 10_000;
    assert.equal(rl.peek('k').remaining, 5);
    assert.equal(rl.check('k', { cost: 3 }).remaining, 2);
    assert.equal(rl.check('k', { cost: 3 }).allowed, false);
    assert.equal(rl.check('k', { cost: 2 }).remaining, 0);
  });
}

test('gcra: the (limit + 1)th call waits exactly one emission interval', () => {
  const { rl, clock } = limiter([{ name: 'p', limit: 10, windowMs: 1000 }]);
  assert.equal(drain(rl, 'k'), 10);
  assert.equal(rl.peek('k').retryAfterMs, 100);
  clock.now = 99;
  assert.equal(rl.check('k').allowed, false);
  clock.now = 100;
  assert.equal(rl.check('k').allowed, true);
});

test('fixed-window shows its boundary double burst; sliding-window does not', () => {
  for (const [algorithm, second] of [['fixed-window', 5], ['sliding-window', 0], ['sliding-log', 0]]) {
    const { rl, clock } = limiter([{ name: 'p', limit: 5, windowMs: 1000, algorithm }]);
    clock.now = 999;
    assert.equal(drain(rl, 'k'), 5);
    clock.now = 1000;
    assert.equal(drain(rl, 'k'), second, algorithm);
  }
});

test('several policies: a call is allowed only if all allow it, and a rejected call consumes nothing', () => {
  const { rl, clock } = limiter([
    { name: 'burst', limit: 3, windowMs: 1000 },
    { name: 'hourly', limit: 5, windowMs: 3_600_000, algorithm: 'fixed-window' },
  ]);
  assert.equal(drain(rl, 'k'), 3);
  for (let i = 0; i < 20; i++) assert.equal(rl.check('k').allowed, false);
  clock.now = 1000;
  assert.equal(drain(rl, 'k'), 2);  // the 21 rejected calls did not eat the hourly quota
  const r = rl.check('k');
  assert.equal(r.policy, 'hourly');
  assert.equal(r.retryAfterMs, 3_600_000 - 1000);
  const s = rl.stats();
  assert.equal(s.allowed, 5);
  assert.equal(s.rejected, 23);
  assert.deepEqual(s.policies.hourly, { allowed: 5, rejected: 2, blocks: 0 });
  assert.deepEqual(s.policies.burst, { allowed: 5, rejected: 21, blocks: 0 });
});

test('a clock that does not advance still counts every call', () => {
  const { rl } = limiter(BURST_AND_DAILY, { clock: () => 1_700_000_000_000 });
  assert.equal(drain(rl, 'k'), 10);
  assert.equal(rl.peek('k').retryAfterMs, 100);
});

test('blockMs: going over blocks the key for that long, then it recovers', () => {
  const { rl, clock } = limiter([{ name: 'login', limit: 3, windowMs: 60_000, blockMs: 900_000 }]);
  assert.equal(drain(rl, 'user'), 3);
  clock.now = 300_000;  // the bucket has refilled, the block has not ended
  const r = rl.check('user');
  assert.equal(r.allowed, false);
  assert.equal(r.retryAfterMs, 600_000);
  assert.equal(r.headers['Retry-After'], '600');
  clock.now = 900_000;
  assert.equal(rl.check('user').allowed, true);
  assert.equal(rl.stats().policies.login.blocks, 1);
});

test('blockMs: while blocked, retryAfterMs, resetMs and the headers say when the algorithm allows the call too', () => {
  const { rl, clock } = limiter([{ name: 'login', limit: 1, windowMs: 60_000, blockMs: 10_000 }]);
  assert.equal(rl.check('user').allowed, true);
  for (let i = 0; i < 3; i++) {  // the first goes over and blocks; the others meet the block
    const r = rl.check('user');
    assert.equal(r.allowed, false);
    assert.equal(r.retryAfterMs, 60_000);  // the bucket's wait, not the block's 10 s
    assert.equal(r.resetMs, 60_000);
    assert.deepEqual(r.headers, { 'RateLimit-Policy': '"login";q=1;w=60', RateLimit: '"login";r=0;t=60', 'Retry-After': '60' });
  }
  clock.now = 59_999;
  assert.equal(rl.peek('user').allowed, false);
  clock.now = 60_000;
  assert.equal(rl.check('user').allowed, true);
  assert.equal(rl.stats().policies.login.blocks, 1);  // refusals during the block did not extend it
  for (const algorithm of ['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log']) {
    const { rl: l, clock: c } = limiter([{ name: 'p', limit: 1, windowMs: 100, blockMs: 10, algorithm }]);
    l.check('k');
    const over = l.check('k');
    const blocked = l.check('k');
    assert.equal(blocked.retryAfterMs, over.retryAfterMs, algorithm);
    c.now = blocked.retryAfterMs;
    assert.equal(l.check('k').allowed, true, `${algorithm}: allowed once retryAfterMs has passed`);
  }
});

test('peek consumes nothing; reset forgets; penalize and reward move the allowance', () => {
  const { rl } = limiter([{ name: 'p', limit: 10, windowMs: 1000 }]);
  assert.equal(rl.peek('k').remaining, 10);
  assert.equal(rl.stats().keys, 0);
  rl.check('k', { cost: 4 });
  assert.equal(rl.peek('k').remaining, 6);
  assert.equal(rl.peek('k').remaining, 6);
  rl.penalize('k', 10);
  const p = rl.peek('k');
  assert.equal(p.allowed, false);
  assert.equal(p.retryAfterMs, 500);
  rl.reward('k', 7);
  assert.equal(rl.peek('k').remaining, 3);
  assert.equal(rl.reset('k'), true);
  assert.equal(rl.reset('k'), false);
  assert.equal(rl.peek('k').remaining, 10);
});

test('cost: more than a policy can ever allow is a typed error; bad costs too', () => {
  const { rl } = limiter([{ name: 'big', limit: 100, windowMs: 1000 }, { name: 'small', limit: 5, windowMs: 1000 }]);
  assert.throws(() => rl.check('k', { cost: 6 }), (e) => e instanceof RateLimitError &&
    e instanceof EdgeguardError && e.code === 'LIMIT_COST_EXCEEDS_LIMIT' && e.policy === 'small' &&
    /cost 6 can never be allowed: policy "small" allows at most 5/.test(e.message));
  for (const cost of [0, -1, 1.5, '2', NaN, null]) {
    assert.throws(() => rl.check('k', { cost }), { code: 'LIMIT_BAD_COST' }, String(cost));
  }
  assert.throws(() => rl.penalize('k', -1), { code: 'LIMIT_BAD_COST' });
  assert.equal(rl.check('k', { cost: 5 }).allowed, true);
  assert.equal(rl.check('k2', null).remaining, 4);  // no options at all: cost 1
  assert.equal(rl.stats().keys, 2);
});

test('burst raises the most a single call may cost', () => {
  const { rl } = limiter([{ name: 'b', limit: 2, windowMs: 1000, burst: 8 }]);
  assert.equal(rl.check('k', { cost: 8 }).allowed, true);
  assert.throws(() => rl.check('k', { cost: 9 }), { code: 'LIMIT_COST_EXCEEDS_LIMIT' });
});

test('keys: any string or bytes; equal UTF-8 bytes are the same key', () => {
  const { rl } = limiter([{ name: 'p', limit: 2, windowMs: 1000 }]);
  rl.check('ключ-🔑');
  rl.check(new TextEncoder().encode('ключ-🔑'));
  assert.equal(rl.check('ключ-🔑').allowed, false);
  assert.equal(rl.check('').allowed, true);
  assert.equal(rl.check('x'.repeat(1024)).allowed, true);
  assert.throws(() => rl.check('x'.repeat(1025)), { code: 'LIMIT_KEY_TOO_LONG' });
  assert.throws(() => rl.check('\ud800'), { code: 'LIMIT_BAD_KEY' });
  assert.throws(() => rl.check(42), { code: 'LIMIT_BAD_KEY' });
  assert.throws(() => rl.check(undefined), { code: 'LIMIT_BAD_KEY' });
});

test('a clock returning something other than a finite number is a typed error', () => {
  const { rl, clock } = limiter([{ name: 'p', limit: 2, windowMs: 1000 }]);
  clock.now = NaN;
  assert.throws(() => rl.check('k'), { code: 'CLOCK_INVALID' });
  clock.now = undefined;
  assert.throws(() => rl.peek('k'), { code: 'CLOCK_INVALID' });
});

test('a clock stepping back an hour locks no key out for the hour, in any algorithm', () => {
  for (const algorithm of ['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log']) {
    const { rl, clock } = limiter([{ name: 'p', limit: 5, windowMs: 1000, algorithm }]);
    clock.now = 3_600_000;
    while (rl.check('k').allowed);
    clock.now = 0;
    const refused = rl.check('k');
    assert.equal(refused.allowed, false, algorithm);
    assert.ok(refused.retryAfterMs <= 2000, `${algorithm}: ${refused.retryAfterMs}`);  // within two windows
    clock.now = refused.retryAfterMs;
    assert.equal(rl.check('k').allowed, true, `${algorithm}: allowed once retryAfterMs has passed`);
  }
});

test('cost must be an integer the core can take: NaN, fractions, negatives and non-numbers are refused', () => {
  const { rl } = limiter([{ name: 'p', limit: 5, windowMs: 1000 }]);
  for (const cost of [NaN, 1.5, -1, 0, Infinity, '1', null]) {
    assert.throws(() => rl.check('k', { cost }), { code: 'LIMIT_BAD_COST' }, String(cost));
  }
  assert.throws(() => rl.check('k', { cost: 2 ** 40 }), { code: 'LIMIT_COST_EXCEEDS_LIMIT' });
  assert.equal(rl.check('k').remaining, 4, 'nothing was consumed by the refused calls');
});

test('invalid configurations throw ConfigError with a stable code', () => {
  const ok = { name: 'p', limit: 10, windowMs: 1000 };
  const cases = [
    [{}, 'LIMIT_NO_POLICIES'],
    [{ policies: [] }, 'LIMIT_NO_POLICIES'],
    [{ policies: Array.from({ length: 17 }, (_, i) => ({ ...ok, name: `p${i}` })) }, 'LIMIT_TOO_MANY_POLICIES'],
    [{ policies: [null] }, 'LIMIT_BAD_POLICY'],
    [{ policies: [{ ...ok, algorithm: 'leaky' }] }, 'LIMIT_BAD_ALGORITHM'],
    [{ policies: [{ ...ok, limit: 0 }] }, 'LIMIT_BAD_LIMIT'],
    [{ policies: [{ ...ok, limit: 1.5 }] }, 'LIMIT_BAD_LIMIT'],
    [{ policies: [{ ...ok, limit: '10' }] }, 'LIMIT_BAD_LIMIT'],
    [{ policies: [{ ...ok, limit: 2 ** 31 }] }, 'LIMIT_BAD_LIMIT'],
    [{ policies: [{ ...ok, windowMs: 0 }] }, 'LIMIT_BAD_WINDOW'],
    [{ policies: [{ ...ok, windowMs: undefined }] }, 'LIMIT_BAD_WINDOW'],
    [{ policies: [{ ...ok, burst: 0 }] }, 'LIMIT_BAD_BURST'],
    [{ policies: [{ ...ok, algorithm: 'fixed-window', burst: 5 }] }, 'LIMIT_BAD_BURST'],
    [{ policies: [{ ...ok, blockMs: -5 }] }, 'LIMIT_BAD_BLOCK'],
    [{ policies: [{ ...ok, name: '' }] }, 'LIMIT_BAD_POLICY_NAME'],
    [{ policies: [{ ...ok, name: 'tab\there' }] }, 'LIMIT_BAD_POLICY_NAME'],
    [{ policies: [ok, ok] }, 'LIMIT_BAD_POLICY_NAME'],
    [{ policies: [{ ...ok, algorithm: 'sliding-log', limit: 1001 }] }, 'LIMIT_LOG_TOO_LARGE'],
    [{ policies: [{ ...ok, algorithm: 'sliding-log', limit: 1000 }], maxKeys: 1_000_000 }, 'LIMIT_TABLE_TOO_LARGE'],
    [{ policies: [ok], maxKeys: 0 }, 'LIMIT_BAD_MAX_KEYS'],
    [{ policies: [ok], maxKeys: 1.5 }, 'LIMIT_BAD_MAX_KEYS'],
    [{ policies: [ok], maxKeyBytes: 0 }, 'LIMIT_BAD_MAX_KEY_BYTES'],
    [{ policies: [ok], clock: 5 }, 'LIMIT_BAD_CLOCK'],
    [{ policies: [ok], headers: 'draft-7' }, 'LIMIT_BAD_HEADERS'],
  ];
  for (const [options, code] of cases) {
    assert.throws(() => new RateLimiter(options), (e) => e instanceof ConfigError && e.code === code,
      `${code}: ${JSON.stringify(options).slice(0, 80)}`);
  }
  assert.throws(() => new RateLimiter({ policies: [ok, { name: 'daily', limit: 10, windowMs: -1 }] }),
    (e) => e.policy === 1 && /^policies\[1\] \("daily"\): windowMs/.test(e.message));
});

test('eviction keeps maxKeys: keys back at full allowance go first, then the least recently seen', () => {
  const { rl, clock } = limiter([{ name: 'p', limit: 2, windowMs: 1000 }], { maxKeys: 3 });
  clock.now = 100;
  rl.check('a', { cost: 2 });  // empty until 1100
  clock.now = 500;
  rl.check('b');               // full again at 1000
  clock.now = 900;
  rl.check('c', { cost: 2 });  // empty until 1900
  clock.now = 1000;
  rl.check('d');               // evicts b, not the older a
  assert.equal(rl.peek('a').remaining, 1);  // still tracked: a forgotten key would have 2
  assert.deepEqual([rl.stats().evictions, rl.stats().evictionsActive], [1, 0]);
  rl.check('e');               // nobody is full: evicts a, the least recently seen
  assert.equal(rl.peek('a').remaining, 2);
  assert.equal(rl.peek('c').remaining, 0);
  assert.deepEqual([rl.stats().keys, rl.stats().evictions, rl.stats().evictionsActive], [3, 2, 1]);
});

test('many distinct keys through a small table: memory stays flat', async () => {
  const { rl, clock } = limiter([{ name: 'p', limit: 10, windowMs: 1000 }], { maxKeys: 10_000 });
  const { module } = await import('../../js/core.js');
  for (let i = 0; i < 10_000; i++) rl.check(`ip:${i}`);
  const full = rl.stats();
  const wasmBytes = module().HEAPU8.buffer.byteLength;
  for (let i = 10_000; i < 200_000; i++) {
    clock.now = i;
    rl.check(`ip:${i}`);
  }
  const after = rl.stats();
  assert.equal(after.keys, 10_000);
  assert.equal(after.evictions, 190_000);
  assert.equal(after.memoryBytes, full.memoryBytes);
  assert.ok(full.memoryBytes / full.keys <= 48, `${full.memoryBytes / full.keys} bytes per key`);
  assert.equal(module().HEAPU8.buffer.byteLength, wasmBytes);
});

test('dispose frees the limiter; later calls are a typed error', () => {
  const { rl } = limiter([{ name: 'p', limit: 2, windowMs: 1000 }]);
  rl.dispose();
  rl.dispose();
  assert.equal(rl.disposed, true);
  assert.throws(() => rl.check('k'), { code: 'DISPOSED' });
  assert.throws(() => rl.stats(), { code: 'DISPOSED' });
});

test('the default clock reads Date.now at most once per synchronous stretch: calls in one stretch are one burst', async (t) => {
  mockTimers(t, 1_000_000);
  await Promise.resolve();  // an earlier stretch's reading expires
  const rl = new RateLimiter({ policies: [{ name: 'p', limit: 1, windowMs: 1000 }] });
  assert.equal(rl.check('k').allowed, true);
  mock.timers.setTime(1_005_000);  // time passed, but within the same stretch
  assert.equal(rl.check('k').allowed, false);
  await Promise.resolve();
  assert.equal(rl.check('k').allowed, true);
  rl.dispose();
});

test('a rate whose calls would vanish in rounding at wall-clock times is refused (10^9 per minute let every call through)', () => {
  assert.throws(() => new RateLimiter({ policies: [{ limit: 1_000_000_000, windowMs: 60_000 }] }),
    (e) => e instanceof ConfigError && e.code === 'LIMIT_BAD_LIMIT' && /shares more factors/.test(e.message));
  const rl = new RateLimiter({ policies: [{ limit: 10_000_000, windowMs: 60_000 }], clock: () => 1.7e12 });
  rl.dispose();
});

// The core reads an algorithm by name (limit_options.cpp's table) and JS reads it back by number
// (Algorithm's names, js/seam/): every name must come back as itself.
test('every algorithm name reaches the core as its own Algorithm', () => {
  for (const algorithm of ALGORITHMS) {
    const rl = new RateLimiter({ policies: [{ name: 'p', algorithm, limit: 1, windowMs: 1000 }] });
    assert.equal(rl.policies[0].algorithm, algorithm);
    rl.dispose();
  }
});

test('a byte key whose length getter disposes the limiter: DISPOSED, and the limiter made at the freed address is untouched', () => {
  const policies = [{ name: 'p', limit: 1, windowMs: 60000 }];
  const a = new RateLimiter({ policies });
  let b;
  const key = bytesRunning([107], () => {
    a.dispose();
    b = new RateLimiter({ policies });
  });
  assert.throws(() => a.check(key), (e) => e.code === 'DISPOSED');
  assert.equal(b.check('k').allowed, true, 'no call of a was counted against b');
  b.dispose();
});
