// `npm start` ends here: starts the demo backend and serves the dashboard (web-demo/) on
// localhost, with the package's own js/ and dist/ mounted as /edgeguard/ so the page runs the
// real module, and uPlot from node_modules so the page works offline. It also starts the two
// guard instances over one redis-server (demo-instances.js) that the page's "Two instances,
// one store" panel drives through /instances/.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { init } from '../js/entry.node.js';
import { createDemoBackend } from './demo-backend.js';
import { startDemoInstances } from './demo-instances.js';
import { instancesApi } from './instances-api.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const mounts = [
  ['/edgeguard/js/', sirv(`${root}js`, { dev: true })],
  ['/edgeguard/dist/', sirv(`${root}dist`, { dev: true })],
  ['/vendor/uplot/', sirv(`${root}node_modules/uplot/dist`, { dev: true })],
  ['/', sirv(`${root}web-demo`, { dev: true })],
];

/**
 * The dashboard's server; `backendUrl` is where the page finds the demo backend, `instances`
 * what startDemoInstances() gave (none: /instances/ is not found).
 */
export function createDemoServer({ backendUrl = '', instances } = {}) {
  const config = JSON.stringify({ backendUrl });
  const api = instances ? instancesApi(instances) : () => false;
  return createServer((req, res) => {
    if (api(req, res)) return;
    if (req.url === '/demo-config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(config);
    }
    const notFound = () => {
      res.statusCode = 404;
      res.end('not found');
    };
    // An absolute-form or `*` target matches no mount: a throw here would stop the server.
    const mount = mounts.find(([p]) => req.url.startsWith(p));
    if (!mount) return notFound();
    const [prefix, serve] = mount;
    req.url = `/${req.url.slice(prefix.length)}`;
    serve(req, res, notFound);
  });
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

/**
 * The backend, the two instances and the dashboard as `npm start` runs them (port 0: any free
 * port); `clock`: the instances' (default Date.now).
 */
export async function startDemo({ host = '127.0.0.1', port = 8787, backendPort = 8788, clock } = {}) {
  await init();
  const backend = createDemoBackend();
  const backendUrl = `http://${host}:${await listen(backend, backendPort, host)}`;
  const instances = await startDemoInstances({ backendUrl, clock });
  const server = createDemoServer({ backendUrl, instances });
  const url = `http://${host}:${await listen(server, port, host)}/`;
  return {
    url, backendUrl, backend, server, instances,
    async close() {
      server.closeAllConnections?.();
      backend.closeAllConnections?.();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => backend.close(r))]);
      await instances.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startDemo({
    port: Number(process.env.PORT ?? 8787),
    backendPort: Number(process.env.BACKEND_PORT ?? 8788),
  });
  // Its redis-server ends with this process (redis-server.js's exit and signal hooks).
  const { reason } = demo.instances.state();
  console.log(`edgeguard demo: ${demo.url} (backend ${demo.backendUrl}; two instances' store: ${reason ?? 'redis-server running'})`);
}
