// Accuracy across processes: 4 Node processes (separate isolates) hammer one key at 10x the
// limit for several windows, through their own clients (node-redis and ioredis) on one
// redis-server. `exact` allows exactly the limit in every window; `local-first` allows no more
// in total, and in any window at most the limit plus the outstanding leases (instances x
// lease.units), at a few store commands per 1000 checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, startRedisCluster } from '../../support/redis-engines.js';
import { runInstances } from '../../support/instances.js';

const HAMMER = new URL('./instances/hammer.js', import.meta.url);
const INSTANCES = 4;
const LIMIT = 100;
const WINDOW_MS = 1000;
const WINDOWS = 4;
// 10x the limit in all: each instance makes a quarter of it.
const CHECKS = (10 * LIMIT) / INSTANCES;

let engine;
let cluster;
before(async () => { [engine, cluster] = await Promise.all([startRedis(), startRedisCluster()]); });
after(() => Promise.all([engine?.stop(), cluster?.stop()]));

// What an instance needs to connect, sent over IPC.
const standalone = () => ({ url: engine.url, host: engine.host, port: engine.port });
const clustered = () => ({ servers: cluster.servers.map((s) => ({ url: s.url })), rootNodes: cluster.rootNodes });

function hammer(name, mode, lease, target = standalone()) {
  return runInstances(HAMMER, INSTANCES, {
    engine: target, name, mode, lease,
    policies: [{ name: 'hot', limit: LIMIT, windowMs: WINDOW_MS }],
    windows: WINDOWS, windowMs: WINDOW_MS, checks: CHECKS, inFlight: 5,
  }, { deadlineMs: 60000 });
}

const perWindow = (results) => Array.from({ length: WINDOWS }, (_, w) => results.reduce((n, r) => n + r.allowed[w], 0));
const perThousand = (results) => (1000 * results.reduce((n, r) => n + r.storeCalls, 0)) / results.reduce((n, r) => n + r.checks, 0);

test('exact: 4 instances at 10x the limit allow exactly the limit in every window', async () => {
  const results = await hammer('exact', 'exact');
  assert.deepEqual(perWindow(results), Array(WINDOWS).fill(LIMIT));
  assert.ok(results.every((r) => r.storeErrors === 0 && r.sources.store === r.checks), 'every answer from the store');
  // Checks in flight together (5 an instance) share a store call (CHECK_MANY); never more than one a check.
  const calls = perThousand(results);
  assert.ok(calls >= 1000 / 5 && calls < 1000, `${calls} store calls per 1000 checks`);
});

test('exact on a 3-node Redis Cluster: exactly the limit in every window', async () => {
  const results = await hammer('exact-cluster', 'exact', undefined, clustered());
  assert.deepEqual(perWindow(results), Array(WINDOWS).fill(LIMIT));
  assert.ok(results.every((r) => r.storeErrors === 0));
});

test('local-first: within the limit plus the outstanding leases per window, never more in total, <= 50 store calls per 1000 checks', async (t) => {
  // Leases that outlive a window carry their units into the next: the overshoot the bound allows.
  const units = 12;
  const results = await hammer('local-first', 'local-first', { units, ttlMs: 3 * WINDOW_MS });
  const windows = perWindow(results);
  const total = windows.reduce((a, b) => a + b, 0);
  const overshoot = Math.max(...windows) - LIMIT;
  const calls = perThousand(results);
  t.diagnostic(`local-first: allowed per window ${windows}, max overshoot ${overshoot} (bound ${INSTANCES * units}), ${calls.toFixed(1)} store calls per 1000 checks`);
  for (const n of windows) assert.ok(n <= LIMIT + INSTANCES * units, `${windows} within ${LIMIT} + ${INSTANCES} x ${units}`);
  assert.ok(total <= LIMIT * WINDOWS, `never more in total than exact (${total})`);
  assert.ok(total >= LIMIT * WINDOWS - INSTANCES * units, `nor less than exact by more than the last leases (${total})`);
  assert.ok(calls <= 50, `${calls} store calls per 1000 checks`);
  assert.ok(results.every((r) => r.storeErrors === 0));
});
