import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreError, describe, invalidOption, ConfigError } from '../../js/errors.js';
import { ErrorCode } from '../../js/seam/errors.js';

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

// A module whose last failure is `code` (an ErrorCode), `option` and `message`.
function failed(code, option, message) {
  const texts = [option, message];
  return {
    _eg_last_error: () => 64,
    u32: (ptr, count) => Uint32Array.from([code, 0, 1]).subarray(0, count),
    readCString: (ptr) => texts[ptr],
  };
}

test('coreError turns the core\'s one error channel into the typed error', () => {
  const config = coreError(failed(ErrorCode.CONFIG_INVALID, 'openMs', 'option openMs must be...'));
  assert.ok(config instanceof ConfigError);
  assert.deepEqual([config.code, config.option, config.message], ['CONFIG_INVALID', 'openMs', 'option openMs must be...']);
  assert.equal(coreError(failed(ErrorCode.CONFIG_INVALID, '', 'options must be a JSON object')).option, undefined);
  // The value of the option named, as JS shows it, when the options given are passed.
  const nested = failed(ErrorCode.CONFIG_INVALID, 'window.size', 'option window.size must be an integer');
  assert.equal(coreError(nested, { window: { size: NaN } }).message, 'option window.size must be an integer (got NaN)');
  assert.equal(coreError(nested, { window: 3 }).message, 'option window.size must be an integer');
  const memory = coreError(failed(ErrorCode.OUT_OF_MEMORY, '', 'out of memory'));
  assert.ok(!(memory instanceof ConfigError));
  assert.deepEqual([memory.code, memory.message], ['OUT_OF_MEMORY', 'out of memory']);
  assert.equal(coreError(failed(ErrorCode.BREAKER_SNAPSHOT_MISMATCH, '', 'x')).code, 'BREAKER_SNAPSHOT_MISMATCH');
  // A class's own code for a refused option is a ConfigError too; an array's element is found by index.
  const window = coreError(failed(ErrorCode.LIMIT_BAD_WINDOW, 'policies.1.windowMs', 'windowMs must be...'),
    { policies: [{}, { windowMs: -1 }] });
  assert.ok(window instanceof ConfigError);
  assert.deepEqual([window.code, window.option, window.message],
    ['LIMIT_BAD_WINDOW', 'policies.1.windowMs', 'windowMs must be... (got -1)']);
  const limitMemory = coreError(failed(ErrorCode.LIMIT_OUT_OF_MEMORY, '', 'out of memory'));
  assert.ok(!(limitMemory instanceof ConfigError));
  assert.equal(limitMemory.code, 'LIMIT_OUT_OF_MEMORY');
  // A failure that recorded nothing, or a code this JS does not know, is still a failure.
  for (const code of [ErrorCode.OK, 999]) assert.equal(coreError(failed(code, '', '')).code, 'CORE_FAILED');
});
