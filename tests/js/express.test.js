import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
// By the package's names, as an app imports them: js/express.js finds the wasm through the
// package's own entry ('edgeguard'), which on Node is the js-node/ bundle, so its classes are
// the bundle's (one core); mixing in js/ sources would be a second core, never initialised.
import { rateLimit, validate, edgeguard } from 'edgeguard/express';
import { createGateway, EdgeguardError } from 'edgeguard';
import { PROBLEMS } from '../../js/problem.js';
import { FakeTime } from './resilience_fakes.js';
import { RedisStore } from 'edgeguard/store';
import { startRedis } from '../support/redis-engines.js';
import { connect } from '../support/redis-clients.js';

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));
after(() => assert.deepEqual(unhandled, []));

// An Express app on a free loopback port; `setup(app)` mounts what the test needs.
async function serve(setup) {
  const app = express();
  setup(app);
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    request: (path, init) => fetch(base + path, init),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

async function withApp(setup, run) {
  const app = await serve(setup);
  try {
    await run(app.request);
  } finally {
    await app.close();
  }
}

const handled = (req, res) => res.json({ handled: true, body: req.body ?? null });
const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

// The parts of an answer both front doors must agree on (the request id aside).
async function answer(res) {
  const pick = ['content-type', 'cache-control', 'retry-after', 'ratelimit', 'ratelimit-policy'];
  const headers = Object.fromEntries(pick.map((name) => [name, res.headers.get(name)]));
  const body = await res.json();
  assert.equal(typeof body.requestId, 'string');
  assert.equal(res.headers.get('x-request-id'), body.requestId);
  delete body.requestId;
  return { status: res.status, headers, body };
}

// The gateway answering the same route the middleware guards, on the same kind of clock.
function gatewayFor(route, time) {
  const gw = createGateway({ upstreams: { api: { origin: 'http://backend.test' } }, routes: [{ name: 'r', path: '/r', ...route }] },
    { clock: time.clock, timers: time.timers, fetch: async () => new Response('{}') });
  return (init) => gw.fetch(new Request('http://gw.test/r', init));
}

test('rateLimit: the RateLimit headers under the limit, then the gateway\'s own 429 problem with Retry-After', async () => {
  const time = new FakeTime();
  const policies = [{ name: 'burst', limit: 2, windowMs: 1000 }];
  const gateway = gatewayFor({ rateLimit: { key: 'route', policies } }, new FakeTime());
  await withApp((app) => app.use(rateLimit({ policies, key: () => 'route', clock: time.clock })).get('/r', handled), async (request) => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const [ours, theirs] = [await request('/r'), await gateway()];
      statuses.push(ours.status);
      if (ours.status === 200) {
        assert.deepEqual(await ours.json(), { handled: true, body: null });
        assert.equal(ours.headers.get('ratelimit'), theirs.headers.get('ratelimit'));
        assert.equal(ours.headers.get('ratelimit-policy'), '"burst";q=2;w=1');
      } else {
        const got = await answer(ours);
        assert.deepEqual(got, await answer(theirs));
        assert.equal(got.headers['content-type'], 'application/problem+json');
        assert.equal(got.headers['retry-after'], '1');
        assert.deepEqual([got.body.type, got.body.title, got.body.status], [PROBLEMS.rateLimited.type, 'Too Many Requests', 429]);
      }
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    time.now += 1000;  // the window passes on the injected clock
    assert.equal((await request('/r')).status, 200);
  });
});

test('rateLimit: limit + windowMs as express-rate-limit takes them; header styles; req.rateLimit', async () => {
  const time = new FakeTime();
  await withApp((app) => {
    app.get('/x', rateLimit({ limit: 5, windowMs: 60000, headers: 'x', clock: time.clock }), handled);
    app.get('/none', rateLimit({ limit: 5, windowMs: 60000, headers: false, clock: time.clock }), (req, res) => res.json(req.rateLimit.remaining));
  }, async (request) => {
    const x = await request('/x');
    assert.deepEqual([x.headers.get('x-ratelimit-limit'), x.headers.get('x-ratelimit-remaining'), x.headers.get('ratelimit')], ['5', '4', null]);
    const none = await request('/none');
    assert.equal(none.headers.get('ratelimit'), null);
    assert.equal(await none.json(), 4);
  });
});

