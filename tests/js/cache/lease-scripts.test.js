// The lease scripts: Lua on a real redis-server and `run` on a Map agree step by step, and a
// lease expires by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RELEASE_LEASE, TAKE_LEASE } from '../../../js/cache/lease-scripts.js';
import { MapState, scriptStore } from '../../support/script-fixture.js';

const fixture = scriptStore('ls:');

test('take, a second owner refused, release by the owner only, the owner\'s own taken again (renewed), taken again', async () => {
  const { store, conn } = fixture;
  const key = store.key('c:k', 'lease');
  const state = new MapState();
  const steps = [[TAKE_LEASE, ['a', 5000]], [TAKE_LEASE, ['b', 5000]], [RELEASE_LEASE, ['b']], [TAKE_LEASE, ['a', 5000]],
    [RELEASE_LEASE, ['a']], [RELEASE_LEASE, ['a']], [TAKE_LEASE, ['b', 5000]]];
  const replies = [];
  for (const [script, args] of steps) {
    const lua = await store.evalScript(script, [key], args);
    assert.equal(lua, script.run(state, [key], args));
    replies.push(lua);
  }
  assert.deepEqual(replies, [1, 0, 0, 1, 1, 0, 1]);
  assert.equal(await store.get(key), 'b');
  assert.equal(state.ttls.get(key), 5000);
  const pttl = Number(await conn.client.pttl(key));
  assert.ok(pttl > 0 && pttl <= 5000, String(pttl));
});

test('an owner whose release was lost takes its own lease again, renewed for the TTL it asks', async () => {
  const { store, conn } = fixture;
  const key = store.key('c:r', 'lease');
  const state = new MapState();
  for (const args of [['a', 1000], ['a', 60000]]) {
    assert.equal(await store.evalScript(TAKE_LEASE, [key], args), 1);
    assert.equal(TAKE_LEASE.run(state, [key], args), 1);
  }
  assert.equal(state.ttls.get(key), 60000);
  const pttl = Number(await conn.client.pttl(key));
  assert.ok(pttl > 1000 && pttl <= 60000, String(pttl));
  assert.equal(await store.evalScript(TAKE_LEASE, [key], ['b', 1000]), 0);
});
