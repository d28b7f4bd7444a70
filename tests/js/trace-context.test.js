import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { createGateway } from '../../js/gateway.js';
import { createGuard } from '../../js/guard.js';
import { parseTraceparent, formatTraceparent, randomId, incomingTrace } from '../../js/trace-context.js';
import { FakeTime, settle } from './resilience_fakes.js';

before(() => init());

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;
const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

test('traceparent: the spec\'s valid and invalid forms', () => {
  assert.deepEqual(parseTraceparent(TRACEPARENT), { traceId: TRACE, spanId: PARENT, flags: 1 });
  assert.deepEqual(parseTraceparent(`00-${TRACE}-${PARENT}-00`), { traceId: TRACE, spanId: PARENT, flags: 0 });
  // A later version may append fields, which a version-00 reader ignores.
  // ... and its flags this version does not know are passed on as zero (the spec's rule).
  assert.deepEqual(parseTraceparent(`01-${TRACE}-${PARENT}-03-extra`), { traceId: TRACE, spanId: PARENT, flags: 1 });
  assert.deepEqual(parseTraceparent(`00-${TRACE}-${PARENT}-fe`), { traceId: TRACE, spanId: PARENT, flags: 0 });
  for (const bad of [null, '', 'garbage', `00-${TRACE}-${PARENT}-01-extra`, `ff-${TRACE}-${PARENT}-01`,
    `00-${'0'.repeat(32)}-${PARENT}-01`, `00-${TRACE}-${'0'.repeat(16)}-01`, `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    `00-${TRACE.slice(1)}-${PARENT}-01`, `00-${TRACE}-${PARENT}-1`]) {
    assert.equal(parseTraceparent(bad), null, String(bad));
  }
  assert.equal(formatTraceparent(TRACE, PARENT, 1), TRACEPARENT);
  assert.equal(formatTraceparent(TRACE, PARENT, 0), `00-${TRACE}-${PARENT}-00`);
});

test('random ids are hex of the asked size and differ', () => {
  const ids = new Set(Array.from({ length: 100 }, () => randomId(8)));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
  assert.match(randomId(16), /^[0-9a-f]{32}$/);
});

test('without a global crypto (Node 18) ids still come, from Math.random', (t) => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
  t.after(() => Object.defineProperty(globalThis, 'crypto', saved));
  const random = t.mock.method(Math, 'random');
  for (let i = 0; i < 4096 / 8 + 1; i++) assert.match(randomId(8), /^[0-9a-f]{16}$/);  // past a refill
  assert.ok(random.mock.callCount() >= 4096);
});

test('tracestate is kept only beside a valid traceparent, and only within the spec\'s size', () => {
  const h = (entries) => new Headers(entries);
  assert.equal(incomingTrace(h({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' })).tracestate, 'congo=t61rcWkgMzE');
  const fresh = incomingTrace(h({ traceparent: 'bad', tracestate: 'congo=t61rcWkgMzE' }));
  assert.equal(fresh.tracestate, null);
  assert.notEqual(fresh.traceId, TRACE);
  assert.equal(fresh.flags, 1);
  assert.equal(incomingTrace(h({ traceparent: TRACEPARENT, tracestate: 'a=b,'.repeat(3000) })).tracestate, null);
  // A list is passed on only when it parses: key=value members (empty ones dropped), at most 32.
  const state = (tracestate) => incomingTrace(h({ traceparent: TRACEPARENT, tracestate })).tracestate;
  assert.equal(state(' rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE\t'), 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  assert.equal(state('tenant@vendor=x'), 'tenant@vendor=x');
  for (const bad of ['garbage!!! not=a,,valid list ;;; e', 'Upper=x', 'a=b=c', 'a=', '=b',
    Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')]) {
    assert.equal(state(bad), null, bad);
  }
  assert.equal(state(Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(',')).split(',').length, 32);
});

function setup(options = {}, handler = () => Response.json({ id: 1 })) {
  const time = new FakeTime();
  time.now = 1_700_000_000_000;
  const calls = [];
  const lines = [];
  const gateway = createGateway({
    upstreams: { api: { origin: 'http://backend.test', timeoutMs: 1000, retry: { maxAttempts: 3, baseMs: 10, maxMs: 10, jitter: 'none' } } },
    routes: [{ name: 'live', method: 'GET', path: '/v1/live/*', upstream: 'api' }],
  }, {
    fetch: async (url, init) => {
      const request = new Request(url, init);
      calls.push(request);
      return handler(request, calls.length);
    },
    clock: time.clock, timers: time.timers, log: (line) => lines.push(JSON.parse(line)), ...options,
  });
  const call = (headers = {}) => gateway.fetch(new Request('https://gw.example/v1/live/a', { headers }));
  return { gateway, calls, lines, time, call };
}

test('trace: true continues the client\'s trace upstream with a new span id per attempt', async () => {
  const { calls, lines, time, call } = setup({ trace: true }, (_, n) => (n < 3 ? new Response('', { status: 503 }) : Response.json({})));
  const answer = call({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' });
  for (let i = 0; i < 2; i++) {
    await settle();
    await time.advance(10);
  }
  assert.equal((await answer).status, 200);
  assert.equal(calls.length, 3);
  const sent = calls.map((r) => W3C.exec(r.headers.get('traceparent')));
  for (const m of sent) {
    assert.ok(m, 'a valid traceparent');
    assert.equal(m[1], TRACE);
    assert.notEqual(m[2], PARENT);
    assert.equal(m[3], '01');
  }
  assert.equal(new Set(sent.map((m) => m[2])).size, 3, 'a new span id per attempt');
  assert.deepEqual(calls.map((r) => r.headers.get('tracestate')), Array(3).fill('congo=t61rcWkgMzE'));
  assert.equal(lines[0].traceId, TRACE);
});

test('trace: true starts a trace when the client sent none, or an invalid one', async () => {
  const { calls, lines, call } = setup({ trace: true });
  await call();
  await call({ traceparent: `00-${TRACE}-${PARENT}-01-junk`, tracestate: 'congo=x' });
  const [a, b] = calls.map((r) => W3C.exec(r.headers.get('traceparent')));
  assert.ok(a && b);
  assert.notEqual(a[1], b[1]);
  assert.notEqual(b[1], TRACE);
  assert.equal(calls[1].headers.get('tracestate'), null, 'no tracestate without a valid traceparent');
  assert.deepEqual(lines.map((l) => l.traceId), [a[1], b[1]]);
});

test('without the trace option, trace headers pass through untouched and nothing is added', async () => {
  const { calls, lines, call } = setup();
  await call({ traceparent: TRACEPARENT, tracestate: 'congo=x' });
  await call();
  assert.equal(calls[0].headers.get('traceparent'), TRACEPARENT);
  assert.equal(calls[0].headers.get('tracestate'), 'congo=x');
  assert.equal(calls[1].headers.get('traceparent'), null);
  assert.deepEqual(lines.map((l) => l.traceId), [null, null]);
});

test('createGuard: an app\'s traceparent header is its parent', async () => {
  const calls = [];
  const guard = createGuard({
    upstreams: { api: { origin: 'http://backend.test' } },
    routes: [{ name: 'live', method: 'GET', path: '/v1/live/*', upstream: 'api' }],
  }, { fetch: async (url, init) => { calls.push(new Request(url, init)); return Response.json({}); }, trace: true });
  await guard.fetch('/v1/live/a', { headers: { traceparent: TRACEPARENT } });
  const m = W3C.exec(calls[0].headers.get('traceparent'));
  assert.equal(m[1], TRACE);
  assert.notEqual(m[2], PARENT);
  guard.dispose();
});
