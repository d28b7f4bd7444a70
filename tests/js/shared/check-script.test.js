// The CHECK script (an exact check of one GCRA policy without a block) three ways: its Lua in a
// real redis-server, its `run` on an in-memory ScriptState, and TAKE asked the same (a take of
// `cost` to `cost` units) on a key of its own. Any sequence of checks mixed with TAKE's other
// operations (penalize, reward, peek) on the same key gets the same answers from all three, and
// the keys CHECK keeps are the keys TAKE keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StoreError } from '../../../js/store/store-error.js';
import { checkScriptCall } from '../../../js/store/store-args.js';
import { TAKE, OP_TAKE, OP_PEEK, OP_PENALIZE, MAX_REPLY_MS, decodeTake } from '../../../js/shared/limit-scripts.js';
import { CHECK, CHECK_MANY, checkManyWords, checkable, decodeCheck } from '../../../js/shared/check-script.js';
import { MapState, scriptStore } from '../../support/script-fixture.js';
import { property } from '../properties/property.js';
import { argsOf, termsOf } from './policy-terms.js';

const fixture = scriptStore('cs:');

const policyArb = fc.record({
  limit: fc.integer({ min: 1, max: 12 }),
  windowMs: fc.integer({ min: 1, max: 3000 }),
  burst: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
}).map((p) => ({ ...p, name: 'p', algorithm: 'gcra', blockMs: 0 }));
const opArb = fc.record({
  dt: fc.constantFrom(0, 0, 1, 7, 100, 333, 1000, 2500, 0.25),  // 0.25: a state that is not whole
  kind: fc.constantFrom('check', 'check', 'check', 'check', 'peek', 'penalize', 'reward'),
  cost: fc.integer({ min: 1, max: 15 }),
});

let run = 0;

property('Lua == run == TAKE, for any sequence of checks among TAKE\'s other operations', [policyArb, fc.array(opArb, { minLength: 1, maxLength: 25 })],
  async (policy, ops) => {
    const id = run++;
    const checked = [fixture.store.key(`c${id}`, 'p')];
    const taken = [fixture.store.key(`t${id}`, 'p')];
    const tail = argsOf(policy);
    const state = new MapState();
    const twin = new MapState();
    const cap = policy.burst ?? policy.limit;
    let now = 1000;
    for (const op of ops) {
      now += op.dt;
      const where = `${JSON.stringify(op)} at ${now}`;
      const cost = Math.min(op.cost, cap);
      if (op.kind === 'check') {
        const args = [now, cost, ...tail.slice(1, 4)];
        const lua = (await fixture.store.evalScript(CHECK, checked, args)).map(Number);
        assert.deepEqual(lua, CHECK.run(state, checked, args), `Lua and run differ: ${where}`);
        const takeArgs = [now, 0, cost, cost, OP_TAKE, ...tail];
        const take = decodeTake(await fixture.store.evalScript(TAKE, taken, takeArgs), [cap], cost, cost);
        TAKE.run(twin, taken, takeArgs);
        const got = decodeCheck(lua, cost, cap);
        assert.deepEqual(got, { ...take, waitMs: 0 }, `CHECK and TAKE differ: ${where}`);
        if (got.granted > 0) {
          // Set just now, by the engine's clock: the TTL run gives, less the few ms since.
          const [pttl, ttl] = [Number(await fixture.conn.client.pttl(checked[0])), state.ttls.get(checked[0])];
          assert.ok(pttl <= ttl && pttl > ttl - 500, `PTTL ${pttl} for a TTL of ${ttl}: ${where}`);
        }
      } else {
        const opCode = { peek: OP_PEEK, penalize: OP_PENALIZE, reward: OP_TAKE }[op.kind];
        const args = op.kind === 'reward' ? [now, cost, 0, 0, opCode, ...tail] : [now, 0, op.kind === 'peek' ? 0 : cost, 0, opCode, ...tail];
        const [a, b] = [await fixture.store.evalScript(TAKE, checked, args), await fixture.store.evalScript(TAKE, taken, args)];
        assert.deepEqual(a, b, `TAKE on CHECK's key and on its own differ: ${where}`);
        TAKE.run(state, checked, args);
        TAKE.run(twin, taken, args);
      }
      // The same state on both keys, in the engine and in run.
      assert.equal(await fixture.conn.client.get(checked[0]), await fixture.conn.client.get(taken[0]), `stored: ${where}`);
      assert.deepEqual(state.get(checked[0]), twin.get(taken[0]), `run's state: ${where}`);
      assert.equal(Number(await fixture.conn.client.pttl(checked[0])) === -2, !state.values.has(checked[0]), `kept by one side only: ${where}`);
    }
  }, { numRuns: 150 });