test('rateLimit: the key is req.ip, so X-Forwarded-For counts only under Express\'s trust proxy', async () => {
  const time = new FakeTime();
  const from = (ip) => ({ headers: { 'x-forwarded-for': ip } });
  for (const trust of [false, 'loopback']) {
    await withApp((app) => {
      app.set('trust proxy', trust);
      app.use(rateLimit({ limit: 1, windowMs: 1000, clock: time.clock })).get('/', handled);
    }, async (request) => {
      const statuses = [(await request('/', from('203.0.113.1'))).status, (await request('/', from('203.0.113.2'))).status];
      // Trusted: two clients, one request each. Not trusted: both are the loopback peer.
      assert.deepEqual(statuses, trust ? [200, 200] : [200, 429], `trust proxy ${trust}`);
    });
  }
});

test('rateLimit: a key that cannot be checked is a 503 problem, reported, never allowed; the app is not reached', async () => {
  const reported = [];
  let reached = 0;
  const onError = (error) => reported.push(error.code ?? error.message);
  await withApp((app) => {
    app.get('/throws', rateLimit({ limit: 9, windowMs: 1000, key: () => { throw new Error('no user'); }, onError }), () => reached++);
    app.get('/long', rateLimit({ limit: 9, windowMs: 1000, maxKeyBytes: 8, key: () => 'x'.repeat(9), onError }), () => reached++);
    app.get('/async', rateLimit({ limit: 9, windowMs: 1000, key: async () => { throw new Error('lookup failed'); }, onError }), () => reached++);
    const disposed = rateLimit({ limit: 9, windowMs: 1000, onError });
    disposed.limiter.dispose();
    app.get('/disposed', disposed, () => reached++);
  }, async (request) => {
    for (const path of ['/throws', '/long', '/async', '/disposed']) {
      const res = await request(path);
      assert.equal(res.status, 503, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = await res.json();
      assert.deepEqual([body.type, body.title, body.detail], [PROBLEMS.unavailable.type, 'Service Unavailable', 'the rate limit could not be checked']);
    }
  });
  assert.equal(reached, 0);
  assert.deepEqual(reported, ['no user', 'LIMIT_KEY_TOO_LONG', 'lookup failed', 'DISPOSED']);
});

test('rateLimit: skip(req) lets requests through uncounted', async () => {
  await withApp((app) => app.use(rateLimit({ limit: 1, windowMs: 60000, skip: (req) => req.path === '/free', clock: () => 0 }))
    .get('/free', handled).get('/paid', handled), async (request) => {
    const statuses = [];
    for (const path of ['/free', '/free', '/paid', '/paid']) statuses.push((await request(path)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});

test('bad options throw ConfigError synchronously, naming the option (express-rate-limit\'s names pointed to ours)', () => {
  const code = (fn) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof EdgeguardError);
      return [error.constructor.name, error.code, error.option ?? error.message];
    }
    return null;
  };
  assert.deepEqual(code(() => rateLimit({ max: 5, windowMs: 1000 })), ['ConfigError', 'CONFIG_INVALID', 'max']);
  assert.deepEqual(code(() => rateLimit({ keyGenerator: () => 'k' })),
    ['ConfigError', 'CONFIG_INVALID', 'keyGenerator']);
  assert.throws(() => rateLimit({ limit: 1, windowMs: 1, standardHeaders: true }), /unknown option standardHeaders of rateLimit\(\): edgeguard calls it headers/);
  assert.deepEqual(code(() => rateLimit({ limit: 5, windowMs: 1000, policies: [{ limit: 5, windowMs: 1000 }] })), ['ConfigError', 'CONFIG_INVALID', 'policies']);
  assert.deepEqual(code(() => rateLimit()), ['ConfigError', 'CONFIG_INVALID', 'policies']);
  assert.deepEqual(code(() => rateLimit({ limit: 0, windowMs: 1000 }))?.slice(0, 2), ['ConfigError', 'LIMIT_BAD_LIMIT']);
  assert.deepEqual(code(() => rateLimit({ limit: 1, windowMs: 1000, key: 'ip' })), ['ConfigError', 'CONFIG_INVALID', 'key']);
  assert.deepEqual(code(() => rateLimit(null)), ['ConfigError', 'CONFIG_INVALID', 'options']);
  assert.deepEqual(code(() => validate({})), ['ConfigError', 'CONFIG_INVALID', 'schemas']);
  assert.deepEqual(code(() => validate({ params: {} })), ['ConfigError', 'CONFIG_INVALID', 'params']);
  assert.deepEqual(code(() => validate({ body: {} }, { throwOnMalformed: true })), ['ConfigError', 'CONFIG_INVALID', 'throwOnMalformed']);
  assert.deepEqual(code(() => validate({ body: {} }, { allerrors: true })), ['ConfigError', 'CONFIG_INVALID', 'allerrors']);
  assert.deepEqual(code(() => validate({ body: { type: 'nope' } }))?.slice(0, 2), ['SchemaError', 'SCHEMA_INVALID']);
  assert.deepEqual(code(() => edgeguard({ routes: 'x' }))?.slice(0, 2), ['ConfigError', 'CONFIG_INVALID']);
  assert.deepEqual(code(() => edgeguard({ routes: [] }, { store: () => null })), ['ConfigError', 'CONFIG_INVALID', 'store']);
  assert.ok(code(() => rateLimit({ limit: 1, windowMs: 1 })) === null);
});

test('validate: the body refusals are the gateway\'s (400 invalid / malformed, 413); a valid body reaches the handler parsed', async () => {
  const schema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  const gateway = gatewayFor({ method: 'POST', maxBodyBytes: 64, validate: { request: schema } }, new FakeTime());
  await withApp((app) => app.post('/r', validate({ body: schema }, { maxBytes: 64 }), handled), async (request) => {
    for (const body of ['{"name":1}', '{"name":', 'x'.repeat(65)]) {
      const [ours, theirs] = [await answer(await request('/r', json(body))), await answer(await gateway(json(body)))];
      assert.deepEqual(ours, theirs, body);
      assert.equal(ours.headers['content-type'], 'application/problem+json');
    }
    const refused = await (await request('/r', json('{"name":1}'))).json();
    assert.deepEqual([refused.status, refused.type, refused.errors[0].instancePath], [400, PROBLEMS.invalidRequest.type, '/body/name']);
    assert.equal((await (await request('/r', json('{"name":'))).json()).type, PROBLEMS.malformedRequest.type);
    // A repeated name: every value is checked, so the one JSON.parse keeps (the last) was too.
    assert.equal((await request('/r', json('{"name":"a","name":2}'))).status, 400);
    const ok = await request('/r', json('{"name":"a"}'));
    assert.deepEqual(await ok.json(), { handled: true, body: { name: 'a' } });
  });
});

test('validate: a body express.json() parsed is checked as it is; a query schema sees the gateway\'s query object', async () => {
  const schema = { type: 'object', required: ['name'] };
  const query = { type: 'object', properties: { page: { type: 'string', pattern: '^[0-9]+$' } } };
  await withApp((app) => app.use(express.json()).post('/r', validate({ body: schema, query }), handled), async (request) => {
    assert.deepEqual(await (await request('/r?page=2', json('{"name":"a"}'))).json(), { handled: true, body: { name: 'a' } });
    const body = await (await request('/r', json('{"other":1}'))).json();
    assert.deepEqual([body.status, body.errors[0].keyword], [400, 'required']);
    const page = await request('/r?page=two', json('{"name":"a"}'));
    assert.equal(page.status, 400);
    assert.equal((await page.json()).errors[0].instancePath, '/query/page');
  });
});

test('validate: useDefaults fills req.body; GET skips the body schema', async () => {
  const schema = { type: 'object', properties: { n: { type: 'integer', default: 7 } } };
  await withApp((app) => app.use(validate({ body: schema }, { useDefaults: true })).all('/r', handled), async (request) => {
    assert.deepEqual(await (await request('/r', json('{}'))).json(), { handled: true, body: { n: 7 } });
    assert.deepEqual(await (await request('/r')).json(), { handled: true, body: null });
  });
});

test('rateLimit on a shared store: two apps share one limit through real Redis', async () => {
  const engine = await startRedis();
  const conn = await connect('node-redis', engine);
  const apps = [];
  try {
    // Deadlines no loaded machine misses: a store call past one is answered by the local fallback.
    const store = new RedisStore(conn.client, { deadlineMs: 5000 });
    const limited = () => rateLimit({ limit: 2, windowMs: 60000, store, mode: 'exact', deadlineMs: 5000, name: 'express-test', key: () => 'everyone' });
    for (let i = 0; i < 2; i++) apps.push(await serve((app) => app.get('/', limited(), handled)));
    const statuses = [];
    for (const app of [apps[0], apps[1], apps[1], apps[0]]) statuses.push((await app.request('/')).status);
    assert.deepEqual(statuses, [200, 200, 429, 429]);
  } finally {
    for (const app of apps) await app.close();
    await conn.close();
    await engine.stop();
  }
});

test('edgeguard(): routed requests are proxied by the gateway (cached, keyed by req.ip); the rest reach the app, body unread', async () => {
  const calls = [];
  const mw = edgeguard({
    upstreams: { api: { origin: 'http://backend.test' } },
    clientIp: { header: 'none' },
    routes: [{ name: 'brand', method: 'GET', path: '/v1/brands/:id', cache: { ttlMs: 60000 },
      rateLimit: { key: 'ip', policies: [{ limit: 2, windowMs: 60000 }] } }],
  }, {
    clock: () => 0, requestId: () => 'id',
    fetch: async (url) => { calls.push(url); return new Response('{"id":1}', { headers: { 'content-type': 'application/json' } }); },
  });
  await withApp((app) => {
    app.set('trust proxy', 'loopback');
    app.use(mw).use(express.json()).post('/local', handled);
  }, async (request) => {
    const from = (ip) => ({ headers: { 'x-forwarded-for': ip } });
    const first = await request('/v1/brands/1', from('203.0.113.1'));
    assert.deepEqual([first.status, await first.json(), first.headers.get('x-request-id')], [200, { id: 1 }, 'id']);
    assert.match(first.headers.get('cache-status'), /fwd=uri-miss/);
    assert.match((await request('/v1/brands/1', from('203.0.113.1'))).headers.get('cache-status'), /hit/);
    const limited = await request('/v1/brands/1', from('203.0.113.1'));
    assert.deepEqual([limited.status, limited.headers.get('content-type')], [429, 'application/problem+json']);
    assert.equal((await request('/v1/brands/1', from('203.0.113.2'))).status, 200);  // another client by req.ip
    assert.deepEqual(await (await request('/local', json('{"a":1}'))).json(), { handled: true, body: { a: 1 } });
    assert.equal((await request('/healthz')).headers.get('content-type'), 'application/health+json');
  });
  assert.deepEqual(calls, ['http://backend.test/v1/brands/1']);
  assert.match(await mw.gateway.metrics(), /edgeguard_rate_limited_total\{route="brand"\} 1/);
});

test('a body another parser read first is refused, never waited for or taken as empty; a body over the limit is refused on a live connection', async () => {
  const mw = edgeguard({ upstreams: { api: { origin: 'http://backend.test' } },
    routes: [{ name: 'create', method: 'POST', path: '/v1/brands', validate: { request: { type: 'object' } } }] },
  { fetch: async () => new Response('{}') });
  await withApp((app) => {
    app.use(express.json()).use(mw);
    app.post('/v', express.text({ type: '*/*' }), (req, res, next) => { req.body = undefined; next(); }, validate({ body: {} }), handled);
    app.post('/small', validate({ body: {} }, { maxBytes: 16 }), handled);
  }, async (request) => {
    for (const path of ['/v1/brands', '/v']) {
      const res = await request(path, json('{"a":1}'));
      assert.equal(res.status, 400);
      assert.match((await res.json()).detail, /the request body was read before, by middleware mounted earlier/);
    }
    // No Content-Length (a stream): the limit is found while reading.
    const chunks = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('[' + '1,'.repeat(5000))); c.enqueue(new TextEncoder().encode('1]')); c.close(); } });
    const big = await request('/small', { method: 'POST', body: chunks, duplex: 'half' });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).type, PROBLEMS.tooLarge.type);
  });
});

