// The gateway's cost on the wire: requests/s and latency p50/p99 (autocannon) of the backend
// called directly, through a plain fetch proxy on the same server adapter (@hono/node-server),
// and through createGateway (an uncached proxied route, and a cached route answering hits).
// Each server runs in its own process on 127.0.0.1; the load runs from this one. First, without
// the network's noise, the pipeline's own cost per request in this process (tinybench): the
// gateway's fetch handler against a handler that only forwards, both over an instant fake
// upstream; and the same proxied route with the access log on (a sink that drops the lines), W3C
// trace context (trace: true) and OpenTelemetry spans (an SDK tracer exporting nowhere), to show
// what each costs when on. Then the CPU per request of the same handlers in this process over the
// real backend (realUpstream). Prints ratios and writes bench/results/gateway.json.
//   node bench/gateway.bench.js        (BENCH_SECONDS=4 per contender, BENCH_CONNECTIONS=16)
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Bench } from 'tinybench';
import { startBackend, spawnListening } from '../tests/e2e/backend.js';
import { writeResults } from './rounds.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const self = fileURLToPath(import.meta.url);

// Server mode: `node gateway.bench.js serve <gateway|proxy> <backend url>` prints "listening <port>".
async function serve(kind, backendUrl) {
  const { serve: listen } = await import('@hono/node-server');
  let handler;
  if (kind === 'proxy') {
    handler = (request) => {
      const url = new URL(request.url);
      return fetch(`${backendUrl}${url.pathname}${url.search}`, { method: request.method, headers: request.headers });
    };
  } else {
    const { init } = await import('../js/entry.node.js');
    const { createGateway } = await import('../js/gateway.js');
    await init();
    const gateway = createGateway(benchConfig(backendUrl));
    handler = gateway.fetch;
  }
  const server = listen({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`listening ${info.port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function startServer(kind, backendUrl) {
  const { child, port } = await spawnListening([self, 'serve', kind, backendUrl], `${kind} server`);
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function load(url) {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });  // warm-up: JIT, connection pools, cache
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total };
}

const benchConfig = (origin) => ({
  upstreams: { api: { origin, timeoutMs: 5000, breaker: {}, retry: { maxAttempts: 2 } } },
  routes: [
    { name: 'brand', method: 'GET', path: '/v1/brands/:id', cache: { ttlMs: 3600000 } },
    { name: 'live', method: 'GET', path: '/v1/live/:id' },
  ],
  clientIp: { header: 'none' },
});

// Microseconds per request through each handler, upstream answered at once in memory.
async function inProcess() {
  const { init } = await import('../js/entry.node.js');
  const { createGateway } = await import('../js/gateway.js');
  await init();
  const body = JSON.stringify({ id: '1', name: 'brand 1', version: 1 });
  const upstream = async () => new Response(body, { headers: { 'content-type': 'application/json' } });
  const options = { fetch: upstream, requestId: () => 'id' };
  const gateway = createGateway(benchConfig('http://backend.invalid'), options);
  const logged = createGateway(benchConfig('http://backend.invalid'), { ...options, log: () => {} });
  const traced = createGateway(benchConfig('http://backend.invalid'), { ...options, trace: true });
  const api = await import('@opentelemetry/api');
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const otel = createGateway(benchConfig('http://backend.invalid'),
    { ...options, trace: { api, tracer: new BasicTracerProvider().getTracer('bench') } });
  const forward = async (request) => {
    const url = new URL(request.url);
    return upstream(`http://backend.invalid${url.pathname}${url.search}`, { method: request.method, headers: request.headers });
  };
  const tasks = {
    forwardOnly: () => forward(new Request('http://gw/v1/live/1')).then((r) => r.arrayBuffer()),
    gatewayProxied: () => gateway.fetch(new Request('http://gw/v1/live/1')).then((r) => r.arrayBuffer()),
    gatewayCached: () => gateway.fetch(new Request('http://gw/v1/brands/1')).then((r) => r.arrayBuffer()),
    proxiedLogged: () => logged.fetch(new Request('http://gw/v1/live/1')).then((r) => r.arrayBuffer()),
    proxiedW3cTrace: () => traced.fetch(new Request('http://gw/v1/live/1')).then((r) => r.arrayBuffer()),
    proxiedOtelSpans: () => otel.fetch(new Request('http://gw/v1/live/1')).then((r) => r.arrayBuffer()),
  };
  const bench = new Bench({ time: 1000, warmup: true, warmupTime: 200 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const us = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50 * 1000]));
  console.log('in process, per request (p50 of tinybench samples):');
  for (const [name, v] of Object.entries(us)) {
    console.log(`  ${name.padEnd(16)} ${v.toFixed(1).padStart(7)} us  (${(v / us.forwardOnly).toFixed(2)}x forwardOnly)`);
  }
  return us;
}

