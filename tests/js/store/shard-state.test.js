// One Durable Object's state without the runtime: scripts on a journal, TTLs on the given clock,
// the bound on keys, and what each call hands the object to persist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShardState } from '../../../js/store/shard-state.js';

// A shard whose every change is taken by storage at once, as the object applies it.
function applying(maxKeys, maxBytes = 1 << 20) {
  const shard = new ShardState(maxKeys, maxBytes);
  for (const method of ['run', 'set', 'delete']) {
    const call = shard[method].bind(shard);
    shard[method] = (...args) => {
      const change = call(...args);
      shard.apply(change);
      return change;
    };
  }
  return shard;
}

const counter = (state, keys, args) => {
  const n = (state.get(keys[0]) ?? 0) + 1;
  state.set(keys[0], n, Number(args[0]));
  return n;
};

test('a script reads and writes through the state; its writes come back to persist', () => {
  const shard = applying(10);
  assert.deepEqual(shard.run('count', counter, ['a'], [1000], 0), { reply: 1, puts: [['a', { v: 1, e: 1000 }]], deletes: [] });
  assert.deepEqual(shard.run('count', counter, ['a'], [1000], 500).reply, 2);
  assert.equal(shard.read('a', 1499), 2);
  assert.equal(shard.size, 1);
});

test('a script sees its own writes and deletes before they are applied', () => {
  const shard = applying(10);
  shard.set('x', 'old', 1000, 0);
  const result = shard.run('swap', (state) => {
    state.set('y', state.get('x'), 1000);
    const existed = state.delete('x');
    return [existed ? 1 : 0, state.get('x') ?? 'gone', state.get('y'), state.delete('x') ? 1 : 0];
  }, [], [], 10);
  assert.deepEqual(result, { reply: [1, 'gone', 'old', 0], puts: [['y', { v: 'old', e: 1010 }]], deletes: ['x'] });
});

test('a change is in memory only once applied (after storage took it)', () => {
  const shard = new ShardState(10, 1 << 20);
  const change = shard.run('count', counter, ['a'], [1000], 0);
  assert.deepEqual(change, { reply: 1, puts: [['a', { v: 1, e: 1000 }]], deletes: [] });
  assert.equal(shard.read('a', 1), undefined);
  assert.equal(shard.size, 0);
  shard.apply(change);
  assert.equal(shard.read('a', 1), 1);
  shard.apply(shard.delete('a', 2));
  assert.equal(shard.size, 0);
});

test('a reply comes back as Redis gives a Lua script\'s: integers truncated, true 1, false and undefined nil, arrays cut at nil', () => {
  const shard = applying(10);
  const reply = (value) => shard.run('r', () => value, [], [], 0);
  assert.deepEqual(reply([1.7, -2.5, -0.5, true, false, 'x', [2.2, [true]], null, 'after nil']).reply, [1, -2, 0, 1, null, 'x', [2, [1]]]);
  assert.equal(reply(undefined).reply, null);
  assert.equal(reply(false).reply, null);
  assert.equal(reply('').reply, '');
  for (const bad of [{ a: 1 }, [new Map()], NaN, Infinity, 1n, () => 1]) {
    assert.match(reply(bad).error, /^the script r failed: a reply is /, String(bad));
  }
});

test('what a caller sends over RPC is checked: a TTL that is not an integer >= 1, or a key or value not a string, is refused and stores nothing; args arrive as strings', () => {
  const shard = applying(10);
  for (const [key, value, ttlMs] of [['k', 'v', NaN], ['k', 'v', 0], ['k', 'v', undefined], [1, 'v', 10], ['k', 7, 10]]) {
    assert.match(shard.set(key, value, ttlMs, 0).error, /^a set takes /, String([key, value, ttlMs]));
  }
  assert.match(shard.delete(7, 0).error, /^a key is a string/);
  assert.equal(shard.size, 0);
  assert.equal(shard.sweep(0).next, undefined, 'nothing that never expires was kept');
  assert.deepEqual(shard.run('args', (state, keys, args) => args, ['k'], [1.5, 'x'], 0).reply, ['1.5', 'x']);
  for (const [keys, args] of [[[1], []], ['k', []], [[], [{}]], [[], [NaN]], [[], 'x']]) {
    assert.match(shard.run('args', () => 1, keys, args, 0).error, /^a script call takes /, JSON.stringify([keys, args]));
  }
});

test('a script that throws changes nothing, and says which script failed', () => {
  const shard = applying(10);
  shard.set('a', 'kept', 1000, 0);
  const result = shard.run('edgeguard.bad', (state) => {
    state.set('a', 'lost', 1000);
    state.set('b', 'lost', 1000);
    throw new Error('boom');
  }, [], [], 0);
  assert.deepEqual(result, { error: 'the script edgeguard.bad failed: boom', puts: [], deletes: [] });
  assert.equal(shard.read('a', 1), 'kept');
  assert.equal(shard.read('b', 1), undefined);
  const odd = shard.run('odd', () => { throw Object.create(null); }, [], [], 0);
  assert.match(odd.error, /the script odd failed: /, 'a thrown value that cannot be printed');
});

