// What every store on the Redis protocol does, whatever its client: run inside a describe() by
// redis-store.test.js (node-redis, ioredis; standalone, Cluster) and upstash-store.test.js
// (@upstash/redis through the REST server). `setup()` resolves with { store, label, flushScripts }
// (the store with a generous deadline; a label unique to the suite; a function that empties the
// servers' script caches).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeguardError, ConfigError } from '../../../js/entry.node.js';
import { StoreError } from '../../../js/store/store-error.js';
import { defineScript } from '../../../js/store/script.js';
import { waitFor } from '../../support/redis-engines.js';

// Two keys written and read in one atomic call: CROSSSLOT on a cluster unless they share a slot.
const pair = defineScript(`
  local n = redis.call('INCRBY', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
  return {n, redis.call('GET', KEYS[2]), redis.call('PTTL', KEYS[1]) > 0 and 1 or 0}`);

const echo = defineScript("redis.call('SET', KEYS[1], ARGV[1], 'PX', 60000) return {redis.call('GET', KEYS[1]), ARGV[1]}");

// Strings a client could take for something else: numbers, JSON, base64, non-ASCII, empty.
const TRICKY = ['123', '-0', '1e3', 'null', 'true', '{"a":1}', '["x"]', '"q"', 'T0s=', 'OK', 'ü€😀', '', ' x '];

export function storeContract(setup) {
  let store;
  let label;
  let flushScripts;
  before(async () => {
    ({ store, label, flushScripts } = await setup());
  });

  test('a multi-key script on one tag runs atomically, for many tags (many slots)', async () => {
    for (let i = 0; i < 40; i++) {
      const tag = `user:${i}`;
      const keys = [store.key(tag, 'count'), store.key(tag, 'last')];
      assert.deepEqual(await store.evalScript(pair, keys, [2, 60000, `v${i}`]), [2, `v${i}`, 1]);
      assert.deepEqual(await store.evalScript(pair, keys, [3, 60000, 'w']), [5, 'w', 1]);
    }
  });

  test('a tag with braces, percent signs or nothing still keeps one slot', async () => {
    for (const tag of ['', '}', '{', '{}', '%7B', 'a}b{c', 'ü{x}']) {
      const keys = [store.key(tag, 'count'), store.key(tag, 'last')];
      assert.deepEqual(await store.evalScript(pair, keys, [1, 60000, tag]), [1, tag, 1], JSON.stringify(tag));
    }
  });

  test('strings come back as the same strings, from get and from a script, whatever they look like', async () => {
    for (const [i, value] of TRICKY.entries()) {
      const key = store.key('tricky', String(i));
      await store.set(key, value, { ttlMs: 60000 });
      assert.equal(await store.get(key), value, JSON.stringify(value));
      assert.deepEqual(await store.evalScript(echo, [key], [value]), [value, value], JSON.stringify(value));
    }
  });

  test('keys of different tags in one call are refused before anything is sent', () => {
    const calls = store.stats().calls;
    assert.throws(() => store.evalScript(pair, [store.key('a', 'x'), store.key('b', 'x')], [1, 1000, 'v']),
      (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
    assert.equal(store.stats().calls, calls);
  });

  test('NOSCRIPT after SCRIPT FLUSH: the script is sent again and answers', async () => {
    const script = defineScript(`return redis.call('INCR', KEYS[1]) .. ':${label}'`);
    const key = store.key('flush', 'n');
    assert.equal(await store.evalScript(script, [key], []), `1:${label}`);
    const before = store.stats().scriptReloads;
    await flushScripts();
    assert.equal(await store.evalScript(script, [key], []), `2:${label}`);
    assert.equal(await store.evalScript(script, [key], []), `3:${label}`);
    assert.equal(store.stats().scriptReloads, before + 1, 'reloaded once, then run by digest again');
  });

  test('set with a TTL, get, delete; the key expires by itself', async () => {
    const key = store.key('session', 'v');
    assert.equal(await store.set(key, 'hello', { ttlMs: 60000 }), undefined);
    assert.equal(await store.get(key), 'hello');
    assert.equal(await store.delete(key), true);
    assert.equal(await store.get(key), null);
    assert.equal(await store.delete(key), false);
    await store.set(key, 'brief', { ttlMs: 1 });
    await waitFor('expiry', async () => (await store.get(key)) === null, 2000);
  });

  test('set without a TTL is refused: every key expires', () => {
    assert.throws(() => store.set(store.key('a', 'b'), 'v'), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
    assert.throws(() => store.set(store.key('a', 'b'), 'v', { ttlMs: 0 }), ConfigError);
    assert.throws(() => store.set(store.key('a', 'b'), 'v', { ttlMs: 1.5 }), ConfigError);
    assert.throws(() => store.set(store.key('a', 'b'), 7, { ttlMs: 10 }), EdgeguardError);
  });

  test('an error the store answers with is STORE_ERROR and does not count against it', async () => {
    const key = store.key('typed', 'k');
    await store.set(key, 'not a number', { ttlMs: 60000 });
    const incr = defineScript("return redis.call('INCR', KEYS[1])");
    for (let i = 0; i < 10; i++) {
      await assert.rejects(store.evalScript(incr, [key], []),
        (e) => e instanceof StoreError && e.code === 'STORE_ERROR' && /not an integer/.test(e.message) && e.cause !== undefined);
    }
    assert.equal(store.breaker.state, 'closed');
    assert.ok(store.stats().errors >= 10);
  });

  test('stats count calls and latency', () => {
    const s = store.stats();
    assert.ok(s.calls > 0 && s.ok > 0);
    assert.equal(s.timeouts, 0);
    assert.equal(s.unavailable, 0);
    assert.equal(s.breaker, 'closed');
    assert.ok(s.latencyMs.p50 <= s.latencyMs.p99 && s.latencyMs.p99 <= s.latencyMs.max);
  });
}
