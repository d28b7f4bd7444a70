// The lease scripts: Lua on a real redis-server, `run` on a Map and `run` as a Durable Object
// runs it agree step by step, and a lease expires by itself (on a Durable Object, by its clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RELEASE_LEASE, TAKE_LEASE } from '../../../js/cache/lease-scripts.js';
import { MapState, ObjectState, scriptStore } from '../../support/script-fixture.js';

const fixture = scriptStore('ls:');

test('take, a second owner refused, release by the owner only, the owner\'s own taken again (renewed), taken again', async () => {
  const { store, conn } = fixture;
  const key = store.key('c:k', 'lease');
  const state = new MapState();
  const object = new ObjectState();
  const steps = [[TAKE_LEASE, ['a', 5000]], [TAKE_LEASE, ['b', 5000]], [RELEASE_LEASE, ['b']], [TAKE_LEASE, ['a', 5000]],
    [RELEASE_LEASE, ['a']], [RELEASE_LEASE, ['a']], [TAKE_LEASE, ['b', 5000]]];
  const replies = [];
  for (const [script, args] of steps) {
    const lua = await store.evalScript(script, [key], args);
    assert.equal(lua, script.run(state, [key], args));
    assert.equal(lua, object.run(script, [key], args, 0).reply);
    replies.push(lua);
  }
  assert.deepEqual(replies, [1, 0, 0, 1, 1, 0, 1]);
  assert.equal(await store.get(key), 'b');
  assert.equal(object.read(key, 4999), 'b');
  assert.equal(object.read(key, 5000), undefined);
  assert.equal(state.ttls.get(key), 5000);
  const pttl = Number(await conn.client.pttl(key));
  assert.ok(pttl > 0 && pttl <= 5000, String(pttl));
});

test('an owner whose release was lost takes its own lease again, renewed for the TTL it asks', async () => {
  const { store, conn } = fixture;
  const key = store.key('c:r', 'lease');
  const state = new MapState();
  const object = new ObjectState();
  for (const args of [['a', 1000], ['a', 60000]]) {
    assert.equal(await store.evalScript(TAKE_LEASE, [key], args), 1);
    assert.equal(TAKE_LEASE.run(state, [key], args), 1);
    assert.equal(object.run(TAKE_LEASE, [key], args, 0).reply, 1);
  }
  assert.equal(state.ttls.get(key), 60000);
  assert.equal(object.read(key, 59999), 'a');
  const pttl = Number(await conn.client.pttl(key));
  assert.ok(pttl > 1000 && pttl <= 60000, String(pttl));
  assert.equal(await store.evalScript(TAKE_LEASE, [key], ['b', 1000]), 0);
  assert.equal(object.run(TAKE_LEASE, [key], ['b', 1000], 0).reply, 0);
});

test('on a Durable Object a lease runs out on the object\'s clock: its owner\'s until its TTL, then another owner\'s', () => {
  const object = new ObjectState();
  const key = '{c:x}:lease';
  // An owner of digits alone is still a string: Lua compares ARGV as strings, and so does run.
  assert.equal(object.run(TAKE_LEASE, [key], ['0123', 1000], 0).reply, 1);
  assert.equal(object.run(TAKE_LEASE, [key], [123, 1000], 999).reply, 0);
  assert.equal(object.run(RELEASE_LEASE, [key], ['b'], 999).reply, 0);
  assert.equal(object.read(key, 999), '0123');
  assert.equal(object.run(TAKE_LEASE, [key], ['b', 1000], 1000).reply, 1, 'the first lease ran out');
  assert.equal(object.run(RELEASE_LEASE, [key], ['0123'], 1000).reply, 0, 'no longer its owner\'s to release');
  assert.equal(object.run(RELEASE_LEASE, [key], ['b'], 1500).reply, 1);
  assert.equal(object.read(key, 1500), undefined);
  assert.equal(object.run(TAKE_LEASE, [key], ['0123', 1000], 1500).reply, 1);
});
