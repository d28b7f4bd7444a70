// The demo backend (scripts/demo-backend.js) listening on a free loopback port, for tests.
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
