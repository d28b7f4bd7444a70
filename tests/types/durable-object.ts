// edgeguard/durable-object and DurableObjectStore as a Worker uses them (compiled with the rest by
// `tsc -p tests/types`): a subclass registering its own script, and the store over its binding.
import { init } from 'edgeguard';
import { EdgeguardDurableObject } from 'edgeguard/durable-object';
import { DurableObjectStore, StoreError, defineScript, type DurableObjectNamespaceLike, type ScriptState } from 'edgeguard/store';

const visits = defineScript("return redis.call('INCR', KEYS[1])", {
  name: 'app.visits',
  run: (state: ScriptState, keys: string[]) => {
    const n = Number(state.get(keys[0]) ?? 0) + 1;
    state.set(keys[0], n, 3_600_000);
    return n;
  },
});

export class EdgeguardStore extends EdgeguardDurableObject {
  static scripts = [visits];
  static maxKeys = 50_000;
  static maxBytes = 32 * 1024 * 1024;

  full(): boolean {
    const { keys, maxKeys, bytes, maxBytes } = this.storeStats();
    return keys >= maxKeys || bytes >= maxBytes;
  }
}

export async function visit(env: { EDGEGUARD_STORE: DurableObjectNamespaceLike }, user: string): Promise<number | string> {
  await init();
  const store = new DurableObjectStore(env.EDGEGUARD_STORE, { shards: 256, deadlineMs: 30, breaker: { openMs: 500 } });
  try {
    const n = await store.evalScript(visits, [store.key(user, 'visits')], []);
    await store.set(store.key(user, 'seen'), 'yes', { ttlMs: 60_000 });
    const name: string = store.objectName(store.key(user, 'seen'));
    return typeof n === 'number' ? n : name + store.stats().shards + store.deadlineMs + store.maxKeyBytes + store.maxValueBytes;
  } catch (e) {
    if (e instanceof StoreError) return e.code;
    throw e;
  }
}
