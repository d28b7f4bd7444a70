// Properties of createGateway().fetch(): in front of a healthy upstream, nothing a client sends
// (path, method, headers, body) makes the gateway fail with a 5xx or throw: oversized or bad input
// is a 4xx problem, and validated or rate-limited routes stay so.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createGateway } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attemptAsync, driveTimers } from './verdict.js';
import { method, path, body, headers, requestInit } from './requests.js';
import { assertCanaries } from './canary.js';

const CONFIG = {
  upstreams: { api: { origin: 'https://a.example', retry: false } },
  identity: { userHeader: 'x-auth-user' },
  clientIp: { header: 'x-forwarded-for' },
  routes: [
    { path: '/v1/orders/*', method: 'POST', validate: { request: { type: 'object', required: ['sku'] } },
      rateLimit: { key: 'header:x-user', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '/v1/users/:id', rateLimit: { key: 'user', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '/v1/items/*', method: 'GET', cache: { ttlMs: 1000 }, rateLimit: { key: 'ip', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '*' },
  ],
};

const gatewayPath = fc.oneof(path, fc.constantFrom('/v1/users/1', '/v1/items/a', '/v1/orders/x'));
const clientHeaders = fc.oneof(headers, fc.record({
  'x-user': fc.constantFrom('u', '', 'x'.repeat(1025), 'é'.repeat(600)),
  'x-auth-user': fc.constantFrom('u', 'x'.repeat(5000)),
}, { requiredKeys: [] }));

property('a healthy upstream behind it: any client request gets a response below 500, never a throw',
  [gatewayPath, method, clientHeaders, body], async (p, m, h, b) => {
    const time = new FakeTime();
    const gateway = createGateway(CONFIG, {
      fetch: async () => new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }),
      clock: time.clock, timers: time.timers,
    });
    try {
      const init = requestInit(m, h, b);
      if (!init) return;
      let request;
      try {
        request = new Request(p.startsWith('/') ? `https://gw.example${p}` : p, init);
      } catch {
        return;  // not a request a runtime would hand the gateway
      }
      const r = await attemptAsync(() => gateway.fetch(request), `gateway.fetch(${m} ${p.slice(0, 40)})`, () => driveTimers(time, 60000));
      assert.ok(r.ok, 'the gateway threw');
      const status = r.value.status;
      assert.ok(status < 500, `${status} for ${m} ${p.slice(0, 60)} with headers ${JSON.stringify(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.length > 20 ? `<${v.length} chars>` : v])))}: ${(await r.value.text()).slice(0, 160)}`);
    } finally {
      gateway.dispose?.();
    }
    assertCanaries();
  }, { numRuns: 150, examples: [['/v1/orders/x', 'POST', { 'x-user': 'x'.repeat(1025) }, '{"sku":1}']] });