test('a script reads copies: a value changed in place, and not set, or set by a script that then fails, stays as stored', () => {
  const shard = applying(10);
  shard.run('init', (state) => state.set('a', { n: [1, 2] }, 1000), [], [], 0);
  const quiet = shard.run('quiet', (state) => { state.get('a').n.push(3); return 1; }, [], [], 0);
  assert.deepEqual(quiet, { reply: 1, puts: [], deletes: [] });
  const failing = shard.run('failing', (state) => {
    const value = state.get('a');
    value.n[0] = 99;
    state.set('a', value, 1000);
    throw new Error('after the change');
  }, [], [], 0);
  assert.match(failing.error, /after the change/);
  assert.deepEqual(shard.read('a', 1), { n: [1, 2] }, 'memory still holds what storage holds');
  const kept = { n: [5] };
  shard.run('later', (state) => state.set('b', kept, 1000), [], [], 0);
  kept.n[0] = 6;
  assert.deepEqual(shard.read('b', 1), { n: [5] }, 'a value is copied when set');
});

test('writes a script cannot persist are script errors: no TTL, undefined values, values storage cannot clone', () => {
  const shard = applying(10);
  for (const write of [(s) => s.set('a', 1), (s) => s.set('a', 1, 0), (s) => s.set('a', 1, 1.5), (s) => s.set('a', undefined, 10), (s) => s.set(1, 1, 10),
    (s) => s.set('a', { f() {} }, 10)]) {
    const result = shard.run('w', write, [], [], 0);
    assert.match(result.error, /^the script w failed: /);
    assert.equal(shard.size, 0);
  }
});

test('an expired key reads as absent at its expiry time, and a script starts it afresh', () => {
  const shard = applying(10);
  shard.run('count', counter, ['a'], [1000], 0);
  assert.equal(shard.read('a', 999), 1);
  assert.equal(shard.read('a', 1000), undefined);
  assert.equal(shard.run('count', counter, ['a'], [1000], 1000).reply, 1);
  assert.deepEqual(shard.delete('a', 2000), { reply: false, puts: [], deletes: ['a'] }, 'expired: not there, yet removed');
  assert.equal(shard.size, 0);
});

test('sweep drops what has expired and tells the earliest expiry left', () => {
  const shard = applying(10);
  shard.set('a', '1', 100, 0);
  shard.set('b', '2', 300, 0);
  shard.set('c', '3', 200, 0);
  assert.deepEqual(shard.sweep(150), { deletes: ['a'], next: 200 });
  assert.deepEqual(shard.sweep(1000), { deletes: ['b', 'c'], next: undefined });
  assert.equal(shard.size, 0);
});

test('at maxKeys, expired keys make room; past it a call is refused and writes nothing', () => {
  const shard = applying(2);
  shard.set('a', '1', 100, 0);
  shard.set('b', '2', 1000, 0);
  assert.deepEqual(shard.set('c', '3', 1000, 200), { reply: null, puts: [['c', { v: '3', e: 1200 }]], deletes: ['a'] });
  const full = shard.run('count', counter, ['d'], [1000], 300);
  assert.deepEqual(full, { error: 'the Durable Object holds its maximum of 2 keys', puts: [], deletes: [] });
  assert.equal(shard.read('d', 300), undefined);
  assert.equal(shard.run('count', counter, ['b'], [1000], 300).error, undefined, 'a key it holds can still change');
  assert.equal(shard.size, 2);
});

test('at maxBytes a call that would pass it is refused, unless expired keys make room; a value replaced or deleted frees its bytes', () => {
  const shard = applying(100, 1000);
  const big = 'x'.repeat(300);  // 616 bytes with its key and expiry: one fits, not two
  assert.equal(shard.set('a', big, 100, 0).error, undefined);
  const held = shard.bytes;
  assert.ok(held > 600 && held < 700, String(held));
  assert.equal(shard.set('b', big, 1000, 10).error, 'the Durable Object holds its maximum of 1000 bytes');
  assert.equal(shard.run('grow', (state) => state.set('c', [big], 1000), [], [], 10).error, 'the Durable Object holds its maximum of 1000 bytes');
  assert.equal(shard.set('a', 'small', 100, 10).error, undefined, 'a value replaced counts once');
  assert.ok(shard.bytes < 100);
  assert.equal(shard.set('a', big, 100, 10).error, undefined);
  assert.deepEqual(shard.set('b', big, 1000, 200), { reply: null, puts: [['b', { v: big, e: 1200 }]], deletes: ['a'] }, 'the expired one made room');
  assert.equal(shard.bytes, held);
  shard.delete('b', 200);
  assert.equal(shard.bytes, 0);
  const cycle = [];
  cycle.push(cycle);
  assert.equal(shard.run('cycle', (state) => state.set('c', cycle, 1000), [], [], 200).error, undefined, 'a value with a cycle is counted once');
});

test('load keeps live entries up to maxKeys and maxBytes and returns the rest to delete', () => {
  const shard = applying(2);
  const stored = new Map([['dead', { v: 1, e: 50 }], ['a', { v: 1, e: 500 }], ['junk', 'not an entry'], ['b', { v: 2, e: 500 }], ['c', { v: 3, e: 500 }]]);
  assert.deepEqual(shard.load(stored, 100), ['dead', 'junk', 'c']);
  assert.equal(shard.read('a', 100), 1);
  assert.equal(shard.read('b', 100), 2);
  assert.equal(shard.size, 2);
  const small = applying(10, 1000);
  assert.deepEqual(small.load(new Map([['a', { v: 'x'.repeat(300), e: 500 }], ['b', { v: 'y'.repeat(300), e: 500 }]]), 100), ['b']);
});
