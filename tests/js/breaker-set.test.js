// eg_breaker_set's codes (SET, generated from wasm/bridge_breaker.cpp's Command): an unknown code
// does nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { CircuitBreaker } from '../../js/breaker.js';

test('an unknown code changes nothing: an open circuit stays open', async () => {
  await init();
  let now = 1000;
  const breaker = new CircuitBreaker({ consecutiveFailures: 1, openMs: 60000, clock: () => now });
  await breaker.execute(async () => { throw new Error('down'); }).catch(() => {});
  assert.equal(breaker.state, 'open');
  const mod = module();
  mod._eg_breaker_set(breaker.handle, 99, now);
  assert.ok(mod._eg_breaker_acquire(breaker.handle, now + 1) < 0, 'the core still refuses calls');
  breaker.dispose();
});
