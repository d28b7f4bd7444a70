// The shared copy's read: Lua on a real redis-server, `run` on a Map and `run` as a Durable
// Object runs it agree: nothing for an absent key, else the text and the TTL it has left (on a
// Durable Object, by the object's clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READ_ENTRY } from '../../../js/cache/read-script.js';
import { MapState, ObjectState, scriptStore } from '../../support/script-fixture.js';

const fixture = scriptStore('rs:');

test('absent: nothing; present: its text and the ms it has left, as Redis\'s PTTL counts them', async () => {
  const { store } = fixture;
  const key = store.key('c:k', 'v');
  const state = new MapState();
  const object = new ObjectState();
  assert.equal(await store.evalScript(READ_ENTRY, [key], []), null);
  assert.equal(READ_ENTRY.run(state, [key], []), null);
  assert.equal(object.run(READ_ENTRY, [key], [], 0).reply, null);

  await store.set(key, '{"f":1}', { ttlMs: 5000 });
  state.set(key, '{"f":1}', 5000);
  const [text, left] = await store.evalScript(READ_ENTRY, [key], []);
  assert.equal(text, '{"f":1}');
  assert.ok(left > 0 && left <= 5000, String(left));
  assert.deepEqual(READ_ENTRY.run(state, [key], []), ['{"f":1}', 5000]);
});

test('on a Durable Object the TTL left counts down on the object\'s clock, and the copy is gone at its end', () => {
  const object = new ObjectState();
  const key = '{c:x}:v';
  const put = { name: 'put', run: (state, [k]) => { state.set(k, 'text', 5000); return 1; } };
  object.run(put, [key], [], 1000);
  assert.deepEqual(object.run(READ_ENTRY, [key], [], 1000).reply, ['text', 5000]);
  assert.deepEqual(object.run(READ_ENTRY, [key], [], 3500).reply, ['text', 2500]);
  assert.equal(object.run(READ_ENTRY, [key], [], 6000).reply, null);
});

test('an engine whose ScriptState has no ttl(): the text, and -1 (its copies dated by their writers\' clocks)', () => {
  const state = { get: (key) => (key === 'k' ? 'text' : undefined) };
  assert.deepEqual(READ_ENTRY.run(state, ['k'], []), ['text', -1]);
  assert.equal(READ_ENTRY.run(state, ['other'], []), null);
});
