// One Durable Object's state without the runtime: scripts on a journal, TTLs on the given clock,
// the bound on keys, and what each call hands the object to persist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShardState } from '../../../js/store/shard-state.js';

const counter = (state, keys, args) => {
  const n = (state.get(keys[0]) ?? 0) + 1;
  state.set(keys[0], n, Number(args[0]));
  return n;
};

test('a script reads and writes through the state; its writes come back to persist', () => {
  const shard = new ShardState(10);
  assert.deepEqual(shard.run('count', counter, ['a'], [1000], 0), { reply: 1, puts: [['a', { v: 1, e: 1000 }]], deletes: [] });
  assert.deepEqual(shard.run('count', counter, ['a'], [1000], 500).reply, 2);
  assert.equal(shard.read('a', 1499), 2);
  assert.equal(shard.size, 1);
});

test('a script sees its own writes and deletes before they are applied', () => {
  const shard = new ShardState(10);
  shard.set('x', 'old', 1000, 0);
  const result = shard.run('swap', (state) => {
    state.set('y', state.get('x'), 1000);
    const existed = state.delete('x');
    return [existed ? 1 : 0, state.get('x') ?? null, state.get('y'), state.delete('x') ? 1 : 0];
  }, [], [], 10);
  assert.deepEqual(result, { reply: [1, null, 'old', 0], puts: [['y', { v: 'old', e: 1010 }]], deletes: ['x'] });
});

test('a script that throws changes nothing, and says which script failed', () => {
  const shard = new ShardState(10);
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

test('writes a script cannot persist are script errors: no TTL, undefined values', () => {
  const shard = new ShardState(10);
  for (const write of [(s) => s.set('a', 1), (s) => s.set('a', 1, 0), (s) => s.set('a', 1, 1.5), (s) => s.set('a', undefined, 10), (s) => s.set(1, 1, 10)]) {
    const result = shard.run('w', write, [], [], 0);
    assert.match(result.error, /^the script w failed: /);
    assert.equal(shard.size, 0);
  }
});

test('an expired key reads as absent at its expiry time, and a script starts it afresh', () => {
  const shard = new ShardState(10);
  shard.run('count', counter, ['a'], [1000], 0);
  assert.equal(shard.read('a', 999), 1);
  assert.equal(shard.read('a', 1000), undefined);
  assert.equal(shard.run('count', counter, ['a'], [1000], 1000).reply, 1);
  assert.deepEqual(shard.delete('a', 2000), { reply: false, puts: [], deletes: ['a'] }, 'expired: not there, yet removed');
  assert.equal(shard.size, 0);
});

test('sweep drops what has expired and tells the earliest expiry left', () => {
  const shard = new ShardState(10);
  shard.set('a', '1', 100, 0);
  shard.set('b', '2', 300, 0);
  shard.set('c', '3', 200, 0);
  assert.deepEqual(shard.sweep(150), { deletes: ['a'], next: 200 });
  assert.deepEqual(shard.sweep(1000), { deletes: ['b', 'c'], next: undefined });
  assert.equal(shard.size, 0);
});

test('at maxKeys, expired keys make room; past it a call is refused and writes nothing', () => {
  const shard = new ShardState(2);
  shard.set('a', '1', 100, 0);
  shard.set('b', '2', 1000, 0);
  assert.deepEqual(shard.set('c', '3', 1000, 200), { reply: null, puts: [['c', { v: '3', e: 1200 }]], deletes: ['a'] });
  const full = shard.run('count', counter, ['d'], [1000], 300);
  assert.deepEqual(full, { error: 'the Durable Object holds its maximum of 2 keys', puts: [], deletes: [] });
  assert.equal(shard.read('d', 300), undefined);
  assert.equal(shard.run('count', counter, ['b'], [1000], 300).error, undefined, 'a key it holds can still change');
  assert.equal(shard.size, 2);
});

test('load keeps live entries up to maxKeys and returns the rest to delete', () => {
  const shard = new ShardState(2);
  const stored = new Map([['dead', { v: 1, e: 50 }], ['a', { v: 1, e: 500 }], ['junk', 'not an entry'], ['b', { v: 2, e: 500 }], ['c', { v: 3, e: 500 }]]);
  assert.deepEqual(shard.load(stored, 100), ['dead', 'junk', 'c']);
  assert.equal(shard.read('a', 100), 1);
  assert.equal(shard.read('b', 100), 2);
  assert.equal(shard.size, 2);
});
