// The README's "Which store for which runtime", from the installed tarball: a runtime (Bun, Deno,
// Vercel Edge) and this Node process, each with its own client of one store, share a RateLimiter
// in exact mode, a gateway's global route and a Cache's shared tier. Both sides run the same
// module (`shared-store-handler.js`, written into the installed package's folder) over their
// own store. Limits last an hour, so a slow machine changes no count; a store that fails refuses
// (onStoreError 'closed') and every answer must be the store's, so no fallback can pass. Then the
// redis-server stalls (SIGSTOP: connections open, nothing answers): the runtime refuses by the
// store's deadline, answers every request, and rejects nothing unhandled.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from '@upstash/redis';
import { startRedis } from '../support/redis-engines.js';
import { startUpstashRest } from '../support/upstash-rest-server.js';

const LIMIT = 4;
const CHECKS = 3 * LIMIT;  // from each side, all at once
const GATEWAY_LIMIT = 3;
const HOUR = 3600000;
// Deadlines far beyond a loopback call's time (no time is asserted), and no longer: edge-runtime's
// timers cannot be unref'd, so a store's deadline timers, left to run out once their calls are
// answered (js/store/deadlines.js), keep this process up to that long after the last call.
const DEADLINE_MS = 2000;
const ON_STORE = { mode: 'exact', onStoreError: 'closed', deadlineMs: DEADLINE_MS };

const handlerSource = `import { Cache, RateLimiter, createGateway } from 'edgeguard';
export { init } from 'edgeguard';
export { RedisStore, UpstashStore } from 'edgeguard/store';

/** Routes /__check, /__cache and the gateway over \`store\`; \`who\` (the runtime) names this side's fetches. */
export function sharedStoreHandler(store, who, prefix) {
  const pending = new Set();
  const waitUntil = (promise) => {
    const tracked = promise.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const limiter = new RateLimiter({ name: \`\${prefix}limiter\`, policies: [{ name: 'hour', limit: ${LIMIT}, windowMs: ${HOUR} }], store, ...${JSON.stringify(ON_STORE)} });
  const cache = new Cache({ maxEntries: 100, ttlMs: ${HOUR}, shared: store, sharedOptions: { name: \`\${prefix}cache\`, deadlineMs: ${DEADLINE_MS} }, waitUntil });
  const gateway = createGateway({
    upstreams: { api: { origin: 'http://upstream.invalid' } },
    clientIp: { header: 'x-forwarded-for' },
    routes: [{ name: 'shared', method: 'GET', path: '/v1/shared',
      rateLimit: { key: 'header:x-key', scope: 'global', policies: [{ name: 'hour', limit: ${GATEWAY_LIMIT}, windowMs: ${HOUR} }] } }],
    store: { prefix, ...${JSON.stringify(ON_STORE)} },
  }, { store, fetch: async () => Response.json({ from: 'upstream' }) });
  const handle = async (request, ...rest) => {
    const url = new URL(request.url);
    if (url.pathname === '/__check') {
      const results = await Promise.all(Array.from({ length: ${CHECKS} }, () => limiter.check('one-key')));
      return Response.json(results.map((r) => [r.allowed, r.source]));
    }
    if (url.pathname === '/__cache') {
      const key = url.searchParams.get('key') ?? 'one-key';
      const { value, status, shared = false } = await cache.getOrFetch(key, async () => \`fetched in \${who}\`);
      await Promise.all(pending);  // the shared tier's write behind
      return Response.json({ value, status, shared });
    }
    return gateway.fetch(request, ...rest);
  };
  handle.dispose = () => {
    gateway.dispose();
    cache.dispose();
    limiter.dispose();
  };
  return handle;
}
`;

/** Writes the handler module into `dir`; a runtime's entry imports it from './shared-store-handler.js'. */
export function writeSharedStoreHandler(dir) {
  writeFileSync(join(dir, 'shared-store-handler.js'), handlerSource);
}

/**
 * A redis-server and the Upstash REST server in front of it (`cleanups` gets what stops them), for
 * a runtime's UpstashStore: `client` is the source of its @upstash/redis client; `nodeStore`,
 * `requests` and `stallEngine` (the redis-server stalls, the REST server's requests with it) are
 * for checkSharedStore.
 */
export async function startUpstash(cleanups) {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const rest = await startUpstashRest(redis);
  cleanups.push(() => rest.stop());
  const options = { url: rest.url, token: rest.token, retry: false };  // retries: the store's deadline decides
  return {
    client: `new Redis(${JSON.stringify(options)})`,
    nodeStore: ({ UpstashStore }) => new UpstashStore(new Redis(options)),
    stallEngine: () => redis.server.pause(),
    requests: () => rest.stats().requests,
  };
}

