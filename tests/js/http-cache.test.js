import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import CachePolicy from 'http-cache-semantics';
import { init, Cache, cachePolicyFromHeaders } from '../../js/entry.node.js';
import { parseCacheControl, responseFacts } from '../../js/http-cache.js';

before(() => init());

const NOW = Date.parse('Tue, 15 Nov 1994 08:12:31 GMT');
const policy = (req, res, options = {}) => cachePolicyFromHeaders(req, res, { now: NOW, ...options });

test('RFC 5861 example: max-age=600, stale-if-error=1200 serves on error until age 1800', () => {
  const p = policy({}, { 'Cache-Control': 'max-age=600, stale-if-error=1200' });
  assert.deepEqual(p, { storable: true, ttlMs: 600_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 1_200_000,
    ageMs: 0, vary: [], mustRevalidate: false });
});

test('RFC 5861 example: max-age=600, stale-while-revalidate=30', () => {
  const p = policy({}, { 'cache-control': 'max-age=600, stale-while-revalidate=30' });
  assert.equal(p.ttlMs, 600_000);
  assert.equal(p.staleWhileRevalidateMs, 30_000);
});

test('s-maxage overrides max-age and Expires for a shared cache', () => {
  const p = policy({}, { 'cache-control': 'max-age=60, s-maxage=300, stale-while-revalidate=10',
    expires: 'Tue, 15 Nov 1994 09:12:31 GMT' });
  assert.equal(p.ttlMs, 300_000);
  assert.equal(p.staleWhileRevalidateMs, 10_000);
});

test('must-revalidate and proxy-revalidate forbid stale serving', () => {
  for (const d of ['must-revalidate', 'proxy-revalidate']) {
    const p = policy({}, { 'cache-control': `max-age=60, ${d}, stale-while-revalidate=30, stale-if-error=600` });
    assert.equal(p.storable, true);
    assert.equal(p.mustRevalidate, true);
    assert.equal(p.staleWhileRevalidateMs, 0);
    assert.equal(p.staleIfErrorMs, 0);
  }
});

test('no-store, private, no-cache and Vary: * are not storable', () => {
  assert.equal(policy({}, { 'cache-control': 'no-store, max-age=60' }).reason, 'no-store');
  assert.equal(policy({ 'cache-control': 'no-store' }, { 'cache-control': 'max-age=60' }).reason, 'no-store');
  assert.equal(policy({}, { 'cache-control': 'private, max-age=60' }).reason, 'private');
  assert.equal(policy({}, { 'cache-control': 'private="set-cookie", max-age=60' }).reason, 'private');
  assert.equal(policy({}, { 'cache-control': 'no-cache, max-age=60' }).reason, 'no-cache');
  assert.equal(policy({}, { pragma: 'no-cache', expires: 'Tue, 15 Nov 1994 09:12:31 GMT' }).reason, 'no-cache');
  assert.equal(policy({}, { pragma: 'no-cache', 'cache-control': 'max-age=5' }).storable, true);
  assert.equal(policy({}, { 'cache-control': 'max-age=60', vary: 'Accept, *' }).reason, 'vary-star');
  for (const p of [policy({}, { 'cache-control': 'no-store' })]) {
    assert.deepEqual([p.storable, p.ttlMs, p.staleWhileRevalidateMs, p.staleIfErrorMs], [false, 0, 0, 0]);
  }
});

test('Vary names the request headers the key must include', () => {
  assert.deepEqual(policy({}, { 'cache-control': 'max-age=60', vary: 'Accept-Encoding, Accept-Language' }).vary,
    ['accept-encoding', 'accept-language']);
});

test('authenticated requests are stored only when the response says so (RFC 9111 3.5)', () => {
  const req = { authorization: 'Bearer x' };
  assert.equal(policy(req, { 'cache-control': 'max-age=60' }).reason, 'authorization');
  for (const d of ['public, max-age=60', 's-maxage=60', 'must-revalidate, max-age=60']) {
    assert.equal(policy(req, { 'cache-control': d }).storable, true, d);
  }
});

test('Expires relative to Date; invalid Expires or max-age means already stale', () => {
  const p = policy({}, { date: 'Tue, 15 Nov 1994 08:12:31 GMT', expires: 'Tue, 15 Nov 1994 08:22:31 GMT' });
  assert.equal(p.ttlMs, 600_000);
  assert.equal(policy({}, { expires: '0' }).reason, 'no-lifetime');
  assert.equal(policy({}, { expires: 'Sunday, 06-Nov-94 08:49:37 GMT' }).reason, 'no-lifetime');  // in the past
  assert.equal(policy({}, { expires: 'Tue Nov 15 08:22:31 1994' }).ttlMs, 600_000);  // asctime
  assert.equal(policy({}, { 'cache-control': 'max-age=abc' }).reason, 'no-lifetime');
  assert.equal(policy({}, { 'cache-control': 'max-age=-5' }).reason, 'no-lifetime');
  // An invalid max-age still lets stale-if-error keep it for errors.
  assert.equal(policy({}, { 'cache-control': 'max-age=x, stale-if-error=60' }).staleIfErrorMs, 60_000);
});

