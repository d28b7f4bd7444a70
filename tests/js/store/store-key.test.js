import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, EdgeguardError } from '../../../js/entry.node.js';
import { hashTag, prefixOption, slotText, storeKey } from '../../../js/store/store-key.js';

test('the keys of one tag share the hashed text; different tags do not', () => {
  const tags = ['', '%', '%25', '{', '}', '{}', '%7B', 'a}b', 'a', 'ip:10.0.0.1', 'ü'];
  const seen = new Map();
  for (const tag of tags) {
    const a = storeKey('eg:', tag, 'tat');
    const b = storeKey('eg:', tag, 'lease:}{');
    assert.equal(slotText(a), slotText(b), JSON.stringify(tag));
    assert.notEqual(slotText(a), a, 'a non-empty tag is hashed, not the whole key');
    assert.ok(!seen.has(slotText(a)), `tags ${JSON.stringify(seen.get(slotText(a)))} and ${JSON.stringify(tag)} collide`);
    seen.set(slotText(a), tag);
  }
});

test('hashTag escapes what would end or open the braces, and the empty tag', () => {
  assert.equal(hashTag('a{b}c%'), 'a%7Bb%7Dc%25');
  assert.equal(hashTag(''), '%');
  assert.throws(() => hashTag(7), (e) => e instanceof EdgeguardError && e.code === 'INVALID_INPUT');
  assert.throws(() => storeKey('p', 'a', 7), EdgeguardError);
});

test('slotText follows Redis Cluster: the first {...} if non-empty, else the whole key', () => {
  assert.equal(slotText('abc'), 'abc');
  assert.equal(slotText('a{b}c{d}'), 'b');
  assert.equal(slotText('a{}b{c}'), 'a{}b{c}');
  assert.equal(slotText('a{b'), 'a{b');
  assert.equal(slotText('a}b{c}'), 'c');
});

test('a prefix has no braces and a bounded length', () => {
  assert.equal(prefixOption({}, 'eg:'), 'eg:');
  assert.equal(prefixOption({ prefix: '' }, 'eg:'), '');
  for (const prefix of ['a{', 'b}', 'x'.repeat(257), 7, null]) {
    assert.throws(() => prefixOption({ prefix }, 'eg:'), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});
