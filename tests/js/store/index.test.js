import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as store from 'edgeguard/store';
import { EdgeguardError } from 'edgeguard';

test('edgeguard/store exports the store pieces, with the same error base as the package', () => {
  assert.deepEqual(Object.keys(store).sort(), ['DurableObjectStore', 'RedisStore', 'StoreError', 'StoreScript', 'UpstashStore', 'defineScript', 'hashTag', 'storeKey']);
  assert.ok(new store.StoreError('STORE_TIMEOUT', 'x') instanceof EdgeguardError);
});
