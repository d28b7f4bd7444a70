// Properties of RateLimiter: under a monotonic clock no algorithm allows more than its model
// permits, refusals say honestly when to come back (also after the clock steps back), and
// impossible clocks, keys, costs and options are typed errors, never allowances.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RateLimiter, RateLimitError } from '../../../js/entry.node.js';
import { property } from './property.js';
import { attempt, describe, UserFailure } from './verdict.js';
import {
  Clock, THROW, option, wrongType, edgeNumber, anyKey, textKey, impossibleReading, extremeReading,
  detachedBuffer,
} from './hostile.js';
import { assertCanaries } from './canary.js';

const ALGORITHMS = ['gcra', 'token-bucket', 'sliding-window', 'fixed-window', 'sliding-log'];

const policyArb = fc.record({
  algorithm: fc.constantFrom(...ALGORITHMS),
  limit: fc.integer({ min: 1, max: 5 }),
  windowMs: fc.integer({ min: 10, max: 1000 }),
  burst: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  blockMs: fc.constantFrom(0, 0, 50, 500),
}).map((p) => (p.algorithm === 'gcra' || p.algorithm === 'token-bucket' ? p : { ...p, burst: undefined }));

// Units held at once (burst, default limit), and the most a window may ever see counted.
const capacity = (p) => p.burst ?? p.limit;
const ceiling = (p) => Math.max(p.limit, capacity(p));

function assertShape(r, p) {
  const where = `result ${JSON.stringify(r)}`;
  assert.equal(typeof r.allowed, 'boolean', where);
  for (const k of ['remaining', 'resetMs', 'retryAfterMs']) assert.ok(Number.isFinite(r[k]) && r[k] >= 0, `${k} in ${where}`);
  assert.equal(r.limit, p.limit, where);
  if (r.allowed) assert.equal(r.retryAfterMs, 0, where);
  else assert.ok(r.retryAfterMs > 0, `refused with retryAfterMs 0: ${where}`);
  assert.ok(r.remaining <= ceiling(p), where);
}

const steps = (min) => fc.array(fc.record({ dt: fc.integer({ min, max: 1500 }), cost: fc.integer({ min: 1, max: 3 }) }),
  { minLength: 1, maxLength: 40 });

property('monotonic clock: allowed units never exceed the algorithm\'s model; refusals tell the truth',
  [policyArb, steps(0)], (p, plan) => {
    const clock = new Clock();
    clock.now = 1e6;
    const limiter = new RateLimiter({ policies: [p], clock: clock.read });
    const allowed = [];  // [time, cost]
    try {
      for (const { dt, cost } of plan) {
        clock.now += dt;
        const r = attempt(() => limiter.check('k', { cost }), 'check');
        if (!r.ok) {
          assert.equal(r.error.code, 'LIMIT_COST_EXCEEDS_LIMIT', describe(r.error));
          assert.ok(cost > capacity(p), `cost ${cost} within capacity refused as too large`);
          continue;
        }
        assertShape(r.value, p);
        if (r.value.allowed) {
          allowed.push([clock.now, cost]);
        } else {
          // Coming back after retryAfterMs (nothing else in between) is allowed.
          const at = clock.now;
          clock.now = at + r.value.retryAfterMs;
          const back = limiter.peek('k');
          assert.ok(back.allowed, `refused at ${at} with retryAfterMs ${r.value.retryAfterMs}, still refused then: ${JSON.stringify(back)}`);
          clock.now = at;
        }
      }
      const within = (from, span) => allowed.filter(([t]) => t >= from && t < from + span).reduce((s, [, c]) => s + c, 0);
      for (const [from] of allowed) {
        const n = within(from, p.windowMs);
        assert.ok(n <= 2 * ceiling(p), `${n} units within one window of ${p.windowMs} ms from ${from}`);
        if (p.algorithm === 'sliding-log') assert.ok(n <= p.limit, `sliding-log allowed ${n} > ${p.limit} within a window`);
        if (p.algorithm === 'gcra' || p.algorithm === 'token-bucket') {
          for (const [to] of allowed) {
            if (to < from) continue;
            const m = within(from, to - from + 1);
            const bound = capacity(p) + Math.ceil(((to - from) * p.limit) / p.windowMs);
            assert.ok(m <= bound, `${p.algorithm} allowed ${m} units in [${from}, ${to}] > ${bound}`);
          }
        }
      }
      // Idle long enough, a key is always allowed again.
      clock.now += Math.ceil((capacity(p) * p.windowMs) / p.limit) + p.windowMs + p.blockMs + 1;
      assert.equal(limiter.check('k').allowed, true, 'still refused after a long idle');
    } finally {
      limiter.dispose();
    }
  }, { numRuns: 300, examples: [  // a blocked key once answered with the block's end alone
    [{ algorithm: 'gcra', limit: 1, windowMs: 51, burst: 2, blockMs: 50 }, [{ dt: 0, cost: 2 }, { dt: 0, cost: 1 }, { dt: 0, cost: 1 }]],
  ] });

