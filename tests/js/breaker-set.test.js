// eg_breaker_set's codes are written twice, as an enum in wasm/bridge_breaker.cpp and as SET in
// js/breaker-set.js: this pins one to the other, and an unknown code to doing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init } from '../../js/entry.node.js';
import { module } from '../../js/core.js';
import { CircuitBreaker } from '../../js/breaker.js';
import { SET } from '../../js/breaker-set.js';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('js/breaker-set.js names every code of wasm/bridge_breaker.cpp with the same number', () => {
  const cpp = /enum Set : uint32_t \{([^}]*)\}/.exec(read('wasm/bridge_breaker.cpp'))[1];
  const core = Object.fromEntries([...cpp.matchAll(/k(\w+) = (\d+)/g)]
    .map(([, name, n]) => [name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), Number(n)]));
  assert.deepEqual(SET, core);
});

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
