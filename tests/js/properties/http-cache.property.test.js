// Properties of cachePolicyFromHeaders: whatever the headers say (junk numbers, bad dates,
// repeated directives), the policy is usable as Cache#set options, never stores what a shared
// cache must not, and agrees with http-cache-semantics on plain max-age / s-maxage lifetimes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import CachePolicy from 'http-cache-semantics';
import { Cache, cachePolicyFromHeaders } from '../../../js/entry.node.js';
import { property } from './property.js';
import { attempt } from './verdict.js';

const NOW = Date.UTC(2026, 0, 1);
const seconds = fc.oneof(fc.nat(1e6).map(String), fc.constantFrom('-1', '1.5', 'abc', '', '99999999999999999999', '0x10', '1e3', '"60"', ' 60'));
const directive = fc.oneof(
  fc.constantFrom('no-store', 'no-cache', 'private', 'public', 'must-revalidate', 'proxy-revalidate', 'immutable', 'no-transform', 'nonsense'),
  fc.tuple(fc.constantFrom('max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error'), seconds).map(([d, v]) => `${d}=${v}`),
);
const date = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }).map((s) => new Date(NOW + s * 1000).toUTCString()), fc.constantFrom('garbage', '', 'Thu, 01 Jan 1970 00:00:00 GMT', '0', 'Sat, 01 Jan 10000 00:00:00 GMT'));
const responseHeaders = fc.record({
  'cache-control': fc.array(directive, { maxLength: 4 }).map((d) => d.join(', ')),
  age: fc.oneof(fc.nat(1e5).map(String), fc.constantFrom('-5', 'x', '1e9', '99999999999999999999')),
  date, expires: date, 'last-modified': date,
  vary: fc.constantFrom('accept', 'Accept-Encoding, accept', '*', ''),
}, { requiredKeys: [] });
const requestHeaders = fc.record({ authorization: fc.constant('Bearer x'), 'cache-control': fc.constantFrom('no-cache', 'max-age=0') }, { requiredKeys: [] });
// 304 has its own property (a 304 is never stored: it updates a stored response).
const status = fc.constantFrom(200, 203, 204, 206, 301, 404, 410, 500, 503);
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT');

property('any headers: a policy Cache#set accepts, finite lifetimes, nothing stored that a shared cache must not store',
  [requestHeaders, responseHeaders, status, method], (req, res, code, m) => {
    const r = attempt(() => cachePolicyFromHeaders(req, res, { status: code, method: m, now: NOW }), 'cachePolicyFromHeaders');
    if (!r.ok) return;
    const p = r.value;
    for (const k of ['ttlMs', 'staleWhileRevalidateMs', 'staleIfErrorMs', 'ageMs']) {
      assert.ok(typeof p[k] === 'number' && p[k] >= 0 && !Number.isNaN(p[k]), `${k} = ${p[k]}`);
    }
    const cc = res['cache-control'] ?? '';
    if (p.storable) {
      assert.ok(m === 'GET' || m === 'HEAD', `${m} storable`);
      assert.ok(!/\b(no-store|private)\b/.test(cc), `storable with ${cc}`);
      assert.ok(code !== 206, `status ${code} storable`);
      assert.ok(!/\*/.test(res.vary ?? ''), 'Vary: * storable');
      const cache = new Cache({ maxEntries: 2, clock: () => NOW });
      try {
        const { storable, reason, vary, mustRevalidate, ...options } = p;
        attempt(() => cache.set('k', 'v', options), 'Cache#set with the policy');
      } finally {
        cache.dispose();
      }
    }
  }, { numRuns: 500 });

property('a 304 is never storable (RFC 9111 section 3), whatever its headers say', [requestHeaders, responseHeaders], (req, res) => {
  const r = attempt(() => cachePolicyFromHeaders(req, res, { status: 304, now: NOW }), 'cachePolicyFromHeaders');
  if (r.ok) assert.equal(r.value.storable, false, `a 304 with ${JSON.stringify(res)} is storable`);
}, { numRuns: 100 });

// A response with no lifetime left is not storable here by design ('no-lifetime');
// http-cache-semantics stores it stale. Compared where some lifetime is left.
property('plain max-age / s-maxage: the same lifetime as http-cache-semantics',
  [fc.integer({ min: 1, max: 1e6 }), fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }), fc.nat(1000)], (maxAge, sMaxAge, age) => {
    if (age >= (sMaxAge ?? maxAge)) return;
    const cc = `public, max-age=${maxAge}${sMaxAge === undefined ? '' : `, s-maxage=${sMaxAge}`}`;
    const res = { 'cache-control': cc, age: String(age), date: new Date(NOW).toUTCString() };
    const p = cachePolicyFromHeaders({}, res, { now: NOW });
    const reference = new CachePolicy({ method: 'GET', url: '/', headers: {} }, { status: 200, headers: res }, { shared: true });
    assert.equal(p.storable, reference.storable(), `storable for ${cc}`);
    if (p.storable) {
      assert.equal(p.ttlMs, reference.maxAge() * 1000, `ttl for ${cc}`);
      assert.equal(p.ageMs, age * 1000, `age for ${cc}`);
    }
  }, { numRuns: 200 });