property('a clock stepping back (or far forward) never locks a key out beyond what its answers say',
  [policyArb, fc.array(fc.record({
    dt: fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.constantFrom(-3_600_000, -1e9, -1, 1e9)),
    cost: fc.constant(1),
  }), { minLength: 1, maxLength: 30 })], (p, plan) => {
    const clock = new Clock();
    clock.now = 1e10;
    const limiter = new RateLimiter({ policies: [p], clock: clock.read });
    try {
      for (const { dt } of plan) {
        clock.now += dt;
        const r = attempt(() => limiter.check('k'), 'check');
        if (!r.ok) continue;
        assertShape(r.value, p);
        if (!r.value.allowed) {
          const at = clock.now;
          assert.ok(r.value.retryAfterMs <= Math.ceil((capacity(p) * p.windowMs) / p.limit) + p.windowMs + p.blockMs,
            `after a step of the clock, refused with retryAfterMs ${r.value.retryAfterMs} (window ${p.windowMs}, block ${p.blockMs})`);
          clock.now = at + r.value.retryAfterMs;
          const back = limiter.peek('k');
          assert.ok(back.allowed, `refused at ${at} with retryAfterMs ${r.value.retryAfterMs}; still refused then: ${JSON.stringify(back)}`);
          clock.now = at;
        }
      }
    } finally {
      limiter.dispose();
    }
  }, { numRuns: 300, examples: [[{ algorithm: 'token-bucket', limit: 5, windowMs: 1000, burst: undefined, blockMs: 0 },
    [{ dt: 0, cost: 1 }, { dt: 0, cost: 1 }, { dt: 0, cost: 1 }, { dt: 0, cost: 1 }, { dt: 0, cost: 1 }, { dt: -3_600_000, cost: 1 }, { dt: 0, cost: 1 }]],
  [{ algorithm: 'gcra', limit: 1, windowMs: 51, burst: undefined, blockMs: 50 },
    [{ dt: 0, cost: 1 }, { dt: -3_600_000, cost: 1 }, { dt: -3_600_000, cost: 1 }]]] });

const call = fc.constantFrom('check', 'peek', 'penalize', 'reward');
function invoke(limiter, name, key, cost) {
  if (name === 'check') return limiter.check(key, { cost });
  if (name === 'peek') return limiter.peek(key);
  return limiter[name](key, cost);
}

property('an impossible clock reading is a typed error, never an answer; the limiter recovers',
  [policyArb, impossibleReading, call, fc.boolean()], (p, reading, name, exhaust) => {
    const clock = new Clock();
    clock.now = 1000;
    const limiter = new RateLimiter({ policies: [p], clock: clock.read });
    try {
      if (exhaust) while (limiter.check('k').allowed);
      clock.now = reading;
      const r = attempt(() => invoke(limiter, name, 'k', 1), `${name} with the clock at ${String(reading)}`);
      assert.ok(!r.ok, `${name} answered ${JSON.stringify(r.value)} with the clock reading ${reading === THROW ? 'a throw' : String(reading)}`);
      clock.now = 1000 + 10 * capacity(p) * p.windowMs + p.blockMs;
      assert.equal(limiter.check('k').allowed, true, 'the limiter did not recover after the clock did');
    } finally {
      limiter.dispose();
    }
    assertCanaries();
  }, { numRuns: 200 });

property('extreme (finite) clock readings: an answer or a typed error, and the limiter recovers',
  [policyArb, extremeReading, call], (p, reading, name) => {
    const clock = new Clock();
    clock.now = reading;
    const limiter = new RateLimiter({ policies: [p], clock: clock.read });
    try {
      const r = attempt(() => invoke(limiter, name, 'k', 1), `${name} at ${reading}`);
      if (r.ok && r.value) assertShape(r.value, p);
      clock.now = 1e12;
      assert.equal(limiter.check('fresh').allowed, true, 'a new key refused after extreme readings');
    } finally {
      limiter.dispose();
    }
  }, { numRuns: 100 });