/**
 * Checks that the runtime at `url` and this process act as one: `nodeStore({ RedisStore,
 * UpstashStore })` gives this side's store (the tarball's classes) over its own client of the
 * runtime's engine; `runtime` and `prefix` must be what the runtime gave its handler (written by
 * writeSharedStoreHandler).
 * With `requests()` (the engine's count of HTTP requests), that the runtime's checks of one
 * synchronous stretch go as one request. Then, with the engine stalled (`stallEngine()`), that the
 * runtime fails closed by the deadline.
 * No rejection goes unhandled: here (edge-runtime's VM reports its own here too), nor in a runtime
 * of its own process, which would end on one (`alive()` says whether it still runs).
 */
export async function checkSharedStore({ dir, url, nodeStore, runtime, prefix, stallEngine, alive, requests }) {
  const unhandled = [];
  const record = (error) => unhandled.push(error);
  process.on('unhandledRejection', record);
  const stores = await import(pathToFileURL(join(dir, 'shared-store-handler.js')).href);
  await stores.init();
  const node = stores.sharedStoreHandler(nodeStore(stores), 'node', prefix);
  try {
    await checkBothSides(node, url, runtime);
    if (requests) await checkOneRequest(url, requests);
    await stallEngine();
    await checkStoreDown(url, runtime);
    if (alive) assert.ok(alive(), `${runtime} exited`);
  } finally {
    node.dispose();
    process.off('unhandledRejection', record);
  }
  assert.deepEqual(unhandled, []);
}

const json = async (res) => {
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};
const sharedRoute = (at, key) => at('/v1/shared', { headers: { 'x-key': key, 'x-forwarded-for': '198.51.100.7' } });

async function checkBothSides(node, url, runtime) {
  const here = (path, init) => node(new Request(`http://node${path}`, init));
  const there = (path, init) => fetch(`${url}${path}`, init);

  // Both sides at once, three times the limit each: the limit in all, every answer the store's.
  const answers = (await Promise.all([here('/__check'), there('/__check')].map(async (res) => json(await res)))).flat();
  assert.deepEqual(new Set(answers.map(([, source]) => source)), new Set(['store']));
  assert.equal(answers.filter(([allowed]) => allowed).length, LIMIT, JSON.stringify(answers));

  // The gateway's global route: spent by this side, refused by the runtime's gateway.
  const route = (at) => sharedRoute(at, 'client-1');
  for (let i = 0; i < GATEWAY_LIMIT - 1; i++) assert.deepEqual(await json(await route(here)), { from: 'upstream' });
  assert.deepEqual(await json(await route(there)), { from: 'upstream' });
  const refused = await route(there);
  assert.equal(refused.status, 429, `${runtime}: ${await refused.clone().text()}`);
  assert.equal((await refused.json()).type, 'https://edgeguard.dev/problems/rate-limited');
  assert.equal((await route(here)).status, 429);

  // The Cache's shared tier: fetched here, read there from the store.
  assert.deepEqual(await json(await here('/__cache')), { value: 'fetched in node', status: 'miss', shared: false });
  assert.deepEqual(await json(await there('/__cache')), { value: 'fetched in node', status: 'hit', shared: true });
}

// UpstashStore: the runtime's checks made in one synchronous stretch go as one HTTP request (a
// pipeline), refused by the store now that the limit is spent.
async function checkOneRequest(url, requests) {
  // A first stretch loads the scripts a stretch of checks uses (CHECK_MANY's first EVALSHA is
  // answered NOSCRIPT and sent again as EVAL, a second request); the one after is measured.
  await json(await fetch(`${url}/__check`));
  const before = requests();
  const answers = await json(await fetch(`${url}/__check`));
  assert.deepEqual(new Set(answers.map(([allowed, source]) => `${allowed} ${source}`)), new Set(['false store']));
  assert.equal(requests() - before, 1);
}

// The store stalls: the limiter and the global route refuse (onStoreError 'closed': nothing fails
// open), every check answered by the fallback at its deadline (the request aborted, for Upstash);
// the cache's shared tier fails quietly (the runtime fetches itself).
async function checkStoreDown(url, runtime) {
  const there = (path, init) => fetch(`${url}${path}`, init);
  const answers = await json(await there('/__check'));
  assert.deepEqual(new Set(answers.map(([allowed, source]) => `${allowed} ${source}`)), new Set(['false fallback']));
  const refused = await sharedRoute(there, 'client-2');
  assert.equal(refused.status, 429, `${runtime}: ${await refused.clone().text()}`);
  assert.equal((await refused.json()).type, 'https://edgeguard.dev/problems/rate-limited');
  assert.deepEqual(await json(await there('/__cache?key=other-key')), { value: `fetched in ${runtime}`, status: 'miss', shared: false });
}
