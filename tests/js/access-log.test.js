import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, ConfigError } from '../../js/entry.node.js';
import { createGateway } from '../../js/gateway.js';
import { createGuard } from '../../js/guard.js';
import { logOption } from '../../js/access-log.js';
import { FakeTime, settle } from './resilience_fakes.js';

before(() => init());

const ORIGIN = 'http://backend.test';
const T0 = 1_700_000_000_000;

function config() {
  return {
    upstreams: {
      api: { origin: ORIGIN, timeoutMs: 1000, breaker: { minimumCalls: 2, failureRateThreshold: 50, openMs: 5000 },
        retry: { maxAttempts: 2, baseMs: 100, maxMs: 100, jitter: 'none' } },
    },
    routes: [
      { name: 'brand', method: 'GET', path: '/v1/brands/:id', upstream: 'api', cache: { ttlMs: 10000 } },
      { name: 'create', method: 'POST', path: '/v1/brands', upstream: 'api',
        validate: { request: { type: 'object', required: ['name', 'kind'] } },
        rateLimit: { key: 'ip', policies: [{ name: 'burst', limit: 2, windowMs: 10000 }] } },
      { name: 'live', method: 'GET', path: '/v1/live/*', upstream: 'api' },
    ],
    clientIp: { header: 'cf-connecting-ip' },
  };
}

/** A gateway over a fake upstream that takes `latencyMs` of fake time per call; `lines`: what the log wrote. */
// An answer with its length, as most upstreams send it: a streamed answer is measured by it.
const sized = (text, init = {}) => new Response(text, { ...init, headers: { 'content-length': String(text.length), ...init.headers } });

function setup({ handler = () => sized('{"id":1}'), latencyMs = 25, log } = {}) {
  const time = new FakeTime();
  time.now = T0;
  const lines = [];
  const calls = [];
  const fetch = async (url, init) => {
    const request = new Request(url, init);
    calls.push(request);
    time.now += latencyMs;
    return handler(request);
  };
  let ids = 0;
  const gateway = createGateway(config(), {
    fetch, clock: time.clock, timers: time.timers, requestId: () => `req-${++ids}`,
    log: log ?? ((line) => lines.push(line)),
  });
  const call = (path, init = {}) => gateway.fetch(new Request(`https://gw.example${path}`,
    { ...init, headers: { 'cf-connecting-ip': '203.0.113.5', ...init.headers } }));
  return { gateway, call, lines, calls, time, events: () => lines.map((l) => JSON.parse(l)) };
}

test('each answer is one line with every field: a miss, a hit, a refusal, no route', async () => {
  const { call, events } = setup();
  const miss = await call('/v1/brands/1?token=secret', { headers: { authorization: 'Bearer hunter2' } });
  const missBytes = (await miss.arrayBuffer()).byteLength;
  const hit = await call('/v1/brands/2');
  const hitBytes = (await hit.arrayBuffer()).byteLength;
  const hitAgain = await call('/v1/brands/2');
  await hitAgain.arrayBuffer();
  const none = await call('/nope');
  const noneBytes = (await none.arrayBuffer()).byteLength;
  const [first, second, third, fourth] = events();
  assert.deepEqual(first, {
    time: new Date(T0).toISOString(), requestId: 'req-1', method: 'GET', path: '/v1/brands/1', route: 'brand',
    status: 200, outcome: 'ok', cache: 'bypass', rateLimit: null, upstream: 'api', attempts: 1, upstreamMs: 25,
    breaker: 'closed', bytesIn: 0, bytesOut: missBytes, validationErrors: 0, durationMs: 25, traceId: null,
  });
  assert.equal(second.cache, 'miss');
  assert.equal(second.bytesOut, hitBytes);
  assert.deepEqual([third.outcome, third.cache, third.attempts, third.upstreamMs, third.durationMs], ['cache_hit', 'hit', 0, null, 0]);
  assert.deepEqual([fourth.route, fourth.status, fourth.outcome, fourth.upstream, fourth.breaker, fourth.bytesOut],
    [null, 404, 'not_found', null, null, noneBytes]);
});

test('a streamed answer without Content-Length has bytesOut null; a HEAD 0', async () => {
  const { call, events } = setup({ handler: () => new Response(new Blob(['abc']).stream()) });
  await (await call('/v1/live/a')).text();
  await (await call('/v1/live/a', { method: 'HEAD' })).text();
  assert.deepEqual(events().map((e) => e.bytesOut), [null, 0]);
});