property('keys: a typed error or an answer; distinct keys never share an allowance',
  [anyKey, anyKey, call, fc.oneof(fc.constant(1), edgeNumber, wrongType)], (a, b, name, cost) => {
    const clock = new Clock();
    clock.now = 5000;
    const p = { limit: 1, windowMs: 1000, algorithm: 'sliding-log' };
    const limiter = new RateLimiter({ policies: [p], maxKeyBytes: 512, clock: clock.read });
    try {
      const keyOk = (k) => typeof k === 'string' || k instanceof ArrayBuffer || ArrayBuffer.isView(k);
      const r = attempt(() => invoke(limiter, name, a, cost), `${name}(${describe(a)})`);
      if (!keyOk(a)) assert.ok(!r.ok, `${name} accepted a key of type ${typeof a}`);
      if (!r.ok && !(r.error instanceof UserFailure)) assert.ok(r.error instanceof RateLimitError, `${describe(r.error)} is not a RateLimitError`);
      const bytes = (k) => (typeof k === 'string' ? Buffer.from(k) : ArrayBuffer.isView(k) ? Buffer.from(k.buffer, k.byteOffset, k.byteLength) : k instanceof ArrayBuffer ? Buffer.from(k) : null);
      const ka = attempt(() => limiter.check(a), 'check(a)');
      const kb = attempt(() => limiter.check(b), 'check(b)');
      if (ka.ok && kb.ok && ka.value.allowed && bytes(a) && bytes(b) && !bytes(a).equals(bytes(b))) {
        assert.ok(kb.value.allowed, 'a distinct key b was refused after one call on a');
      }
    } finally {
      limiter.dispose();
    }
    assertCanaries();
  }, { numRuns: 300 });

property('a detached ArrayBuffer or view as a key is a typed error', [call, fc.boolean()], (name, view) => {
  const limiter = new RateLimiter({ policies: [{ limit: 1, windowMs: 1000 }], clock: () => 1000 });
  try {
    const r = attempt(() => invoke(limiter, name, detachedBuffer(view), 1), `${name}(detached)`);
    assert.ok(!r.ok || name === 'reward' || name === 'penalize' || r.value?.allowed !== undefined, 'answered');
  } finally {
    limiter.dispose();
  }
}, { numRuns: 8 });

property('keys that differ only past a prefix, or in encoding, stay apart (no truncation, no lossy copy)',
  [textKey, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })], (base, suffix) => {
    if (!base.isWellFormed() || Buffer.byteLength(base + suffix) > 1024) return;
    const clock = new Clock();
    const limiter = new RateLimiter({ policies: [{ limit: 1, windowMs: 1000 }], clock: clock.read });
    try {
      const first = attempt(() => limiter.check(base), 'check(base)');
      if (!first.ok) return;
      assert.equal(limiter.check(base + suffix).allowed, true, 'a longer key shares its prefix\'s allowance');
      assert.equal(limiter.check(base).allowed, false, 'the same key twice was allowed twice');
    } finally {
      limiter.dispose();
    }
  }, { numRuns: 200 });

const limiterOptions = fc.oneof({ weight: 6, arbitrary: fc.record({
  policies: option(fc.array(fc.oneof({ weight: 3, arbitrary: fc.record({
    name: option(fc.string({ maxLength: 70 })),
    limit: option(fc.integer({ min: 1, max: 1e6 })),
    windowMs: option(fc.integer({ min: 1, max: 1e9 })),
    algorithm: option(fc.constantFrom(...ALGORITHMS, 'leaky')),
    burst: option(fc.integer({ min: 1, max: 1e6 })),
    blockMs: option(fc.integer({ min: 0, max: 1e9 })),
  }, { requiredKeys: [] }) }, wrongType), { maxLength: 3 })),
  maxKeys: option(fc.integer({ min: 1, max: 1e6 })),
  maxKeyBytes: option(fc.integer({ min: 1, max: 1e5 })),
  clock: option(fc.constant(() => 1000)),
  headers: option(fc.constantFrom('draft', 'draft-6', 'x', false)),
}, { requiredKeys: [] }) }, wrongType);

