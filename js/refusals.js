// The gateway's refusals of a request (over a rate limit; a body too large; a query or body its
// schema rejects) as the arguments of problemResponse / problemAnswer: the gateway and the
// Express middleware answer them alike from this one place.
import { PROBLEMS, retryAfter } from './problem.js';

// A repeated name becomes an array, grown in place: copying it per repeat was quadratic in a
// query the client writes. No prototype: `__proto__` and `constructor` are names like any other,
// never dropped from (or merged into) what the schema sees.
/** A query string's parameters as the object a query schema sees. */
export function queryObject(params) {
  const out = Object.create(null);
  for (const [name, value] of params) {
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}

function prefixed(errors, prefix) {
  return errors.map((e) => ({ ...e, instancePath: `${prefix}${e.instancePath}` }));
}

/** The 429 for a RateLimiter decision that did not allow the call. */
export function rateLimited(decision, requestId) {
  const seconds = retryAfter(decision.retryAfterMs);
  return [PROBLEMS.rateLimited, `rate limit "${decision.policy}" exceeded: retry in ${seconds} s`,
    { requestId }, { 'retry-after': seconds }];
}

/** The 413 for a body over `maxBytes`. */
export function tooLarge(maxBytes, requestId) {
  return [PROBLEMS.tooLarge, `the request body is larger than ${maxBytes} bytes`, { requestId }];
}

/** The 400 for a query whose validation `result` failed; null when it passed. */
export function invalidQuery(result, requestId) {
  if (result.valid) return null;
  return [PROBLEMS.invalidRequest, 'the query string does not match the route\'s schema',
    { errors: prefixed(result.errors, '/query'), requestId }];
}

/** The 400 for a body whose validation `result` failed (malformed JSON or not matching); null when it passed. */
export function invalidBody(result, requestId) {
  if (result.valid) return null;
  const malformed = result.errors[0]?.keyword === 'json';
  return [malformed ? PROBLEMS.malformedRequest : PROBLEMS.invalidRequest,
    malformed ? `the request body is not valid JSON: ${result.errors[0].message}` : 'the request body does not match the route\'s schema',
    { errors: prefixed(result.errors, '/body'), requestId }];
}
