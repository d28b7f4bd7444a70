// The demo's backend: a small product API whose health the viewer controls. It serves cacheable
// product GETs and order POSTs, and its admin endpoints set an added latency, a rate of 500
// answers and an outage (the API's connections are dropped, as if the process were gone, while
// the admin endpoints keep answering so the page can end the outage).
import { createServer } from 'node:http';
import { PRODUCT_COUNT } from '../web-demo/products.js';
import { seededRandom } from '../web-demo/seeded-random.js';

const MAX_LATENCY_MS = 10000;
const MAX_BODY_BYTES = 64 * 1024;
const NAMES = ['kettle', 'lamp', 'chair', 'desk', 'mug', 'rug', 'clock', 'shelf'];
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-expose-headers': 'cache-control, x-backend-request',
  'access-control-max-age': '600',
};

/** Checks a partial control update; returns an error message, or null. */
export function checkControls(update) {
  if (update === null || typeof update !== 'object' || Array.isArray(update)) return 'expected a JSON object';
  for (const [key, value] of Object.entries(update)) {
    if (key === 'latencyMs') {
      if (!Number.isInteger(value) || value < 0 || value > MAX_LATENCY_MS) return `latencyMs: an integer from 0 to ${MAX_LATENCY_MS}`;
    } else if (key === 'errorRate') {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return 'errorRate: a number from 0 to 1';
    } else if (key === 'outage') {
      if (typeof value !== 'boolean') return 'outage: true or false';
    } else {
      return `unknown control '${key}' (latencyMs, errorRate, outage)`;
    }
  }
  return null;
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'content-type': 'application/json', ...headers });
  res.end(text);
}

function problem(res, status, code, detail) {
  send(res, status, { code, detail }, { 'content-type': 'application/problem+json' });
}

// The path of a request target; null for a target that is no URL (`//`).
function pathOf(target) {
  try {
    return new URL(target, 'http://backend').pathname;
  } catch {
    return null;
  }
}

// The body as parsed JSON, or a problem already sent (undefined).
function readJson(req, res) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        problem(res, 413, 'BODY_TOO_LARGE', `at most ${MAX_BODY_BYTES} bytes`);
        req.destroy();
        resolve(undefined);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        problem(res, 400, 'BODY_MALFORMED', 'the body is not JSON');
        resolve(undefined);
      }
    });
  });
}

function product(id, version) {
  return { id, name: `${NAMES[id % NAMES.length]} #${id}`, priceCents: 500 + ((id * 379) % 9000), stock: (id * 7) % 40, version };
}

/**
 * The backend as an http.Server (not yet listening). `seed` fixes the error draws;
 * `cacheControl` is what product GETs answer with.
 */
export function createDemoBackend({ seed = 1, cacheControl = 'max-age=5' } = {}) {
  const controls = { latencyMs: 0, errorRate: 0, outage: false };
  const served = { requests: 0, ok: 0, errors: 0, dropped: 0 };
  const random = seededRandom(seed);
  let orders = 0;
  let version = 1;

  async function api(req, res, path) {
    if (controls.outage) {
      served.dropped++;
      req.socket.destroy();
      return;
    }
    if (controls.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, controls.latencyMs));
    if (controls.errorRate > 0 && random() < controls.errorRate) {
      served.errors++;
      problem(res, 500, 'INJECTED_ERROR', 'the error rate control failed this request');
      return;
    }
    const headers = { 'x-backend-request': String(served.requests) };
    const match = /^\/api\/products\/(\d+)$/.exec(path);
    if (req.method === 'GET' && match) {
      const id = Number(match[1]);
      if (id < 1 || id > PRODUCT_COUNT) return problem(res, 404, 'NOT_FOUND', `no product ${id}`);
      served.ok++;
      return send(res, 200, product(id, version), { ...headers, 'cache-control': cacheControl });
    }
    if (req.method === 'POST' && path === '/api/orders') {
      const order = await readJson(req, res);
      if (order === undefined) return;
      served.ok++;
      orders++;
      return send(res, 201, { orderId: orders, received: order }, headers);
    }
    problem(res, 404, 'NOT_FOUND', `${req.method} ${path}`);
  }

  async function admin(req, res) {
    if (req.method === 'POST') {
      const update = await readJson(req, res);
      if (update === undefined) return;
      const error = checkControls(update);
      if (error) return problem(res, 400, 'BAD_CONTROL', error);
      Object.assign(controls, update);
      // New data after a recovery makes fresh answers tell themselves apart from stale ones.
      if (update.outage === false) version++;
    } else if (req.method !== 'GET') {
      return problem(res, 405, 'METHOD_NOT_ALLOWED', 'GET or POST');
    }
    send(res, 200, { ...controls, served: { ...served }, version });
  }

  const server = createServer((req, res) => {
    // A target such as `//` is no URL: an uncaught throw here would stop the whole server.
    const path = pathOf(req.url);
    if (path === null) return problem(res, 400, 'BAD_TARGET', 'the request target is not a path');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return res.end();
    }
    if (path === '/admin/state') return admin(req, res);
    served.requests++;
    return api(req, res, path);
  });
  server.controls = controls;
  return server;
}
