// The invalidation log: its Lua (on a real redis-server) and its `run` (on a Map, and as a Durable
// Object runs it, whose clock expires the log) give the same replies and leave the same log; an instance's view applies what it has not seen,
// clears when it missed some, and refuses shared entries an invalidation since matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALIDATE, InvalidationView, MAX_LOG, MAX_LOG_BYTES, RESET, precedes } from '../../../js/cache/invalidation-log.js';
import { MapState, ObjectState, scriptStore } from '../../support/script-fixture.js';

const fixture = scriptStore('il:');
const TTL = 60000;

test('Lua and run agree step by step: generations, the era kept once made, the log trimmed to its last entries, TTLs on both keys', async () => {
  const { store, conn } = fixture;
  const keys = [store.key('c:invalidations', 'gen'), store.key('c:invalidations', 'log')];
  const state = new MapState();
  const object = new ObjectState();
  const steps = [['t', 'a', 'era1'], ['k', 'key:é/"x"', 'era2'], ['p', 'p:', 'era3'], ['c', '', 'era4'], ['t', 'b', 'era5']];
  for (const [kind, value, era] of steps) {
    const args = [kind, value, era, 3, TTL, MAX_LOG_BYTES];
    const lua = await store.evalScript(INVALIDATE, keys, args);
    assert.equal(lua, INVALIDATE.run(state, keys, args));
    assert.equal(lua, object.run(INVALIDATE, keys, args, 0).reply);
  }
  assert.equal(state.get(keys[0]), 'era1:5');
  assert.deepEqual(JSON.parse(await store.get(keys[1])), JSON.parse(state.get(keys[1])));
  assert.deepEqual(JSON.parse(object.read(keys[1], 0)), JSON.parse(state.get(keys[1])));
  assert.equal(object.read(keys[0], TTL - 1), 'era1:5');
  assert.equal(object.read(keys[0], TTL), undefined, 'both keys expire on the object\'s clock');
  assert.equal(object.read(keys[1], TTL), undefined);
  assert.deepEqual(JSON.parse(state.get(keys[1])), [[3, 'p', 'p:'], [4, 'c', ''], [5, 't', 'b']]);
  assert.deepEqual([...state.ttls.values()], [TTL, TTL]);
  for (const key of keys) {
    const pttl = Number(await conn.client.pttl(key));
    assert.ok(pttl > 0 && pttl <= TTL, `${key}: ${pttl}`);
  }
});

test('the log keeps its newest entries within MAX_LOG_BYTES of values (UTF-8, 16 more each), the newest always: Lua and run agree', async () => {
  const { store } = fixture;
  const keys = [store.key('c3:invalidations', 'gen'), store.key('c3:invalidations', 'log')];
  const state = new MapState();
  const object = new ObjectState();
  // 'é' is 2 bytes, '€' 3, counted as UTF-8 on both sides: a budget of 60 holds 'aaaa', 'éé' and
  // '€' (20 + 20 + 19), not a fourth; 'x' x 50 (66) alone, being the newest, and after it only ''.
  const steps = [['k', 'aaaa'], ['k', 'éé'], ['t', '€'], ['p', 'b'.repeat(4)], ['k', 'x'.repeat(50)], ['c', '']];
  const logs = [];
  for (const [kind, value] of steps) {
    const args = [kind, value, 'e', MAX_LOG, TTL, 60];
    const lua = await store.evalScript(INVALIDATE, keys, args);
    assert.equal(lua, INVALIDATE.run(state, keys, args));
    assert.equal(lua, object.run(INVALIDATE, keys, args, 0).reply);
    const log = JSON.parse(await store.get(keys[1]));
    assert.deepEqual(JSON.parse(state.get(keys[1])), log);
    assert.deepEqual(JSON.parse(object.read(keys[1], 0)), log);
    logs.push(log.map(([n]) => n));
  }
  assert.deepEqual(logs, [[1], [1, 2], [1, 2, 3], [2, 3, 4], [5], [6]]);
  // An instance that saw the entry before the log's first lost nothing; one that saw less resets.
  const view = new InvalidationView();
  view.advance('e:5', JSON.stringify([[5, 'k', 'x'.repeat(50)]]));
  assert.deepEqual(view.advance('e:6', await store.get(keys[1])), [['e:6', 'c', '']]);
  const behind = new InvalidationView();
  behind.advance('e:4', JSON.stringify([[2, 'k', 'éé'], [3, 't', '€'], [4, 'p', 'bbbb']]));
  assert.equal(behind.advance('e:6', await store.get(keys[1])), RESET);
  assert.ok(MAX_LOG * (1024 + 16) > MAX_LOG_BYTES && MAX_LOG_BYTES <= 32 * 1024, 'tags of 1 KiB: fewer than MAX_LOG fit');
});

