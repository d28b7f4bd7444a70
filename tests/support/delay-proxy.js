// A TCP proxy on loopback that holds every chunk, both ways, for `delayMs` before passing it on:
// a store that answers, but slowly. setDelay() changes it for the chunks that follow.
import { createConnection, createServer } from 'node:net';

export async function startDelayProxy(target, delayMs = 0) {
  let delay = delayMs;
  const sockets = new Set();
  const relay = (from, to) => {
    from.on('data', (chunk) => {
      const pass = () => { if (!to.destroyed) to.write(chunk); };
      if (delay === 0) pass();
      else setTimeout(pass, delay).unref();
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    setDelay(ms) { delay = ms; },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