test('Age and Date give the response its initial age', () => {
  assert.equal(policy({}, { 'cache-control': 'max-age=600', age: '100' }).ageMs, 100_000);
  assert.equal(policy({}, { 'cache-control': 'max-age=600', date: 'Tue, 15 Nov 1994 08:10:31 GMT' }).ageMs, 120_000);
  assert.equal(policy({}, { 'cache-control': 'max-age=600', age: '30', date: 'Tue, 15 Nov 1994 08:10:31 GMT' }).ageMs, 120_000);
  // Already older than it may ever be served: not worth storing.
  assert.equal(policy({}, { 'cache-control': 'max-age=60, stale-if-error=60', age: '120' }).reason, 'no-lifetime');
  assert.equal(policy({}, { 'cache-control': 'max-age=60, stale-if-error=61', age: '120' }).storable, true);
});

test('heuristic freshness: 10% of the time since Last-Modified, for heuristically cacheable statuses', () => {
  const res = { date: 'Tue, 15 Nov 1994 08:12:31 GMT', 'last-modified': 'Tue, 15 Nov 1994 07:12:31 GMT' };
  assert.equal(policy({}, res).ttlMs, 360_000);
  assert.equal(policy({}, res, { status: 404 }).ttlMs, 360_000);
  assert.equal(policy({}, res, { status: 500 }).reason, 'no-lifetime');
  assert.equal(policy({}, {}).reason, 'no-lifetime');
});

test('only GET and HEAD, and no partial content', () => {
  assert.equal(policy({}, { 'cache-control': 'max-age=60' }, { method: 'POST' }).reason, 'method');
  assert.equal(policy({}, { 'cache-control': 'max-age=60' }, { method: 'head' }).storable, true);
  assert.equal(policy({}, { 'cache-control': 'max-age=60' }, { status: 206 }).reason, 'status');
  assert.throws(() => policy({}, {}, { status: 99 }), { code: 'CONFIG_INVALID' });
});

test('works with Fetch Headers, Maps and Node-style arrays; first directive wins', () => {
  const h = new Headers({ 'Cache-Control': 'max-age=60, stale-if-error=120' });
  assert.equal(policy(new Headers(), h).staleIfErrorMs, 120_000);
  assert.equal(policy(new Map(), new Map([['cache-control', 'max-age=5']])).ttlMs, 5_000);
  assert.equal(policy({}, { 'Cache-Control': ['max-age=7', 'max-age=9'] }).ttlMs, 7_000);
  assert.equal(policy(undefined, { 'cache-control': 'max-age=1' }).ttlMs, 1_000);
});

test('Cache-Control parsing: quoted values with commas, case, spaces', () => {
  const cc = parseCacheControl('Max-Age = "60" , no-cache="set-cookie, foo", s-maxage=5,,public');
  assert.equal(cc.get('max-age'), '60');
  assert.equal(cc.get('no-cache'), 'set-cookie, foo');
  assert.equal(cc.get('s-maxage'), '5');
  assert.equal(cc.get('public'), true);
  assert.equal(policy({}, { 'cache-control': 'max-age="60"' }).ttlMs, 60_000);
});

test('agrees with http-cache-semantics on storability and TTL for common responses', () => {
  const cases = [
    { 'cache-control': 'max-age=600' },
    { 'cache-control': 'public, max-age=60, stale-while-revalidate=30' },
    { 'cache-control': 's-maxage=100, max-age=5' },
    { 'cache-control': 'no-store' },
    { 'cache-control': 'private, max-age=60' },
    { 'cache-control': 'max-age=600', age: '100' },
    { date: 'Tue, 15 Nov 1994 08:12:31 GMT', expires: 'Tue, 15 Nov 1994 08:22:31 GMT' },
    { 'cache-control': 'max-age=60', vary: '*' },
  ];
  for (const res of cases) {
    const ours = policy({}, res);
    const peer = new CachePolicy({ method: 'GET', url: '/', headers: {} },
      { status: 200, headers: { date: new Date(NOW).toUTCString(), ...res } }, { shared: true });
    const label = JSON.stringify(res);
    assert.equal(ours.storable, peer.storable() && res.vary !== '*', label);
    if (!ours.storable) continue;
    assert.equal(ours.ttlMs, peer.maxAge() * 1000, label);
    assert.equal(ours.ageMs, Math.round(peer.age()) * 1000, label);
  }
});

