// What both gateway services answer: store calls over the bound namespaces, as JSON, and the
// isolate's own count of unhandled rejections.
import { init, RateLimiter } from 'edgeguard';
import { DurableObjectStore, StoreError } from 'edgeguard/store';
import { big, count, echo, fail, json, unregistered } from './scripts.js';

// workerd reports a rejected promise as unhandled until a handler is attached, even one attached
// a microtask later (an async function returning it), then reports it handled: what must stay
// empty is the rejections never handled.
const unhandled = new Map();  // promise -> its reason, as text
addEventListener('unhandledrejection', (event) => { unhandled.set(event.promise, String(event.reason)); });
addEventListener('rejectionhandled', (event) => { unhandled.delete(event.promise); });

const stores = new Map();  // binding name -> its store, made on first use

function storeOf(env, binding, options) {
  let store = stores.get(binding);
  if (store === undefined) {
    store = new DurableObjectStore(env[binding], options);
    stores.set(binding, store);
  }
  return store;
}

const limiters = new Map();  // mode -> the isolate's shared limiter over STORE, made on first use

function limiterOf(store, mode) {
  let limiter = limiters.get(mode);
  if (limiter === undefined) {
    limiter = new RateLimiter({ policies: [{ name: 'minute', limit: 5, windowMs: 60_000 }], store, name: `e2e-${mode}`,
      mode, expectedInstances: 2, deadlineMs: 5000 });
    limiters.set(mode, limiter);
  }
  return limiter;
}

const STORE_OPTIONS = { shards: 16, deadlineMs: 5000 };
const FAULT_OPTIONS = { shards: 4, deadlineMs: 50, breaker: { consecutiveFailures: 3, openMs: 60_000 } };

async function route(url, env, ctx) {
  const q = Object.fromEntries(url.searchParams);
  const store = storeOf(env, 'STORE', STORE_OPTIONS);
  const key = store.key(q.tag ?? '', q.name ?? 'n');
  switch (url.pathname) {
    case '/count': return store.evalScript(count, [key], [Number(q.ttl ?? 60_000)]);
    case '/json': return store.evalScript(json, [key], [q.text]);
    case '/fail': return store.evalScript(fail, [key], []);
    case '/big': return store.evalScript(big, [key], []);
    case '/echo': return store.evalScript(echo, [key], [Number(q.n), q.n]);
    case '/unregistered': return store.evalScript(unregistered, [key], []);
    case '/set': return store.set(key, q.value, { ttlMs: Number(q.ttl) });
    case '/get': return store.get(key);
    case '/delete': return store.delete(key);
    case '/object': return store.objectName(key);
    case '/limit': {
      // The lease's background calls outlive the response: handed to the runtime, or it drops them.
      const checked = limiterOf(store, q.mode).check(q.key, { waitUntil: ctx.waitUntil.bind(ctx) });
      return checked.then(({ allowed, source }) => ({ allowed, source }));
    }
    case '/slow': return storeOf(env, 'SLOW', FAULT_OPTIONS).get(key);
    case '/broken': return storeOf(env, 'BROKEN', FAULT_OPTIONS).get(key);
    case '/odd': return storeOf(env, 'ODD', FAULT_OPTIONS).get(key);
    case '/missing': return new DurableObjectStore(env.MISSING);
    case '/stats': return { store: store.stats(), slow: stores.get('SLOW')?.stats(), unhandled: [...unhandled.values()] };
    default: return { unknown: url.pathname };
  }
}

export async function handle(request, env, ctx) {
  try {
    await init();  // the store's breaker runs in the wasm core
    return Response.json({ value: (await route(new URL(request.url), env, ctx)) ?? null });
  } catch (error) {
    return Response.json({ error: error.code ?? String(error), message: error.message,
      store: error instanceof StoreError, retryAfterMs: error.retryAfterMs });
  }
}
