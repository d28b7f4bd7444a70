// A cache entry as the shared tier holds it: JSON text carrying the value and its lifetime, so
// that any instance reading it knows how fresh it is by the same rule as its own memory (the
// core's, through classifyLifetime in cache.js). Only plain JSON data is shared: a value that
// JSON would change on the way (undefined, a function, a BigInt, NaN, Infinity or -0, a Map, a Date,
// a class instance, a cycle) is not written, and stays in the memory tier alone.
const FORMAT = 1;

const UNSHAREABLE = Symbol('unshareable');
const PLAIN = new Set([Object.prototype, Array.prototype, null]);

// JSON.stringify's replacer; `this[name]` is the value before any toJSON() rewrote it.
function plainOnly(name, value) {
  const raw = this[name];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(raw) && !Object.is(raw, -0)) return value;
      break;
    case 'object':
      if (raw === null || (PLAIN.has(Object.getPrototypeOf(raw)) && typeof raw.toJSON !== 'function')) return value;
      break;
    default:
  }
  throw UNSHAREABLE;
}

/**
 * The entry's text, or undefined when the value is not plain JSON data. `at` is the time (the
 * writer's clock) at which the value's age was 0; ttl Infinity is written as null; `age`: its
 * age when written, and `storeTtl`, the TTL it is written with, by which a reader measures the
 * time it has spent in the store on the store's clock; generation: the invalidation log's
 * (invalidation-log.js) as the writer had seen it, if any.
 */
export function encodeEntry(value, { at, ttl, swr, sie, size, tags, generation, age, storeTtl }) {
  const entry = { f: FORMAT, at, t: ttl === Infinity ? null : ttl, w: swr, e: sie, s: size, v: value };
  if (age !== undefined) Object.assign(entry, { a: age, l: storeTtl });
  if (tags !== undefined) entry.g = tags;
  if (typeof generation === 'string') entry.n = generation;
  try {
    return JSON.stringify(entry, plainOnly);
  } catch {
    // Not plain, a cycle, too deep, or a getter or proxy of the value's that throws: the value was
    // already stored in memory, and sharing it must not make set() or a fetch fail.
    return undefined;
  }
}

const isMs = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The entry written by encodeEntry, or undefined when `text` is not one (another writer's key, a newer format). */
export function decodeEntry(text) {
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (e === null || typeof e !== 'object' || e.f !== FORMAT || !Number.isFinite(e.at) || !(e.t === null || isMs(e.t)) ||
      !isMs(e.w) || !isMs(e.e) || !Number.isInteger(e.s) || e.s < 0 || !('v' in e) ||
      !(e.g === undefined || (Array.isArray(e.g) && e.g.every((t) => typeof t === 'string'))) ||
      !(e.n === undefined || typeof e.n === 'string') || !(e.a === undefined || isMs(e.a)) || !(e.l === undefined || isMs(e.l))) {
    return undefined;
  }
  return {
    value: e.v, at: e.at, ttl: e.t === null ? Infinity : e.t, swr: e.w, sie: e.e, size: e.s, tags: e.g, generation: e.n,
    age: e.a, storeTtl: e.l,
  };
}
