// The shared RateLimiter's accuracy and store traffic, as the issue measures them: 4 instances
// (Node processes, node-redis and ioredis) hammer one key at 10x the limit for a few windows on
// the real clock, against one redis-server on loopback. For 'exact' and 'local-first': the calls
// allowed in each window (the first holds the initial burst too), the overshoot of the worst
// later window over the limit, and the store calls per 1000 checks (what Upstash bills).
//   node bench/shared-limit-accuracy.js     (LIMIT=100 WINDOW_MS=1000 WINDOWS=4)
import { startRedis } from '../tests/support/redis-engines.js';
import { runInstances } from '../tests/support/instances.js';

const INSTANCES = 4;
const LIMIT = Number(process.env.LIMIT ?? 100);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 1000);
const WINDOWS = Number(process.env.WINDOWS ?? 4);

const engine = await startRedis();
try {
  for (const mode of ['exact', 'local-first']) {
    const results = await runInstances(new URL('./shared-limit-instance.js', import.meta.url), INSTANCES, {
      engine: { url: engine.url, host: engine.host, port: engine.port }, name: `bench-${mode}`, mode,
      limit: LIMIT, windowMs: WINDOW_MS, windows: WINDOWS, perWindow: (10 * LIMIT) / INSTANCES,
    }, { deadlineMs: 60000 + 2 * WINDOWS * WINDOW_MS });
    const times = results.flatMap((r) => r.allowedAt);
    const perWindow = Array.from({ length: WINDOWS }, (_, w) => times.filter((t) => t >= w * WINDOW_MS && t < (w + 1) * WINDOW_MS).length);
    const checks = results.reduce((n, r) => n + r.checks, 0);
    const calls = results.reduce((n, r) => n + r.storeCalls, 0);
    const fallback = results.reduce((n, r) => n + r.fallback, 0);
    const overshoot = Math.max(...perWindow.slice(1)) - LIMIT;
    console.log(`${mode.padEnd(12)} allowed per window ${perWindow.join(' ')} (limit ${LIMIT}, first window holds the burst), ` +
      `overshoot ${overshoot} (${((100 * overshoot) / LIMIT).toFixed(1)}% of the limit), ` +
      `${((1000 * calls) / checks).toFixed(1)} store calls per 1000 checks (${checks} checks, ${fallback} from the fallback)`);
  }
} finally {
  await engine.stop();
}
