import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { init, ConfigError } from '../../js/entry.node.js';
import { createGateway } from '../../js/gateway.js';
import { createGuard } from '../../js/guard.js';
import { FakeTime, settle } from './resilience_fakes.js';

before(() => init());
after(() => api.propagation.disable());

const T0 = 1_700_000_000_000;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;
const { SERVER, CLIENT, INTERNAL } = api.SpanKind;

function config() {
  return {
    upstreams: { api: { origin: 'http://backend.test:8080', timeoutMs: 1000, retry: { maxAttempts: 3, baseMs: 10, maxMs: 10, jitter: 'none' } } },
    routes: [
      { name: 'brand', method: 'GET', path: '/v1/brands/:id', upstream: 'api', cache: { ttlMs: 10000 },
        validate: { response: { type: 'object', required: ['id'] } } },
      { name: 'create', method: 'POST', path: '/v1/brands', upstream: 'api',
        validate: { request: { type: 'object', required: ['name', 'kind'] } } },
      { name: 'live', method: 'GET', path: '/v1/live/*', upstream: 'api' },
    ],
  };
}

/** A gateway traced into an in-memory exporter; the fake upstream takes `latencyMs` of fake time. */
function setup(handler = () => Response.json({ id: 1 }), trace = {}, latencyMs = 20) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const time = new FakeTime();
  time.now = T0;
  const calls = [];
  const gateway = createGateway(config(), {
    fetch: async (url, init) => {
      const request = new Request(url, init);
      calls.push(request);
      time.now += latencyMs;
      return handler(request, calls.length);
    },
    clock: time.clock, timers: time.timers, requestId: () => 'req-1',
    trace: { api, tracer: provider.getTracer('test'), ...trace },
  });
  const spans = () => exporter.getFinishedSpans();
  const named = (name) => spans().filter((s) => s.name === name);
  return { gateway, calls, time, spans, named };
}

const ms = (hr) => hr[0] * 1000 + hr[1] / 1e6;
const parentOf = (span) => span.parentSpanContext?.spanId;
const traceparentOf = (span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

test('a cached miss: a SERVER span continuing the client\'s trace, with cache, attempt and validation children', async () => {
  const { gateway, calls, spans, named } = setup();
  const res = await gateway.fetch(new Request('https://gw.example/v1/brands/7?secret=1', { headers: { traceparent: TRACEPARENT } }));
  assert.equal(res.status, 200);
  const [server] = named('GET /v1/brands/:id');
  const [cache] = named('edgeguard cache lookup');
  const [client] = named('GET');
  const [validate] = named('edgeguard validate response');
  assert.equal(spans().length, 4);
  assert.equal(server.kind, SERVER);
  assert.equal(server.spanContext().traceId, TRACE);
  assert.equal(parentOf(server), PARENT);
  for (const child of [cache, client, validate]) {
    assert.equal(child.spanContext().traceId, TRACE);
    assert.equal(parentOf(child), server.spanContext().spanId, child.name);
  }
  assert.deepEqual([cache.kind, client.kind, validate.kind], [INTERNAL, CLIENT, INTERNAL]);
  assert.deepEqual(server.attributes, {
    'http.request.method': 'GET', 'url.path': '/v1/brands/7', 'url.scheme': 'https', 'server.address': 'gw.example',
    'server.port': 443, 'http.route': '/v1/brands/:id', 'edgeguard.route': 'brand', 'http.response.status_code': 200,
    'edgeguard.outcome': 'ok', 'edgeguard.request_id': 'req-1', 'edgeguard.cache.status': 'miss',
  });
  assert.deepEqual(client.attributes, {
    'http.request.method': 'GET', 'server.address': 'backend.test', 'server.port': 8080,
    'url.full': 'http://backend.test:8080/v1/brands/7', 'http.response.status_code': 200,
  });
  assert.equal(cache.attributes['edgeguard.cache.status'], 'miss');
  assert.deepEqual([validate.attributes['edgeguard.validation.target'], validate.attributes['edgeguard.validation.errors']], ['response', 0]);
  for (const span of spans()) assert.equal(span.status.code, api.SpanStatusCode.UNSET, span.name);
  // The upstream's parent is the attempt span: the trace goes on from it.
  assert.equal(calls[0].headers.get('traceparent'), traceparentOf(client));
  // Times come from the gateway's clock: the upstream's 20 ms.
  assert.equal(ms(server.startTime), T0);
  assert.equal(ms(server.duration), 20);
  assert.equal(ms(client.duration), 20);
});

test('a hit has a cache span and no attempt', async () => {
  const { gateway, named, spans } = setup();
  await (await gateway.fetch(new Request('https://gw.example/v1/brands/7'))).text();
  const before = spans().length;
  await (await gateway.fetch(new Request('https://gw.example/v1/brands/7'))).text();
  const added = spans().slice(before);
  assert.deepEqual(added.map((s) => s.name).sort(), ['GET /v1/brands/:id', 'edgeguard cache lookup']);
  assert.equal(named('edgeguard cache lookup')[1].attributes['edgeguard.cache.status'], 'hit');
  // Without an incoming traceparent the server span starts a trace of its own.
  assert.equal(parentOf(added.find((s) => s.kind === SERVER)), undefined);
});

test('one CLIENT span per retry attempt, each the parent the upstream was told; the failure marks the spans', async () => {
  const { gateway, calls, time, named } = setup(() => new Response('down', { status: 503 }), {}, 0);
  const answer = gateway.fetch(new Request('https://gw.example/v1/live/a', { headers: { traceparent: TRACEPARENT } }));
  for (let i = 0; i < 2; i++) {
    await settle();
    await time.advance(10);
  }
  assert.equal((await answer).status, 503);
  const attempts = named('GET');
  assert.equal(attempts.length, 3);
  assert.equal(new Set(attempts.map((s) => s.spanContext().spanId)).size, 3);
  assert.deepEqual(calls.map((r) => r.headers.get('traceparent')), attempts.map(traceparentOf));
  assert.deepEqual(attempts.map((s) => s.attributes['http.request.resend_count']), [undefined, 1, 2]);
  for (const s of attempts) {
    assert.equal(s.status.code, api.SpanStatusCode.ERROR);
    assert.equal(s.attributes['error.type'], '503');
    assert.equal(s.attributes['http.response.status_code'], 503);
  }
  const [server] = named('GET /v1/live/*');
  assert.equal(server.status.code, api.SpanStatusCode.ERROR);
  assert.equal(server.attributes['error.type'], 'upstream_error');
});

test('a timeout: the attempt\'s error.type is timeout, the request span a 504 error', async () => {
  const { gateway, time, named } = setup((request) => new Promise((_, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason));
  }), {}, 0);
  const answer = gateway.fetch(new Request('https://gw.example/v1/brands/1'));
  await settle();
  await time.advance(3 * 1000 + 2 * 10);  // three attempts, two backoffs
  assert.equal((await answer).status, 504);
  const attempts = named('GET');
  assert.equal(attempts.length, 3);
  for (const client of attempts) {
    assert.equal(client.attributes['error.type'], 'timeout');
    assert.equal(client.status.code, api.SpanStatusCode.ERROR);
    assert.equal(ms(client.duration), 1000);
  }
  const [server] = named('GET /v1/brands/:id');
  assert.deepEqual([server.attributes['http.response.status_code'], server.attributes['error.type']], [504, 'timeout']);
});

