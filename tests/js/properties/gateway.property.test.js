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

// Every route feature at once, in front of an upstream that may fail in any way it can.
const RICH = {
  upstreams: { api: { origin: 'https://backend.example/base', retry: { maxAttempts: 2 }, bulkhead: { maxConcurrent: 2 } } },
  identity: { userHeader: 'x-auth-user' },
  clientIp: { header: 'x-forwarded-for', trustedHops: 1 },
  routes: [
    { path: '/v1/orders/:id', method: ['POST', 'PUT'], rateLimit: { key: 'header:x-user', policies: [{ limit: 1000, windowMs: 1000 }] },
      validate: { request: { type: 'object', required: ['sku'] }, query: { type: 'object', properties: { a: { type: 'string' } } } } },
    { path: '/v1/me', method: 'GET', cache: { ttlMs: 1000, perUser: true, vary: ['accept', 'accept-language'] },
      rateLimit: { key: 'user', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '/v1/items/*', method: 'GET', cache: { ttlMs: 1000, staleIfErrorMs: 1000, vary: ['accept'] },
      validate: { response: { type: 'object' } }, rateLimit: { key: 'ip', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '*' },
  ],
  security: { cors: { origins: ['https://app.example'], credentials: true }, requestId: { header: 'x-request-id', trustIncoming: true } },
};

const UPSTREAM = {
  ok: () => new Response('{"ok":1}', { headers: { 'content-type': 'application/json', 'cache-control': 'max-age=5' } }),
  'set-cookie': () => new Response('{}', { headers: { 'set-cookie': 'a=1', 'cache-control': 'max-age=10' } }),
  'vary-star': () => new Response('{}', { headers: { vary: '*', 'cache-control': 'max-age=10, stale-while-revalidate=5' } }),
  'not-modified': () => new Response(null, { status: 304, headers: { 'cache-control': 'max-age=10' } }),
  redirect: () => new Response(null, { status: 302, headers: { location: 'https://backend.example/base/x' } }),
  // The upstream's own failures: these may be a 5xx.
  'status-500': () => new Response('x', { status: 500 }),
  'not-json': () => new Response('<html>', { headers: { 'content-type': 'text/html' } }),
  'network-error': () => Promise.reject(new TypeError('fetch failed')),
  'broken-body': () => new Response(new ReadableStream({ pull(c) { c.error(new Error('reset')); } })),
};
const UPSTREAM_FAULTS = ['status-500', 'not-json', 'network-error', 'broken-body'];

const richHeaders = fc.dictionary(
  fc.constantFrom('x-user', 'x-auth-user', 'x-forwarded-for', 'accept', 'accept-language', 'authorization', 'cookie', 'origin',
    'access-control-request-method', 'x-request-id', 'content-length', 'range', 'if-none-match', 'cache-control'),
  fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,30}$/).map((s) => s.trim()),
    fc.constantFrom('a'.repeat(70000), 'é'.repeat(600), '1.2.3.4, 5.6.7.8', '::1', 'https://app.example', '*', '')),
  { maxKeys: 5 });
const richPath = fc.oneof(fc.webPath(), fc.constantFrom('/v1/orders/1', '/v1/me', '/v1/items/x', '/healthz', '/v1/items/a%5cb'));
const richQuery = fc.oneof(fc.constant(''), fc.webQueryParameters().map((q) => `?${q}`), fc.constantFrom('?a=1&a=2', '?a=%zz', '?__proto__=1'));

property('every feature at once: any request, any upstream answer: below 500 unless the upstream failed, always a request id',
  [method, richPath, richQuery, richHeaders, fc.option(fc.string({ maxLength: 40 })), fc.constantFrom(...Object.keys(UPSTREAM))],
  async (m, p, q, h, b, answer) => {
    const time = new FakeTime();
    const gateway = createGateway(RICH, { fetch: async () => UPSTREAM[answer](), clock: time.clock, timers: time.timers });
    let request;
    try {
      request = new Request(`https://gw.example${p}${q}`, { method: m, headers: h, body: ['GET', 'HEAD', undefined].includes(m?.toUpperCase()) ? undefined : b ?? undefined });
    } catch {
      return;  // not a request a runtime would hand the gateway
    }
    const r = await attemptAsync(() => gateway.fetch(request, {}, { waitUntil: () => {} }), `gateway.fetch(${m} ${p.slice(0, 40)})`,
      () => driveTimers(time, 60000));
    assert.ok(r.ok, 'the gateway threw');
    const { status } = r.value;
    // A body streamed through from the upstream breaks off where the upstream's did.
    const text = await r.value.text().catch((error) => {
      assert.ok(UPSTREAM_FAULTS.includes(answer), `the answer's body failed: ${error}`);
      return '';
    });
    assert.ok(status < 500 || UPSTREAM_FAULTS.includes(answer),
      `${status} for ${m} ${p.slice(0, 40)}${q.slice(0, 40)} (upstream: ${answer}): ${text.slice(0, 160)}`);
    assert.ok(r.value.headers.get('x-request-id'), 'no request id');
  }, { numRuns: 150, examples: [['GET', '/v1/me', '', { authorization: 'a'.repeat(70000) }, null, 'ok'],
    ['GET', `/v1/items/${'p'.repeat(5000)}`, '', {}, null, 'ok'], ['POST', '/v1/orders/1', '', {}, '{"sku":1}', 'ok']] });