property('random options: a RateLimiter that answers well-formed results, or a typed error',
  [limiterOptions, anyKey], (options, key) => {
    const built = attempt(() => new RateLimiter(options), 'new RateLimiter');
    if (built.ok) {
      const limiter = built.value;
      for (let i = 0; i < 3; i++) {
        const r = attempt(() => limiter.check(key), 'check');
        if (!r.ok) break;
        for (const k of ['remaining', 'resetMs', 'retryAfterMs', 'limit']) assert.ok(Number.isFinite(r.value[k]) && r.value[k] >= 0, `${k}: ${r.value[k]}`);
        attempt(() => r.value.headers, 'headers');
      }
      attempt(() => limiter.stats(), 'stats');
      limiter.dispose();
    }
    assertCanaries();
  }, { numRuns: 200 });

const twoPolicies = fc.tuple(policyArb, policyArb).map(([a, b]) => [{ ...a, blockMs: 0, name: 'a' }, { ...b, blockMs: 0, name: 'b' }]);
const traffic = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), key: fc.constantFrom('k', 'j'), cost: fc.integer({ min: 1, max: 3 }),
  peek: fc.boolean() }), { minLength: 1, maxLength: 40 });

function twin(policies, clock) {
  return new RateLimiter({ policies, clock: clock.read, headers: false });
}

property('a refused call and a peek consume nothing: a twin that never saw them answers every other call the same',
  [twoPolicies, traffic], (policies, calls) => {
    const clock = new Clock();
    clock.now = 1e6;
    const seen = twin(policies, clock);
    const spared = twin(policies, clock);
    try {
      for (const c of calls) {
        clock.now += c.dt;
        if (c.peek) seen.peek(c.key);
        const a = attempt(() => seen.check(c.key, { cost: c.cost }), 'check');
        if (!a.ok || !a.value.allowed) continue;  // the twin never sees what was refused
        const b = spared.check(c.key, { cost: c.cost });
        assert.deepEqual({ ...b }, { ...a.value }, `the twin answered differently at ${clock.now}`);
      }
    } finally {
      seen.dispose();
      spared.dispose();
    }
  }, { numRuns: 300 });

property('reward never gives beyond full allowance; reset forgets; penalize takes even past the limit',
  [policyArb.map((p) => ({ ...p, blockMs: 0 })), fc.array(fc.record({ op: fc.constantFrom('check', 'reward', 'penalize', 'reset'),
    n: fc.integer({ min: 1, max: 20 }), dt: fc.integer({ min: 0, max: 100 }) }), { maxLength: 30 })], (p, ops) => {
    const clock = new Clock();
    clock.now = 1e6;
    const limiter = new RateLimiter({ policies: [p], clock: clock.read });
    try {
      for (const o of ops) {
        clock.now += o.dt;
        if (o.op === 'check') attempt(() => limiter.check('k'), 'check');
        else if (o.op === 'reset') {
          limiter.reset('k');
          const r = limiter.peek('k');
          assert.ok(r.allowed && r.remaining === capacity(p), `after reset: ${JSON.stringify(r)}`);
        } else limiter[o.op]('k', o.n);
        const r = limiter.peek('k');
        assertShape(r, p);
        if (o.op === 'reward') assert.ok(r.remaining <= ceiling(p), `reward gave ${r.remaining} > ${ceiling(p)}`);
        if (o.op === 'penalize' && o.n >= ceiling(p)) assert.equal(r.allowed, false, `penalized by ${o.n} and still allowed`);
      }
    } finally {
      limiter.dispose();
    }
  }, { numRuns: 300 });

property('never more keys tracked than maxKeys', [fc.integer({ min: 1, max: 20 }), fc.array(fc.nat(60), { maxLength: 120 })], (maxKeys, keys) => {
  const clock = new Clock();
  const limiter = new RateLimiter({ policies: [{ limit: 2, windowMs: 1000 }], maxKeys, clock: clock.read });
  try {
    for (const k of keys) {
      clock.now += 3;
      const r = attempt(() => limiter.check(`key-${k}`), 'check');
      if (!r.ok) assert.equal(r.error.code, 'LIMIT_OUT_OF_MEMORY');
      assert.ok(limiter.stats().keys <= maxKeys, `${limiter.stats().keys} keys tracked, maxKeys ${maxKeys}`);
    }
  } finally {
    limiter.dispose();
  }
}, { numRuns: 150 });
