// The store's .d.ts as a consumer uses it: RedisStore and UpstashStore over a client, and a user's own engine
// implementing the Store interface (compiled with the rest by `tsc -p tests/types`).
import { init, EdgeguardError } from 'edgeguard';
import { RedisStore, UpstashStore, StoreError, defineScript, storeKey, type Store, type StoreStats, type ScriptReply, type ScriptState } from 'edgeguard/store';

const hit = defineScript("return redis.call('INCR', KEYS[1])");

export async function count(client: object, tag: string): Promise<number | string> {
  await init();
  const store = new RedisStore(client, { prefix: 'app:', deadlineMs: 30, breaker: { openMs: 500, consecutiveFailures: 3 } });
  try {
    const reply: ScriptReply = await store.evalScript(hit, [store.key(tag, 'hits')], [], { deadlineMs: 10 });
    await store.set(store.key(tag, 'seen'), '1', { ttlMs: 60000 });
    const unsubscribe = await store.subscribe('events', (message: string) => message.length);
    await unsubscribe();
    store.close();
    const deadlineMs: number = store.deadlineMs;
    return typeof reply === 'number' ? reply : store.stats().scriptReloads + deadlineMs;
  } catch (e) {
    if (e instanceof StoreError) return e.code === 'STORE_UNAVAILABLE' ? e.retryAfterMs ?? -1 : e.code;
    if (e instanceof EdgeguardError) return e.code;
    throw e;
  }
}

/** Over @upstash/redis (any object here: the package is the user's). */
export async function countOverRest(client: object, tag: string): Promise<number> {
  const store: Store = new UpstashStore(client, { deadlineMs: 30, breaker: { openMs: 500 } });
  const upstash = new UpstashStore(client);
  await upstash.publish('events', 'hit');
  const reloads: number = upstash.stats().scriptReloads;
  const requests: number = upstash.stats().requests + upstash.deadlineMs;
  // @ts-expect-error: no subscribe over REST
  void upstash.subscribe;
  const reply = await store.evalScript(hit, [store.key(tag, 'hits')], []);
  return typeof reply === 'number' ? reply : reloads + requests;
}

/** Another engine: a Map, to show what an implementation provides. */
export class MapStore implements Store {
  #map = new Map<string, string>();
  key(tag: string, name: string): string {
    return storeKey('map:', tag, name);
  }
  async evalScript(): Promise<ScriptReply> {
    throw new StoreError('STORE_ERROR', 'scripts are not supported');
  }
  async get(key: string): Promise<string | null> {
    return this.#map.get(key) ?? null;
  }
  async set(key: string, value: string, options: { ttlMs: number }): Promise<void> {
    this.#map.set(key, value);
    setTimeout(() => this.#map.delete(key), options.ttlMs);
  }
  async delete(key: string): Promise<boolean> {
    return this.#map.delete(key);
  }
  stats(): StoreStats {
    return { calls: 0, ok: 0, timeouts: 0, unavailable: 0, refused: 0, errors: 0, late: 0,
      latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 }, breaker: 'closed' };
  }
}

const named = defineScript("return 1", {
  name: 'app.count',
  run: (state: ScriptState, keys: string[]) => {
    const n = Number(state.get(keys[0]) ?? 0) + 1;
    state.set(keys[0], n, 60_000);
    return n;
  },
});
const runName: string | undefined = named.name;
void runName;
