// W3C Trace Context (https://www.w3.org/TR/trace-context/): reading a request's traceparent and
// tracestate, and writing the ones an upstream call goes out with. Used on its own (the `trace:
// true` option) and under OpenTelemetry (js/otel.js) when its propagator writes none.

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
// The spec's bound on what a vendor must propagate: 32 list members of at most 256 characters.
const MAX_TRACESTATE = 32 * 257;
const MAX_MEMBERS = 32;
// A list member: a key (simple, or tenant@system) and a value of printable ASCII without ',' or
// '=' that does not end in a space.
const MEMBER = /^(?:[a-z][_0-9a-z*/-]{0,255}|[a-z0-9][_0-9a-z*/-]{0,240}@[a-z][_0-9a-z*/-]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// The flags this version knows (sampled); the spec has vendors set the others to zero.
const KNOWN_FLAGS = 0x01;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * `{ traceId, spanId, flags }` of a traceparent header value, or null when it is absent or not
 * valid (the spec's rules: lowercase hex, no all-zero ids, version ff refused, a later version's
 * extra fields ignored).
 */
export function parseTraceparent(value) {
  if (typeof value !== 'string' || value.length < 55) return null;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { traceId, spanId, flags: parseInt(flags, 16) & KNOWN_FLAGS };
}

export function formatTraceparent(traceId, spanId, flags) {
  return `00-${traceId}-${spanId}-${HEX[flags & 0xff]}`;
}

// crypto.getRandomValues costs microseconds a call in Node (more than the rest of an id), so
// ids are cut from a pool drawn 4 KiB at a time, and first at first use: edge runtimes refuse
// entropy at module scope. Node 18 keeps webcrypto off the global object: there Math.random
// fills it, as OpenTelemetry's own id generator does everywhere (ids need to be unique, not secret).
const POOL_BYTES = 4096;
let pool = null;
let taken = POOL_BYTES;

function refill(bytes) {
  if (typeof globalThis.crypto?.getRandomValues === 'function') return globalThis.crypto.getRandomValues(bytes);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

/** Random lowercase hex of `bytes` bytes (at most the pool's), never all zero (an invalid id). */
export function randomId(bytes) {
  if (taken + bytes > POOL_BYTES) {
    pool = refill(pool ?? new Uint8Array(POOL_BYTES));
    taken = 0;
  }
  let out = '';
  let zero = true;
  for (let i = taken; i < taken + bytes; i++) {
    out += HEX[pool[i]];
    if (pool[i] !== 0) zero = false;
  }
  taken += bytes;
  return zero ? `${out.slice(0, -1)}1` : out;
}

/**
 * The trace a request belongs to: its incoming traceparent's (with its tracestate, which is
 * only meaningful beside a valid traceparent), or a new one, sampled: the gateway starts it.
 */
export function incomingTrace(headers) {
  const parent = parseTraceparent(headers.get('traceparent'));
  if (!parent) return { traceId: randomId(16), parentId: null, flags: 1, tracestate: null };
  return { traceId: parent.traceId, parentId: parent.spanId, flags: parent.flags, tracestate: validTracestate(headers.get('tracestate')) };
}

/**
 * A tracestate header value as it is passed on, or null: a list that does not parse (a member
 * that is not key=value, more than 32 members, longer than the spec's bound) is not passed on,
 * as the spec has a vendor that cannot parse it do. Empty members are dropped.
 */
export function validTracestate(value) {
  if (typeof value !== 'string' || value.length > MAX_TRACESTATE) return null;
  const members = [];
  for (const part of value.split(',')) {
    const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    if (!MEMBER.test(member) || members.length === MAX_MEMBERS) return null;
    members.push(member);
  }
  return members.length ? members.join(',') : null;
}

/** Sets traceparent (a new span id, returned) and tracestate on an upstream call's headers. */
export function writeTrace(headers, trace, spanId = randomId(8)) {
  headers.set('traceparent', formatTraceparent(trace.traceId, spanId, trace.flags));
  if (trace.tracestate) headers.set('tracestate', trace.tracestate);
  else headers.delete('tracestate');
  return spanId;
}

/**
 * The `trace: true` option's request trace: the upstream gets the request's trace id (or a new
 * one) with a new span id per attempt; no spans are recorded. Same methods as js/otel.js's.
 */
export class W3cRequestTrace {
  constructor(headers) {
    const t = incomingTrace(headers);
    this.traceId = t.traceId;
    this.flags = t.flags;
    this.tracestate = t.tracestate;
  }

  route() {}

  span() {
    return null;
  }

  close() {}

  attempt(headers) {
    writeTrace(headers, this);
    return null;
  }

  run(attempt, fn) {
    return fn();
  }

  endAttempt() {}

  end() {}
}
