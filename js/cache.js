// Cache: a bounded, stale-aware response cache. What is fresh, what may be served stale and for
// how long, and what to evict (W-TinyLFU by default) is the C++ core's (src/edgeguard/cache/);
// this class maps keys to the core's slots, holds the values, and does the I/O: single-flight
// fetches, background revalidation, timeouts, events and snapshots.
//
// Why keys stay in JS: a Map<string, slot> lookup plus one numeric call measured faster than
// copying key bytes into linear memory on every get (bench/cache.bench.js). The core still
// needs a hash of keys it does not hold, for the admission filter's frequency estimates: it is
// computed here (seeded FNV-1a over pairs of UTF-16 units) only when a new key is stored.
import { module, isWellFormed, utf8Length } from './core.js';
import { WasmObject } from './dispose.js';
import { EdgeguardError, describe, invalidOption } from './errors.js';
import {
  Listeners, MAX_MS, checkOptions, coreObject, functionOption, numberOption, signalOption, timersOption,
} from './resilience.js';
import { withTimeout } from './timeout.js';
import { coarseClock } from './coarse-clock.js';
import { Clock } from './clock.js';
import { SharedTier } from './cache/shared-tier.js';
import { RESET } from './cache/invalidation-log.js';
import {
  CLEAR, CODES, DELETE, EXPIRE, EXPIRED, FRESH, FRESHNESS_MASK, INVALIDATE, INVALID_ARGUMENT, POLICIES, REASONS,
  STALE, STALE_IF_ERROR_ONLY, STATES, TOO_LARGE, USABLE_ON_ERROR, OutSlot as OUT, WordSlot as WORD, STORED_AT, TTL_AT,
  LIFETIME_DOUBLES, READ_BUFFER, MAX_TAGS, MAX_TAG_BYTES,
} from './cache/core-codes.js';

/** A call the cache cannot serve: a bad key, tag or snapshot, or a failed fetch. */
export class CacheError extends EdgeguardError {}

const SNAPSHOT_VERSION = 1;
// Keys a warm-up reads from the shared tier at once, within one deadline: as many as one
// request of UpstashStore's carries.
const WARM_BATCH = 64;

// Views of linear memory shared by every cache, rebuilt when memory growth detaches them (a
// detached view has length 0): the core's static result arrays (wasm/bridge_cache.cpp) and the
// whole heap as 32-bit words and as doubles, through which fresh reads are answered here.
let out = new Float64Array(0);
let words = new Uint32Array(0);
let heap32 = new Uint32Array(0);
let heapF64 = new Float64Array(0);

function views(mod) {
  if (out.length === 0 || heap32.length === 0 || heapF64.length === 0) {
    const buffer = mod.HEAPU8.buffer;
    out = new Float64Array(buffer, mod._eg_cache_out(), OUT.OUT_COUNT);
    words = new Uint32Array(buffer, mod._eg_cache_words(), WORD.WORD_COUNT);
    heap32 = new Uint32Array(buffer);
    heapF64 = new Float64Array(buffer);
  }
}

// The core's lifetimes are LIFETIME_DOUBLES by slot, stored_at and ttl among them (checked by a
// static_assert in the bridge). Reads queue up to READ_BUFFER slots before the core hears them.

/**
 * The key hash the admission filter counts: seeded FNV-1a over pairs of UTF-16 code units (half
 * the multiplications of one unit per step; each step stays a bijection, and the core's sketch
 * mixes the result again before use).
 */
