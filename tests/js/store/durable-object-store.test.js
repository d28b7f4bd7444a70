// DurableObjectStore's side of the contract that needs no runtime: which object owns a key, and
// the synchronous refusals before anything is sent. Calls to real objects, with their deadlines
// and failures, are in tests/e2e/durable-object.test.js (workerd).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, EdgeguardError, ConfigError } from '../../../js/entry.node.js';
import { DurableObjectStore } from '../../../js/store/durable-object-store.js';
import { defineScript } from '../../../js/store/script.js';

// Only its shape is checked here: every call below throws before reaching it.
const namespace = {
  idFromName: () => assert.fail('nothing is sent'),
  get: () => assert.fail('nothing is sent'),
};

before(() => init());

const isCode = (code) => (e) => e instanceof EdgeguardError && e.code === code;

test('the keys of one hash tag have one object; tags spread over all the shards', () => {
  const store = new DurableObjectStore(namespace, { shards: 16 });
  assert.equal(store.objectName(store.key('user:1', 'a')), store.objectName(store.key('user:1', 'b')));
  const names = new Set(Array.from({ length: 1000 }, (_, i) => store.objectName(store.key(`user:${i}`, 'n'))));
  assert.equal(names.size, 16);
  for (const name of names) assert.match(name, /^edgeguard:(\d|1[0-5])$/);
  assert.equal(new Set(Array.from({ length: 4000 }, (_, i) => new DurableObjectStore(namespace).objectName(`{${i}}`))).size, 64, 'default 64');
});

test('more shards move few keys: from 16 to 17 about 1 tag in 17 changes object, only ever to the new one', () => {
  const [before, after] = [16, 17].map((shards) => new DurableObjectStore(namespace, { shards }));
  const tags = Array.from({ length: 10_000 }, (_, i) => `tag:${i}`);
  const moved = tags.filter((tag) => before.objectName(`{${tag}}`) !== after.objectName(`{${tag}}`));
  assert.ok(moved.length > 10_000 / 17 / 2 && moved.length < (10_000 / 17) * 1.5, `${moved.length} of 10000 moved`);
  assert.ok(moved.every((tag) => after.objectName(`{${tag}}`) === 'edgeguard:16'));
});

test('which object owns a key is pinned: a new release must not move keys between objects', () => {
  const store = new DurableObjectStore(namespace, { shards: 256 });
  // Jump consistent hash over FNV-1a 32 of the tag ('' is '%' between the braces), steps drawn
  // by MurmurHash3's finalizer, for 256 shards: computed outside JS (Python, integer arithmetic).
  assert.deepEqual(['', 'a', 'user:42', 'é'].map((tag) => store.objectName(store.key(tag, 'n'))),
    ['edgeguard:18', 'edgeguard:198', 'edgeguard:75', 'edgeguard:135']);
  assert.equal(store.objectName('no tag'), store.objectName('{no tag}'), 'a key without a tag hashes whole, as Redis does');
  assert.equal(store.stats().shards, 256);
});

test('a namespace that is not a binding, or bad options, throw ConfigError', () => {
  for (const ns of [undefined, null, {}, { idFromName() {} }]) {
    assert.throws(() => new DurableObjectStore(ns), (e) => e instanceof ConfigError && /Durable Object namespace binding/.test(e.message));
  }
  for (const options of [{ shards: 0 }, { shards: 65537 }, { shards: 1.5 }, { prefix: '{x}' }, { deadlineMs: 0 }, 'x']) {
    assert.throws(() => new DurableObjectStore(namespace, options), isCode('CONFIG_INVALID'));
  }
});

test('a script without a name and run, and bad keys, args or values, are INVALID_INPUT', () => {
  const store = new DurableObjectStore(namespace);
  const named = defineScript('return 1', { name: 'app.one', run: () => 1 });
  const key = store.key('t', 'n');
  assert.throws(() => store.evalScript(defineScript('return 1'), [key], []), (e) => isCode('INVALID_INPUT')(e) && /by name/.test(e.message));
  assert.throws(() => store.evalScript(named, [key, store.key('u', 'n')], []), isCode('INVALID_INPUT'));
  assert.throws(() => store.evalScript(named, [key], [{}]), isCode('INVALID_INPUT'));
  assert.throws(() => store.evalScript(named, [store.key('t', 'é'.repeat(1100))], []), isCode('INVALID_INPUT'), 'a key over 2048 bytes');
  assert.doesNotThrow(() => store.objectName(store.key('t', 'é'.repeat(1100))));
  assert.throws(() => store.get(7), isCode('INVALID_INPUT'));
  assert.throws(() => store.set(key, 1, { ttlMs: 10 }), isCode('INVALID_INPUT'));
  assert.throws(() => store.set(key, 'x'.repeat(64 * 1024 + 1), { ttlMs: 10 }), isCode('INVALID_INPUT'));
  assert.deepEqual([store.maxKeyBytes, store.maxValueBytes], [2048, 64 * 1024], 'the limits it states (a cache\'s shared tier keeps to them)');
  assert.throws(() => store.set(key, 'x', {}), isCode('CONFIG_INVALID'));
  assert.throws(() => store.delete(key, { deadlineMs: -1 }), isCode('CONFIG_INVALID'));
  assert.equal(store.stats().calls, 0, 'nothing was sent');
});

test('deadlineMs reads the deadline a call that names none gets', () => {
  assert.equal(new DurableObjectStore(namespace, { deadlineMs: 30 }).deadlineMs, 30);
  assert.equal(new DurableObjectStore(namespace).deadlineMs, new DurableObjectStore(namespace, {}).deadlineMs);
  assert.ok(new DurableObjectStore(namespace).deadlineMs >= 1);
});
