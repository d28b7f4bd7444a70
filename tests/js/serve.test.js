import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoServer } from '../../scripts/serve.js';
import { rawRequest } from './raw-request.js';

const server = createDemoServer({ backendUrl: 'http://127.0.0.1:1' });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => {
  server.closeAllConnections();
  server.close();
});

test('a request target outside every mount is 404, and the server keeps serving', async () => {
  const port = server.address().port;
  assert.equal(await rawRequest(port, 'http://elsewhere.example/'), 'HTTP/1.1 404 Not Found');
  assert.equal(await rawRequest(port, '*', 'OPTIONS'), 'HTTP/1.1 404 Not Found');
  assert.equal(await rawRequest(port, '/demo-config.json'), 'HTTP/1.1 200 OK');
});