test('the policy is Cache#set options: Age counts, stale-if-error ends at ttl + sie', () => {
  const clock = () => clock.now;
  clock.now = 0;
  const cache = new Cache({ maxEntries: 10, clock });
  const p = policy({}, { 'cache-control': 'max-age=600, stale-if-error=1200', age: '100' });
  assert.equal(cache.set('/a', 'body', p), true);
  assert.deepEqual(cache.get('/a'), { value: 'body', state: 'fresh', ageMs: 100_000 });
  clock.now = 499_999;
  assert.equal(cache.get('/a').state, 'fresh');
  clock.now = 500_000;  // age 600 s: stale, only usable on error until age 1800 s
  assert.equal(cache.get('/a'), undefined);
  assert.equal(cache.size, 1);
  clock.now = 1_700_000;
  assert.equal(cache.get('/a'), undefined);
  assert.equal(cache.size, 0);
});

test('RFC 9111 section 3: a 304 or a 1xx is never stored, whatever its freshness says', () => {
  for (const status of [304, 100, 103]) {
    const r = policy({}, { 'cache-control': 'max-age=60, public' }, { status });
    assert.equal(r.storable, false, String(status));
    assert.equal(r.reason, 'status');
  }
  assert.equal(policy({}, { expires: 'Tue, 15 Nov 1994 09:12:31 GMT' }, { status: 304 }).reason, 'status');
});

test('must-understand: stored only for status codes whose caching rules this cache implements', () => {
  assert.equal(policy({}, { 'cache-control': 'must-understand, max-age=60' }).storable, true);
  assert.equal(policy({}, { 'cache-control': 'must-understand, max-age=60' }, { status: 299 }).reason, 'status');
  assert.equal(policy({}, { 'cache-control': 'must-understand, no-store, max-age=60' }).reason, 'no-store');
  assert.equal(policy({}, { 'cache-control': 'max-age=60' }, { status: 299 }).storable, true, 'explicit freshness suffices');
});

test('bad options are typed errors, not TypeErrors', () => {
  for (const options of [{ method: 5 }, { method: {} }, { status: '200' }, { now: NaN }]) {
    assert.throws(() => policy({}, {}, options), { code: 'CONFIG_INVALID' }, JSON.stringify(options));
  }
  assert.throws(() => cachePolicyFromHeaders({}, {}, null), { code: 'CONFIG_INVALID' });
});

test('responseFacts reports each directive on its own, where cachePolicyFromHeaders stops at the first', () => {
  const f = responseFacts({ authorization: 'Bearer a', 'cache-control': 'no-store' },
    { 'cache-control': 'private, no-cache, max-age=60, stale-if-error=30, proxy-revalidate', vary: 'X-Tenant, *', age: '5' },
    200, NOW);
  assert.deepEqual(f, { mustUnderstand: false, noStore: true, private: true, authorization: true, noCache: true,
    varyStar: true, vary: ['x-tenant', '*'], ttlMs: 60_000, explicitTtl: true, staleWhileRevalidateMs: undefined,
    staleIfErrorMs: 30_000, mustRevalidate: true, ageMs: 5000 });
  const heuristic = responseFacts({}, { 'last-modified': 'Tue, 15 Nov 1994 07:12:31 GMT', pragma: 'no-cache' }, 200, NOW);
  assert.deepEqual([heuristic.ttlMs, heuristic.explicitTtl, heuristic.noCache], [360_000, false, true]);
  const none = responseFacts(undefined, { 'cache-control': 'public, s-maxage=x' }, 200, NOW);
  assert.deepEqual([none.ttlMs, none.explicitTtl, none.authorization, none.noCache], [0, true, false, false]);
  assert.equal(responseFacts({ authorization: 'a' }, { 'cache-control': 'public' }, 200, NOW).authorization, false);
  assert.equal(responseFacts({}, {}, 200, NOW).ttlMs, undefined);
});

test('a Cache-Control that is no directive is read in time linear in its length (1x and 4x in one run)', () => {
  // A client's own request header reaches this parser: a global regex search retried from every
  // position of 'aaa…a b' (quadratic: 16x the time for 4x the text).
  const time = (n) => {
    const header = `${'a'.repeat(n)} b, max-age=60`;
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      for (let i = 0; i < 4; i++) parseCacheControl(header);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  assert.equal(parseCacheControl(`${'a'.repeat(10)} b, max-age=60`).get('max-age'), '60', 'the next directive is still read');
  time(2000);  // warm-up
  const ratio = time(32000) / time(8000);
  assert.ok(ratio < 8, `t(4n)/t(n) = ${ratio.toFixed(1)}`);
});
