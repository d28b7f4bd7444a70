// What both gateway services run: createGateway with its store over the Durable Object namespace
// bound as EDGEGUARD, made from the first request's env. origin.js (written by the test) names
// the backend.
import { createGateway } from 'edgeguard';
import { DurableObjectStore } from 'edgeguard/store';
import origin from './origin.js';

const rateLimit = (scope) => ({ key: 'ip', scope, policies: [{ name: 'minute', limit: 3, windowMs: 60000 }] });

export default createGateway({
  upstreams: { api: { origin, timeoutMs: 5000 } },
  routes: [
    { name: 'global', method: 'GET', path: '/v1/live/:id', rateLimit: rateLimit('global') },
    { name: 'local', method: 'GET', path: '/v1/brands/:id', rateLimit: rateLimit('local') },
  ],
  store: { prefix: 'e2e:', mode: 'exact' },
}, { store: (env) => new DurableObjectStore(env.EDGEGUARD, { deadlineMs: 5000 }) });
