// What happened to one request, read off the answer the guard gave: its status, Cache-Status
// (RFC 9211) and problem type (RFC 9457). The dashboard counts, charts and logs these.
export const OUTCOMES = Object.freeze([
  { id: 'fresh', label: 'fresh', color: '#2f9e44' },
  { id: 'hit', label: 'cache hit', color: '#1c7ed6' },
  { id: 'stale', label: 'stale', color: '#74c0fc' },
  { id: 'stale-if-error', label: 'stale-if-error', color: '#9c36b5' },
  { id: 'rate-limited', label: 'rate-limited', color: '#f08c00' },
  { id: 'invalid', label: 'invalid', color: '#e8590c' },
  { id: 'circuit-open', label: 'circuit-open', color: '#868e96' },
  { id: 'error', label: 'error', color: '#e03131' },
]);

/** One of OUTCOMES' ids, from a Response (or undefined when fetch itself threw). */
export function classify(res, problemType = '') {
  if (res === undefined) return 'error';
  const cacheStatus = res.headers.get('cache-status') ?? '';
  if (/detail=stale-if-error/.test(cacheStatus)) return 'stale-if-error';
  if (/detail=stale-while-revalidate/.test(cacheStatus)) return 'stale';
  if (/;\s*hit\b/.test(cacheStatus)) return 'hit';
  if (res.status === 429) return 'rate-limited';
  if (res.status === 400 && /invalid/.test(problemType)) return 'invalid';
  if (res.status === 503 && /circuit/.test(problemType)) return 'circuit-open';
  if (res.status >= 500) return 'error';
  return 'fresh';
}
