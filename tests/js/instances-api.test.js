// The two instances' endpoints on the dashboard's server: what they refuse, and that the server
// keeps serving after it. The instances are real (a redis-server and the demo backend).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { createDemoServer } from '../../scripts/serve.js';
import { startDemoInstances } from '../../scripts/demo-instances.js';
import { PRODUCT_COUNT } from '../../web-demo/products.js';
import { listenDemoBackend } from '../support/demo-backend.js';

let backend;
let instances;
let server;
let base;

before(async () => {
  await init();
  backend = await listenDemoBackend();
  instances = await startDemoInstances({ backendUrl: backend.url });
  server = createDemoServer({ backendUrl: backend.url, instances });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/instances`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await instances.close();
  backend.close();
});

const post = (path, body) => fetch(`${base}/${path}`, { method: 'POST', body });

test('unknown instances, products and methods, and a bad store switch, are refused', async () => {
  for (const path of ['c/products/1', 'a/products/0', `b/products/${PRODUCT_COUNT + 1}`, 'a/products/x', 'a/orders/1']) {
    assert.equal((await post(path)).status, 404, path);
  }
  assert.equal((await fetch(`${base}/a/products/1`)).status, 405);
  for (const body of ['', '{', '{"down":"yes"}', JSON.stringify({ down: 'x'.repeat(2000) })]) {
    assert.equal((await post('store', body)).status, 400, body.slice(0, 20));
  }
  assert.equal(instances.state().store, 'up');
});

test('a request through an instance and the store switch answer with JSON the panel reads', async () => {
  const answer = await (await post(`a/products/${PRODUCT_COUNT}`)).json();
  assert.deepEqual([answer.instance, answer.id, answer.status, answer.source], ['a', PRODUCT_COUNT, 200, 'backend']);
  assert.equal((await (await post('store', '{"down":true}')).json()).store, 'down');
  assert.equal((await (await post('store', '{"down":false}')).json()).store, 'up');
  const state = await (await fetch(`${base}/state`)).json();
  assert.deepEqual(Object.keys(state.instances), ['a', 'b']);
  assert.equal(state.instances.a.counts.backend, 1);
});