property('CHECK_MANY == its checks one by one with CHECK, in Lua and in run, on keys of any tags', [policyArb,
  fc.array(fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), dt: fc.constantFrom(0, 0, 1, 250, 0.5), cost: fc.integer({ min: 1, max: 15 }) }),
    { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 })],
  async (policy, batches) => {
    const id = run++;
    const tail = argsOf(policy).slice(1, 4);
    const cap = policy.burst ?? policy.limit;
    const [many, single] = [new MapState(), new MapState()];
    let now = 1000;
    for (const batch of batches) {
      const keys = batch.map((c) => fixture.store.key(`m${id}.${c.key}`, 'p'));
      const twins = batch.map((c) => fixture.store.key(`s${id}.${c.key}`, 'p'));
      const args = [...tail];
      const alone = [];
      for (const [i, c] of batch.entries()) {
        now += c.dt;
        args.push(now, Math.min(c.cost, cap));
        const one = [now, Math.min(c.cost, cap), ...tail];
        alone.push(...(await fixture.store.evalScript(CHECK, [twins[i]], one)).map(Number));
        CHECK.run(single, [twins[i]], one);
      }
      const lua = (await fixture.store.evalScript(CHECK_MANY, keys, args)).map(Number);
      assert.deepEqual(lua, alone, `CHECK_MANY and CHECK differ: ${JSON.stringify(batch)}`);
      assert.deepEqual(CHECK_MANY.run(many, keys, args.map(String)), alone, 'run differs from the Lua');
      for (const [i, key] of keys.entries()) {
        assert.equal(await fixture.conn.client.get(key), await fixture.conn.client.get(twins[i]), 'stored states differ');
        assert.deepEqual(many.get(key), single.get(twins[i]));
      }
    }
  }, { numRuns: 60 });

test('CHECK_MANY spans tags only on a store without slots: elsewhere its keys share one, as any script\'s', () => {
  const keys = [fixture.store.key('a', 'p'), fixture.store.key('b', 'p')];
  assert.equal(fixture.store.spansTags, true);
  assert.throws(() => checkScriptCall(CHECK_MANY, keys, [1, 1, 1, 0, 1, 0, 1], false), { code: 'INVALID_INPUT' });
  assert.throws(() => checkScriptCall(CHECK, keys, [0, 1, 1, 1, 1], true), { code: 'INVALID_INPUT' }, 'CHECK does not span tags');
  assert.doesNotThrow(() => checkScriptCall(CHECK_MANY, keys, [1, 1, 1, 0, 1, 0, 1], true));
});

test('a refusal writes nothing: the stored state and its TTL stay as the last grant left them', async () => {
  const keys = [fixture.store.key('refused', 'p')];
  const tail = argsOf({ algorithm: 'gcra', limit: 2, windowMs: 1000, blockMs: 0 }).slice(1, 4);
  assert.deepEqual(decodeCheck(await fixture.store.evalScript(CHECK, keys, [5000, 2, ...tail]), 2, 2).granted, 2);
  const [value, ttl] = [await fixture.conn.client.get(keys[0]), Number(await fixture.conn.client.pttl(keys[0]))];
  const refused = decodeCheck(await fixture.store.evalScript(CHECK, keys, [5100, 1, ...tail]), 1, 2);
  assert.deepEqual(refused, { granted: 0, policy: 0, remaining: 0, resetMs: 900, retryAfterMs: 400, waitMs: 0 });
  assert.equal(await fixture.conn.client.get(keys[0]), value);
  assert.ok(Number(await fixture.conn.client.pttl(keys[0])) <= ttl);
  const state = new MapState();
  CHECK.run(state, keys, [5000, 2, ...tail]);
  const kept = state.get(keys[0]);
  assert.deepEqual(CHECK.run(state, keys, [5100, 1, ...tail]), [0, 0, 900, 400]);
  assert.deepEqual(state.get(keys[0]), kept);
});