test('an invalid request body: the validation span is an error, the 400 request span is not', async () => {
  const { gateway, named, calls } = setup();
  const res = await gateway.fetch(new Request('https://gw.example/v1/brands', { method: 'POST', body: '{"name":"x"}' }));
  assert.equal(res.status, 400);
  const [validate] = named('edgeguard validate request');
  assert.equal(validate.status.code, api.SpanStatusCode.ERROR);
  assert.deepEqual([validate.attributes['error.type'], validate.attributes['edgeguard.validation.errors']], ['invalid_request', 1]);
  const [server] = named('POST /v1/brands');
  assert.equal(server.status.code, api.SpanStatusCode.UNSET);
  assert.equal(server.attributes['error.type'], undefined);
  assert.equal(calls.length, 0);
});

test('the query string is in url.query and url.full only when asked for', async () => {
  const quiet = setup();
  await quiet.gateway.fetch(new Request('https://gw.example/v1/live/a?token=secret'));
  for (const s of quiet.spans()) assert.ok(!JSON.stringify(s.attributes).includes('secret'), s.name);
  const asked = setup(undefined, { query: true });
  await asked.gateway.fetch(new Request('https://gw.example/v1/live/a?token=secret'));
  assert.equal(asked.named('GET /v1/live/*')[0].attributes['url.query'], 'token=secret');
  assert.equal(asked.named('GET')[0].attributes['url.full'], 'http://backend.test:8080/v1/live/a?token=secret');
});

test('no route: a SERVER span named by the method alone, without http.route', async () => {
  const { gateway, named } = setup();
  assert.equal((await gateway.fetch(new Request('https://gw.example/nope'))).status, 404);
  const [server] = named('GET');
  assert.equal(server.kind, SERVER);
  assert.equal(server.attributes['http.response.status_code'], 404);
  assert.equal(server.attributes['http.route'], undefined);
});

