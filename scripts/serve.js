// `npm start` ends here: serves the demo dashboard (web-demo/) on localhost, with the package's
// own js/ and dist/ mounted as /edgeguard/ so the page runs the real module.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const root = fileURLToPath(new URL('../', import.meta.url));
const mounts = [
  ['/edgeguard/js/', sirv(`${root}js`, { dev: true })],
  ['/edgeguard/dist/', sirv(`${root}dist`, { dev: true })],
  ['/', sirv(`${root}web-demo`, { dev: true })],
];

export function createDemoServer() {
  return createServer((req, res) => {
    const [prefix, serve] = mounts.find(([p]) => req.url.startsWith(p));
    req.url = `/${req.url.slice(prefix.length)}`;
    serve(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8787);
  createDemoServer().listen(port, '127.0.0.1', () => {
    console.log(`edgeguard demo: http://localhost:${port}/`);
  });
}
