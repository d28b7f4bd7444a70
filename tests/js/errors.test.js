import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, invalidOption, ConfigError } from '../../js/errors.js';

test('describe shows values a message can hold, and never throws on ones it cannot print', () => {
  assert.equal(describe('a'), '"a"');
  assert.equal(describe(3), '3');
  assert.equal(describe(10n), '10n');
  assert.equal(describe(undefined), 'undefined');
  assert.equal(describe(Object.create(null)), 'an object');
  assert.equal(describe({ toString: [] }), 'an object');
  assert.equal(describe({ toString() { throw new Error('no'); } }), 'an object');
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assert.equal(describe(proxy), 'an object');
  assert.equal(describe(Symbol('s')), 'Symbol(s)');
});

test('describe cuts a huge value short instead of copying it into the message', () => {
  const text = describe('x'.repeat(1_000_000));
  assert.ok(text.length <= 83, `${text.length} characters`);
  assert.ok(text.endsWith('...'));
});

test('invalidOption names the option with a value it cannot print', () => {
  const error = invalidOption('maxEntries', 'an integer', Object.create(null));
  assert.ok(error instanceof ConfigError);
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.equal(error.option, 'maxEntries');
  assert.match(error.message, /got an object/);
});
