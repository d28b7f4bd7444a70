import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessLog, cacheWord, formatAccessLine, pathOnly } from '../../../web-demo/access-log.js';

const AT = Date.UTC(2026, 11, 6, 0, 27, 40, 123);
const record = (extra = {}) => ({
  atMs: AT, method: 'GET', path: '/api/products/3', status: 200, bytes: 97, latencyMs: 1.234,
  cacheStatus: 'edgeguard; fwd=stale; ttl=-9; detail=stale-if-error', attempts: 0, rateLimited: false,
  outcome: 'stale-if-error', detail: 'a copy 12 s old', ...extra,
});

test('a line reads like an nginx or Envoy access log: time, request line, status, bytes, latency, then fields', () => {
  assert.equal(formatAccessLine(record()),
    '[2026-12-06T00:27:40.123Z] "GET /api/products/3" 200 97 1.2ms cache=STALE attempts=0 limit_req=PASSED outcome=stale-if-error "a copy 12 s old"');
  assert.equal(formatAccessLine(record({
    method: 'POST', path: '/api/orders', status: 503, bytes: 180, cacheStatus: 'edgeguard; fwd=bypass', attempts: 0,
    rateLimited: undefined, outcome: 'circuit-open', detail: undefined,
  })), '[2026-12-06T00:27:40.123Z] "POST /api/orders" 503 180 1.2ms cache=BYPASS attempts=0 limit_req=- outcome=circuit-open');
});

test('what is unknown is written "-": no answer, no body, no measured latency', () => {
  assert.equal(formatAccessLine(record({ status: undefined, bytes: undefined, latencyMs: NaN, attempts: undefined, cacheStatus: undefined, detail: '' })),
    '[2026-12-06T00:27:40.123Z] "GET /api/products/3" - - - cache=- attempts=- limit_req=PASSED outcome=stale-if-error');
});

test('a rate-limited answer is REJECTED, as nginx\'s $limit_req_status says', () => {
  assert.match(formatAccessLine(record({ status: 429, rateLimited: true, outcome: 'rate-limited' })), / 429 .* limit_req=REJECTED outcome=rate-limited /);
});

test('Cache-Status (RFC 9211) becomes nginx\'s $upstream_cache_status word', () => {
  assert.equal(cacheWord('edgeguard; hit; ttl=3'), 'HIT');
  assert.equal(cacheWord('edgeguard; hit; ttl=-1; detail=stale-while-revalidate'), 'UPDATING');
  assert.equal(cacheWord('edgeguard; fwd=stale; ttl=-9; detail=stale-if-error'), 'STALE');
  assert.equal(cacheWord('edgeguard; fwd=stale; fwd-status=200; stored'), 'EXPIRED');
  assert.equal(cacheWord('edgeguard; fwd=uri-miss; fwd-status=200; stored'), 'MISS');
  assert.equal(cacheWord('edgeguard; fwd=miss'), 'MISS');
  assert.equal(cacheWord('edgeguard; fwd=bypass'), 'BYPASS');
  assert.equal(cacheWord('edgeguard; fwd=method'), 'BYPASS');
  assert.equal(cacheWord(null), '-');
  assert.equal(cacheWord(''), '-');
});

test('a line never carries a query string, and one request stays one line', () => {
  assert.equal(pathOnly('/api/products/3?token=secret#x'), '/api/products/3');
  assert.equal(pathOnly('?q=1'), '/');
  const line = formatAccessLine(record({ path: '/a?token=secret', detail: 'bad "x"\nnext\\line' }));
  assert.doesNotMatch(line, /secret|\n/);
  assert.match(line, /"GET \/a" .* "bad \\x22x\\x22\\x0anext\\x5cline"$/);
  assert.match(formatAccessLine(record({ path: '/p"q' })), /"GET \/p\\x22q"/);
});

test('long paths and details are clipped', () => {
  const line = formatAccessLine(record({ path: `/${'a'.repeat(500)}`, detail: 'd'.repeat(500) }));
  assert.equal(/"GET (\/a+…)"/.exec(line)[1].length, 200);
  assert.equal(/"(d+…)"$/.exec(line)[1].length, 160);
});

test('the log keeps the last `size` lines, oldest first, however many are added', () => {
  const log = new AccessLog(3);
  assert.deepEqual(log.lines(), []);
  for (let i = 1; i <= 7; i++) log.add(record({ path: `/p/${i}`, outcome: i % 2 ? 'hit' : 'fresh' }));
  const lines = log.lines();
  assert.deepEqual(lines.map((l) => /"GET (\S+)"/.exec(l.text)[1]), ['/p/5', '/p/6', '/p/7']);
  assert.deepEqual(lines.map((l) => l.outcome), ['hit', 'fresh', 'hit']);
  assert.equal(log.ring.length, 3);
  assert.throws(() => new AccessLog(0), RangeError);
});
