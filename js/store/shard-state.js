// The state of one Durable Object of the store (one shard of the key space), without the
// runtime: entries in memory, scripts run on them synchronously (so atomically), and what each
// call changed returned as puts and deletes for the object to persist. Time comes from the
// caller of each method (the object's clock).
//
// A script's writes go to a journal and are applied only when it returns: a script that throws,
// or that would grow the shard past maxKeys, changes nothing.
import { describe } from '../errors.js';

function isEntry(entry) {
  return entry !== null && typeof entry === 'object' && 'v' in entry && Number.isFinite(entry.e);
}

function failed(error, deletes = []) {
  return { error, puts: [], deletes };
}

class Journal {
  writes = new Map();  // key -> { v, e } or null (deleted)

  constructor(shard, now) {
    this.state = {
      get: (key) => (this.writes.has(key) ? this.writes.get(key)?.v : shard.read(key, now)),
      set: (key, value, ttlMs) => {
        if (typeof key !== 'string') throw new TypeError('a key is a string');
        if (value === undefined) throw new TypeError('a value is not undefined (use delete)');
        if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new TypeError('ttlMs is an integer >= 1 (every value expires)');
        this.writes.set(key, { v: value, e: now + ttlMs });
      },
      delete: (key) => {
        const existed = this.state.get(key) !== undefined;
        this.writes.set(key, null);
        return existed;
      },
    };
  }
}

export class ShardState {
  #entries = new Map();  // key -> { v: value, e: expiry time in ms }
  #maxKeys;

  constructor(maxKeys) {
    this.#maxKeys = maxKeys;
  }

  get size() {
    return this.#entries.size;
  }

  /** Takes the persisted entries; returns the keys to delete from storage (expired or foreign). */
  load(entries, now) {
    const deletes = [];
    for (const [key, entry] of entries) {
      if (isEntry(entry) && entry.e > now && this.#entries.size < this.#maxKeys) this.#entries.set(key, entry);
      else deletes.push(key);
    }
    return deletes;
  }

  /** The live value, or undefined (absent or expired: expired entries are left to sweep()). */
  read(key, now) {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.e > now ? entry.v : undefined;
  }

  /** Runs `run(state, keys, args)`: `{ reply, puts, deletes }`, or `{ error, puts, deletes }`. */
  run(name, run, keys, args, now) {
    const journal = new Journal(this, now);
    let reply;
    try {
      reply = run(journal.state, keys, args);
    } catch (error) {
      return failed(`the script ${name} failed: ${error instanceof Error ? error.message : describe(error)}`);
    }
    return this.#commit(journal.writes, now, reply);
  }

  set(key, value, ttlMs, now) {
    return this.#commit(new Map([[key, { v: value, e: now + ttlMs }]]), now, null);
  }

  /** `reply` is whether the key held a live value. */
  delete(key, now) {
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
    for (const key of deletes) this.#entries.delete(key);
    return { deletes, next };
  }

  #commit(writes, now, reply) {
    let deletes = [];
    if (this.#entries.size + this.#growth(writes) > this.#maxKeys) {
      deletes = this.sweep(now).deletes;
      if (this.#entries.size + this.#growth(writes) > this.#maxKeys) {
        return failed(`the Durable Object holds its maximum of ${this.#maxKeys} keys`, deletes);
      }
    }
    const puts = [];
    for (const [key, entry] of writes) {
      if (entry === null) {
        if (this.#entries.delete(key)) deletes.push(key);
      } else {
        this.#entries.set(key, entry);
        puts.push([key, entry]);
      }
    }
    return { reply, puts, deletes };
  }

  #growth(writes) {
    let n = 0;
    for (const [key, entry] of writes) if (entry !== null && !this.#entries.has(key)) n++;
    return n;
  }
}