test('edgeguard(): an answer Node cannot write (a control character fetch allows in a header value) is reported and answered 500, never a rejection', async () => {
  const reported = [];
  const mw = edgeguard({ upstreams: { api: { origin: 'http://backend.test' } }, routes: [{ name: 'r', path: '/r' }] },
    { fetch: async () => new Response('{}', { headers: { 'x-odd': 'a\x07b' } }), onError: (error) => reported.push(error.code) });
  await withApp((app) => app.use(mw), async (request) => {
    const res = await request('/r');
    assert.equal(res.status, 500);
    assert.deepEqual([(await res.json()).type, res.headers.get('x-odd'), res.headers.get('cache-status')], [PROBLEMS.internal.type, null, null]);
  });
  assert.deepEqual(reported, ['ERR_INVALID_CHAR']);
});

test('edgeguard(): a routed POST body is validated and forwarded whole, as the gateway does', async () => {
  const forwarded = [];
  const config = { upstreams: { api: { origin: 'http://backend.test' } },
    routes: [{ name: 'create', method: 'POST', path: '/v1/brands', validate: { request: { type: 'object', required: ['name'] } } }] };
  const fetchBody = async (url, init) => {
    forwarded.push(await new Response(init?.body ?? null).text());
    return new Response('{"id":"new"}', { status: 201, headers: { 'content-type': 'application/json' } });
  };
  const gateway = createGateway(config, { fetch: fetchBody });
  const body = JSON.stringify({ name: 'x'.repeat(100000) });  // several chunks
  await withApp((app) => app.use(edgeguard(config, { fetch: fetchBody })), async (request) => {
    const created = await request('/v1/brands', json(body));
    assert.deepEqual([created.status, await created.json()], [201, { id: 'new' }]);
    const [ours, theirs] = [await answer(await request('/v1/brands', json('{}'))), await answer(await gateway.fetch(new Request('http://gw.test/v1/brands', json('{}'))))];
    assert.deepEqual(ours, theirs);
    assert.equal(ours.status, 400);
  });
  assert.deepEqual(forwarded, [body]);
});

