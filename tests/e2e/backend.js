// The backend the gateway and cache e2e tests and bench/gateway.bench.js put edgeguard in front
// of: a small Node HTTP server in its own process, so a test can kill it and start it again.
// `node tests/e2e/backend.js <port> <generation>` prints "listening <port>" when ready;
// spawnListening() waits for that line (bench/gateway.bench.js starts its servers with it too).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

function serve(port, generation) {
  let version = 1;
  let calls = 0;  // of the brands: how many reached the backend
  const items = new Map();  // item id -> how often it was asked for (the ids are a test's own few)
  const send = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://backend');
    const brand = /^\/v1\/brands\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && brand) {
      calls++;
      return send(res, 200, { id: brand[1], name: `brand ${brand[1]}`, version, generation });
    }
    const item = /^\/v1\/items\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && item) {
      const call = (items.get(item[1]) ?? 0) + 1;
      items.set(item[1], call);
      // A slow answer, so that callers elsewhere ask while this one is in flight.
      const pad = 'x'.repeat(Number(url.searchParams.get('padBytes') ?? 0));  // a value this much larger
      setTimeout(() => send(res, 200, { id: item[1], call, ...(pad && { pad }) }), Number(url.searchParams.get('delayMs') ?? 0));
      return undefined;
    }
    if (req.method === 'GET' && url.pathname === '/__calls') return send(res, 200, { calls, items: Object.fromEntries(items) });
    if (req.method === 'GET' && url.pathname.startsWith('/v1/live/')) return send(res, 200, { live: true, generation });
    // Who the gateway said the client is.
    if (req.method === 'GET' && url.pathname === '/v1/whoami') return send(res, 200, { forwardedFor: req.headers['x-forwarded-for'] ?? null });
    // The trace context the gateway sent.
    if (req.method === 'GET' && url.pathname === '/v1/trace') {
      return send(res, 200, { traceparent: req.headers.traceparent ?? null, tracestate: req.headers.tracestate ?? null });
    }
    if (req.method === 'POST' && url.pathname === '/v1/brands') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => send(res, 201, { id: 'new', ...JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      return undefined;
    }
    if (req.method === 'POST' && url.pathname === '/__version') return send(res, 200, { version: ++version });
    return send(res, 404, { error: 'not found' });
  });
  server.keepAliveTimeout = 60000;
  server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
}

/**
 * Runs `node <args>` (or `command <args>` in `cwd` with `env`) in a child process and waits up
 * to `timeoutMs` for it to print "listening <port>"; rejects with "<label> exited with <code>"
 * if it exits first, and kills it if it is too slow. Resolves to { child, port }.
 */
export function spawnListening(args, label, { command = process.execPath, cwd, env, timeoutMs = 30000 } = {}) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not listen within ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}: ${out}`));
    });
    child.stdout.on('data', (d) => {
      if (out === null) return;  // listening already
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      out = null;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, port: Number(m[1]) });
    });
  });
}

/** Sends `signal` to `child` (if still running) and resolves once it has exited. */
export function stopChild(child, signal = 'SIGTERM') {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
  });
}

/**
 * Starts the backend in a child process; `port` 0 picks a free one. Returns { port, url, calls,
 * kill }: calls() resolves with how many brand GETs it has answered (GET /__calls also counts
 * each item id's).
 */
export async function startBackend({ port = 0, generation = 1 } = {}) {
  const { child, port: p } = await spawnListening(
    [fileURLToPath(import.meta.url), String(port), String(generation)], 'backend');
  return {
    port: p,
    url: `http://127.0.0.1:${p}`,
    calls: async () => (await (await fetch(`http://127.0.0.1:${p}/__calls`)).json()).calls,
    // SIGKILL: the backend dies as in an outage, without closing connections politely.
    kill: () => stopChild(child, 'SIGKILL'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  serve(Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 1));
}
