// The demo backend (scripts/demo-backend.js) listening on a free loopback port, for tests.
import { before, after } from 'node:test';
import { createDemoBackend } from '../../scripts/demo-backend.js';

/** Resolves with { server, url, close() } once it listens. */
export async function listenDemoBackend(options) {
  const server = createDemoBackend(options);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/**
 * The demo backend for a whole test file: listening before its tests, closed after them. The
 * object is filled in (`server`, `url`) once it listens.
 */
export function demoBackendForFile(options) {
  const backend = {};
  before(async () => { Object.assign(backend, await listenDemoBackend(options)); });
  after(() => backend.close?.());
  return backend;
}
