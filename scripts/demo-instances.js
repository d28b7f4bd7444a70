// The demo's "two instances, one store": a redis-server of its own, and two guards (createGuard)
// in this process, each with its own node-redis client and RedisStore over that server, sharing
// one rate limit (a global route) and one cache's shared tier (its Cache is the guard's fetch,
// so the limit is taken before the cache answers) in front of the demo backend. The store can
// be stalled (SIGSTOP) and resumed to show both instances answering from memory meanwhile.
import { createClient } from 'redis';
import { createGuard, Cache } from '../js/entry.node.js';
import { RedisStore } from '../js/store/index.js';
import { startRedisServer } from './redis-server.js';

export const INSTANCES = ['a', 'b'];
export const SHARED_LIMIT = { name: 'shared', limit: 10, windowMs: 10000 };
const LIFETIMES = { ttlMs: 5000, staleWhileRevalidateMs: 2000, staleIfErrorMs: 120000 };
const SOURCES = ['memory', 'shared', 'backend'];
// Every store call's deadline: loopback answers in well under a millisecond, but a busy machine
// (or a first call, which loads its script) can take tens; a stalled store costs this much
// per call until the store's breaker opens.
const STORE_DEADLINE_MS = 250;

function guardConfig(backendUrl) {
  return {
    service: 'edgeguard-demo-instance',
    upstreams: { backend: { origin: backendUrl, timeoutMs: 2000, retry: false, breaker: false } },
    routes: [{
      name: 'product', method: 'GET', path: '/api/products/:id',
      rateLimit: { key: 'route', scope: 'global', policies: [SHARED_LIMIT] },
    }],
    // One store round trip per check: the remaining count is the same whichever instance asks.
    store: { prefix: 'demo:', mode: 'exact', expectedInstances: INSTANCES.length, deadlineMs: STORE_DEADLINE_MS },
  };
}

// Where getOrFetch found the value: this instance's memory, the store, or the backend (its own
// fetch, or one it joined).
function sourceOf(result) {
  if (result.shared) return 'shared';
  return result.status === 'miss' || result.status === 'coalesced' ? 'backend' : 'memory';
}

async function createInstance(name, { redisUrl, backendUrl, clock }) {
  // Reconnects soon after the store comes back; RedisStore itself fails calls while disconnected.
  const client = createClient({ url: redisUrl, socket: { reconnectStrategy: () => 100, connectTimeout: 1000 } });
  await client.connect();
  const store = new RedisStore(client, { prefix: 'demo:', deadlineMs: STORE_DEADLINE_MS, clock });
  // Writes to the shared tier go behind the answer; each request waits for its own, so the
  // other instance's next request finds them.
  const behind = new Set();
  const cache = new Cache({
    maxEntries: 1000, clock, ...LIFETIMES, shared: store, sharedOptions: { name: 'products' },
    waitUntil: (promise) => {
      behind.add(promise);
      const done = () => behind.delete(promise);
      promise.then(done, done);
    },
  });
  const counts = Object.fromEntries(SOURCES.map((s) => [s, 0]));
  // The guard's one route is a GET; the fetch is the cache's, not one caller's (no caller's signal).
  const cachedFetch = async (url) => {
    const result = await cache.getOrFetch(new URL(url).pathname, async ({ signal }) => {
      const res = await fetch(url, { signal });
      if (!res.ok) throw new Error(`the backend answered ${res.status}`);
      return res.json();
    });
    return Response.json(result.value, { headers: { 'x-demo-source': sourceOf(result), 'x-demo-cache': result.status } });
  };
  const guard = createGuard(guardConfig(backendUrl), { store, clock, fetch: cachedFetch });
  return {
    name,
    async get(id) {
      const res = await guard.fetch(`/api/products/${id}`);
      const body = await res.json();
      await Promise.allSettled([...behind]);
      const source = res.headers.get('x-demo-source');
      if (source) counts[source]++;
      const remaining = /;r=(\d+)/.exec(res.headers.get('ratelimit') ?? '');
      return {
        instance: name, id, status: res.status, source, cache: res.headers.get('x-demo-cache'),
        remaining: remaining ? Number(remaining[1]) : null, product: body.name, detail: body.detail,
      };
    },
    state() {
      const { shared } = cache.stats();
      const { hits, staleHits, misses, staleIfErrorHits, writes, skips, timeouts, errors } = shared;
      return {
        counts: { ...counts }, storeBreaker: shared.store.breaker,
        shared: { hits, staleHits, misses, staleIfErrorHits, writes, skips, timeouts, errors },
      };
    },
    close() {
      guard.dispose();
      cache.dispose();
      store.close();
      client.destroy();
    },
  };
}

/**
 * Starts the store and the instances (call edgeguard's init() first). Without a redis-server
 * (not installed, or it fails to start) the demo still runs: state() says the store is
 * unavailable, and why, and get() refuses. `clock`: the instances' (tests freeze it).
 */
export async function startDemoInstances({ backendUrl, clock }) {
  let redis;
  try {
    redis = await startRedisServer();
  } catch (error) {
    const reason = error.code === 'ENOENT' ? 'redis-server is not installed (scripts/setup.sh installs it)' : error.message;
    return {
      available: false,
      state: () => ({ store: 'unavailable', reason }),
      get: () => { throw new Error(`the store is unavailable: ${reason}`); },
      setStore: () => { throw new Error(`the store is unavailable: ${reason}`); },
      close: async () => {},
    };
  }
  const instances = [];
  let down = false;
  try {
    for (const name of INSTANCES) instances.push(await createInstance(name, { redisUrl: redis.server.url, backendUrl, clock }));
  } catch (error) {
    for (const instance of instances) instance.close();
    await redis.stop();
    throw error;
  }
  const byName = new Map(instances.map((i) => [i.name, i]));
  return {
    available: true,
    redis: redis.server,
    get: (name, id) => byName.get(name).get(id),
    /** Stalls the store (SIGSTOP: connections stay open, nothing answers) or resumes it. */
    setStore(isDown) {
      if (isDown) redis.server.pause();
      else redis.server.resume();
      down = isDown;
    },
    state: () => ({
      store: down ? 'down' : 'up', limit: SHARED_LIMIT,
      instances: Object.fromEntries(instances.map((i) => [i.name, i.state()])),
    }),
    async close() {
      for (const instance of instances) instance.close();
      await redis.stop();
    },
  };
}
