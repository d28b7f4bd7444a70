// An instance for shared-tier-instances.test.js, driven step by step: its own client (node-redis
// on even indexes, ioredis on odd ones), RedisStore and Cache with the shared tier, all on a fake
// clock and fake timers that only the test's `advance` steps move (every instance by the same
// amount), fetching from the HTTP backend process the test may kill. A failed fetch comes back as
// `{ error }`; a rejection nobody handled is kept for the `unhandled` step.
import { init, Cache } from '../../../../js/entry.node.js';
import { RedisStore } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';
import { FakeTime } from '../../resilience_fakes.js';

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(String(error?.stack ?? error)));

/** `input`: `{ engine, prefix, backend (its URL), now (the clock's start), store, cache }` (options of each). */
export async function setup({ engine, prefix, backend, now, store: storeOptions, cache: cacheOptions }, index) {
  await init();
  const time = new FakeTime();
  time.now = now;
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  const store = new RedisStore(conn.client, { prefix, clock: time.clock, timers: time.timers, ...storeOptions });
  const pending = [];  // writes behind, checks, releases: what waitUntil is given
  const cache = new Cache({
    maxEntries: 100, clock: time.clock, timers: time.timers, shared: store, waitUntil: (p) => pending.push(p), ...cacheOptions,
  });
  const fetcher = async ({ key, signal }) => {
    const response = await fetch(`${backend}/v1/brands/${key}`, { signal });
    if (!response.ok) throw new Error(`the backend answered ${response.status}`);
    return response.json();
  };
  return { time, conn, cache, pending, fetcher };
}

export const steps = {
  async fetch({ cache, fetcher }, key, options) {
    try {
      return await cache.getOrFetch(key, fetcher, options);
    } catch (error) {
      return { error: String(error?.cause?.message ?? error?.message ?? error) };
    }
  },
  get: ({ cache }, key) => cache.get(key) ?? null,
  invalidate: ({ cache }, selector) => cache.invalidate(selector),
  /** Moves the clock, running the timers due on the way. */
  advance: ({ time }, ms) => time.advance(ms),
  /** Waits for what was given to waitUntil (a store call that hangs waits for its deadline: advance). */
  async flush({ pending }) {
    while (pending.length > 0) await pending.shift();
  },
  stats: ({ cache }) => cache.stats(),
  /** Once the client is connected again (after a restart of the server). */
  ready: ({ conn }) => conn.ready(),
  unhandled: () => unhandled,
};

export async function teardown({ conn, cache }) {
  cache.dispose();
  await conn.close();
}
