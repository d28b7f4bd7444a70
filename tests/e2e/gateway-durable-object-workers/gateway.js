// What both gateway services run: one config, its store over the Durable Object namespace bound
// as EDGEGUARD, made from the first request's env. origins.js (written by the test) names the
// backend, and the origin each service's 'flaky' upstream has: a dead port for one, the backend
// for the other, so only one trips the breaker they share.
import { createGateway } from 'edgeguard';
import { DurableObjectStore } from 'edgeguard/store';
import { backend } from './origins.js';

export const LIMIT = 3;
const rateLimit = (scope) => ({ key: 'ip', scope, policies: [{ name: 'minute', limit: LIMIT, windowMs: 60_000 }] });
// Trips on its second failure; the view is refreshed on any call a millisecond after the last read.
const breaker = { minimumCalls: 2, failureRateThreshold: 50, openMs: 60_000, share: { quorum: 1, publishIntervalMs: 1 } };

export function gateway(flaky) {
  return createGateway({
    upstreams: {
      api: { origin: backend, timeoutMs: 5000, breaker: false },
      flaky: { origin: flaky, timeoutMs: 5000, breaker },
    },
    routes: [
      { name: 'global', method: 'GET', path: '/v1/live/:id', upstream: 'api', rateLimit: rateLimit('global') },
      { name: 'local', method: 'GET', path: '/v1/brands/:id', upstream: 'api', rateLimit: rateLimit('local') },
      { name: 'flaky', method: 'POST', path: '/v1/brands', upstream: 'flaky' },
    ],
    store: { prefix: 'e2e:', mode: 'exact' },
  }, { store: (env) => new DurableObjectStore(env.EDGEGUARD, { deadlineMs: 5000 }) });
}