// CPU per request in this process through a real backend over loopback (16 requests in flight,
// as many as autocannon's connections): the plain forward, the same fetch with the options the
// gateway's attempt adds (an abort signal for its timeout, redirect: 'manual'), and the gateway's
// uncached route. Where the gateway's cost on the wire comes from, without an HTTP server's.
async function realUpstream(backendUrl) {
  const { init } = await import('../js/entry.node.js');
  const { createGateway } = await import('../js/gateway.js');
  await init();
  const gateway = createGateway(benchConfig(backendUrl));
  const target = (request) => {
    const url = new URL(request.url);
    return `${backendUrl}${url.pathname}${url.search}`;
  };
  const tasks = {
    plainForward: (request) => fetch(target(request), { method: request.method, headers: request.headers }),
    forwardWithSignal: (request) => fetch(target(request), {
      method: request.method, headers: request.headers, signal: new AbortController().signal, redirect: 'manual',
    }),
    gatewayProxied: (request) => gateway.fetch(request),
  };
  const N = 4000;
  const cpuUs = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, handler] of Object.entries(tasks)) {
      const before = process.cpuUsage();
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (let i = 0; i < N / 16; i++) await (await handler(new Request('http://gw/v1/live/1'))).arrayBuffer();
      }));
      const used = process.cpuUsage(before);
      if (round > 0) (cpuUs[name] ??= []).push((used.user + used.system) / N);  // round 0 warms up
    }
  }
  console.log('in process, through a real backend, 16 in flight (CPU us per request, the lower of two rounds):');
  const best = Object.fromEntries(Object.entries(cpuUs).map(([name, xs]) => [name, Math.min(...xs)]));
  for (const [name, v] of Object.entries(best)) {
    console.log(`  ${name.padEnd(18)} ${v.toFixed(0).padStart(5)} us  (${(v / best.plainForward).toFixed(2)}x plainForward)`);
  }
  return best;
}

async function main() {
  const perRequestUs = await inProcess();
  const backend = await startBackend();
  const realUpstreamCpuUs = await realUpstream(backend.url);
  const proxy = await startServer('proxy', backend.url);
  const gateway = await startServer('gateway', backend.url);
  const results = {};
  try {
    results.direct = await load(`${backend.url}/v1/live/1`);
    results.plainProxy = await load(`${proxy.url}/v1/live/1`);
    results.gatewayProxied = await load(`${gateway.url}/v1/live/1`);
    results.gatewayCached = await load(`${gateway.url}/v1/brands/1`);
  } finally {
    proxy.stop();
    gateway.stop();
    await backend.kill();
  }
  const d = results.direct;
  console.log(`autocannon, ${CONNECTIONS} connections, ${SECONDS} s per contender, loopback`);
  console.log('contender          req/s     p50 ms  p99 ms  req/s vs direct  added p50/p99 ms');
  for (const [name, r] of Object.entries(results)) {
    r.ratioToDirect = r.requestsPerSecond / d.requestsPerSecond;
    r.addedP50Ms = r.p50Ms - d.p50Ms;
    r.addedP99Ms = r.p99Ms - d.p99Ms;
    console.log(`${name.padEnd(16)} ${r.requestsPerSecond.toFixed(0).padStart(7)} ${String(r.p50Ms).padStart(9)} ${String(r.p99Ms).padStart(7)}`
      + `  ${r.ratioToDirect.toFixed(2).padStart(14)}x  ${r.addedP50Ms.toFixed(1)} / ${r.addedP99Ms.toFixed(1)}`);
  }
  const g = results.gatewayProxied;
  const p = results.plainProxy;
  console.log(`edgeguard's own cost over a plain proxy: ${(g.requestsPerSecond / p.requestsPerSecond).toFixed(2)}x req/s, `
    + `+${(g.p50Ms - p.p50Ms).toFixed(1)} ms p50, +${(g.p99Ms - p.p99Ms).toFixed(1)} ms p99`);
  await writeResults('gateway', { connections: CONNECTIONS, seconds: SECONDS, node: process.version, perRequestUs, realUpstreamCpuUs, results });
}

if (process.argv[2] === 'serve') await serve(process.argv[3], process.argv[4]);
else await main();
