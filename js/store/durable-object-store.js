// DurableObjectStore: the store interface (store.d.ts) over a Durable Object namespace bound to
// EdgeguardDurableObject (edgeguard/durable-object). The keys of one call share a hash tag, and
// the tag's hash picks one of `shards` objects, so a call is one RPC to one object, where it runs
// atomically; the load spreads over many objects, never one global object (a single object tops
// out around 1,000 requests/s). Scripts run by name (their `run`, registered with the class).
// Every call has a deadline and goes through the store's breaker (store-calls.js). No
// publish/subscribe: objects do not push to isolates.
import { ConfigError, EdgeguardError, describe } from '../errors.js';
import { utf8Length } from '../core.js';
import { checkOptions, numberOption } from '../resilience.js';
import { checkKey, checkScriptCall, checkTtl, checkString } from './store-args.js';
import { StoreCalls } from './store-calls.js';
import { StoreBase } from './store-base.js';
import { slotText } from './store-key.js';

const DEFAULT_SHARDS = 64;
const MAX_SHARDS = 1 << 16;
const MAX_KEY_BYTES = 2048;         // ctx.storage's limit on a key
const MAX_VALUE_BYTES = 64 * 1024;  // half ctx.storage's 128 KiB per value, leaving room for the TTL

// An answer the object gave as an error: the store is up (STORE_ERROR), unlike a failed RPC.
class ObjectRefusal extends Error {}

// Anything but { reply } or { error } is not an EdgeguardDurableObject's answer (the namespace is
// bound to another class): the store is not there (STORE_UNAVAILABLE), and never a value.
function answer(result) {
  if (result !== null && typeof result === 'object') {
    if (typeof result.error === 'string') throw new ObjectRefusal(result.error);
    if ('reply' in result) return result.reply;
  }
  throw new Error(`the object answered ${describe(result)}, not as an EdgeguardDurableObject: is the namespace bound to it?`);
}

// MurmurHash3's 32-bit finalizer: a well-mixed next number from the last.
function mix(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// Jump consistent hashing (Lamping and Veach) of the tag's FNV-1a (32 bits over its UTF-16 code
// units), its random steps drawn by mix(): going from n to m > n shards moves only the keys that
// land on the new objects ((m - n) / m of them; a key that moves starts afresh there), where a
// plain hash mod n would move almost all. Stable across runtimes and releases.
function shardOf(text, shards) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let shard = 0;
  for (let next = 0; next < shards;) {
    shard = next;
    h = mix((h + 0x9e3779b9) >>> 0);
    next = Math.floor(((shard + 1) * 0x100000000) / (h + 1));
  }
  return shard;
}

function shardName(index) {
  return `edgeguard:${index}`;
}

function checkStorableKey(key) {
  checkKey(key);
  if (key.length * 3 > MAX_KEY_BYTES && utf8Length(key) > MAX_KEY_BYTES) {
    throw new EdgeguardError('INVALID_INPUT', `a key is at most ${MAX_KEY_BYTES} bytes of UTF-8`);
  }
}

function checkNamespace(namespace) {
  if (typeof namespace?.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw new ConfigError('CONFIG_INVALID', 'namespace must be a Durable Object namespace binding (env.EDGEGUARD_STORE) bound to EdgeguardDurableObject; is it in wrangler.toml?');
  }
}

export class DurableObjectStore extends StoreBase {
  #namespace;
  #calls;
  #shards;
  #ids = [];  // shard index -> DurableObjectId, at most `shards`

  /**
   * namespace: the binding of a Durable Object namespace whose class is EdgeguardDurableObject
   * (or a subclass). options: prefix = 'eg:', shards = 64, deadlineMs = 50, breaker, clock, timers.
   */
  constructor(namespace, options) {
    const opts = checkOptions(options);
    checkNamespace(namespace);
    const calls = new StoreCalls(opts, (error) => !(error instanceof ObjectRefusal));
    super(opts, calls);
    this.#namespace = namespace;
    this.#shards = numberOption(opts, 'shards', 1, MAX_SHARDS, DEFAULT_SHARDS);
    this.#calls = calls;
  }

  /** The longest key a call takes, in bytes of UTF-8 (ctx.storage's limit). */
  get maxKeyBytes() {
    return MAX_KEY_BYTES;
  }

  /** The largest value set() takes, in bytes of UTF-8. */
  get maxValueBytes() {
    return MAX_VALUE_BYTES;
  }

  /** The name (for namespace.idFromName) of the object that owns `key`. */
  objectName(key) {
    checkKey(key);
    return shardName(shardOf(slotText(key), this.#shards));
  }

  evalScript(script, keys, args, options) {
    checkScriptCall(script, keys, args);
    if (script.name === undefined) {
      throw new EdgeguardError('INVALID_INPUT', 'the Durable Object store runs a script by name: defineScript(source, { name, run })');
    }
    keys.forEach(checkStorableKey);
    const deadlineMs = this.#calls.deadline(checkOptions(options));
    return this.#calls.run(() => this.#eval(script, keys, args), deadlineMs);
  }

  // Once the digest is known this runs without an await of its own: a script call is the hot path.
  #eval(script, keys, args) {
    const digest = script.digest;
    if (digest === undefined) return script.sha1().then(() => this.#eval(script, keys, args));
    return this.#object(keys[0] ?? '').storeEval(script.name, digest, keys, args).then(answer);
  }

  get(key, options) {
    checkStorableKey(key);
    return this.#send(key, (object) => object.storeGet(key), options);
  }

  set(key, value, options) {
    checkStorableKey(key);
    checkString(value, 'value');
    if (value.length * 3 > MAX_VALUE_BYTES && utf8Length(value) > MAX_VALUE_BYTES) {
      throw new EdgeguardError('INVALID_INPUT', `a value is at most ${MAX_VALUE_BYTES} bytes of UTF-8`);
    }
    const ttlMs = checkTtl(options);
    return this.#send(key, (object) => object.storeSet(key, value, ttlMs), options).then(() => undefined);
  }

  delete(key, options) {
    checkStorableKey(key);
    return this.#send(key, (object) => object.storeDelete(key), options);
  }

  #send(key, call, options) {
    const deadlineMs = this.#calls.deadline(checkOptions(options));
    return this.#calls.run(() => call(this.#object(key)).then(answer), deadlineMs);
  }

  // A stub per call: a stub belongs to the request that made it, and a store outlives requests.
  #object(key) {
    const shard = shardOf(slotText(key), this.#shards);
    const id = this.#ids[shard] ??= this.#namespace.idFromName(shardName(shard));
    return this.#namespace.get(id);
  }

  stats() {
    return { ...this.#calls.stats(), shards: this.#shards };
  }
}
