// js/cache/core-codes.js: the cache core's numbers (js/seam/cache.js, generated from the C++ and
// pinned by tests/js/seam.test.js) under the names js/cache.js reports, which users see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as codes from '../../../js/cache/core-codes.js';
import { Freshness, Reason, Status } from '../../../js/seam/cache.js';

test('POLICIES are the options\' names, by the core\'s PolicyKind', () => {
  assert.deepEqual(codes.POLICIES, ['tinylfu', 'lru', 'lfu', 'fifo']);
});

test('REASONS name each removal by its cause, as the events and stats().evictions do', () => {
  assert.deepEqual(codes.REASONS, ['capacity', 'expire', 'delete', 'invalidate', 'clear']);
  for (const name of ['EXPIRE', 'DELETE', 'INVALIDATE', 'CLEAR']) assert.equal(codes.REASONS[codes[name]], name.toLowerCase());
  assert.equal(codes.EXPIRE, Reason.EXPIRED);
});

test('CODES are the stable error codes, by the core\'s Status', () => {
  assert.deepEqual(codes.CODES, ['OK', 'CACHE_INVALID_CONFIG', 'CACHE_TOO_LARGE', 'CACHE_INVALID_ARGUMENT',
    'CACHE_TOO_MANY_TAGS', 'CACHE_OUT_OF_MEMORY']);
  assert.equal(codes.CODES[codes.TOO_LARGE], 'CACHE_TOO_LARGE');
  assert.equal(codes.CODES[codes.INVALID_ARGUMENT], 'CACHE_INVALID_ARGUMENT');
  assert.equal(codes.INVALID_ARGUMENT, Status.INVALID_ARGUMENT);
});

test('freshness codes fit under the mask, with the bridge\'s usable-on-error bit above them', () => {
  assert.equal(codes.STALE_IF_ERROR_ONLY, Freshness.STALE_IF_ERROR);
  for (const v of Object.values(Freshness)) assert.equal(v & ~codes.FRESHNESS_MASK, 0, 'a state fits the mask');
  assert.equal(codes.USABLE_ON_ERROR & codes.FRESHNESS_MASK, 0, 'the bit is above every state');
  assert.equal(codes.USABLE_ON_ERROR & (codes.USABLE_ON_ERROR - 1), 0, 'one bit');
});
