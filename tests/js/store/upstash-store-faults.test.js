// UpstashStore when the REST server or the redis-server behind it stalls or dies. Deadlines run on
// fake timers and the breaker on a fake clock (store-wave.js); the servers, @upstash/redis and its
// fetch run in real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { Redis } from '@upstash/redis';
import { UpstashStore } from '../../../js/store/upstash-store.js';
import { waitFor } from '../../support/redis-engines.js';
import { startDelayProxy } from '../../support/delay-proxy.js';
import { upstashFixture } from './upstash-fixture.js';
import { FakeTime } from '../resilience_fakes.js';
import { DEADLINE_MS, wave } from './store-wave.js';

const OPEN_MS = 1000;

const fixture = upstashFixture();

/** A store on fake time over a client of `server` ({ url, token }) made with `clientOptions`. */
function storeOf(server, clientOptions = { retry: false }) {
  const time = new FakeTime();
  const client = new Redis({ url: server.url, token: server.token ?? fixture.rest.token, ...clientOptions });
  const store = new UpstashStore(client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers,
    breaker: { consecutiveFailures: 3, openMs: OPEN_MS, halfOpenCalls: 1 } });
  return { time, store };
}

test('the REST server down: STORE_UNAVAILABLE by the deadline, the breaker opens and stops calling; back: it probes and resumes', async () => {
  const { time, store } = storeOf(fixture.rest);
  assert.deepEqual(await wave(store, time, 3, 'rest').finish(true), ['ok', 'ok', 'ok']);
  await fixture.rest.kill();
  try {
    assert.deepEqual(await wave(store, time, 3, 'rest').finish(true), new Array(3).fill('STORE_UNAVAILABLE'));
    assert.equal(store.breaker.state, 'open');
    const sent = store.stats().calls - store.stats().refused;
    assert.deepEqual(await wave(store, time, 4, 'rest').finish(), new Array(4).fill('STORE_UNAVAILABLE'));
    assert.equal(store.stats().refused, 4);
    assert.equal(store.stats().calls - store.stats().refused, sent, 'nothing sent while open');
  } finally {
    await fixture.rest.start();
  }
  await time.advance(OPEN_MS);
  assert.deepEqual(await wave(store, time, 1, 'rest').finish(true), ['ok'], 'the probe');
  assert.equal(store.breaker.state, 'closed');
  assert.equal(store.stats().errors, 0, 'unreachable is never an answer');
});

test('the redis-server killed behind the REST server (a 502): STORE_UNAVAILABLE, the breaker opens; restarted: the probe reloads the script and answers', async () => {
  const { time, store } = storeOf(fixture.rest);
  assert.ok((await wave(store, time, 4, 'behind').finish(true)).every((o) => o === 'ok'));
  await fixture.engine.server.kill();
  const down = await wave(store, time, 4, 'behind').finish(true);
  assert.deepEqual(down, new Array(4).fill('STORE_UNAVAILABLE'));
  assert.equal(store.breaker.state, 'open');
  await fixture.engine.server.start();
  const reloads = store.stats().scriptReloads;
  await time.advance(OPEN_MS);
  await waitFor('the probe answering', async () => (await wave(store, time, 1, 'behind').finish(true))[0] === 'ok', 5000);
  assert.equal(store.breaker.state, 'closed');
  assert.equal(store.stats().scriptReloads, reloads + 1, 'the restarted server had no scripts: NOSCRIPT, then EVAL');
});

test('a redis-server that cannot serve (out of memory) counts as down through REST: STORE_UNAVAILABLE, the breaker opens', async () => {
  const { time, store } = storeOf(fixture.rest);
  await fixture.engine.server.command('CONFIG', 'SET', 'maxmemory', '1');
  try {
    assert.deepEqual(await wave(store, time, 3, 'oom').finish(true), new Array(3).fill('STORE_UNAVAILABLE'));
    assert.equal(store.breaker.state, 'open');
  } finally {
    await fixture.engine.server.command('CONFIG', 'SET', 'maxmemory', '0');
  }
});

test('a stalled redis-server (SIGSTOP): STORE_TIMEOUT at the deadline; the request is aborted and its end counted late', async () => {
  const { time, store } = storeOf(fixture.rest);
  assert.deepEqual(await wave(store, time, 2, 'stall').finish(true), ['ok', 'ok']);
  fixture.engine.server.pause();
  try {
    assert.deepEqual(await wave(store, time, 2, 'stall').finish(), ['STORE_TIMEOUT', 'STORE_TIMEOUT']);
    // Aborted at the deadline: the fetches end while the server is still stalled.
    await waitFor('the aborted requests', async () => store.stats().late === 2, 5000);
  } finally {
    fixture.engine.server.resume();
  }
  assert.equal(store.stats().timeouts, 2);
  assert.equal(store.breaker.state, 'closed', 'two failures, under the three that trip it');
});

