// The dashboard's endpoints for the two instances (scripts/demo-instances.js), on the page's
// own origin: GET /instances/state, POST /instances/<a|b>/products/<id> (one request through
// that instance), POST /instances/store with { "down": true | false }.
import { INSTANCES } from './demo-instances.js';
import { PRODUCT_COUNT } from '../web-demo/products.js';

const MAX_BODY_BYTES = 1024;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

// The body as JSON; undefined for none, a malformed one, or one over MAX_BODY_BYTES (the rest
// of which is read and dropped, so the answer still reaches the client).
function readJson(req) {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text = text === null || text.length + chunk.length > MAX_BODY_BYTES ? null : text + chunk;
    });
    req.on('end', () => {
      try {
        resolve(text === null ? undefined : JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
    // A body cut off (the client gone) is no body.
    req.on('close', () => resolve(undefined));
    req.on('error', () => resolve(undefined));
  });
}

/** A request handler for /instances/...; false for any other URL. */
export function instancesApi(instances) {
  async function handle(req, res, path) {
    if (req.method === 'GET' && path === '/instances/state') return send(res, 200, instances.state());
    if (req.method !== 'POST') return send(res, 405, { detail: 'GET /instances/state, or POST' });
    if (!instances.available) return send(res, 503, instances.state());
    if (path === '/instances/store') {
      const body = await readJson(req);
      if (typeof body?.down !== 'boolean') return send(res, 400, { detail: 'expected { "down": true | false }' });
      instances.setStore(body.down);
      return send(res, 200, instances.state());
    }
    const match = /^\/instances\/([a-z]+)\/products\/(\d+)$/.exec(path);
    const id = Number(match?.[2]);
    if (!match || !INSTANCES.includes(match[1]) || !(id >= 1 && id <= PRODUCT_COUNT)) {
      return send(res, 404, { detail: `POST /instances/<${INSTANCES.join('|')}>/products/<1..${PRODUCT_COUNT}>` });
    }
    return send(res, 200, await instances.get(match[1], id));
  }
  return (req, res) => {
    const path = req.url.split('?')[0];
    if (!path.startsWith('/instances/')) return false;
    handle(req, res, path).catch((error) => send(res, 500, { detail: String(error?.message ?? error) }));
    return true;
  };
}
