// The lease scripts: Lua on a real redis-server and `run` on a Map agree step by step, and a
// lease expires by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RELEASE_LEASE, TAKE_LEASE } from '../../../js/cache/lease-scripts.js';
import { MapState, scriptStore } from '../../support/script-fixture.js';

const fixture = scriptStore('ls:');

test('take, a second owner refused, release by the owner only, taken again', async () => {
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
  assert.deepEqual(replies, [1, 0, 0, 0, 1, 0, 1]);
  assert.equal(await store.get(key), 'b');
  assert.equal(state.ttls.get(key), 5000);
  const pttl = Number(await conn.client.pttl(key));
  assert.ok(pttl > 0 && pttl <= 5000, String(pttl));
});
