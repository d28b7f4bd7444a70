import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoBackend, checkControls } from '../../scripts/demo-backend.js';
import { PRODUCT_COUNT } from '../../web-demo/products.js';
import { rawRequest } from './raw-request.js';

let server;
let base;
before(async () => {
  server = createDemoBackend({ cacheControl: 'max-age=7' });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const admin = (body) => fetch(`${base}/admin/state`, body === undefined ? {} : {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
});
const order = (body) => fetch(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('product GETs are cacheable JSON with CORS; unknown ids are 404 problems', async () => {
  const res = await fetch(`${base}/api/products/3`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'max-age=7');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const body = await res.json();
  assert.equal(body.id, 3);
  assert.equal(body.version, 1);
  const missing = await fetch(`${base}/api/products/${PRODUCT_COUNT + 1}`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('content-type'), 'application/problem+json');
  assert.equal((await missing.json()).code, 'NOT_FOUND');
});

test('orders are accepted as JSON, malformed bodies are 400 and oversized ones 413', async () => {
  const ok = await order('{"sku":"a","qty":2}');
  assert.equal(ok.status, 201);
  assert.deepEqual((await ok.json()).received, { sku: 'a', qty: 2 });
  const bad = await order('{"sku":');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, 'BODY_MALFORMED');
  const big = await order(JSON.stringify({ pad: 'x'.repeat(70000) }));
  assert.equal(big.status, 413);
});

test('preflight answers allow the page to POST JSON from another origin', async () => {
  const res = await fetch(`${base}/api/orders`, { method: 'OPTIONS' });
  assert.equal(res.status, 204);
  assert.match(res.headers.get('access-control-allow-headers'), /content-type/);
});

test('controls are checked and rejected with a reason', async () => {
  assert.equal(checkControls({ latencyMs: 20, errorRate: 0.5, outage: true }), null);
  assert.match(checkControls({ latencyMs: -1 }), /latencyMs/);
  assert.match(checkControls({ latencyMs: 1.5 }), /latencyMs/);
  assert.match(checkControls({ errorRate: 2 }), /errorRate/);
  assert.match(checkControls({ errorRate: Number.NaN }), /errorRate/);
  assert.match(checkControls({ outage: 'yes' }), /outage/);
  assert.match(checkControls({ color: 'red' }), /unknown control 'color'/);
  assert.match(checkControls([]), /object/);
  const res = await admin({ errorRate: 7 });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).code, 'BAD_CONTROL');
  assert.equal((await admin('not json')).status, 400);
  const state = await (await admin()).json();
  assert.equal(state.errorRate, 0);
});

test('an error rate of 1 fails every API call with a 500; 0 fails none', async () => {
  await admin({ errorRate: 1 });
  for (let i = 0; i < 5; i++) assert.equal((await fetch(`${base}/api/products/1`)).status, 500);
  await admin({ errorRate: 0 });
  assert.equal((await fetch(`${base}/api/products/1`)).status, 200);
});

test('an outage drops API connections while the admin endpoints answer; recovery brings new data', async () => {
  const before = await (await admin()).json();
  const state = await (await admin({ outage: true })).json();
  assert.equal(state.outage, true);
  await assert.rejects(fetch(`${base}/api/products/2`), TypeError);
  await assert.rejects(order('{}'), TypeError);
  const during = await (await admin()).json();
  assert.equal(during.served.dropped - before.served.dropped, 2);
  await admin({ outage: false });
  const res = await fetch(`${base}/api/products/2`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).version, before.version + 1);
});

test('a request target that is not a path is a 400 answer, and the backend keeps serving', async () => {
  assert.equal(await rawRequest(server.address().port, '//'), 'HTTP/1.1 400 Bad Request');
  assert.equal(await rawRequest(server.address().port, '//a:b@'), 'HTTP/1.1 400 Bad Request');
  assert.equal((await fetch(`${base}/api/products/3`)).status, 200);
});
