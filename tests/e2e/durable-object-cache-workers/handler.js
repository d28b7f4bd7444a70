// What every instance answers: Caches whose shared tier is a DurableObjectStore over the namespace
// bound as CACHE, in front of the backend (origin.js, written by the test). Every service runs
// this, each in its own isolate, so each has its own memory tier. The 'main' cache hands what it
// starts behind to a list that each response waits for, so the test's next step sees it; the
// 'bare' one is made as a Worker at module level often is: no waitUntil of its own, only each
// getOrFetch's; the 'tight' one's store calls have a deadline of 1 s.
import { init, Cache } from 'edgeguard';
import { DurableObjectStore } from 'edgeguard/store';
import { moveTo, now } from './clock.js';
import { backend } from './origin.js';

const GENERATION_CHECK_MS = 1000;  // the test's too

// workerd reports a rejection as unhandled until a handler is attached, then as handled: what
// must stay empty is the rejections never handled.
const unhandled = new Map();  // promise -> its reason, as text
addEventListener('unhandledrejection', (event) => { unhandled.set(event.promise, String(event.reason)); });
addEventListener('rejectionhandled', (event) => { unhandled.delete(event.promise); });

const behind = new Set();
const caches = new Map();  // 'main' | 'bare' | 'tight' -> its Cache, made on first use (a binding exists per request)

function cacheOf(env, name) {
  let cache = caches.get(name);
  if (cache === undefined) {
    cache = new Cache({
      maxEntries: 100, clock: now, waitUntil: name === 'main' ? (p) => behind.add(p) : undefined,
      shared: new DurableObjectStore(env.CACHE, { prefix: 'e2e:', shards: 8, deadlineMs: name === 'tight' ? 1000 : 5000 }),
      // The waiters poll the store on real timers while the test's clock stands still.
      sharedOptions: { name, generationCheckMs: GENERATION_CHECK_MS, leaseWaitMs: 10_000, leasePollMs: 20 },
    });
    caches.set(name, cache);
  }
  return cache;
}

// Every promise handed over settles (the tier's never reject); waited for when an answer failed too.
async function settled() {
  while (behind.size > 0) {
    const all = [...behind];
    behind.clear();
    await Promise.all(all);
  }
}

async function item(key, { delayMs = 0, padBytes = 0 }, signal) {
  const res = await fetch(`${backend}/v1/items/${encodeURIComponent(key)}?delayMs=${delayMs}&padBytes=${padBytes}`, { signal });
  if (!res.ok) throw new Error(`the backend answered ${res.status}`);
  return res.json();
}

async function route(url, env) {
  const q = Object.fromEntries(url.searchParams);
  const cache = cacheOf(env, q.cache ?? 'main');
  switch (url.pathname) {
    case '/get': {
      const { value, status, shared } = await cache.getOrFetch(q.key, ({ signal }) => item(q.key, q, signal), {
        ttlMs: Number(q.ttlMs ?? 60_000), staleIfErrorMs: Number(q.staleIfErrorMs ?? 0), tags: q.tag ? [q.tag] : undefined,
        timeoutMs: 5000, waitUntil: (p) => behind.add(p),
      });
      return { value, status, shared: shared === true };
    }
    case '/memory': return cache.get(q.key);  // answers at once, whatever it started behind
    case '/invalidate': return cache.invalidate(q.tag === undefined ? { prefix: q.prefix } : { tag: q.tag });
    case '/clock': return moveTo(Number(q.at));
    case '/stats': return { shared: cache.stats().shared, unhandled: [...unhandled.values()] };
    default: return { unknown: url.pathname };
  }
}

export async function handle(request, env) {
  const url = new URL(request.url);
  let answer;
  try {
    await init();
    answer = { value: (await route(url, env)) ?? null };
  } catch (error) {
    answer = { error: error.code ?? String(error), message: error.message };
  }
  await settled();
  return Response.json(answer, { status: answer.error === undefined ? 200 : 500 });
}