export function hashKey(key, seed) {
  let h = (0x811c9dc5 ^ seed) | 0;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16)), 16777619);
  if (i < n) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The core's freshness of a lifetime it does not hold (a shared-tier entry): `{ code, ageMs,
 * untilMs }`, code as eg_cache_get returns it (0 fresh, 1 stale, 2 stale-if-error only, 3
 * expired; | 4 when usable on error), untilMs the last usable moment.
 */
export function classifyLifetime(at, ttl, swr, sie, now) {
  const mod = module('resilience');
  const code = mod._eg_cache_classify(at, ttl, swr, sie, now);
  views(mod);
  return { code, ageMs: out[OUT.AGE], untilMs: out[OUT.DEADLINE] };
}

/**
 * A duration in ms: a number >= 0; Infinity only where `infinite` (a ttl may never end, a stale
 * window may not: stale is never served forever).
 */
function msOption(options, name, fallback, infinite = false) {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!infinite && value === Infinity)) {
    throw invalidOption(name, `a number of milliseconds >= 0${infinite ? ' (Infinity for never)' : ''}`, value);
  }
  return value;
}

/** Bytes of strings (UTF-16 code units), ArrayBuffers, views and Blobs; undefined otherwise. */
export function defaultSizeOf(value) {
  if (typeof value === 'string') return value.length;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof Blob === 'function' && value instanceof Blob) return value.size;
  return undefined;
}

function checkTags(tags) {
  if (tags === undefined) return '';
  if (!Array.isArray(tags) || tags.length > MAX_TAGS) {
    throw new CacheError('CACHE_INVALID_TAG', `tags must be an array of at most ${MAX_TAGS} strings (got ${describe(tags)})`);
  }
  for (const t of tags) {
    if (typeof t !== 'string' || t.length === 0 || t.length > MAX_TAG_BYTES || t.includes('\0')) {
      throw new CacheError('CACHE_INVALID_TAG',
        `a tag must be a non-empty string of at most ${MAX_TAG_BYTES} characters without NUL (got ${describe(t)})`);
    }
    // Checked here rather than when the tags are encoded, so that restore() can refuse a snapshot whole.
    if (!isWellFormed(t)) badString();
    if (t.length * 3 > MAX_TAG_BYTES && utf8Length(t) > MAX_TAG_BYTES) {
      throw new CacheError('CACHE_INVALID_TAG', `a tag is longer than ${MAX_TAG_BYTES} UTF-8 bytes`);
    }
  }
  return tags.join('\0');
}


function badString() {
  throw new CacheError('CACHE_INVALID_TAG', 'a tag has a lone surrogate and cannot be encoded');
}

const NO_OPTIONS = Object.freeze({});

// getOrFetch's options, every one checked before anything is fetched or armed: a bad lifetime or
// tag found only when the value is stored would throw the fetched value away.
function fetchOptions(o) {
  numberOption(o, 'timeoutMs', 1, MAX_MS);
  numberOption(o, 'leaseMs', 1, MAX_MS);
  functionOption(o, 'isError');
  functionOption(o, 'waitUntil');
  signalOption(o);
  msOption(o, 'ttlMs', undefined, true);
  msOption(o, 'staleWhileRevalidateMs');
  msOption(o, 'staleIfErrorMs');
  if (o.tags !== undefined) checkTags(o.tags);
  if (o.size !== undefined) checkSize(o.size);
  return o;
}

function checkSize(size) {
  if (!Number.isInteger(size) || size < 0 || size > Number.MAX_SAFE_INTEGER) {
    throw new CacheError('CACHE_INVALID_SIZE', `an entry size must be an integer >= 0 (got ${describe(size)})`);
  }
  return size;
}

// The options the core reads (src/edgeguard/cache/cache_options.hpp):
// tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = { policy: null, maxEntries: null, maxBytes: null, seed: null };

const decoder = new TextDecoder();

export class Cache extends WasmObject {
  #mod;
  #map = new Map();   // key -> slot
  #keys = [];         // slot -> key
  #values = [];       // slot -> value
  #inflight = new Map();  // key -> promise of { value, ageMs, fallback }
  // A fetch that was in flight when its key was deleted or invalidated must not store what it
  // got (it may predate the change that caused the invalidation): keys dropped while in flight,
  // and a generation bumped by clear() and tag invalidation, which may touch any key.
  #dropped = new Set();
  #generation = 0;
  #removals = 0;  // keys removed, present or not: a warm-up's reads in flight then copy nothing
  #events = new Listeners(['evict', 'expire']);
  #clock;
  #sizeOf;
  #seed;
  #hashed;  // only TinyLFU's admission filter uses key hashes
  #maxKeyLength;
  #timers;
  #waitUntil;
  #defaults;
  #tier;  // the shared tier (cache/shared-tier.js), or undefined
  #checking;  // its invalidation log being read
  // get()'s own references to the heap views (a field reads faster than a module binding that
  // is reassigned: measured ~9% of a get hit). Memory growth detaches both at once; get() then
  // reads undefined lifetimes, takes the slow path, and that refreshes them.
  #f64 = heapF64;
  #u32 = heap32;
  #livesBase = 0;    // index of the core's lifetime of slot 0 in the heap's doubles
  #readsBase;        // index of the core's read queue in the heap's 32-bit words
  #pending = 0;      // fresh reads queued there
  #stats = {
    hits: 0, misses: 0, staleHits: 0, staleIfErrorHits: 0, coalesced: 0,
    fetches: 0, fetchErrors: 0, revalidations: 0, revalidationErrors: 0,
  };
  #evictions = REASONS.map(() => 0);  // by reason

  /**
   * `{ maxEntries, maxBytes, sizeOf, ttlMs = Infinity, staleWhileRevalidateMs = 0,
   *    staleIfErrorMs = 0, policy = 'tinylfu', clock = coarseClock, seed, maxKeyLength = 4096,
   *    timers, waitUntil, shared, sharedOptions }`. At least one of maxEntries / maxBytes.
   * `shared`: a store (edgeguard/store) holding a second tier every instance reads (see
   * cache/shared-tier.js for sharedOptions). Invalid options throw ConfigError.
   */
  constructor(options = {}) {
    const o = checkOptions(options);
    const clock = functionOption(o, 'clock', coarseClock);
    // The key hash's seed, unless given: entropy is JS's to draw. Its range is the core's.
    const seed = o.seed === undefined ? Math.floor(Math.random() * 0x100000000) : o.seed;
    const defaults = Object.freeze({
      ttlMs: msOption(o, 'ttlMs', Infinity, true),
      staleWhileRevalidateMs: msOption(o, 'staleWhileRevalidateMs', 0),
      staleIfErrorMs: msOption(o, 'staleIfErrorMs', 0),
    });
    const sizeOf = functionOption(o, 'sizeOf', undefined);
    const maxKeyLength = numberOption(o, 'maxKeyLength', 1, 1 << 20, 4096);
    const waitUntil = functionOption(o, 'waitUntil', undefined);
    // Checked before the core allocates: a bad store option must not leak the core's table.
    const timers = timersOption(o);
    const tier = o.shared === undefined ? undefined
      : new SharedTier(o.shared, o, classifyLifetime, timers, () => this.#clock.now(), (changes) => this.#applyRemote(changes));
    const mod = module('resilience');
    // Infinity, which JSON cannot hold, is an absent bound.
    const bound = (value) => (value === Infinity ? undefined : value);
    const given = { policy: o.policy, maxEntries: bound(o.maxEntries), maxBytes: bound(o.maxBytes), seed };
    const handle = coreObject(mod, given, CORE_OPTIONS, (ptr, len) => mod._eg_cache_new(ptr, len));
    super(handle, mod._eg_cache_free);
    views(mod);  // what the core made of the options: its defaults decide these
    this.maxEntries = out[OUT.MAX_ENTRIES];
    this.maxBytes = out[OUT.MAX_BYTES];
    this.policy = POLICIES[out[OUT.POLICY]];
    this.#mod = mod;
    this.#clock = new Clock(clock, CacheError);
    this.#sizeOf = sizeOf;
    this.#seed = seed;
    this.#hashed = this.policy === 'tinylfu';
    this.#maxKeyLength = maxKeyLength;
    this.#timers = timers;
    this.#waitUntil = waitUntil;
    this.#defaults = defaults;
    this.#tier = tier;
    this.#readsBase = mod._eg_cache_reads(handle) >>> 2;
    this.#views();
  }

  // After a core call that may have grown memory: the shared views, then get()'s copies. All
  // views of one buffer detach together, so get()'s copy being attached means nothing grew.
  #views() {
    if (this.#f64.length !== 0) return;
    views(this.#mod);
    this.#f64 = heapF64;
    this.#u32 = heap32;
  }

  get size() {
    return this.#map.size;
  }

  /**
   * `{ value, state: 'fresh' | 'stale', ageMs }`, or undefined when missing, expired or only usable
   * on error. Memory only: being synchronous, get() cannot read the shared tier (getOrFetch does).
   */
  get(key) {
    const slot = this.#map.get(key);
    if (slot === undefined) {
      this.#stats.misses++;
      return undefined;
    }
    const now = this.#clock.now();
    // With a shared tier, invalidations made elsewhere are read when due; get() cannot wait for
    // them, so it may serve once more what the check then removes.
    if (this.#tier !== undefined && this.#tier.due(now)) this.#checkGenerations();
    // Fresh (the common case) is answered from the core's entry and the use queued for it;
    // everything else asks the core.
    const lives = this.#f64;
    const base = this.#livesBase + slot * LIFETIME_DOUBLES;
    const age = now > lives[base + STORED_AT] ? now - lives[base + STORED_AT] : 0;
    if (age < lives[base + TTL_AT]) {
      this.handle;  // throws once disposed
      this.#u32[this.#readsBase + this.#pending] = slot;
      if (++this.#pending === READ_BUFFER) this.#flush();
      this.#stats.hits++;
      return { value: this.#values[slot], state: 'fresh', ageMs: age };
    }
    return this.#slowGet(slot, now);
  }

  #slowGet(slot, now) {
    this.#flush();
    const code = this.#mod._eg_cache_get(this.handle, slot, now, 1) & FRESHNESS_MASK;
    this.#views();
    if (code <= STALE) {
      if (code === FRESH) this.#stats.hits++;
      else this.#stats.staleHits++;
      return { value: this.#values[slot], state: STATES[code], ageMs: out[OUT.AGE] };
    }
    if (code === EXPIRED) this.#forget(slot, EXPIRE);
    this.#stats.misses++;
    return undefined;
  }

  // Applies the queued fresh reads to the policy; before any other call that uses the table.
  #flush() {
    if (this.#pending === 0) return;
    this.#mod._eg_cache_apply_reads(this.handle, this.#pending);
    this.#pending = 0;
  }

  /** Like get(), without counting as a use (no recency, no frequency, no stats). */
  peek(key) {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    const now = this.#clock.now();  // before the handle: a clock may dispose this cache
    const code = this.#mod._eg_cache_get(this.handle, slot, now, 0) & FRESHNESS_MASK;
    if (code > STALE) return undefined;
    this.#views();
    return { value: this.#values[slot], state: STATES[code], ageMs: out[OUT.AGE] };
  }

  /** Whether get() would return the key now (fresh or within stale-while-revalidate). */
  has(key) {
    return this.peek(key) !== undefined;
  }

  /**
   * Stores `value`; `options`: `{ ttlMs, staleWhileRevalidateMs, staleIfErrorMs, tags, size,
   * ageMs }`. Returns whether the value is now cached: false when it is larger than maxBytes
   * (an older value under the key is dropped too) or the admission policy turned it away.
   */
  set(key, value, options) {
    return this.#set(key, value, options, this.#waitUntil);
  }

  #set(key, value, options, waitUntil) {
    const entry = this.#entry(key, value, options);
    const now = this.#clock.now();
    const cached = this.#commit(entry, now);
    if (this.#tier) this.#share(entry, now, waitUntil);
    return cached;
  }

  // Writes the entry behind to the shared tier; the write (which never rejects) goes to waitUntil.
  #share({ key, value, size, age, ttl, swr, sie, tags }, now, waitUntil) {
    const written = this.#tier.write(key, value,
      { at: now - age, ttl, swr, sie, size, tags: tags === '' ? undefined : tags.split('\0') }, now);
    if (written && waitUntil) waitUntil(written);
  }

  // set()'s arguments checked, as what #commit stores: everything that can be refused but the
  // core's running out of memory.
  #entry(key, value, options) {
    this.#checkKey(key);
    const o = options === undefined ? NO_OPTIONS : checkOptions(options);
    const d = this.#defaults;
    // The undefined tests stay inline although msOption makes them too: four msOption calls for
    // absent options measured ~50 ns more per set (bench/cache.bench.js, set with eviction).
    const ttl = o.ttlMs === undefined ? d.ttlMs : msOption(o, 'ttlMs', undefined, true);
    const swr = o.staleWhileRevalidateMs === undefined ? d.staleWhileRevalidateMs : msOption(o, 'staleWhileRevalidateMs');
    const sie = o.staleIfErrorMs === undefined ? d.staleIfErrorMs : msOption(o, 'staleIfErrorMs');
    const age = o.ageMs === undefined ? 0 : msOption(o, 'ageMs');
    const size = this.#size(key, value, o.size);
    const tags = o.tags === undefined ? '' : checkTags(o.tags);
    return { key, value, size, age, ttl, swr, sie, tags };
  }

  #commit({ key, value, size, age, ttl, swr, sie, tags }, now) {
    if (tags === '') return this.#store(key, value, size, now, age, ttl, swr, sie, 0, 0);
    return this.#mod.withBytes(tags, MAX_TAGS * (MAX_TAG_BYTES + 1) * 3,
      (ptr, len) => this.#store(key, value, size, now, age, ttl, swr, sie, ptr, len), badString);
  }

  #store(key, value, size, now, age, ttl, swr, sie, ptr, len) {
    const mod = this.#mod;
    const handle = this.handle;
    this.#flush();
    const slot = this.#map.get(key);
    let status;
    let stored = slot;
    if (slot !== undefined) {
      status = -mod._eg_cache_replace(handle, slot, size, now, age, ttl, swr, sie, ptr, len);
      if (status === 0) this.#values[slot] = value;
    } else {
      const hash = this.#hashed ? hashKey(key, this.#seed) : 0;
      stored = mod._eg_cache_insert(handle, hash, size, now, age, ttl, swr, sie, ptr, len);
      status = stored < 0 ? -stored : 0;
      if (stored >= 0) {
        this.#keys[stored] = key;
        this.#values[stored] = value;
        this.#map.set(key, stored);
      }
    }
    this.#drain();
    this.#livesBase = words[WORD.LIFETIMES_AT] >>> 3;
    // Still cached unless the policy turned it away in this very call (its slot was emptied).
    if (status === 0) return this.#keys[stored] === key;
    if (status === TOO_LARGE) return false;
    // Lifetimes and sizes were checked here; what the core can still refuse is a tag that is
    // short in UTF-16 but longer than MAX_TAG_BYTES in UTF-8.
    if (status === INVALID_ARGUMENT && len > 0) {
      throw new CacheError('CACHE_INVALID_TAG', `a tag of set(${describe(key)}) is longer than ${MAX_TAG_BYTES} UTF-8 bytes`);
    }
    throw new CacheError(CODES[status] ?? 'CACHE_INVALID_ARGUMENT', `set(${describe(key)}) was refused by the core`);
  }

  /** Removes the key; false if it was not cached. */
  delete(key) {
    if (!this.#tier) return this.#remove(key, DELETE);
    this.#checkKey(key);
    const removed = this.#remove(key, DELETE);
    this.#publish('k', key);
    return removed;
  }

  // An invalidation made here goes to the shared tier for every instance (behind, never rejecting).
  #publish(kind, value) {
    if (!this.#tier) return;
    const done = this.#tier.invalidated(kind, value, this.#clock.now());
    this.#waitUntil?.(done);
  }

  // Reads the invalidation log (one check at a time) and applies what other instances invalidated;
  // resolves, never rejects. Given to waitUntil: get() does not wait for it.
  // `budget`: the deadline of a getOrFetch's store calls, which this check spends first.
  #checkGenerations(budget) {
    const pending = this.#checking;
    // On workerd a check begun by a request that ended before it settled (get() without a
    // waitUntil) never settles, and another request awaiting it is refused: that check is
    // dropped and this request begins its own, or none would ever run again in the isolate.
    if (pending) {
      return pending.then(undefined, () => {
        if (this.#checking === pending) this.#checking = undefined;
        return this.#checkGenerations(budget);
      });
    }
    const now = this.#clock.now();
    const checking = this.#tier.check(now, budget ?? this.#tier.budget(now)).then((changes) => {
      this.#checking = undefined;
      this.#applyRemote(changes);
    });
    this.#checking = checking;
    this.#waitUntil?.(checking);
    return checking;
  }

  #applyRemote(changes) {
    if (this.disposed) return;  // a check that ended after dispose(): nothing left to apply it to
    try {
      if (changes === RESET) {
        this.#clearHere();
        return;
      }
      for (const [kind, value] of changes) {
        if (kind === 'k') this.#remove(value, INVALIDATE);
        else if (kind === 'p') this.#invalidatePrefix(value);
        else if (kind === 't') this.#invalidateTag(value);
        else this.#clearHere();
      }
    } catch {
      this.#clearHere();  // a log entry this cache cannot apply (a tag too long for it): forget everything instead
    }
  }

  /** Removes everything ('evict' listeners hear each entry with reason 'clear'). */
  clear() {
    this.#clearHere();
    this.#publish('c', '');
  }

  #clearHere() {
    void this.handle;  // DISPOSED before a listener hears of a clear
    if (this.#events.has('evict')) {
      for (const [key, slot] of this.#map) this.#events.emit('evict', { key, value: this.#values[slot], reason: 'clear' });
    }
    // After the listeners: one may have disposed this cache.
    const handle = this.handle;
    this.#evictions[CLEAR] += this.#map.size;
    this.#generation++;
    this.#pending = 0;
    this.#mod._eg_cache_clear(handle);
    this.#map.clear();
    this.#keys = [];
    this.#values = [];
  }

  /** Removes the entries matching `{ key }`, `{ prefix }` or `{ tag }`; returns how many. */
  invalidate(selector) {
    if (selector === null || typeof selector !== 'object') {
      throw new CacheError('CACHE_INVALID_SELECTOR', `invalidate expects { key }, { prefix } or { tag } (got ${describe(selector)})`);
    }
    const { key, prefix, tag } = selector;
    const given = [key, prefix, tag].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new CacheError('CACHE_INVALID_SELECTOR', 'invalidate expects exactly one of key, prefix or tag');
    }
    let n;
    if (key !== undefined) {
      this.#checkKey(key);
      n = this.#remove(key, INVALIDATE) ? 1 : 0;
      this.#publish('k', key);
    } else if (prefix !== undefined) {
      if (typeof prefix !== 'string') throw new CacheError('CACHE_INVALID_SELECTOR', `prefix must be a string (got ${describe(prefix)})`);
      n = this.#invalidatePrefix(prefix);
      this.#publish('p', prefix);
    } else {
      n = this.#invalidateTag(tag);
      this.#publish('t', tag);
    }
    return n;
  }

  #invalidatePrefix(prefix) {
    // Keys live here, not in the core: a scan of the map, O(entries), done rarely.
    const matching = [];
    for (const k of this.#map.keys()) if (k.startsWith(prefix)) matching.push(k);
    for (const k of this.#inflight.keys()) if (k.startsWith(prefix)) this.#dropped.add(k);
    for (const k of matching) this.#remove(k, INVALIDATE);
    return matching.length;
  }

  #invalidateTag(tag) {
    checkTags([tag]);
    const handle = this.handle;
    this.#generation++;
    this.#flush();
    const n = this.#mod.withBytes(tag, MAX_TAG_BYTES * 3, (ptr, len) => this.#mod._eg_cache_invalidate_tag(handle, ptr, len), badString);
    this.#drain();
    return n;
  }

  /** Removes every expired entry now (they are also dropped when read or when space is needed). */
  prune() {
    this.#flush();
    const now = this.#clock.now();  // before the handle: a clock may dispose this cache
    const n = this.#mod._eg_cache_expire(this.handle, now);
    this.#drain();
    return n;
  }

  /**
   * Preloads entries: an iterable of `[key, value, options?]` or `{ key, value, ...options }`.
   * Returns how many are cached afterwards.
   */
  warm(entries) {
    if (entries === null || typeof entries?.[Symbol.iterator] !== 'function') {
      throw new CacheError('CACHE_INVALID_ARGUMENT', 'warm expects an iterable of [key, value, options?] or { key, value }');
    }
    let stored = 0;
    for (const e of entries) {
      if (Array.isArray(e)) stored += this.set(e[0], e[1], e[2]) ? 1 : 0;
      else if (e !== null && typeof e === 'object') {
        const { key, value, ...opts } = e;
        stored += this.set(key, value, opts) ? 1 : 0;
      } else {
        throw new CacheError('CACHE_INVALID_ARGUMENT', `warm: each entry must be [key, value] or { key, value } (got ${describe(e)})`);
      }
    }
    return stored;
  }

  /**
   * Preloads `keys` (an iterable of strings) from the shared tier: a new instance's warm start.
   * Reads them WARM_BATCH at a time, each batch within the tier's deadline (the invalidation log
   * first when due), and copies into memory what the tier holds unexpired (fresh, stale, or only
   * usable on error) and no invalidation matches. At most the memory's capacity of keys is read
   * (maxEntries, and one per byte of maxBytes); keys memory holds or is fetching are skipped.
   * Resolves with how many entries were copied; a store failure never rejects it: a batch the
   * store answered none of ends the warm-up. A bad key, or no shared tier, throws at once.
   */
  warmFromShared(keys) {
    void this.handle;  // DISPOSED
    if (this.#tier === undefined) {
      throw new CacheError('CACHE_INVALID_ARGUMENT', 'warmFromShared needs a shared tier (the shared option)');
    }
    if (keys === null || typeof keys !== 'object' || typeof keys[Symbol.iterator] !== 'function') {
      throw new CacheError('CACHE_INVALID_ARGUMENT', `warmFromShared expects an iterable of keys (got ${describe(keys)})`);
    }
    const limit = Math.min(this.maxEntries, this.maxBytes);
    const wanted = new Set();
    for (const key of keys) {
      if (wanted.size >= limit) break;
      this.#checkKey(key);
      wanted.add(key);
    }
    return this.#warmShared([...wanted]);
  }

  async #warmShared(keys) {
    const tier = this.#tier;
    const now = () => this.#clock.now();
    let loaded = 0;
    for (let i = 0; i < keys.length && !this.disposed; i += WARM_BATCH) {
      if (this.#checking || tier.due(now())) await this.#checkGenerations(tier.budget(now()));
      const batch = keys.slice(i, i + WARM_BATCH).filter((key) => !this.#map.has(key) && !this.#inflight.has(key));
      if (batch.length === 0 || this.disposed) continue;
      const generation = this.#generation, removals = this.#removals;
      const found = await tier.readMany(batch, now);
      if (found.every((f) => f === null)) break;
      // An invalidation (or a set) while the batch was read: what it read may predate it.
      if (this.disposed || generation !== this.#generation || removals !== this.#removals) continue;
      found.forEach((f, j) => {
        if (f && !this.#map.has(batch[j]) && this.#copy(batch[j], f.entry, f.ageMs)) loaded++;
      });
    }
    tier.warmed(loaded);
    return loaded;
  }

  /**
   * Fresh -> served ('hit'); stale within stale-while-revalidate -> served at once ('stale') and
   * refreshed in the background (once per key, through `waitUntil` when given); otherwise fetched
   * ('miss'), with concurrent callers sharing one fetch ('coalesced'). When the fetch fails
   * (rejects, times out, is aborted, or `isError(value)` says so) and the entry is within its
   * stale-if-error window, the stale value is served ('stale-if-error'); past it the error
   * propagates.
   *
   * With a shared tier: a memory miss (or a refresh) first reads the store once; a fresh copy
   * there is served ('hit', `shared: true`) and copied into memory with its age, a stale one is
   * served ('stale') and refreshed behind, one only usable on error is kept in case the fetch
   * fails. Before fetching, a lease is asked of the store: if another instance holds it, a
   * refresh leaves it the work (the stale value stays served) and a miss waits up to leaseWaitMs
   * for its value. The fetched value is written behind to both tiers. When generationCheckMs has passed,
   * the store's invalidation log is read first. No store failure reaches the caller.
   *
   * `fetcher({ key, signal, stale, options })` may change `options` (ttlMs, ..., tags, size, and
   * `store: false`) before its value is stored. `options`: the set() options plus `timeoutMs`,
   * `signal`, `isError`, `waitUntil`.
   */
  async getOrFetch(key, fetcher, options) {
    this.#checkKey(key);
    if (typeof fetcher !== 'function') {
      throw new CacheError('CACHE_INVALID_ARGUMENT', `getOrFetch expects a fetcher function (got ${describe(fetcher)})`);
    }
    const o = options === undefined ? NO_OPTIONS : fetchOptions(checkOptions(options));
    // One deadline for every store call this read makes before fetching (awaitLeader's wait
    // aside), begun by the log check when one is due, else by #fetch: a memory hit makes none.
    let budget;
    if (this.#tier !== undefined) {
      const now = this.#clock.now();
      if (this.#checking || this.#tier.due(now)) {
        budget = this.#tier.budget(now);
        await this.#checkGenerations(budget);
      }
    }
    const slot = this.#map.get(key);
    let held = false;  // an entry kept only for stale-if-error: the fetch refreshes it (RFC 9211 fwd=stale)
    if (slot !== undefined) {
      this.#flush();
      const now = this.#clock.now();  // before the handle: a clock may dispose this cache
      const code = this.#mod._eg_cache_get(this.handle, slot, now, 1) & FRESHNESS_MASK;
      held = code === STALE_IF_ERROR_ONLY;
      this.#views();
      if (code === FRESH) {
        this.#stats.hits++;
        return { value: this.#values[slot], status: 'hit', ageMs: out[OUT.AGE] };
      }
      if (code === STALE) {
        this.#stats.staleHits++;
        const result = { value: this.#values[slot], status: 'stale', ageMs: out[OUT.AGE] };
        if (!this.#inflight.has(key)) this.#revalidate(key, fetcher, o, result.value);
        return result;
      }
      if (code === EXPIRED) this.#forget(slot, EXPIRE);
    }
    const pending = this.#inflight.get(key);
    if (pending) {
      this.#stats.coalesced++;
      const r = await pending;
      // A stale copy from the shared tier is stale for every caller that waited on its read.
      return this.#served(r, r.status === 'stale' ? 'stale' : 'coalesced');
    }
    this.#stats.misses++;
    const r = await this.#fetch(key, fetcher, o, undefined, budget);
    // A stale copy from the shared tier is served as L1's would be: at once, refreshed behind.
    if (r.status === 'stale' && !this.#inflight.has(key)) this.#revalidate(key, fetcher, o, r.value);
    const result = this.#served(r, r.status ?? 'miss');
    if (held && result.status === 'miss') result.held = true;
    return result;
  }

  // A fetch's result as a caller gets it; a stale value served because the fetch failed counts
  // as a stale-if-error hit here, where it reaches a caller (a revalidation's does not).
  #served(r, status) {
    if (r.fallback) this.#stats.staleIfErrorHits++;
    const result = { value: r.value, status: r.fallback ? 'stale-if-error' : status, ageMs: r.ageMs };
    if (r.shared) result.shared = true;
    return result;
  }

  #revalidate(key, fetcher, o, stale) {
    this.#stats.revalidations++;
    const failed = () => { this.#stats.revalidationErrors++; };
    // A failed revalidation settles with the stale fallback (for callers that joined it).
    const p = this.#fetch(key, fetcher, o, stale).then((r) => { if (r.fallback) failed(); }, failed);
    const waitUntil = o.waitUntil ?? this.#waitUntil;
    if (waitUntil) waitUntil(p);
  }

  // One fetch per key at a time: registered in #inflight until it settles. `budget`: the
  // caller's (a revalidation behind has one of its own).
  #fetch(key, fetcher, o, stale, budget) {
    const timeoutMs = o.timeoutMs ?? MAX_MS;
    const isError = o.isError;
    const entryOptions = {
      ttlMs: o.ttlMs, staleWhileRevalidateMs: o.staleWhileRevalidateMs, staleIfErrorMs: o.staleIfErrorMs,
      tags: o.tags, size: o.size, store: true,
    };
    const generation = this.#generation;
    // Nothing invalidated the key since this fetch began (what it read or got predates no change).
    const current = () => generation === this.#generation && !this.#dropped.has(key);
    const stored = () => entryOptions.store !== false && current();
    const run = async () => {
      let found;  // the shared tier's copy, when only stale-if-error may serve it
      let leased = false;
      try {
        if (this.#tier) {
          // Revalidating a stale entry: only a fresh copy saves the fetch.
          const freshOnly = stale !== undefined;
          const now = () => this.#clock.now();
          const spend = budget ?? this.#tier.budget(now());
          found = await this.#tier.read(key, now, freshOnly, spend);
          const code = found?.code ?? EXPIRED;
          if (code === FRESH || (code === STALE && !freshOnly)) return this.#fromShared(key, found, stored());
          // Another instance is fetching it: a refresh leaves it the stale value; a miss waits for its value.
          const lease = found === null ? undefined : await this.#tier.lease(key, spend, o.leaseMs ?? o.timeoutMs);
          leased = lease === true;
          const again = leased ? await this.#tier.recheck(key, now, spend) : undefined;
          if (again !== undefined) return this.#fromShared(key, again, stored());
          if (lease === false && freshOnly) return { value: stale, ageMs: this.peek(key)?.ageMs ?? 0, fallback: false, status: 'stale' };
          if (lease === false) {
            const led = await this.#tier.awaitLeader(key, now, o.signal, () => this.disposed, o.leaseMs ?? o.timeoutMs);
            leased = led.leased;
            if (led.found !== undefined) return this.#fromShared(key, led.found, stored());
          }
          void this.handle;  // DISPOSED while the store was asked: no fetch for a cache that is gone
        }
        this.#stats.fetches++;
        const value = await withTimeout(
          (signal) => fetcher({ key, signal, stale, options: entryOptions }), timeoutMs, o.signal, this.#timers);
        if (isError?.(value)) {
          throw new CacheError('CACHE_FETCH_FAILED', `the fetcher's result for ${describe(key)} is an error`, { value });
        }
        if (stored()) {
          const { store: _, ...setOptions } = entryOptions;
          this.#set(key, value, setOptions, o.waitUntil ?? this.#waitUntil);
        }
        return { value, ageMs: 0, fallback: false };
      } catch (error) {
        this.#stats.fetchErrors++;
        // The shared copy was read before the fetch: an invalidation since then leaves it unserved.
        const fallback = this.#staleIfError(key) ?? (current() ? this.#sharedIfError(found) : undefined);
        if (fallback) return fallback;
        throw error;
      } finally {
        this.#inflight.delete(key);
        this.#dropped.delete(key);
        if (leased) {
          const released = this.#tier.release(key);
          (o.waitUntil ?? this.#waitUntil)?.(released);
        }
      }
    };
    const p = run();
    this.#inflight.set(key, p);
    return p;
  }

  // A value read from the shared tier, copied into memory with its age unless `copy` is false (the
  // key was dropped while it was read) or memory refuses it (it is served all the same).
  #fromShared(key, { entry, code, ageMs }, copy) {
    if (copy) this.#copy(key, entry, ageMs);
    return { value: entry.value, ageMs, fallback: false, shared: true, status: code === FRESH ? 'hit' : 'stale' };
  }

  // Whether the shared entry is now in memory.
  #copy(key, entry, ageMs) {
    try {
      return this.#commit(this.#entry(key, entry.value, {
        ageMs, ttlMs: entry.ttl, staleWhileRevalidateMs: entry.swr, staleIfErrorMs: entry.sie, size: entry.size, tags: entry.tags,
      }), this.#clock.now());
    } catch {
      return false;  // another writer's entry this cache cannot hold (a tag too long in UTF-8)
    }
  }

  // The shared copy read before a fetch that failed, if it is still usable on error now.
  #sharedIfError(found) {
    if (!found) return undefined;
    const { entry, usable, ageMs } = this.#tier.lookup(found.entry, this.#clock.now());
    if (!usable) return undefined;
    this.#tier.servedOnError();
    return { value: entry.value, ageMs, fallback: true, shared: true };
  }

  #staleIfError(key) {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    this.#flush();
    const now = this.#clock.now();  // before the handle: a clock may dispose this cache
    const code = this.#mod._eg_cache_get(this.handle, slot, now, 0);
    if ((code & USABLE_ON_ERROR) === 0) return undefined;
    this.#views();
    return { value: this.#values[slot], ageMs: out[OUT.AGE], fallback: true };
  }

  /** Frees the core's table; with a shared tier, ends its subscription (the unsubscribe goes to waitUntil). */
  dispose() {
    if (!this.disposed) {
      const closed = this.#tier?.close();
      if (closed) this.#waitUntil?.(closed);
    }
    super.dispose();
  }

  /** `listener({ key, value, reason })`; returns a function that removes it. */
  on(name, listener) {
    this.#events.on(name, listener);
    return () => this.off(name, listener);
  }

  off(name, listener) {
    this.#events.off(name, listener);
  }

  /**
   * `{ hits, misses, staleHits, staleIfErrorHits, coalesced, fetches, fetchErrors,
   *    revalidations, revalidationErrors, evictions: { capacity, expire, delete, invalidate,
   *    clear }, entries, bytes, maxEntries, maxBytes, hitRatio, memoryBytes, shared? }`; hitRatio
   * counts stale serves as hits; memoryBytes is the core's metadata (not the values); shared: the
   * shared tier's counts (a value read from it counted a miss of memory first).
   */
  stats() {
    this.#mod._eg_cache_counts(this.handle);
    this.#views();
    const s = this.#stats;
    const served = s.hits + s.staleHits;
    return {
      ...s,
      evictions: Object.fromEntries(REASONS.map((name, i) => [name, this.#evictions[i]])),
      entries: out[OUT.ENTRIES],
      bytes: out[OUT.BYTES],
      maxEntries: this.maxEntries,
      maxBytes: this.maxBytes,
      hitRatio: served + s.misses === 0 ? 0 : served / (served + s.misses),
      memoryBytes: out[OUT.MEMORY_BYTES],
      ...(this.#tier && { shared: this.#tier.stats() }),
    };
  }

  /**
   * The entries and their ages as JSON-compatible data (a ttl of Infinity is written as null:
   * JSON has none), oldest first; expired entries are left out. Values are included as they are.
   */
  snapshot() {
    const mod = this.#mod;
    void this.handle;  // DISPOSED before the clock is read
    const now = this.#clock.now();
    const handle = this.handle;  // after the clock, which may have disposed this cache
    const entries = [];
    for (const [key, slot] of this.#map) {
      if ((this.#mod._eg_cache_get(handle, slot, now, 0) & FRESHNESS_MASK) === EXPIRED) continue;
      const status = mod._eg_cache_entry_info(handle, slot, now);
      if (status !== 0) throw new CacheError(CODES[status], `snapshot() could not read the entry of ${describe(key)}`);
      this.#views();
      const entry = {
        key, value: this.#values[slot], ageMs: out[OUT.AGE], ttlMs: out[OUT.TTL] === Infinity ? null : out[OUT.TTL],
        staleWhileRevalidateMs: out[OUT.SWR], staleIfErrorMs: out[OUT.SIE], size: out[OUT.SIZE],
      };
      if (words[WORD.TAGS_LENGTH] > 0) {
        const at = words[WORD.TAGS_AT];
        entry.tags = decoder.decode(mod.HEAPU8.subarray(at, at + words[WORD.TAGS_LENGTH])).split('\0');
      }
      entries.push(entry);
    }
    return { version: SNAPSHOT_VERSION, entries };
  }

  /**
   * Loads a snapshot() (after a restart); returns how many entries are cached afterwards. All or
   * nothing: every entry is checked before any is stored, so a bad one loads none; if the core
   * then runs out of memory, the entries stored so far are removed again.
   */
  restore(snapshot) {
    if (snapshot === null || typeof snapshot !== 'object' || snapshot.version !== SNAPSHOT_VERSION ||
        !Array.isArray(snapshot.entries)) {
      throw new CacheError('CACHE_INVALID_SNAPSHOT', `restore expects a snapshot of version ${SNAPSHOT_VERSION}`);
    }
    const entries = snapshot.entries.map((e) => {
      if (e === null || typeof e !== 'object' || typeof e.key !== 'string') {
        throw new CacheError('CACHE_INVALID_SNAPSHOT', `a snapshot entry needs a string key (got ${describe(e)})`);
      }
      try {
        return this.#entry(e.key, e.value, {
          ageMs: e.ageMs ?? 0, ttlMs: e.ttlMs === null ? Infinity : e.ttlMs,
          staleWhileRevalidateMs: e.staleWhileRevalidateMs, staleIfErrorMs: e.staleIfErrorMs, size: e.size, tags: e.tags,
        });
      } catch (error) {
        throw new CacheError('CACHE_INVALID_SNAPSHOT', `snapshot entry ${describe(e.key)}: ${error.message}`, { cause: error });
      }
    });
    const now = this.#clock.now();
    const stored = [];
    try {
      for (const entry of entries) {
        stored.push(entry.key);
        this.#commit(entry, now);
      }
    } catch (error) {
      for (const key of stored) this.#remove(key, DELETE);
      throw error;
    }
    // Later entries may have evicted earlier ones: count what is there now.
    let restored = 0;
    for (const key of new Set(stored)) if (this.#map.has(key)) restored++;
    return restored;
  }

  *keys() {
    yield* this.#map.keys();
  }

  #checkKey(key) {
    if (typeof key !== 'string') throw new CacheError('CACHE_INVALID_KEY', `a cache key must be a string (got ${describe(key)})`);
    if (key.length > this.#maxKeyLength) {
      throw new CacheError('CACHE_KEY_TOO_LONG', `a cache key must be at most ${this.#maxKeyLength} characters (got ${key.length})`);
    }
  }

  #size(key, value, given) {
    let size = given;
    if (size === undefined) {
      size = this.#sizeOf ? this.#sizeOf(value, key) : defaultSizeOf(value);
      if (size === undefined) {
        if (this.maxBytes !== Infinity) {
          throw new CacheError('CACHE_SIZE_REQUIRED',
            `maxBytes is set: give sizeOf or options.size for values that are not strings or bytes (key ${describe(key)})`);
        }
        return 0;
      }
    }
    return checkSize(size);
  }

  #remove(key, reason) {
    this.#removals++;
    if (this.#inflight.has(key)) this.#dropped.add(key);
    const slot = this.#map.get(key);
    if (slot === undefined) return false;
    this.#flush();
    this.#mod._eg_cache_remove(this.handle, slot, reason);
    this.#forget(slot, reason);
    return true;
  }

  // Applies the removals the core reported for its last call (which may have grown memory).
  // Every one is applied before any listener hears of one: a listener may call back into the
  // cache, whose core has already given these slots to no key, or to the key it now sets.
  #drain() {
    this.#views();
    const n = words[WORD.REMOVAL_COUNT];
    if (n === 0) return;
    const base = words[WORD.REMOVALS_AT] >>> 2;
    let heard = null;  // made only when someone listens: evictions are on the hot path of a full cache
    for (let i = 0; i < n; i++) {
      const event = this.#unmap(heap32[base + 2 * i], heap32[base + 2 * i + 1]);
      if (event !== null) (heard ??= []).push(event);
    }
    if (heard !== null) for (const [name, event] of heard) this.#events.emit(name, event);
  }

  // `reason` is the core's Reason code.
  #forget(slot, reason) {
    const event = this.#unmap(slot, reason);
    if (event !== null) this.#events.emit(event[0], event[1]);
  }

  // Drops the entry in `slot` from the JS side; the event to tell of it, null when no one listens.
  #unmap(slot, reason) {
    const key = this.#keys[slot];
    const value = this.#values[slot];
    this.#map.delete(key);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    this.#evictions[reason]++;
    const name = reason === EXPIRE ? 'expire' : 'evict';
    return this.#events.has(name) ? [name, { key, value, reason: REASONS[reason] }] : null;
  }
}