test('review: validate() checks the query and body the handler gets: qs\'s nested objects, and a JSON string value holding an object\'s text', async () => {
  const querySchema = { type: 'object', properties: { limit: { type: 'string', pattern: '^[0-9]{1,3}$' } } };
  const echo = (req, res) => res.json({ query: req.query, body: req.body ?? null, type: typeof req.body });
  await withApp((app) => {
    app.set('query parser', 'extended');
    app.get('/q', validate({ query: querySchema }), echo);
    app.post('/b', express.json({ strict: false }), validate({ body: { type: 'object', required: ['name'] } }), echo);
  }, async (request) => {
    assert.equal((await request('/q?limit=12')).status, 200);
    for (const path of ['/q?limit=abc', '/q?limit[$ne]=x', '/q?limit[]=1&limit[]=2']) assert.equal((await request(path)).status, 400, path);
    const inner = await request('/b', json(JSON.stringify(JSON.stringify({ name: 'x' }))));
    assert.equal(inner.status, 200);
    assert.deepEqual(await inner.json(), { query: {}, body: { name: 'x' }, type: 'object' });
    assert.equal((await request('/b', json(JSON.stringify('just text')))).status, 400);
  });
});

test('review: edgeguard() keys per-IP limits by req.ip unless the config names a header: a client-chosen CF-Connecting-IP changes nothing', async () => {
  const route = { name: 'r', method: 'GET', path: '/v1/r', rateLimit: { key: 'ip', policies: [{ limit: 1, windowMs: 60000 }] } };
  const mw = edgeguard({ upstreams: { api: { origin: 'http://backend.test' } }, routes: [route] },
    { fetch: async () => Response.json({ ok: true }) });
  await withApp((app) => app.use(mw), async (request) => {
    const statuses = [];
    for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) statuses.push((await request('/v1/r', { headers: { 'cf-connecting-ip': ip } })).status);
    assert.deepEqual(statuses, [200, 429, 429]);
  });
  mw.gateway.dispose();
});

test('edgeguard(): a Host that would move the routed path (h/api/secret#) is refused 400, never echoed, never proxied', async () => {
  const { request: httpRequest } = await import('node:http');
  let upstreamCalls = 0;
  const app = await serve((a) => a
    .use('/api', (req, res) => res.status(401).json({ error: 'auth required' }))
    .use(edgeguard({ upstreams: { api: { origin: 'http://backend.test' } }, routes: [{ path: '/api/*' }] },
      { fetch: async () => { upstreamCalls++; return new Response('{"secret":1}'); }, requestId: (req) => `id-${req.method}` }))
    .use((req, res) => res.json({ handled: true })));
  try {
    const port = new URL(await app.request('/public').then((r) => r.url)).port;
    const sent = await new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/public', headers: { host: 'h/api/secret#' } }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(sent.status, 400);
    assert.equal(sent.body.type, PROBLEMS.malformedRequest.type);
    assert.doesNotMatch(sent.body.detail, /secret/);
    assert.equal(sent.body.requestId, 'id-GET', 'the app\'s request id, given its req');
    assert.equal(upstreamCalls, 0);
  } finally {
    await app.close();
  }
});
