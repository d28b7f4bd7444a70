// edgeguard/validator alone (each test file is its own process): Json, Validator and
// SchemaRegistry work over the validator module; the resilience classes refuse with
// FEATURE_NOT_LOADED, never an answer from another module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Json, Validator, SchemaRegistry, PayloadError } from '../../js/entry.validator.node.js';
import { Cache, RateLimiter, CircuitBreaker } from '../../js/entry.resilience.node.js';
import { module } from '../../js/core.js';

test('a failed load of the validator module is INIT_FAILED and can be retried', async () => {
  await assert.rejects(init({ wasm: new Uint8Array([0, 1, 2, 3]) }), { code: 'INIT_FAILED' });
  assert.throws(() => module('validator'), { code: 'NOT_INITIALIZED' });
});

test('Json, Validator and SchemaRegistry work over the validator module alone', async () => {
  await init();
  const names = Object.keys(Object.getPrototypeOf(module('validator'))).filter((n) => n.startsWith('_eg_'));
  assert.ok(!names.some((n) => /_eg_(cache|limit|breaker|retry|bulkhead|guard)_/.test(n)), names.join());
  assert.equal(Json.check('{"a":[1,2]}').valid, true);
  const bad = Json.check('{"a":');
  assert.ok(bad.error instanceof PayloadError);
  assert.equal(bad.error.code, 'PAYLOAD_MALFORMED');
  const v = new Validator({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } });
  assert.equal(v.validate('{"id":1}').valid, true);
  assert.equal(v.validate({ id: 'x' }).valid, false);
  const registry = new SchemaRegistry();
  registry.add({ $id: 'https://example.com/id', type: 'integer', minimum: 1 });
  const byRef = registry.validator('https://example.com/id');
  assert.deepEqual([byRef.validate('3').valid, byRef.validate('0').valid], [true, false]);
  [v, byRef, registry].forEach((o) => o.dispose());
});

test('the resilience classes throw FEATURE_NOT_LOADED until a module with them is loaded', () => {
  for (const make of [() => new Cache({ maxEntries: 10 }), () => new RateLimiter({ policies: [{ limit: 1, windowMs: 1000 }] }),
    () => new CircuitBreaker()]) {
    assert.throws(make, (e) => e.code === 'FEATURE_NOT_LOADED' && e.feature === 'resilience' &&
      /edgeguard\/resilience/.test(e.message) && /edgeguard\/validator/.test(e.message));
  }
});
