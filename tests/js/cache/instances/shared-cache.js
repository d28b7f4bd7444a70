// An instance for shared-tier-instances.test.js, driven step by step and used by test after test
// (a process's start costs more than its tests): each `open` gives it its own client (node-redis
// on even indexes, ioredis on odd ones), RedisStore and Cache with the shared tier, all on a fake
// clock and fake timers that only the test's `advance` steps move (every instance by the same
// amount), fetching from the HTTP backend process the test may kill; `close` ends them. A failed
// fetch comes back as `{ error }`; a rejection nobody handled is kept for the `unhandled` step.
import { init, Cache } from '../../../../js/entry.node.js';
import { RedisStore } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';
import { waitFor } from '../../../support/redis-engines.js';
import { FakeTime } from '../../resilience_fakes.js';

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(String(error?.stack ?? error)));

export async function setup(_, index) {
  await init();
  return { index, open: undefined };
}

// A step on the instance opened last.
const opened = (step) => (context, ...args) => step(context.open, ...args);

export const steps = {
  /**
   * `input`: `{ engine, prefix, backend (its URL), now (the clock's start), skewMs (by index: how
   * far ahead this instance's clock is), store, cache }` (options of each).
   */
  async open(context, { engine, prefix, backend, now, skewMs = [], store: storeOptions, cache: cacheOptions }) {
    const time = new FakeTime();
    time.now = now + (skewMs[context.index] ?? 0);
    const conn = await connect(context.index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
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
    context.open = { time, conn, cache, pending, fetcher };
  },
  fetch: opened(async ({ cache, fetcher }, key, options) => {
    try {
      return await cache.getOrFetch(key, fetcher, options);
    } catch (error) {
      return { error: String(error?.cause?.message ?? error?.message ?? error) };
    }
  }),
  get: opened(({ cache }, key) => cache.get(key) ?? null),
  invalidate: opened(({ cache }, selector) => cache.invalidate(selector)),
  /** Moves the clock, running the timers due on the way. */
  advance: opened(({ time }, ms) => time.advance(ms)),
  /** Waits for what was given to waitUntil (a store call that hangs waits for its deadline: advance). */
  flush: opened(async ({ pending }) => {
    while (pending.length > 0) await pending.shift();
  }),
  stats: opened(({ cache }) => cache.stats()),
  /** Once the client is connected again (after a restart of the server). */
  ready: opened(({ conn }) => conn.ready()),
  /** Once the client has seen its server go: from then on the store refuses calls at once. */
  disconnected: opened(({ conn }) => waitFor('the client disconnected', async () => !conn.connected())),
  /** The rejections nobody handled since the last time it was asked. */
  unhandled: () => unhandled.splice(0),
  close: (context) => close(context),
};

async function close(context) {
  const { cache, conn } = context.open ?? {};
  context.open = undefined;
  cache?.dispose();
  await conn?.close();
}

export const teardown = close;
