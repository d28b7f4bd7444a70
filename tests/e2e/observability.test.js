// The access log and W3C trace context from the packed tarball, in workerd (where console.log is
// the log pipeline), in front of a real backend. The consumer folder has no @opentelemetry/api:
// the bundle must build and run without it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage } from './installed-package.js';
import { startBackend } from './backend.js';
import { startWorker } from './workerd.js';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

test('workerd: log: true writes a JSON line per request with console.log; trace: true continues the trace upstream', async () => {
  const dir = installedPackage();
  assert.ok(!existsSync(join(dir, 'node_modules', '@opentelemetry', 'api')), 'the optional peer is not installed');
  const backend = await startBackend();
  cleanups.push(() => backend.kill());
  const config = {
    upstreams: { api: { origin: backend.url, timeoutMs: 5000 } },
    routes: [{ name: 'trace', method: 'GET', path: '/v1/trace' }],
  };
  writeFileSync(join(dir, 'observability-worker.js'), `import { createGateway } from 'edgeguard';
export default createGateway(${JSON.stringify(config)}, { log: true, trace: true });`);
  const worker = await startWorker({ entry: 'observability-worker.js', cwd: dir, localNetwork: true });
  cleanups.push(() => worker.stop());

  const res = await fetch(`${worker.url}/v1/trace?token=secret`, {
    headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'congo=t61rcWkgMzE', 'x-request-id': 'ignored' },
  });
  assert.equal(res.status, 200, worker.logs.join(''));
  const sent = await res.json();
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(sent.traceparent);
  assert.ok(m, sent.traceparent);
  assert.equal(m[1], TRACE);
  assert.notEqual(m[2], PARENT);
  assert.equal(sent.tracestate, 'congo=t61rcWkgMzE');

  // workerd prints what console.log wrote (the readiness probe's line first); the line may come
  // a moment after the answer.
  let line;
  for (let i = 0; i < 200 && !line; i++) {
    line = worker.logs.join('').split('\n').map((l) => /\{"time".*\}/.exec(l)?.[0]).find((l) => l?.includes('"/v1/trace"'));
    if (!line) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.ok(line, worker.logs.join(''));
  const event = JSON.parse(line);
  assert.deepEqual([event.method, event.path, event.route, event.status, event.outcome, event.upstream, event.attempts, event.traceId],
    ['GET', '/v1/trace', 'trace', 200, 'ok', 'api', 1, TRACE]);
  assert.equal(event.requestId, res.headers.get('x-request-id'));
  assert.ok(!line.includes('secret'), line);
});
