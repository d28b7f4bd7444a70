// What happened to one request, read off the answer the guard gave: its status, Cache-Status
// (RFC 9211) and problem type (RFC 9457). The dashboard counts, charts and logs these.
export const OUTCOMES = Object.freeze([
  { id: 'fresh', label: 'fresh', color: '#2f9e44' },
  { id: 'hit', label: 'cache hit', color: '#1c7ed6' },
  { id: 'stale', label: 'stale', color: '#74c0fc' },
  { id: 'stale-if-error', label: 'stale-if-error', color: '#9c36b5' },
  { id: 'rate-limited', label: 'rate-limited', color: '#e67700' },
  { id: 'invalid', label: 'invalid', color: '#c2255c' },
  { id: 'circuit-open', label: 'circuit-open', color: '#868e96' },
  { id: 'error', label: 'error', color: '#e03131' },
]);

/** The outcomes answered from the cache. */
export const FROM_CACHE = new Set(['hit', 'stale', 'stale-if-error']);

/** The outcomes where the client got no answer to its request: a failure, or a refusal by an open circuit. */
export const FAILED = new Set(['error', 'circuit-open']);

/**
 * One of OUTCOMES' ids, from a Response (undefined when fetch itself threw) and its problem
 * details when it has them.
 */
export function classify(res, problem = {}) {
  if (res === undefined) return 'error';
  const cacheStatus = res.headers.get('cache-status') ?? '';
  const type = problem.type ?? '';
  if (/detail=stale-if-error/.test(cacheStatus)) return 'stale-if-error';
  if (/detail=stale-while-revalidate/.test(cacheStatus)) return 'stale';
  if (/;\s*hit\b/.test(cacheStatus)) return 'hit';
  if (res.status === 429) return 'rate-limited';
  if ((res.status === 400 || res.status === 413) && (problem.errors || /invalid|validation|too-large/.test(type))) return 'invalid';
  // Any other refusal the guard made itself (414 URI too long, 431 headers too large, ...) is not the backend's answer.
  if (res.status >= 400 && res.status < 500 && type.startsWith('https://edgeguard.dev/problems/')) return 'invalid';
  if (res.status === 503 && /circuit/.test(type)) return 'circuit-open';
  if (res.status >= 500) return 'error';
  return 'fresh';
}
