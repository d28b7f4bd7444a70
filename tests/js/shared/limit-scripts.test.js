// The shared limiter's TAKE script three ways: its Lua in a real redis-server, its `run` on an
// in-memory ScriptState, and the C++ core (a local RateLimiter) doing the same operations. Any
// sequence of takes, give-backs, peeks, penalties and resets at a monotonic time gets the same
// replies from all three; the Lua leaves no key without a TTL, and deletes keys back at full
// allowance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RateLimiter } from '../../../js/entry.node.js';
import { TAKE, RESET, OP_TAKE, OP_PEEK, OP_PENALIZE, TTL_MARGIN_MS, MAX_TTL_MS, decodeTake } from '../../../js/shared/limit-scripts.js';
import { MapState, scriptStore } from '../../support/script-fixture.js';
import { property } from '../properties/property.js';
import { argsOf } from './policy-terms.js';

const fixture = scriptStore('ls:');

const policyArb = fc.record({
  algorithm: fc.constantFrom('gcra', 'token-bucket'),
  limit: fc.integer({ min: 1, max: 12 }),
  windowMs: fc.integer({ min: 1, max: 3000 }),
  burst: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
  blockMs: fc.constantFrom(0, 0, 40, 700),
});
const policiesArb = fc.uniqueArray(policyArb, { minLength: 1, maxLength: 3, selector: (p) => `${p.limit}/${p.windowMs}` })
  .map((ps) => ps.map((p, i) => ({ ...p, name: `p${i}` })));
const opArb = fc.record({
  dt: fc.constantFrom(0, 0, 1, 7, 100, 333, 1000, 2500),
  kind: fc.constantFrom('take', 'take', 'take', 'peek', 'penalize', 'reward', 'reset'),
  give: fc.constantFrom(0, 0, 1, 3),
  want: fc.integer({ min: 0, max: 20 }),
  min: fc.integer({ min: 0, max: 15 }),
});

let run = 0;

property('Lua == run == the local core, for any sequence of operations', [policiesArb, fc.array(opArb, { minLength: 1, maxLength: 25 })],
  async (policies, ops) => {
    const key = `k${run++}`;
    const keys = policies.map((p) => fixture.store.key(key, p.name));
    const tail = argsOf(...policies);
    const state = new MapState();
    let now = 1000;
    const core = new RateLimiter({ policies, clock: () => now });
    const smallest = Math.min(...policies.map((p) => p.burst ?? p.limit));
    try {
      for (const op of ops) {
        now += op.dt;
        const where = `${JSON.stringify(op)} at ${now}`;
        if (op.kind === 'reset') {
          const lua = await fixture.store.evalScript(RESET, keys, []);
          assert.equal(lua, RESET.run(state, keys, []), where);
          core.reset(key);
          continue;
        }
        const min = Math.min(op.min, smallest);
        const want = op.kind === 'reward' ? 0 : op.kind === 'take' ? Math.max(op.want, min) : op.want;
        const opCode = { take: OP_TAKE, reward: OP_TAKE, peek: OP_PEEK, penalize: OP_PENALIZE }[op.kind];
        const give = op.kind === 'take' || op.kind === 'reward' ? op.give : 0;
        const args = [now, give, want, min, opCode, ...tail];
        const lua = (await fixture.store.evalScript(TAKE, keys, args)).map(Number);
        const js = TAKE.run(state, keys, args);
        assert.deepEqual(lua, js, `Lua and run differ: ${where}`);
        const got = decodeTake(lua, policies.map((p) => p.burst ?? p.limit), opCode === OP_TAKE ? want : 0, opCode === OP_TAKE ? min : 0);
        if (op.kind === 'peek') {
          const r = core.peek(key);
          assert.deepEqual([got.policy, got.remaining, got.resetMs, got.retryAfterMs],
            [policies.findIndex((p) => p.name === r.policy), r.remaining, r.resetMs, r.retryAfterMs], `peek: ${where}`);
        } else if (op.kind === 'penalize') {
          core.penalize(key, want);
        } else {
          if (give > 0) core.reward(key, give);
          if (want === 0) continue;
          // The core grants as many as fit: what a call of cost 1 finds left, up to `want`.
          const before = core.peek(key);
          const fit = before.allowed ? Math.min(want, before.remaining) : 0;
          const r = core.check(key, { cost: fit >= min && fit > 0 ? fit : Math.max(min, 1) });
          assert.deepEqual([got.granted, got.policy, got.remaining, got.resetMs, got.retryAfterMs],
            [r.allowed ? fit : 0, policies.findIndex((p) => p.name === r.policy), r.remaining, r.resetMs, r.retryAfterMs],
            `take vs core: ${where}`);
        }
        // What the engine holds: a key per policy only while it is short of full allowance, each
        // expiring within its time to full allowance plus the margin.
        for (const [i, k] of keys.entries()) {
          const pttl = Number(await fixture.conn.client.pttl(k));
          assert.equal(pttl === -2, !state.values.has(k), `key ${i} kept by one side only: ${where}`);
          if (pttl !== -2) assert.ok(pttl > 0 && pttl <= state.ttls.get(k), `TTL ${pttl} within ${state.ttls.get(k)}: ${where}`);
        }
      }
    } finally {
      core.dispose();
    }
  }, { numRuns: 150 });

