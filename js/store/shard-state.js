// The state of one Durable Object of the store (one shard of the key space), without the
// runtime: entries in memory, scripts run on them synchronously (so atomically), and what each
// call changed returned as puts and deletes for the object to persist. Time comes from the
// caller of each method (the object's clock).
//
// A script's writes go to a journal; what a call would change comes back as puts and deletes,
// applied to memory by apply() once storage has taken them: a script that throws, that would grow
// the shard past maxKeys, or whose change storage refuses, changes nothing. It reads and writes
// copies.
import { describe } from '../errors.js';

function isEntry(entry) {
  return entry !== null && typeof entry === 'object' && 'v' in entry && Number.isFinite(entry.e);
}

// Values are kept and handed out as copies, as storage keeps them: a script that changed a value
// read in place would otherwise change memory and not storage (lost on eviction), even when it
// then fails. A value storage cannot clone (a function) fails here, as the script's error.
function copy(value) {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

// A reply as Redis gives a Lua script's: numbers as integers (truncated), true as 1, false and
// nil as null, arrays cut at their first nil. Anything no Lua script can return is the script's
// error, so that a run and its Lua twin cannot differ unseen.
function luaReply(value) {
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return 1;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value) + 0;  // + 0: no -0
  if (!Array.isArray(value)) throw new TypeError(`a reply is null, a boolean, a finite number, a string or an array of them (got ${describe(value)})`);
  const end = value.findIndex((item) => item === undefined || item === null);
  return (end < 0 ? value : value.slice(0, end)).map(luaReply);
}

function failed(error, deletes = []) {
  return { error, puts: [], deletes };
}

// Roughly the memory an entry takes: strings as UTF-16, 16 bytes for every other value, property
// or element besides its contents, each object counted once (a value may hold cycles). A bound
// on memory, not an accounting of it.
function sizeOf(value, seen = new Set()) {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (typeof value !== 'object' || value === null) return 16;
  if (seen.has(value)) return 16;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 16 + value.byteLength;
  let n = 16;
  if (value instanceof Map) for (const [k, v] of value) n += sizeOf(k, seen) + sizeOf(v, seen);
  else if (value instanceof Set) for (const v of value) n += sizeOf(v, seen);
  else for (const k of Object.keys(value)) n += sizeOf(k, seen) + sizeOf(value[k], seen);
  return n;
}

const entrySize = (key, entry) => sizeOf(key) + sizeOf(entry.v) + 16;

const isTtl = (ttlMs) => Number.isInteger(ttlMs) && ttlMs >= 1;
const isArg = (arg) => typeof arg === 'string' || Number.isFinite(arg);

class Journal {
  writes = new Map();  // key -> { v, e } or null (deleted)

  constructor(shard, now) {
    this.state = {
      get: (key) => copy(this.writes.has(key) ? this.writes.get(key)?.v : shard.read(key, now)),
      set: (key, value, ttlMs) => {
        if (typeof key !== 'string') throw new TypeError('a key is a string');
        if (value === undefined) throw new TypeError('a value is not undefined (use delete)');
        if (!isTtl(ttlMs)) throw new TypeError('ttlMs is an integer >= 1 (every value expires)');
        this.writes.set(key, { v: copy(value), e: now + ttlMs });
      },
      delete: (key) => {
        const existed = this.state.get(key) !== undefined;
        this.writes.set(key, null);
        return existed;
      },
      ttl: (key) => {
        const expiry = this.writes.has(key) ? this.writes.get(key)?.e : shard.expiry(key, now);
        return expiry === undefined ? -2 : expiry - now;
      },
    };
  }
}

export class ShardState {
  #entries = new Map();  // key -> { v: value, e: expiry time in ms }
  #sizes = new Map();    // key -> entrySize()
  #bytes = 0;
  #maxKeys;
  #maxBytes;

  /** At most `maxKeys` keys and `maxBytes` bytes (as sizeOf() counts them) in memory and storage. */
  constructor(maxKeys, maxBytes) {
    this.#maxKeys = maxKeys;
    this.#maxBytes = maxBytes;
  }

  get size() {
    return this.#entries.size;
  }

  /** The bytes held, as sizeOf() counts them. */
  get bytes() {
    return this.#bytes;
  }