test('on a Durable Object the log lives maxTtlMs on the object\'s clock from its last invalidation: the era goes on until then, a new one begins after', async () => {
  const { store, conn } = fixture;
  const keys = [store.key('c2:invalidations', 'gen'), store.key('c2:invalidations', 'log')];
  const object = new ObjectState();
  const at = (kind, value, era, now) => object.run(INVALIDATE, keys, [kind, value, era, MAX_LOG, 1000, MAX_LOG_BYTES], now);
  assert.equal(at('t', 'a', 'e', 0).reply, 'e:1');
  assert.equal(at('t', 'b', 'f', 999).reply, 'e:2');
  assert.equal(object.read(keys[0], 1998), 'e:2', 'renewed by the second');
  assert.equal(object.read(keys[1], 1999), undefined);
  assert.equal(at('k', 'x', 'g', 1999).reply, 'g:1');
  assert.deepEqual(JSON.parse(object.read(keys[1], 1999)), [[1, 'k', 'x']]);
  // The Lua, with the keys gone as they go when their TTL runs out.
  for (const [kind, value, era] of [['t', 'a', 'e'], ['t', 'b', 'f']]) await store.evalScript(INVALIDATE, keys, [kind, value, era, MAX_LOG, 1000, MAX_LOG_BYTES]);
  await conn.client.del(...keys);
  assert.equal(await store.evalScript(INVALIDATE, keys, ['k', 'x', 'g', MAX_LOG, 1000, MAX_LOG_BYTES]), 'g:1');
  assert.deepEqual(JSON.parse(await store.get(keys[1])), [[1, 'k', 'x']]);
});

test('a view: the first check gives the whole log, later ones what is new; a gap, an unreadable log or the end of an era seen is a reset', () => {
  const v = new InvalidationView();
  // Memory may hold entries before the first check (set(), restore()): all of the log applies to them.
  assert.deepEqual(v.advance('e:2', JSON.stringify([[1, 't', 'a'], [2, 'k', 'x']])), [['e:1', 't', 'a'], ['e:2', 'k', 'x']]);
  assert.deepEqual(v.advance('e:2', JSON.stringify([[1, 't', 'a'], [2, 'k', 'x']])), []);
  assert.deepEqual(v.advance('e:4', JSON.stringify([[2, 'k', 'x'], [3, 'p', 'p:'], [4, 'c', '']])), [['e:3', 'p', 'p:'], ['e:4', 'c', '']]);
  assert.equal(v.advance('e:7', JSON.stringify([[6, 't', 'b'], [7, 't', 'c']])), RESET);  // 5 is gone
  assert.equal(v.advance('e:8', 'not json'), RESET);
  // The log expired: era e may have ended with invalidations after e:8 that this view never saw.
  assert.equal(v.advance(null, null), RESET);
  assert.deepEqual(v.advance(null, null), []);
  // A new era began after a view that knew none: all of it is new here.
  assert.deepEqual(v.advance('f:2', JSON.stringify([[1, 't', 'a'], [2, 't', 'b']])), [['f:1', 't', 'a'], ['f:2', 't', 'b']]);
  assert.equal(v.advance('g:3', JSON.stringify([[2, 't', 'a'], [3, 't', 'b']])), RESET);
  assert.equal(MAX_LOG, 128);
});