test('a key left alone expires by itself: its TTL is its time to full allowance plus the margin', async () => {
  const policies = [{ name: 'a', algorithm: 'gcra', limit: 10, windowMs: 1000, blockMs: 0 }];
  const keys = [fixture.store.key('ttl', 'a')];
  const reply = decodeTake(await fixture.store.evalScript(TAKE, keys, [5000, 0, 4, 1, OP_TAKE, ...argsOf(...policies)]), [10], 4);
  assert.equal(reply.granted, 4);
  assert.equal(reply.resetMs, 400);
  const pttl = Number(await fixture.conn.client.pttl(keys[0]));
  assert.ok(pttl > 400 && pttl <= 400 + TTL_MARGIN_MS, `PTTL ${pttl}`);
});

test('a refusal grants nothing and says when `want` units would fit', async () => {
  const policies = [{ name: 'a', algorithm: 'gcra', limit: 10, windowMs: 1000, blockMs: 0 }];
  const keys = [fixture.store.key('wait', 'a')];
  const take = async (now, want, min) => decodeTake(await fixture.store.evalScript(TAKE, keys, [now, 0, want, min, OP_TAKE, ...argsOf(...policies)]), [10], want);
  assert.deepEqual(await take(0, 10, 10), { granted: 10, policy: 0, remaining: 0, resetMs: 1000, retryAfterMs: 0, waitMs: 1000 });
  assert.deepEqual(await take(50, 5, 1), { granted: 0, policy: 0, remaining: 0, resetMs: 950, retryAfterMs: 50, waitMs: 450 });
  assert.deepEqual(await take(100, 5, 1), { granted: 1, policy: 0, remaining: 0, resetMs: 1000, retryAfterMs: 0, waitMs: 500 });
});

test('a reply of another shape, granting more than asked, or leaving more than its policy holds, is refused, never read as a decision', () => {
  const capacities = [5, 8];
  for (const reply of [null, 7, [1, 0, 0, 0, 0], [1, 2, 0, 0, 0, 0], [1, 0, -1, 0, 0, 0], [1, 0, 'x', 0, 0, 0], [1.5, 0, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0], [1e6, 0, 0, 0, 0, 0],
    [1, 0, 6, 0, 0, 0], [1, 1, 9, 0, 0, 0], [0, 0, 1e15, 0, 0, 0]]) {
    assert.throws(() => decodeTake(reply, capacities, 3), /6 non-negative integers granting 0 or 0 to 3, within its policy/, JSON.stringify(reply));
  }
  assert.throws(() => decodeTake([1, 0, 0, 0, 0, 0], capacities, 0), /granting 0 or 0 to 0/);
  assert.throws(() => decodeTake([1, 0, 0, 0, 0, 0], capacities, 5, 2), /granting 0 or 2 to 5/, 'less than the cost, read as allowed');
  assert.deepEqual(decodeTake([0, 0, 0, 0, 0, 0], capacities, 5, 2).granted, 0);
  assert.deepEqual(decodeTake(['3', 1, 8, 10, 0, 5], capacities, 3), { granted: 3, policy: 1, remaining: 8, resetMs: 10, retryAfterMs: 0, waitMs: 5 });
});

test('a key penalized for ages is kept at most MAX_TTL_MS, by Redis and by run alike', async () => {
  const args = [0, 0, 2 ** 31, 0, OP_PENALIZE, ...argsOf({ algorithm: 'gcra', limit: 1, windowMs: 2 ** 40, blockMs: 0 })];
  const keys = [fixture.store.key('ages', 'a')];
  await fixture.store.evalScript(TAKE, keys, args);
  const state = new MapState();
  TAKE.run(state, keys, args);
  const pttl = Number(await fixture.conn.client.pttl(keys[0]));
  assert.ok(pttl > MAX_TTL_MS - 60000 && pttl <= MAX_TTL_MS, `PTTL ${pttl}`);
  assert.equal(state.ttls.get(keys[0]), MAX_TTL_MS);
});

test('a reply past 2^53 ms (a key penalized for ages) is the same from Lua and run, and decodes as a refusal', async () => {
  // Redis turns a Lua number into a 64-bit integer by a cast: past 2^63 it read as negative, a
  // malformed reply, and the check fell back (allowed, with onStoreError 'open').
  const tail = argsOf({ algorithm: 'gcra', limit: 1, windowMs: 2 ** 40, blockMs: 0 });
  const keys = [fixture.store.key('overflow', 'a')];
  const state = new MapState();
  for (let i = 0; i < 4; i++) {
    const args = [0, 0, 2 ** 32 - 1, 0, OP_PENALIZE, ...tail];
    await fixture.store.evalScript(TAKE, keys, args);
    TAKE.run(state, keys, args);
  }
  const args = [0, 0, 1, 1, OP_TAKE, ...tail];
  const lua = (await fixture.store.evalScript(TAKE, keys, args)).map(Number);
  assert.deepEqual(lua, TAKE.run(state, keys, args));
  const got = decodeTake(lua, 1, 1);
  assert.equal(got.granted, 0);
  assert.ok(got.retryAfterMs >= 2 ** 53, `retryAfterMs ${got.retryAfterMs}`);
});
