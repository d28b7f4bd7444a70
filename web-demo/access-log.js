// The request log as access-log lines, in the shape nginx and Envoy users read every day:
//   [2026-12-06T00:27:40.123Z] "GET /api/products/3" 200 97 1.2ms cache=STALE attempts=0 limit_req=PASSED outcome=stale-if-error "a copy 12 s old"
// time, request line, status, body bytes sent, latency, then key=value fields; `-` where a
// value is unknown, as nginx writes it. A line names the path only: never a query string, a
// header value or a body. The last `size` lines are kept in a ring: nothing grows with traffic.

/** The fields of every line, in order, as the page shows them above the log. */
export const LOG_FORMAT = '[time] "method path" status bytes latency cache= attempts= limit_req= outcome= "detail"';

const MAX_PATH = 200;
const MAX_DETAIL = 160;

/**
 * nginx's $upstream_cache_status word for an RFC 9211 Cache-Status value: HIT, UPDATING (a
 * stale copy while it is refreshed), STALE (a stale copy because the upstream failed), EXPIRED,
 * MISS, BYPASS; `-` when the answer had no Cache-Status (a route without a cache).
 */
export function cacheWord(cacheStatus) {
  if (!cacheStatus) return '-';
  if (/detail=stale-if-error/.test(cacheStatus)) return 'STALE';
  if (/detail=stale-while-revalidate/.test(cacheStatus)) return 'UPDATING';
  if (/;\s*hit\b/.test(cacheStatus)) return 'HIT';
  const fwd = /;\s*fwd=([a-z-]+)/.exec(cacheStatus)?.[1];
  if (fwd === 'stale') return 'EXPIRED';
  if (fwd === 'miss' || fwd === 'uri-miss' || fwd === 'vary-miss') return 'MISS';
  return 'BYPASS';
}

// Like nginx's escaping of logged strings: quotes, backslashes and control characters as \xHH,
// so one request is always one line.
const escape = (text) => text.replace(/["\\\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const orDash = (value) => (value === undefined || value === null || value === '' ? '-' : String(value));

/** The path of a request target, without its query or fragment. */
export function pathOnly(target) {
  return target.replace(/[?#].*$/s, '') || '/';
}

/**
 * One access-log line for a finished request: { atMs, method, path, status, bytes, latencyMs,
 * cacheStatus, attempts, rateLimited (true/false; undefined: the route has no limit), outcome, detail }.
 */
export function formatAccessLine(r) {
  const latency = Number.isFinite(r.latencyMs) ? `${r.latencyMs.toFixed(1)}ms` : '-';
  const limit = r.rateLimited === undefined ? '-' : r.rateLimited ? 'REJECTED' : 'PASSED';
  const detail = r.detail ? ` "${escape(clip(r.detail, MAX_DETAIL))}"` : '';
  return `[${new Date(r.atMs).toISOString()}] "${escape(r.method)} ${escape(clip(pathOnly(r.path), MAX_PATH))}"` +
    ` ${orDash(r.status)} ${orDash(r.bytes)} ${latency} cache=${cacheWord(r.cacheStatus)}` +
    ` attempts=${orDash(r.attempts)} limit_req=${limit} outcome=${r.outcome}${detail}`;
}

/** The last `size` lines (each { text, outcome }), oldest first, in a ring of fixed size. */
export class AccessLog {
  constructor(size = 100) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('size: an integer >= 1');
    this.ring = new Array(size);
    this.next = 0;
    this.count = 0;
  }

  add(record) {
    this.ring[this.next] = { text: formatAccessLine(record), outcome: record.outcome };
    this.next = (this.next + 1) % this.ring.length;
    this.count = Math.min(this.count + 1, this.ring.length);
  }

  lines() {
    const n = this.ring.length;
    return Array.from({ length: this.count }, (_, i) => this.ring[(this.next - this.count + i + n) % n]);
  }
}
