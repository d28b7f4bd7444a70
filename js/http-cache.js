// cachePolicyFromHeaders: what a shared cache may do with a response (RFC 9111, with the
// stale-while-revalidate and stale-if-error extensions of RFC 5861), expressed as the options
// Cache#set takes. Pure JS: header parsing is string work at the edge of the I/O, not policy
// state, and it runs once per stored response.
import { invalidOption } from './errors.js';

// Status codes a cache may store with a heuristic lifetime (RFC 9110 section 15.1).
const HEURISTIC_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);
// Final status codes whose caching requirements this cache meets, for `must-understand` (RFC 9111
// section 5.2.2.3): the heuristically cacheable ones and the redirects.
const UNDERSTOOD_STATUSES = new Set([...HEURISTIC_STATUSES, 302, 303, 307]);
// RFC 9111 section 4.2.2: "10% of the interval since [Last-Modified] is a typical setting".
const HEURISTIC_FRACTION = 0.1;
const MAX_HEURISTIC_MS = 24 * 3600 * 1000;

/** A header's value from Fetch Headers, a Map, or a plain object (any case; arrays joined). */
function header(headers, name) {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers.get === 'function') {
    const v = headers.get(name);
    return v === null || v === undefined ? undefined : String(v);
  }
  if (typeof headers !== 'object') throw invalidOption('headers', 'a Headers object, a Map or a plain object', headers);
  let found;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const v = headers[key];
    const text = Array.isArray(v) ? v.join(', ') : String(v);
    found = found === undefined ? text : `${found}, ${text}`;
  }
  return found;
}

/**
 * Cache-Control directives as a Map of lowercase name -> value (true when it has none). Commas
 * inside quoted strings do not split; the first occurrence of a directive wins (RFC 9111 4.2.1).
 */
export function parseCacheControl(value) {
  const directives = new Map();
  if (!value) return directives;
  // Sticky: a directive is read where the last one ended. A global search would retry from every
  // later position of text that is no directive, in time quadratic in a client's header.
  const re = /\s*([^\s=,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*)))?\s*(?:,|$)/y;
  for (let at = 0; at < value.length;) {
    re.lastIndex = at;
    const m = re.exec(value);
    if (m === null || m[0] === '') {
      const comma = value.indexOf(',', at);  // not a directive: skipped, up to the next comma
      if (comma < 0) break;
      at = comma + 1;
      continue;
    }
    at = re.lastIndex;
    const name = m[1].toLowerCase();
    if (directives.has(name)) continue;
    const arg = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]?.trim();
    directives.set(name, arg === undefined ? true : arg);
  }
  return directives;
}

// delta-seconds (RFC 9111 1.2.2) in ms: digits only; larger than 2^31 s means 2^31 s. Anything
// else is invalid: undefined.
function seconds(arg) {
  if (typeof arg !== 'string' || !/^\d+$/.test(arg)) return undefined;
  return Math.min(Number(arg), 2 ** 31) * 1000;
}

// HTTP-date (RFC 9110 5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms. Checked
// before Date.parse, which would also take "0" (the year 2000) and much else.
const HTTP_DATE = /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

