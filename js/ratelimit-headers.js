// HTTP header fields for a rate-limit decision. Formatted in JS, lazily, from the numbers the
// core returns: a check whose headers are never read costs no string work, and the policy
// field, which never changes, is built once per limiter.
//
// 'draft' (default): draft-ietf-httpapi-ratelimit-headers (RateLimit-Policy + RateLimit as
//   structured-field lists), e.g. `RateLimit-Policy: "burst";q=10;w=1, "daily";q=1000;w=86400`
//   and `RateLimit: "burst";r=3;t=1` for the most constraining policy.
// 'draft-6': the older RateLimit-Limit / -Remaining / -Reset fields (reset in seconds from now)
//   with `RateLimit-Policy: 10;w=1, 1000;w=86400`.
// 'x': the de-facto X-RateLimit-Limit / -Remaining / -Reset (reset as Unix time in seconds, as
//   GitHub and express-rate-limit send it).
// Every style adds `Retry-After` (delay-seconds) to a rejection. Times are rounded up to whole
// seconds, so a client that waits what it is told is never early.

export const HEADER_STYLES = Object.freeze(['draft', 'draft-6', 'x']);

const seconds = (ms) => Math.ceil(ms / 1000);
// Structured fields have integer seconds: a sub-second window is advertised as one second.
const windowSeconds = (ms) => Math.max(1, seconds(ms));

/** A policy name as an sf-string (RFC 8941 3.3.3): printable ASCII, `"` and `\` escaped. */
export function sfString(name) {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** The RateLimit-Policy field value for `policies` ({ name, limit, windowMs }) in `style`. */
export function policyField(style, policies) {
  if (style === 'draft') {
    return policies.map((p) => `${sfString(p.name)};q=${p.limit};w=${windowSeconds(p.windowMs)}`).join(', ');
  }
  return policies.map((p) => `${p.limit};w=${windowSeconds(p.windowMs)}`).join(', ');
}

/**
 * The header fields for one decision `r` ({ allowed, remaining, limit, resetMs, retryAfterMs })
 * of the policy whose sf-string name is `quotedName`, at `nowMs` on the limiter's clock.
 */
export function formatHeaders(style, policyValue, quotedName, r, nowMs) {
  let h;
  if (style === 'draft') {
    h = {
      'RateLimit-Policy': policyValue,
      RateLimit: quotedName + ';r=' + r.remaining + ';t=' + seconds(r.resetMs),
    };
  } else if (style === 'draft-6') {
    h = {
      'RateLimit-Policy': policyValue,
      'RateLimit-Limit': String(r.limit),
      'RateLimit-Remaining': String(r.remaining),
      'RateLimit-Reset': String(seconds(r.resetMs)),
    };
  } else {
    h = {
      'X-RateLimit-Limit': String(r.limit),
      'X-RateLimit-Remaining': String(r.remaining),
      'X-RateLimit-Reset': String(seconds(nowMs + r.resetMs)),
    };
  }
  if (!r.allowed) h['Retry-After'] = String(seconds(r.retryAfterMs));
  return h;
}