test('a view that missed the end of its era resets, even when the new era\'s log is whole', () => {
  const v = new InvalidationView();
  v.advance('e:1', JSON.stringify([[1, 't', 'a']]));
  // e:2 (unseen here), then the log expired (maxTtlMs without invalidations), then f:1.
  assert.equal(v.advance('f:1', JSON.stringify([[1, 'k', 'y']])), RESET);
  assert.deepEqual(v.advance('f:2', JSON.stringify([[1, 'k', 'y'], [2, 'k', 'z']])), [['f:2', 'k', 'z']]);
});

test('a first check with a log that lost its start is a reset: memory may hold what the lost part matched', () => {
  assert.equal(new InvalidationView().advance('e:200', JSON.stringify([[200, 't', 'a']])), RESET);
  assert.deepEqual(new InvalidationView().advance(null, null), []);
});

test('a view refuses an entry that an invalidation since its generation matches, or when it cannot tell', () => {
  const v = new InvalidationView();
  assert.equal(v.refuses('k', ['t'], undefined), false);  // no log seen: nothing to refuse by
  v.advance('e:4', JSON.stringify([[2, 't', 'a'], [3, 'p', 'user:'], [4, 'k', 'x']]));
  assert.equal(v.refuses('y', ['a'], 'e:1'), true);
  assert.equal(v.refuses('y', ['a'], 'e:2'), false);
  assert.equal(v.refuses('user:1', [], 'e:2'), true);
  assert.equal(v.refuses('x', undefined, 'e:3'), true);
  assert.equal(v.refuses('x', undefined, 'e:4'), false);
  assert.equal(v.refuses('z', ['b'], 'e:1'), false);
  assert.equal(v.refuses('z', ['b'], 'e:0'), true);       // before the log's oldest entry: cannot tell
  assert.equal(v.refuses('z', ['b'], undefined), true);   // written before any log (another era): the same
  assert.equal(v.refuses('z', ['b'], 'old:9'), true);
  v.advance('e:5', JSON.stringify([[2, 't', 'a'], [3, 'p', 'user:'], [4, 'k', 'x'], [5, 'c', '']]));
  assert.equal(v.refuses('z', [], 'e:4'), true);
});

test('precedes: an earlier generation of the same era, or one that cannot be placed (another era, none)', () => {
  assert.deepEqual([precedes('e:3', 'e:4'), precedes('e:4', 'e:4'), precedes('e:5', 'e:4')], [true, false, false]);
  assert.deepEqual([precedes('f:9', 'e:4'), precedes(undefined, 'e:4')], [true, true]);
});

test('a view adopts a message\'s invalidation only when it is the next it expects; has() is what it holds', () => {
  const v = new InvalidationView();
  assert.equal(v.append('e:1', 'k', 'x'), false);  // no check yet: the log may hold more
  assert.deepEqual(v.advance(null, null), []);
  assert.equal(v.append('e:2', 't', 'a'), false);  // e:1 missing
  assert.equal(v.append('e:1', 't', 'a'), true);   // the first of a new era
  assert.equal(v.refuses('y', ['a'], undefined), true);
  assert.equal(v.append('e:3', 'k', 'x'), false);
  assert.equal(v.append('f:2', 'k', 'x'), false);  // another era
  assert.equal(v.append('e:2', 'k', 'x'), true);
  assert.deepEqual([v.stamp, v.has('e:1'), v.has('e:2'), v.has('e:3'), v.has('f:1')], ['e:2', true, true, false, false]);
  assert.deepEqual([v.refuses('x', undefined, 'e:1'), v.refuses('x', undefined, 'e:2'), v.refuses('y', ['b'], 'e:1')], [true, false, false]);
  // The log then brings what the view adopted: nothing new, and what follows it.
  const log = [[1, 't', 'a'], [2, 'k', 'x'], [3, 'p', 'p:']];
  assert.deepEqual(v.advance('e:3', JSON.stringify(log)), [['e:3', 'p', 'p:']]);
  // Kept to MAX_LOG entries, as the store's log is.
  for (let n = 4; n < 4 + MAX_LOG; n++) assert.equal(v.append(`e:${n}`, 'k', `k${n}`), true);
  assert.equal(v.refuses('other', undefined, 'e:3'), false);
  assert.equal(v.refuses('other', undefined, 'e:2'), true);  // e:3 is gone from the view: cannot tell
});
