// Properties of createGuard().fetch(): whatever the path, method, headers and body, a request
// is answered with a Response or a typed error; a request under a validated route never reaches
// the upstream unvalidated (no path length, encoding or byte makes it fall through to a
// catch-all); bad configs are typed errors.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createGuard } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attempt, attemptAsync, driveTimers } from './verdict.js';
import { option } from './hostile.js';
import { method, path, body, headers, requestInit } from './requests.js';
import { assertCanaries } from './canary.js';

function setup(config) {
  const time = new FakeTime();
  const calls = [];
  const fetch = async (input, init) => {
    calls.push(new Request(input, init));
    return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
  };
  const guard = createGuard(config, { fetch, clock: time.clock, timers: time.timers });
  return { guard, calls, time };
}

const ORDERS = {
  upstreams: { api: { origin: 'https://a.example', retry: false } },
  routes: [
    { path: '/v1/orders/*', method: 'POST', validate: { request: { type: 'object', required: ['sku'] } },
      rateLimit: { key: 'route', policies: [{ limit: 1000, windowMs: 1000 }] } },
    { path: '*' },
  ],
};

// Unreserved characters and percent-escapes: nothing that makes a URL leave /v1/orders/.
const segmentChar = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'Z', '0', '-', '_', '~') },
  fc.constantFrom('%20', '%2F', '%00', '%C3%A9', '%FF', 'é', '\u{1F600}', ';', '='));
const segment = fc.oneof(
  fc.string({ unit: segmentChar, minLength: 1, maxLength: 20 }),
  fc.constantFrom(1000, 8191, 8192, 16384, 65535, 65536, 70000, 1 << 20).chain((n) => fc.constant('a'.repeat(n))),
).filter((s) => s !== '.' && s !== '..');

property('a POST under the validated route is validated, whatever its path: never answered 200 for a body without sku',
  [segment, fc.constantFrom('{}', '{"x":1}', '[]', 'null')], async (tail, body) => {
    const { guard, calls, time } = setup(ORDERS);
    try {
      const r = await attemptAsync(() => guard.fetch(`/v1/orders/${tail}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
        'guard.fetch', () => driveTimers(time, 60000));
      if (r.ok) {
        assert.notEqual(r.value.status, 200, `answered 200 for /v1/orders/<${tail.length} chars> with body ${body}`);
        assert.ok(r.value.status >= 400, `status ${r.value.status}`);
      }
      assert.equal(calls.length, 0, `the upstream was called with an invalid body (path of ${tail.length} chars)`);
    } finally {
      guard.dispose();
    }
  }, { numRuns: 80, examples: [['a'.repeat(70000), '{}']] });


property('any request: a Response (100-599) or a typed error, never a raw error or unhandled rejection',
  [path, method, headers, body], async (url, m, h, b) => {
    const { guard, time } = setup(ORDERS);
    try {
      const init = requestInit(m, h, b);
      if (!init) return;
      const r = await attemptAsync(() => guard.fetch(url, init), `guard.fetch(${m} ${url.slice(0, 40)})`, () => driveTimers(time, 60000));
      if (r.ok) assert.ok(r.value instanceof Response && r.value.status >= 100 && r.value.status <= 599, `answered ${r.value?.status}`);
    } finally {
      guard.dispose();
    }
    assertCanaries();
  }, { numRuns: 150 });

property('a URL that cannot be parsed is a typed error', [fc.constantFrom('', '*', 'orders', '//', '//x', 'http://', 'https://[', 'http://a b/', 'https://a.example:99999/')],
  async (url) => {
    const { guard, time } = setup(ORDERS);
    try {
      const r = await attemptAsync(() => guard.fetch(url), `guard.fetch(${JSON.stringify(url)})`, () => driveTimers(time, 60000));
      assert.ok(!r.ok, `answered ${r.value?.status}`);
    } finally {
      guard.dispose();
    }
  }, { numRuns: 10 });

property('a RequestInit that fetch itself refuses is a typed error', [fc.constantFrom(
  { method: 'get', body: 'x' }, { method: 'HEAD', body: 'x' }, { method: 'a b' }, { method: 'CONNECT' }, { headers: { 'a b': 'x' } })],
async (init) => {
  const { guard, time } = setup(ORDERS);
  try {
    const r = await attemptAsync(() => guard.fetch('/v1/orders/1', init), `guard.fetch(${JSON.stringify(init)})`, () => driveTimers(time, 60000));
    if (r.ok) assert.ok(r.value.status >= 400, `answered ${r.value.status}`);
  } finally {
    guard.dispose();
  }
}, { numRuns: 10 });

const configPatch = fc.record({
  upstreams: option(fc.dictionary(fc.constantFrom('api', '', 'x'), fc.record({
    origin: option(fc.constantFrom('https://a.example', 'ftp://x', 'https://a.example/base/', 'not a url', '')),
    timeoutMs: option(fc.integer({ min: 1, max: 1e5 })),
    breaker: option(fc.constantFrom(false, { minimumCalls: 1 }, { openMs: -1 })),
    retry: option(fc.constantFrom(false, { maxAttempts: 2 }, { maxAttempts: 0 })),
    bulkhead: option(fc.constantFrom(false, { maxConcurrent: 1 }, { maxConcurrent: 0 })),
  }, { requiredKeys: [] }), { maxKeys: 2 })),
  routes: option(fc.array(fc.record({
    path: option(fc.constantFrom('/a', '/a/:id', '/a/*', '*', '', 'no-slash', '/a/*/b', '/:x/:x')),
    method: option(fc.constantFrom('GET', 'POST', '*', ['GET', 'POST'], 'BREW')),
    upstream: option(fc.constantFrom('api', 'missing')),
    maxBodyBytes: option(fc.nat(1e6)),
    validate: option(fc.constantFrom({ request: { required: ['a'] } }, { request: { $ref: '#/nope' } }, { query: { type: 'object' } })),
    rateLimit: option(fc.constantFrom(false, { policies: [{ limit: 1, windowMs: 1000 }] }, { policies: [] }, { key: 'header:x', policies: [{ limit: 1, windowMs: 1 }] })),
    cache: option(fc.constantFrom(false, { ttlMs: 1000 }, { ttlMs: -1 }, { ttlMs: 10, vary: ['accept'] })),
  }, { requiredKeys: [] }), { maxLength: 3 })),
  security: option(fc.record({ maxBodyBytes: option(fc.nat(1e6)), cors: option(fc.constantFrom(false, { origins: '*' }, { origins: ['https://x'] }, { origins: 5 })) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

property('random configs: a guard that answers, or a typed error', [configPatch, path], async (patch, url) => {
  const time = new FakeTime();
  const built = attempt(() => createGuard({ ...ORDERS, ...patch }, { fetch: async () => new Response('ok'), clock: time.clock, timers: time.timers }), 'createGuard');
  if (!built.ok) return;
  try {
    await attemptAsync(() => built.value.fetch(url, { method: 'POST', body: '{"a":1}' }), 'guard.fetch', () => driveTimers(time, 60000));
    attempt(() => built.value.health(), 'health');
    attempt(() => built.value.metrics(), 'metrics');
  } finally {
    built.value.dispose();
  }
  assertCanaries();
}, { numRuns: 100 });
