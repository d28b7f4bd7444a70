// An instance for shared-tier-instances.test.js: its own client (node-redis on even indexes,
// ioredis on odd ones), RedisStore and Cache with the shared tier, asking for one hot key from
// several callers at once. The backend counts its calls in the redis-server (INCR), and is slow
// enough that the instances' misses overlap.
import { init, Cache } from '../../../../js/entry.node.js';
import { RedisStore } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';

export async function setup({ engine, prefix }, index) {
  await init();
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  const store = new RedisStore(conn.client, { prefix, deadlineMs: 2000 });
  // Writes behind go to waitUntil, as on an edge runtime: run() waits for them before its
  // connection is closed (a process that lives on need not).
  const behind = [];
  const cache = new Cache({
    maxEntries: 100, ttlMs: 60000, shared: store, sharedOptions: { leaseWaitMs: 10000 }, waitUntil: (p) => behind.push(p),
  });
  return { conn, store, cache, behind };
}

export default async function run({ key, callers, backendMs, counter }, index, { conn, cache, behind }) {
  const backend = async () => {
    await conn.client.incr(counter);  // INCR is incr() in both clients
    await new Promise((resolve) => { setTimeout(resolve, backendMs); });
    return `fetched by ${index}`;
  };
  const results = await Promise.all(Array.from({ length: callers }, () => cache.getOrFetch(key, backend)));
  while (behind.length > 0) await behind.shift();
  return { results, stats: cache.stats().shared };
}

export async function teardown({ conn, store, cache }) {
  cache.dispose();
  store.close();
  await conn.close();
}
