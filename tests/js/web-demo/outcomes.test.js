import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, OUTCOMES } from '../../../web-demo/outcomes.js';

const res = (status, headers = {}) => new Response(null, { status, headers });

test('every answer of the guard maps to one outcome', () => {
  assert.equal(classify(res(200, { 'cache-status': 'edgeguard; fwd=miss; stored' })), 'fresh');
  assert.equal(classify(res(201, { 'cache-status': 'edgeguard; fwd=uri-miss' })), 'fresh');
  assert.equal(classify(res(200, { 'cache-status': 'edgeguard; hit; ttl=3' })), 'hit');
  assert.equal(classify(res(200, { 'cache-status': 'edgeguard; hit; ttl=-1; detail=stale-while-revalidate' })), 'stale');
  assert.equal(classify(res(200, { 'cache-status': 'edgeguard; fwd=stale; ttl=-9; detail=stale-if-error' })), 'stale-if-error');
  assert.equal(classify(res(429)), 'rate-limited');
  assert.equal(classify(res(400), { type: 'https://edgeguard.dev/problems/invalid-payload' }), 'invalid');
  assert.equal(classify(res(400), { errors: [] }), 'invalid');
  assert.equal(classify(res(413), { type: 'https://edgeguard.dev/problems/body-too-large' }), 'invalid');
  assert.equal(classify(res(400)), 'fresh', "a backend's own 400 is its answer");
  assert.equal(classify(res(414), { type: 'https://edgeguard.dev/problems/uri-too-long' }), 'invalid');
  assert.equal(classify(res(431), { type: 'https://edgeguard.dev/problems/headers-too-large' }), 'invalid');
  assert.equal(classify(res(503), { type: 'https://edgeguard.dev/problems/circuit-open' }), 'circuit-open');
  assert.equal(classify(res(503), { type: 'https://edgeguard.dev/problems/overloaded' }), 'error');
  assert.equal(classify(res(503)), 'error');
  assert.equal(classify(res(504), { type: 'https://edgeguard.dev/problems/upstream-timeout' }), 'error');
  assert.equal(classify(res(200, { 'cache-status': 'edgeguard; fwd=uri-miss; stored' })), 'fresh');
  assert.equal(classify(undefined), 'error');
  assert.equal(new Set(OUTCOMES.map((o) => o.id)).size, 8);
});