function httpDate(value) {
  if (value === undefined || !HTTP_DATE.test(value.trim())) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function notStorable(reason) {
  return { storable: false, reason, ttlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, ageMs: 0, vary: [] };
}

/**
 * What the request and response headers say for a shared cache, each directive on its own (not
 * weighed against each other: the caller decides, as js/guard.js's core does with a route's rule):
 * `{ mustUnderstand, noStore, private, authorization, noCache, varyStar, vary, ttlMs, explicitTtl,
 * staleWhileRevalidateMs, staleIfErrorMs, mustRevalidate, ageMs }`. `authorization`: the request
 * had it and the response does not allow sharing it (RFC 9111 3.5); `ttlMs` is undefined when the
 * response gives no lifetime, heuristic (`explicitTtl` false) when only Last-Modified does; the
 * stale windows are undefined when not given.
 */
export function responseFacts(requestHeaders, responseHeaders, status, now) {
  const req = parseCacheControl(header(requestHeaders, 'cache-control'));
  const resValue = header(responseHeaders, 'cache-control');
  const res = parseCacheControl(resValue);
  const varyValue = header(responseHeaders, 'vary');
  const vary = varyValue === undefined ? [] : varyValue.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);

  const date = httpDate(header(responseHeaders, 'date'));
  const ageHeader = seconds(header(responseHeaders, 'age')?.trim());
  // RFC 9111 4.2.3, without the response delay (unknown here): the older of the two ages.
  const ageMs = Math.max(ageHeader ?? 0, date !== undefined ? Math.max(0, now - date) : 0);

  let ttlMs;
  let explicitTtl = true;
  if (res.has('s-maxage')) ttlMs = seconds(res.get('s-maxage')) ?? 0;
  else if (res.has('max-age')) ttlMs = seconds(res.get('max-age')) ?? 0;  // invalid: stale
  else if (header(responseHeaders, 'expires') !== undefined) {
    const expires = httpDate(header(responseHeaders, 'expires'));
    ttlMs = expires === undefined ? 0 : Math.max(0, expires - (date ?? now));
  } else {
    explicitTtl = false;
    const lastModified = httpDate(header(responseHeaders, 'last-modified'));
    const explicitlyPublic = res.has('public');
    if ((HEURISTIC_STATUSES.has(status) || explicitlyPublic) && lastModified !== undefined) {
      ttlMs = Math.min(MAX_HEURISTIC_MS, Math.max(0, ((date ?? now) - lastModified) * HEURISTIC_FRACTION));
    }
  }
  const window = (directive) => (res.has(directive) ? seconds(res.get(directive)) ?? 0 : undefined);
  return {
    mustUnderstand: res.has('must-understand'),
    noStore: req.has('no-store') || res.has('no-store'),
    private: res.has('private'),
    // RFC 9111 3.5: a shared cache stores answers to authenticated requests only when told so.
    authorization: header(requestHeaders, 'authorization') !== undefined &&
      !res.has('public') && !res.has('s-maxage') && !res.has('must-revalidate'),
    // HTTP/1.0's Pragma: no-cache counts when Cache-Control is absent.
    noCache: res.has('no-cache') ||
      (resValue === undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(header(responseHeaders, 'pragma') ?? '')),
    varyStar: vary.includes('*'),
    vary,
    ttlMs,
    explicitTtl,
    staleWhileRevalidateMs: window('stale-while-revalidate'),
    staleIfErrorMs: window('stale-if-error'),
    // RFC 9111 5.2.2.10 gives s-maxage proxy-revalidate's meaning, yet `s-maxage=N,
    // stale-while-revalidate=M` is how CDNs are told to serve stale, and they (like
    // http-cache-semantics) do: only an explicit must-/proxy-revalidate forbids stale serving here.
    mustRevalidate: res.has('must-revalidate') || res.has('proxy-revalidate'),
    ageMs,
  };
}

/**
 * Whether a shared cache may store the response to this request, and for how long:
 * `{ storable, reason?, ttlMs, staleWhileRevalidateMs, staleIfErrorMs, ageMs, vary, mustRevalidate }`
 * - the numbers feed Cache#set (`ageMs` is how old the response already is);
 * - `vary` lists the lowercase request header names the key must include;
 * - `reason` says why not: 'method', 'status', 'no-store', 'private', 'authorization',
 *   'no-cache', 'vary-star' or 'no-lifetime'.
 * Headers may be Fetch Headers, a Map-like with get(), or plain objects. `options`:
 * `{ method = 'GET', status = 200, now = Date.now() }`.
 */
export function cachePolicyFromHeaders(requestHeaders, responseHeaders, options = {}) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const method = options.method ?? 'GET';
  const status = options.status ?? 200;
  const now = options.now ?? Date.now();
  if (typeof method !== 'string') throw invalidOption('method', 'an HTTP method', method);
  if (!Number.isInteger(status) || status < 100 || status > 599) throw invalidOption('status', 'an HTTP status code', status);
  if (typeof now !== 'number' || !Number.isFinite(now)) throw invalidOption('now', 'a finite number of ms', now);
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD') return notStorable('method');
  // RFC 9111 section 3: only final responses; and a 206 (a part) or a 304 (an update of a
  // stored response, with no content of its own) only by a cache that can combine or update
  // stored responses, which this one cannot.
  if (status < 200 || status === 206 || status === 304) return notStorable('status');

  const f = responseFacts(requestHeaders, responseHeaders, status, now);
  // RFC 9111 section 5.2.2.3: must-understand limits storing to caches that implement the
  // status code's caching rules. A no-store beside it is still honoured: not storing is safe.
  if (f.mustUnderstand && !UNDERSTOOD_STATUSES.has(status)) return notStorable('status');
  if (f.noStore) return notStorable('no-store');
  if (f.private) return notStorable('private');
  if (f.authorization) return notStorable('authorization');
  // Without conditional revalidation, a response that must be validated before every use is
  // of no use stored.
  if (f.noCache) return notStorable('no-cache');
  if (f.varyStar) return notStorable('vary-star');
  const { ttlMs, ageMs, vary, mustRevalidate } = f;
  const staleWhileRevalidateMs = mustRevalidate ? 0 : f.staleWhileRevalidateMs ?? 0;
  const staleIfErrorMs = mustRevalidate ? 0 : f.staleIfErrorMs ?? 0;
  if (ttlMs === undefined || ttlMs + Math.max(staleWhileRevalidateMs, staleIfErrorMs) <= ageMs) {
    return { ...notStorable('no-lifetime'), vary };
  }
  return { storable: true, ttlMs, staleWhileRevalidateMs, staleIfErrorMs, ageMs, vary, mustRevalidate };
}