test('with a registered W3C propagator, it writes what the gateway would: the attempt span\'s context', async () => {
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  try {
    const { gateway, calls, named } = setup();
    await gateway.fetch(new Request('https://gw.example/v1/live/a', { headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61' } }));
    const [client] = named('GET');
    assert.equal(client.spanContext().traceId, TRACE);
    assert.equal(calls[0].headers.get('traceparent'), traceparentOf(client));
    assert.equal(calls[0].headers.get('tracestate'), 'congo=t61');
  } finally {
    api.propagation.disable();
  }
});

test('the API without an SDK: no spans, and the upstream still gets the trace with a new span id', async () => {
  const calls = [];
  const gateway = createGateway(config(), {
    fetch: async (url, init) => { calls.push(new Request(url, init)); return Response.json({ id: 1 }); },
    trace: { api },
  });
  await gateway.fetch(new Request('https://gw.example/v1/live/a', { headers: { traceparent: TRACEPARENT } }));
  await gateway.fetch(new Request('https://gw.example/v1/live/a'));
  const [continued, started] = calls.map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(r.headers.get('traceparent')));
  assert.equal(continued[1], TRACE);
  assert.notEqual(continued[2], PARENT);
  assert.ok(started, 'a trace of its own');
  assert.notEqual(started[1], TRACE);
});

test('createGuard: an INTERNAL request span around the attempt, under the app\'s traceparent', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const guard = createGuard(config(), { fetch: async () => Response.json({}), trace: { api, tracer: provider.getTracer('app') } });
  await guard.fetch('/v1/live/a', { headers: { traceparent: TRACEPARENT } });
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.kind === INTERNAL);
  const attempt = spans.find((s) => s.kind === CLIENT);
  assert.equal(request.name, 'GET /v1/live/*');
  assert.equal(parentOf(request), PARENT);
  assert.equal(parentOf(attempt), request.spanContext().spanId);
  guard.dispose();
});

test('createGuard: a call that throws ends its span as an error', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const guard = createGuard(config(), { fetch: async () => Response.json({}), trace: { api, tracer: provider.getTracer('app') } });
  const body = new ReadableStream({ pull: (controller) => controller.error(new TypeError('client went away')) });
  await assert.rejects(guard.fetch('/v1/brands', { method: 'POST', body, duplex: 'half' }), { code: 'INVALID_INPUT' });
  const [span] = exporter.getFinishedSpans();
  assert.equal(span.name, 'POST /v1/brands');
  assert.equal(span.status.code, api.SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'INVALID_INPUT');
  assert.equal(span.attributes['http.response.status_code'], undefined);
  guard.dispose();
});

test('bad trace options throw ConfigError at once', () => {
  for (const trace of [1, 'yes', null, {}, { api: {} }, { api, tracer: {} }, { api, query: 'yes' }]) {
    assert.throws(() => createGateway(config(), { trace }), (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID');
  }
});

// A tracer whose spans of one kind throw when `method` is called on them.
function breaking(tracer, kind, method) {
  return {
    startSpan(name, options, context) {
      const span = tracer.startSpan(name, options, context);
      if (options?.kind !== kind) return span;
      return new Proxy(span, {
        get(target, prop) {
          if (prop === method) return () => { throw new Error(`${method} broke`); };
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

test('review: a tracer that throws fails no request and opens no breaker; counted once per call, the first reported; traceparent still sent', async (t) => {
  const reported = [];
  t.mock.method(console, 'error', (error) => reported.push(error.message));
  const provider = new BasicTracerProvider();
  const tracers = {
    'attempt spans whose end throws': breaking(provider.getTracer('t'), CLIENT, 'end'),
    'request spans whose end throws': breaking(provider.getTracer('t'), SERVER, 'end'),
    'a tracer whose startSpan throws': { startSpan() { throw new Error('startSpan broke'); } },
  };
  for (const [name, tracer] of Object.entries(tracers)) {
    reported.length = 0;
    const calls = [];
    const gateway = createGateway({
      upstreams: { api: { origin: 'http://backend.test', breaker: { consecutiveFailures: 2, openMs: 60000 } } },
      routes: [{ name: 'live', method: 'GET', path: '/v1/live/*', upstream: 'api' }],
    }, {
      fetch: async (url, init) => { calls.push(new Request(url, init)); return Response.json({ ok: true }); },
      trace: { api, tracer },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await gateway.fetch(new Request(`http://gw.test/v1/live/${i}`))).status);
    assert.deepEqual(statuses, [200, 200, 200, 200], name);
    assert.equal(calls.length, 4, name);
    for (const call of calls) assert.match(call.headers.get('traceparent'), /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/, name);
    const metrics = await gateway.metrics();
    assert.match(metrics, /^edgeguard_requests_total\{route="live",outcome="ok"\} 4$/m, name);
    assert.doesNotMatch(metrics, /outcome="upstream_error"/, name);
    assert.ok(Number(/^edgeguard_trace_failures_total (\d+)$/m.exec(metrics)?.[1]) >= 4, name);
    assert.equal(reported.length, 1, name);
    gateway.dispose();
  }
});
