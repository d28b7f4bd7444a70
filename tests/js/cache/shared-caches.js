// Several Cache instances sharing one store, for the shared tier's tests: each over its own store
// (and client connection), all reading one fake clock (the caches' and the stores'), so ages and
// windows are exact while the servers run in real time.
import { Cache } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { connect } from '../../support/redis-clients.js';
import { waitFor } from '../../support/redis-engines.js';
import { FakeTime } from '../resilience_fakes.js';

let run = 0;

export const TTL = 1000, SWR = 500, SIE = 5000;
export const LIFE = { ttlMs: TTL, staleWhileRevalidateMs: SWR, staleIfErrorMs: SIE };

/**
 * `n` caches, one store prefix per call. `open(prefix, time)` resolves with `{ store, client?,
 * close() }` for one instance. Each item: `{ cache, store, client, flush() }` (flush awaits what
 * went to waitUntil: writes behind, revalidations, invalidations); close() ends every store's and
 * connection's resources.
 */
export async function sharedCaches(open, n, options = {}) {
  const time = new FakeTime();
  time.now = 1_000_000;
  const prefix = `t${run++}:`;
  const opened = await Promise.all(Array.from({ length: n }, () => open(prefix, time)));
  const list = opened.map(({ store, client }) => {
    const pending = [];
    const cache = new Cache({
      maxEntries: 100, clock: time.clock, shared: store, waitUntil: (p) => pending.push(p), ...LIFE, ...options,
    });
    const flush = async () => { while (pending.length > 0) await pending.shift(); };
    return { cache, store, flush, client };
  });
  return { time, prefix, list, close: () => Promise.all(opened.map((o) => o.close())) };
}

/** `n` caches over RedisStores, each with its own `kind` client connected to `engine`. */
export function instances(kind, engine, n, options = {}) {
  return sharedCaches(async (prefix, time) => {
    const conn = await connect(kind, engine);
    const store = new RedisStore(conn.client, { prefix, clock: time.clock, timers: time.timers, deadlineMs: 5000 });
    return {
      store,
      client: conn.client,
      close() {
        store.close();  // the subscriber connection of the invalidation channel
        return conn.close();
      },
    };
  }, n, options);
}

/** A fetcher that counts its calls; `value` a value or a function of the call's number. */
export function counting(value) {
  const f = async () => { f.calls++; return typeof value === 'function' ? value(f.calls) : value; };
  f.calls = 0;
  return f;
}

/**
 * Single flight across instances: every cache of `list` asks for one missing key at once, behind
 * a backend held until one leads and the others wait for it. Resolves with the fetcher (its calls
 * counted) and what each caller was served.
 */
export async function missAtOnce({ time, list }, key = 'hot') {
  let open;
  const gate = new Promise((resolve) => { open = resolve; });
  const fetcher = counting(() => gate.then(() => 'v'));
  const results = list.map((x) => x.cache.getOrFetch(key, fetcher));
  const sum = (name) => list.reduce((n, x) => n + x.cache.stats().shared[name], 0);
  try {
    await waitFor('a leader and the others waiting', async () => sum('leases') === 1 && sum('leaseWaits') === list.length - 1, 5000);
  } finally {
    open();
  }
  await Promise.all(list.map((x) => x.flush()));
  await time.advance(50);  // leasePollMs: the others look again
  return { fetcher, served: await Promise.all(results) };
}