test('a slow REST server (a delaying proxy): timeouts trip the breaker, which then stops calling it; fast again: it probes and closes', async () => {
  const proxy = await startDelayProxy(fixture.rest);
  try {
    const { time, store } = storeOf({ url: `http://${proxy.host}:${proxy.port}` });
    assert.deepEqual(await wave(store, time, 2, 'slow').finish(true), ['ok', 'ok']);
    proxy.setDelay(500);
    assert.deepEqual(await wave(store, time, 3, 'slow').finish(), new Array(3).fill('STORE_TIMEOUT'));
    assert.equal(store.breaker.state, 'open');
    assert.deepEqual(await wave(store, time, 3, 'slow').finish(), new Array(3).fill('STORE_UNAVAILABLE'));
    assert.equal(store.stats().refused, 3);
    proxy.setDelay(0);
    await waitFor('the aborted requests', async () => store.stats().late === 3, 5000);
    await time.advance(OPEN_MS);
    assert.deepEqual(await wave(store, time, 1, 'slow').finish(true), ['ok']);
    assert.equal(store.breaker.state, 'closed');
  } finally {
    await proxy.stop();
  }
});

test('a pipeline is aborted only once every call in it has been given up: a call with a later deadline still gets its answer', async () => {
  const proxy = await startDelayProxy(fixture.rest);
  try {
    const { time, store } = storeOf({ url: `http://${proxy.host}:${proxy.port}` });
    const key = store.key('pipeline', 'k');
    await store.set(key, 'v', { ttlMs: 60000 });
    proxy.setDelay(300);
    const outcomes = [];
    const short = store.get(key, { deadlineMs: 10 }).then((v) => outcomes.push(['short', v]), (e) => outcomes.push(['short', e.code]));
    const long = store.get(key, { deadlineMs: 60000 }).then((v) => outcomes.push(['long', v]), (e) => outcomes.push(['long', e.code]));
    await time.advance(10);
    await Promise.all([short, long]);
    assert.deepEqual(outcomes, [['short', 'STORE_TIMEOUT'], ['long', 'v']]);
    assert.equal(store.stats().requests, 2, 'the set, then one pipeline of both gets');
    await waitFor('the short call\'s late answer', async () => store.stats().late === 1, 5000);
  } finally {
    await proxy.stop();
  }
});

test('the client\'s own retries (5 by default, with backoff) end when the call is abandoned at its deadline', async () => {
  // A REST endpoint that drops every connection: each of the client's attempts fails at once.
  let attempts = 0;
  const dropper = createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise((resolve) => dropper.listen(0, '127.0.0.1', resolve));
  try {
    const { time, store } = storeOf({ url: `http://127.0.0.1:${dropper.address().port}` }, {});
    const call = wave(store, time, 1, 'retries');
    await waitFor('a retry', async () => attempts >= 2, 5000);
    assert.deepEqual(await call.finish(), ['STORE_TIMEOUT'], 'retries never outlast the deadline');
    await waitFor('the abandoned call ending', async () => store.stats().late === 1, 5000);
    assert.ok(attempts < 6, `the retries stopped at the abort (${attempts} of 6 attempts)`);
  } finally {
    await new Promise((resolve) => dropper.close(resolve));
  }
});

test('a wrong token is refused by the REST server (401): STORE_UNAVAILABLE, never an answer', async () => {
  const { time, store } = storeOf({ url: fixture.rest.url, token: 'not-the-token' });
  assert.deepEqual(await wave(store, time, 3, 'token').finish(true), new Array(3).fill('STORE_UNAVAILABLE'));
  assert.equal(store.breaker.state, 'open');
});

test('a gateway in front answering 502 with a page, not JSON: STORE_UNAVAILABLE, never an answer', async () => {
  const gateway = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
  });
  await new Promise((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  try {
    const { time, store } = storeOf({ url: `http://127.0.0.1:${gateway.address().port}` });
    assert.deepEqual(await wave(store, time, 3, 'gateway').finish(true), new Array(3).fill('STORE_UNAVAILABLE'));
    assert.equal(store.breaker.state, 'open');
  } finally {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  }
});

test('Upstash\'s quota replies (max daily request limit, max requests limit) are STORE_UNAVAILABLE: every call fails until the quota resets, so the breaker opens and stops the round trips', async () => {
  const quotas = ['ERR max daily request limit exceeded. Limit: 10000, Usage: 10000. See https://upstash.com/docs for details',
    'ERR max requests limit exceeded. Limit: 500000, Usage: 500000.'];
  let answered = 0;
  const upstash = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: quotas[answered++ % 2] }));
  });
  await new Promise((resolve) => upstash.listen(0, '127.0.0.1', resolve));
  try {
    const { time, store } = storeOf({ url: `http://127.0.0.1:${upstash.address().port}` });
    assert.deepEqual(await wave(store, time, 3, 'quota').finish(true), new Array(3).fill('STORE_UNAVAILABLE'));
    assert.equal(store.breaker.state, 'open');
    assert.equal(store.stats().errors, 0);
  } finally {
    upstash.closeAllConnections();
    await new Promise((resolve) => upstash.close(resolve));
  }
});