test('a key that holds something else is a store error, never a fresh allowance', async () => {
  const keys = [fixture.store.key('garbage', 'p')];
  await fixture.conn.client.set(keys[0], 'not a number');
  const tail = argsOf({ algorithm: 'gcra', limit: 2, windowMs: 1000, blockMs: 0 }).slice(1, 4);
  await assert.rejects(fixture.store.evalScript(CHECK, keys, [5000, 1, ...tail]), (e) => e instanceof StoreError && e.code === 'STORE_ERROR');
});

test('a reply past 2^53 ms (a key penalized for ages) is capped alike by Lua and run, and is a refusal', async () => {
  const policy = { algorithm: 'gcra', limit: 1, windowMs: 2 ** 40, blockMs: 0 };
  const keys = [fixture.store.key('ages', 'p')];
  const state = new MapState();
  for (let i = 0; i < 4; i++) {
    const args = [0, 0, 2 ** 32 - 1, 0, OP_PENALIZE, ...argsOf(policy)];
    await fixture.store.evalScript(TAKE, keys, args);
    TAKE.run(state, keys, args);
  }
  const args = [0, 1, ...argsOf(policy).slice(1, 4)];
  const lua = (await fixture.store.evalScript(CHECK, keys, args)).map(Number);
  assert.deepEqual(lua, CHECK.run(state, keys, args));
  const got = decodeCheck(lua, 1, 1);
  assert.equal(got.granted, 0);
  assert.equal(got.retryAfterMs, MAX_REPLY_MS);
});

test('decodeCheck: a reply of another shape, granting other than 0 or the cost, or leaving more than the policy holds, is a STORE_ERROR', () => {
  for (const reply of [null, 7, [1, 0, 0], [1, 0, 0, 0, 0], [2, 0, 0, 0], [1, -1, 0, 0], [1, 0, 'x', 0], [0, 0, 0, 1.5],
    [1, 4, 0, 0], [0, 1e15, 0, 0]]) {
    assert.throws(() => decodeCheck(reply, 1, 3), (e) => e instanceof StoreError && e.code === 'STORE_ERROR', JSON.stringify(reply));
  }
  assert.deepEqual(decodeCheck(['3', '2', '10', '0'], 3, 3), { granted: 3, policy: 0, remaining: 2, resetMs: 10, retryAfterMs: 0, waitMs: 0 });
});

test('checkManyWords: a reply granting a check other than 0 or its cost, or leaving more than the policy holds, is null', () => {
  const cost = () => 1;
  assert.deepEqual(checkManyWords([1, 4, 0, 0, 0, 5, 10, 3], 2, cost, 5), [1, 4, 0, 0, 0, 5, 10, 3]);
  for (const reply of [[1, 6, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1e15, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0]]) {
    assert.equal(checkManyWords(reply, 2, cost, 5), null, JSON.stringify(reply));
  }
});

test('checkable: one GCRA policy without a block', () => {
  const gcra = { name: 'a', algorithm: 'gcra', limit: 5, windowMs: 1000, blockMs: 0 };
  assert.equal(checkable(termsOf(gcra)), true);
  assert.equal(checkable(termsOf({ ...gcra, blockMs: 10 })), false);
  assert.equal(checkable(termsOf({ ...gcra, algorithm: 'token-bucket' })), false);
  assert.equal(checkable(termsOf(gcra, { ...gcra, name: 'b' })), false);
});
