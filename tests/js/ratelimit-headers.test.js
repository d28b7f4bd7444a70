import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyField, formatHeaders, sfString, HEADER_STYLES } from '../../js/ratelimit-headers.js';

const POLICIES = [
  { name: 'burst', limit: 10, windowMs: 1000 },
  { name: 'daily', limit: 1000, windowMs: 86_400_000 },
];
const allowed = { allowed: true, remaining: 3, limit: 10, resetMs: 700, retryAfterMs: 0 };
const rejected = { allowed: false, remaining: 0, limit: 1000, resetMs: 3_600_001, retryAfterMs: 1_500 };

test('the styles on offer', () => {
  assert.deepEqual(HEADER_STYLES, ['draft', 'draft-6', 'x']);
});

test('sf-string names escape quotes and backslashes only', () => {
  assert.equal(sfString('burst'), '"burst"');
  assert.equal(sfString('a"b\\c d'), '"a\\"b\\\\c d"');
});

test('RateLimit-Policy per style; sub-second windows advertise one second', () => {
  assert.equal(policyField('draft', POLICIES), '"burst";q=10;w=1, "daily";q=1000;w=86400');
  assert.equal(policyField('draft-6', POLICIES), '10;w=1, 1000;w=86400');
  assert.equal(policyField('draft', [{ name: 'fast', limit: 5, windowMs: 250 }]), '"fast";q=5;w=1');
  assert.equal(policyField('draft', [{ name: 'odd', limit: 5, windowMs: 1500 }]), '"odd";q=5;w=2');
});

test('draft: RateLimit for the deciding policy, Retry-After only on rejection', () => {
  const value = policyField('draft', POLICIES);
  assert.deepEqual(formatHeaders('draft', value, '"burst"', allowed, 0), {
    'RateLimit-Policy': value,
    RateLimit: '"burst";r=3;t=1',
  });
  assert.deepEqual(formatHeaders('draft', value, '"daily"', rejected, 0), {
    'RateLimit-Policy': value,
    RateLimit: '"daily";r=0;t=3601',
    'Retry-After': '2',
  });
});

test('draft-6 and x', () => {
  assert.deepEqual(formatHeaders('draft-6', '10;w=1', '"burst"', allowed, 0), {
    'RateLimit-Policy': '10;w=1',
    'RateLimit-Limit': '10',
    'RateLimit-Remaining': '3',
    'RateLimit-Reset': '1',
  });
  assert.deepEqual(formatHeaders('x', '', '"daily"', rejected, 1_700_000_000_000), {
    'X-RateLimit-Limit': '1000',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': '1700003601',
    'Retry-After': '2',
  });
});

test('whole seconds round up, and zero stays zero', () => {
  const value = policyField('draft', POLICIES);
  const at = (resetMs) => formatHeaders('draft', value, '"burst"', { ...allowed, resetMs }, 0).RateLimit;
  assert.equal(at(0), '"burst";r=3;t=0');
  assert.equal(at(1), '"burst";r=3;t=1');
  assert.equal(at(1000), '"burst";r=3;t=1');
  assert.equal(at(1001), '"burst";r=3;t=2');
});
