// Problem details (RFC 9457): every answer the gateway makes itself is application/problem+json
// with a type, title, status and detail, plus the validation errors when a payload was refused.
import { BODY_TEXT } from './access-log.js';

export const PROBLEM_TYPE = 'application/problem+json';
const BASE = 'https://edgeguard.dev/problems/';

/** The problem types edgeguard answers with, by status: the one catalogue (the core has none). */
export const PROBLEMS = Object.freeze({
  invalidRequest: { status: 400, type: `${BASE}invalid-request`, title: 'Bad Request' },
  malformedRequest: { status: 400, type: `${BASE}malformed-request`, title: 'Bad Request' },
  forbiddenOrigin: { status: 403, type: `${BASE}origin-not-allowed`, title: 'Forbidden' },
  notFound: { status: 404, type: `${BASE}no-route`, title: 'Not Found' },
  methodNotAllowed: { status: 405, type: `${BASE}method-not-allowed`, title: 'Method Not Allowed' },
  tooLarge: { status: 413, type: `${BASE}body-too-large`, title: 'Content Too Large' },
  uriTooLong: { status: 414, type: `${BASE}uri-too-long`, title: 'URI Too Long' },
  headersTooLarge: { status: 431, type: `${BASE}headers-too-large`, title: 'Request Header Fields Too Large' },
  rateLimited: { status: 429, type: `${BASE}rate-limited`, title: 'Too Many Requests' },
  unavailable: { status: 503, type: `${BASE}unavailable`, title: 'Service Unavailable' },
  upstreamUnreachable: { status: 502, type: `${BASE}upstream-unreachable`, title: 'Bad Gateway' },
  invalidUpstreamResponse: { status: 502, type: `${BASE}invalid-upstream-response`, title: 'Bad Gateway' },
  circuitOpen: { status: 503, type: `${BASE}circuit-open`, title: 'Service Unavailable' },
  overloaded: { status: 503, type: `${BASE}overloaded`, title: 'Service Unavailable' },
  upstreamTimeout: { status: 504, type: `${BASE}upstream-timeout`, title: 'Gateway Timeout' },
  misconfigured: { status: 500, type: `${BASE}misconfigured`, title: 'Internal Server Error' },
  internal: { status: 500, type: `${BASE}internal-error`, title: 'Internal Server Error' },
});

/**
 * A problem+json answer as its parts, for servers that write them themselves (Express):
 * `{ status, headers: Headers, body: string }`. `problem`: { status, type, title } (one of
 * PROBLEMS), `detail`, and extension members (`errors`,
 * `requestId`, ...).
 */
export function problemAnswer(problem, detail, extensions = undefined, headers = undefined) {
  const body = { type: problem.type, title: problem.title, status: problem.status, detail, ...extensions };
  const h = new Headers(headers);
  h.set('content-type', PROBLEM_TYPE);
  h.set('cache-control', 'no-store');
  return { status: problem.status, headers: h, body: JSON.stringify(body) };
}

/** The same answer as a Response. */
export function problemResponse(problem, detail, extensions = undefined, headers = undefined) {
  const answer = problemAnswer(problem, detail, extensions, headers);
  const response = new Response(answer.body, { status: answer.status, headers: answer.headers });
  response[BODY_TEXT] = answer.body;  // the access log's bytes out, counted only if it is on
  return response;
}

/** A Retry-After value: whole seconds, rounded up, at least 1 (a client told 0 would not wait). */
export function retryAfter(ms) {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