  /** Takes the persisted entries; returns the keys to delete from storage (expired or foreign). */
  load(entries, now) {
    const deletes = [];
    for (const [key, entry] of entries) {
      const fits = isEntry(entry) && entry.e > now && this.#entries.size < this.#maxKeys
        && this.#bytes + entrySize(key, entry) <= this.#maxBytes;
      if (fits) this.#set(key, entry);
      else deletes.push(key);
    }
    return deletes;
  }

  /** The live value, or undefined (absent or expired: expired entries are left to sweep()). */
  read(key, now) {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.e > now ? entry.v : undefined;
  }

  /** When the live value expires, or undefined (absent or expired). */
  expiry(key, now) {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.e > now ? entry.e : undefined;
  }

  // run, set and delete check what they are given: it comes over RPC, from any worker bound to
  // the namespace (another release of the store, a user's own call), and a bad TTL would keep a
  // key that never expires. The args go to `run` as strings, as Lua gets ARGV over Redis: a run
  // sees what its Lua twin sees (a number stored from an arg reads back as the same string).

  /**
   * Runs `run(state, keys, args)`: `{ reply, puts, deletes }` to apply(), or `{ error, puts,
   * deletes }` (only expired keys swept to make room, already gone from memory).
   */
  run(name, run, keys, args, now) {
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string') || !Array.isArray(args) || !args.every(isArg)) {
      return failed('a script call takes keys as strings, and args as strings or finite numbers');
    }
    const journal = new Journal(this, now);
    let reply;
    try {
      reply = luaReply(run(journal.state, keys, args.map(String)));
    } catch (error) {
      return failed(`the script ${name} failed: ${error instanceof Error ? error.message : describe(error)}`);
    }
    return this.#commit(journal.writes, now, reply);
  }

  set(key, value, ttlMs, now) {
    if (typeof key !== 'string' || typeof value !== 'string' || !isTtl(ttlMs)) {
      return failed('a set takes a string key and value, and ttlMs an integer >= 1');
    }
    return this.#commit(new Map([[key, { v: value, e: now + ttlMs }]]), now, null);
  }

  /** `reply` is whether the key held a live value. */
  delete(key, now) {
    if (typeof key !== 'string') return failed('a key is a string');
    return this.#commit(new Map([[key, null]]), now, this.read(key, now) !== undefined);
  }

  /** Drops expired entries: `{ deletes, next }`, next the earliest expiry left (or undefined). */
  sweep(now) {
    const deletes = [];
    let next;
    for (const [key, entry] of this.#entries) {
      if (entry.e <= now) deletes.push(key);
      else if (next === undefined || entry.e < next) next = entry.e;
    }
    for (const key of deletes) this.#delete(key);
    return { deletes, next };
  }

  /** Applies a change in memory, once storage has taken it. */
  apply({ puts, deletes }) {
    for (const [key, entry] of puts) this.#set(key, entry);
    for (const key of deletes) this.#delete(key);
  }

  #set(key, entry) {
    const size = entrySize(key, entry);
    this.#bytes += size - (this.#sizes.get(key) ?? 0);
    this.#sizes.set(key, size);
    this.#entries.set(key, entry);
  }

  #delete(key) {
    this.#bytes -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
    this.#entries.delete(key);
  }

  #commit(writes, now, reply) {
    let deletes = [];
    if (this.#overflow(writes) !== undefined) {
      deletes = this.sweep(now).deletes;
      const overflow = this.#overflow(writes);
      if (overflow !== undefined) return failed(`the Durable Object holds its maximum of ${overflow}`, deletes);
    }
    const puts = [];
    for (const [key, entry] of writes) {
      if (entry !== null) puts.push([key, entry]);
      else if (this.#entries.has(key)) deletes.push(key);
    }
    return { reply, puts, deletes };
  }

  // What the writes would take past a bound ('10000 keys', '16777216 bytes'), or undefined.
  #overflow(writes) {
    let keys = this.#entries.size;
    let bytes = this.#bytes;
    for (const [key, entry] of writes) {
      bytes -= this.#sizes.get(key) ?? 0;
      if (entry === null) {
        if (this.#entries.has(key)) keys--;
        continue;
      }
      if (!this.#entries.has(key)) keys++;
      bytes += entrySize(key, entry);
    }
    if (keys > this.#maxKeys) return `${this.#maxKeys} keys`;
    return bytes > this.#maxBytes ? `${this.#maxBytes} bytes` : undefined;
  }
}
