// edgeguard/durable-object: the Durable Object class behind DurableObjectStore. Each object owns
// the keys whose hash tags hash to it and runs scripts on them by name, synchronously (so no two
// calls interleave), with the state in memory and every change persisted through ctx.storage
// before the caller sees the answer: an evicted or restarted object reloads it, since a rate
// limit that reset on eviction would fail open. Expired keys read as absent and an alarm sweeps
// them. The wasm core is loaded as entry.workerd.js loads it: edgeguard's built-in scripts use it.
import { DurableObject } from 'cloudflare:workers';
import { describe, intOption } from './errors.js';
import { init } from './entry.workerd.js';
import { builtinScripts } from './store/builtin-scripts.js';
import { ScriptRegistry } from './store/script-registry.js';
import { ShardState } from './store/shard-state.js';

const STORAGE_BATCH = 128;   // the most keys one ctx.storage put() or delete() takes

const MAX_KEYS = 1_000_000;
const MAX_BYTES = 2 ** 30;
const MAX_SWEEP_MS = 0x7fffffff;

const settings = new WeakMap();  // class -> its checked statics, read once per isolate

// A subclass's statics, checked: a maxKeys that is not a number would lift the bound on memory.
function settingsOf(cls) {
  let found = settings.get(cls);
  if (found === undefined) {
    found = {
      registry: new ScriptRegistry(cls.scripts, builtinScripts),
      maxKeys: intOption(cls, 'maxKeys', 1, MAX_KEYS, EdgeguardDurableObject.maxKeys),
      maxBytes: intOption(cls, 'maxBytes', 1024, MAX_BYTES, EdgeguardDurableObject.maxBytes),
      sweepMs: intOption(cls, 'sweepMs', 1, MAX_SWEEP_MS, EdgeguardDurableObject.sweepMs),
    };
    settings.set(cls, found);
  }
  return found;
}

function batches(items) {
  const out = [];
  for (let i = 0; i < items.length; i += STORAGE_BATCH) out.push(items.slice(i, i + STORAGE_BATCH));
  return out;
}

export class EdgeguardDurableObject extends DurableObject {
  /** Your own scripts (defineScript with name and run), besides edgeguard's: set in a subclass. */
  static scripts = [];
  /** The most keys one object holds (in memory and storage); a call that would pass it is refused. */
  static maxKeys = 10_000;
  /**
   * The most bytes of keys and values one object holds in memory (as counted: strings as UTF-16,
   * 16 bytes a value or property besides): an object's isolate has 128 MB, shared with others,
   * and one past it resets, reloading it all on its next call. A call that would pass it is refused.
   */
  static maxBytes = 16 * 1024 * 1024;
  /** An alarm sweeps expired keys out of memory and storage at most this often (ms). */
  static sweepMs = 60_000;

  #settings;
  #shard;
  #alarmAt = null;  // when the alarm is set for (runtime clock), or null

  constructor(ctx, env) {
    super(ctx, env);
    this.#settings = settingsOf(new.target);
    this.#shard = new ShardState(this.#settings.maxKeys, this.#settings.maxBytes);
    // A failed load resets the object (the runtime's rule): its callers see their calls fail.
    // The rejection is that signal, so it is consumed here rather than left unhandled.
    ctx.blockConcurrencyWhile(() => this.#load()).catch(() => {});
  }

  /** The object's clock (ms): TTLs run on it. */
  now() {
    return Date.now();
  }

  async #load() {
    await Promise.all([init(), this.#settings.registry.ready()]);
    const storage = this.ctx.storage;
    await this.#remove(this.#shard.load(await storage.list(), this.now()));
    this.#alarmAt = await storage.getAlarm();
    await this.#schedule(this.#shard.sweep(this.now()).next);
  }

  /** RPC: runs the script registered as `name` (its source's SHA-1 `digest`) on keys and args. */
  storeEval(name, digest, keys, args) {
    const found = this.#settings.registry.resolve(name, digest);
    if (found.error !== undefined) return { error: found.error };
    return this.#persist(this.#shard.run(name, found.script.run, keys, args, this.now()));
  }

  /** RPC: a string value, or null. */
  storeGet(key) {
    const value = this.#shard.read(key, this.now());
    if (value === undefined) return { reply: null };
    return typeof value === 'string' ? { reply: value } : { error: `${describe(key)} holds a script's value, not a string` };
  }

  storeSet(key, value, ttlMs) {
    return this.#persist(this.#shard.set(key, value, ttlMs, this.now()));
  }

  storeDelete(key) {
    return this.#persist(this.#shard.delete(key, this.now()));
  }

  /** RPC: how full this object is. */
  storeStats() {
    const { maxKeys, maxBytes } = this.#settings;
    return { keys: this.#shard.size, maxKeys, bytes: this.#shard.bytes, maxBytes };
  }

  async alarm() {
    this.#alarmAt = null;
    const { deletes, next } = this.#shard.sweep(this.now());
    await this.#remove(deletes);
    await this.#schedule(next);
  }

  // Memory changes only once storage has taken the change: all its writes are issued in one turn,
  // with no await between (the runtime commits them together), and memory stays as it was when
  // storage refuses one (a RangeError: a value or key over its size limits), which is the
  // script's error (STORE_ERROR), not a store failing. A write that fails in storage itself
  // resets the object, memory and all. No other call runs meanwhile (the input gate), and the
  // answer leaves only once storage has the change.
  async #persist(change) {
    const { reply, error, puts, deletes } = change;
    const storage = this.ctx.storage;
    try {
      await Promise.all([
        ...batches(puts).map((batch) => storage.put(Object.fromEntries(batch))),
        ...batches(deletes).map((batch) => storage.delete(batch)),
      ]);
    } catch (refused) {
      if (!(refused instanceof RangeError)) throw refused;  // storage failing: the caller's STORE_UNAVAILABLE
      return { error: `the change could not be stored: ${refused.message}` };
    }
    this.#shard.apply(change);
    if (puts.length > 0) await this.#schedule(puts.reduce((min, [, entry]) => Math.min(min, entry.e), Infinity));
    return error === undefined ? { reply } : { error };
  }

  #remove(keys) {
    return Promise.all(batches(keys).map((batch) => this.ctx.storage.delete(batch)));
  }

  // The alarm goes off when the earliest known key expires (`next`, on the object's clock), but
  // no sooner than sweepMs from now; it only ever moves earlier, so a burst of writes sets it
  // once. Alarms run on the runtime's clock, whatever now() says.
  async #schedule(next) {
    if (next === undefined) return;
    const at = Date.now() + Math.max(this.#settings.sweepMs, next - this.now());
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