test('no query string, header value or payload in a line; the query only when asked for', async () => {
  const { call, lines } = setup();
  await (await call('/v1/live/x?token=secret', { headers: { authorization: 'Bearer hunter2', cookie: 'sid=abc' } })).text();
  await (await call('/v1/brands', { method: 'POST', body: JSON.stringify({ name: 'private-name' }) })).text();
  for (const line of lines) {
    for (const secret of ['secret', 'token', 'hunter2', 'sid=abc', 'private-name']) assert.ok(!line.includes(secret), line);
  }
  const asked = setup({ log: { write: (line) => asked.lines.push(line), query: true } });
  asked.lines = [];
  await (await asked.call('/v1/live/x?a=1&b=2#frag')).text();
  assert.equal(JSON.parse(asked.lines[0]).query, 'a=1&b=2');
});

test('rate-limit decision and policy, body bytes in, validation error count', async () => {
  const { call, events } = setup();
  const body = JSON.stringify({ name: 'x' });
  const invalid = await call('/v1/brands', { method: 'POST', body });
  await invalid.text();
  await (await call('/v1/brands', { method: 'POST', body: JSON.stringify({ name: 'x', kind: 'y' }) })).text();
  await (await call('/v1/brands', { method: 'POST', body })).text();
  const [refused, created, limited] = events();
  assert.deepEqual([refused.status, refused.outcome, refused.validationErrors, refused.bytesIn, refused.attempts],
    [400, 'invalid_request', 1, body.length, 0]);
  assert.deepEqual(refused.rateLimit, { allowed: true, policy: 'burst', remaining: 1 });
  assert.deepEqual([created.status, created.validationErrors, created.attempts], [200, 0, 1]);
  assert.deepEqual([limited.status, limited.outcome, limited.bytesIn], [429, 'rate_limited', 0]);
  assert.deepEqual(limited.rateLimit, { allowed: false, policy: 'burst', remaining: 0 });
});

test('attempts count retries, the breaker state is the one after the answer', async () => {
  const { call, events, time } = setup({ handler: () => new Response('down', { status: 503 }) });
  const answer = call('/v1/live/a');
  await settle();  // the first attempt, 25 ms
  await time.advance(100);  // the retry's backoff
  assert.equal((await answer).status, 503);
  const refused = await call('/v1/live/b');
  await refused.text();
  const [failed, open] = events();
  assert.deepEqual([failed.outcome, failed.attempts, failed.upstreamMs, failed.breaker], ['upstream_error', 2, 150, 'open']);
  assert.deepEqual([open.status, open.outcome, open.attempts, open.upstreamMs, open.breaker], [503, 'circuit_open', 0, null, 'open']);
});

test('log: true writes each line with console.log', async (t) => {
  const written = t.mock.method(console, 'log', () => {});
  const { call } = setup({ log: true });
  await (await call('/v1/live/a')).text();
  assert.equal(written.mock.callCount(), 1);
  assert.equal(JSON.parse(written.mock.calls[0].arguments[0]).path, '/v1/live/a');
});

test('a sink that throws or rejects never fails a request: counted in metrics, nothing unhandled', async (t) => {
  const unhandled = [];
  const onUnhandled = (error) => unhandled.push(error);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  let n = 0;
  const { call, gateway } = setup({ log: () => {
    n++;
    if (n === 1) throw new Error('disk full');
    return Promise.reject(new Error('pipe closed'));
  } });
  assert.equal((await call('/v1/live/a')).status, 200);
  assert.equal((await call('/v1/live/b')).status, 200);
  await settle();
  assert.match(await gateway.metrics(), /\nedgeguard_access_log_failures_total 2\n/);
  assert.deepEqual(unhandled, []);
});

test('without a log the metrics have no access log counter', async () => {
  const gateway = createGateway(config(), { fetch: async () => Response.json({}) });
  assert.doesNotMatch(await gateway.metrics(), /access_log/);
});

test('bad log options throw ConfigError at once', () => {
  for (const log of [1, 'yes', null, { write: 1 }, { query: 'yes' }]) {
    assert.throws(() => createGateway(config(), { log }), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID', String(log));
    assert.throws(() => logOption(log), ConfigError);
  }
  assert.equal(logOption(false), null);
});

test('createGuard logs its routed calls too', async () => {
  const lines = [];
  const time = new FakeTime();
  time.now = T0;
  const guard = createGuard(config(), { fetch: async () => Response.json({ id: 1 }), clock: time.clock, timers: time.timers,
    log: (line) => lines.push(line) });
  await (await guard.fetch('/v1/live/a?q=1')).text();
  const [line] = lines.map((l) => JSON.parse(l));
  assert.deepEqual([line.route, line.path, line.status, line.attempts, line.upstream, line.requestId], ['live', '/v1/live/a', 200, 1, 'api', '']);
  assert.equal(line.query, undefined);
  guard.dispose();
});
