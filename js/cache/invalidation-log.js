// How an invalidation on one instance reaches the others without subscriptions (at the edge there
// are none): the store keeps a short log of invalidations, numbered by a generation, and each
// instance reads its generation at most every sharedOptions.generationCheckMs, applying what it
// has not seen to its own memory. A shared entry carries the generation its writer had seen, so
// one that an invalidation since then matches is not served by anyone. The log's number starts
// again (a new era) only after it expired, when no entry written under the old era can be left:
// the log lives as long as the longest entry may (maxTtlMs), from its last invalidation on.
import { utf8Length } from '../core.js';
import { defineScript } from '../store/script.js';

/** The most invalidations the log keeps; an instance that missed older ones clears its memory. */
export const MAX_LOG = 128;
/**
 * The most bytes of values (UTF-8, 16 more for each entry) the log keeps, its newest entry
 * always: a store bounds a value (a Durable Object's storage takes 128 KiB), and a log past it
 * could no longer be written. 32 KiB of JSON text stays under it unless values are mostly
 * control characters (6 bytes each escaped).
 */
export const MAX_LOG_BYTES = 32 * 1024;
export const KINDS = new Set(['k', 'p', 't', 'c']);  // key, prefix, tag, clear

/** What advance() returns when invalidations were missed: clear the memory. */
export const RESET = 'reset';

// KEYS: the generation ("era:n"), the log (JSON [[n, kind, value], ...]). ARGV: kind, value, a new
// era (used when no log exists), MAX_LOG, the TTL of both, MAX_LOG_BYTES. Returns the new generation.
const SOURCE = `
local era, n, log = ARGV[3], 0, {}
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, ':', 1, true)
  era, n = string.sub(current, 1, sep - 1), tonumber(string.sub(current, sep + 1))
  local raw = redis.call('GET', KEYS[2])
  if raw then log = cjson.decode(raw) end
end
n = n + 1
log[#log + 1] = { n, ARGV[1], ARGV[2] }
local first, bytes = #log, 0
while first >= 1 and #log - first < tonumber(ARGV[4]) do
  bytes = bytes + #log[first][3] + 16
  if bytes > tonumber(ARGV[6]) and first < #log then break end
  first = first - 1
end
local kept = {}
for i = first + 1, #log do kept[#kept + 1] = log[i] end
local stamp = era .. ':' .. n
redis.call('SET', KEYS[1], stamp, 'PX', ARGV[5])
redis.call('SET', KEYS[2], cjson.encode(kept), 'PX', ARGV[5])
return stamp
`;

export const INVALIDATE = defineScript(SOURCE, {
  name: 'edgeguard.cache.invalidate',
  run(state, [genKey, logKey], [kind, value, newEra, max, ttlMs, maxBytes]) {
    let era = newEra, n = 0, log = [];
    const current = state.get(genKey);
    if (typeof current === 'string') {
      const sep = current.indexOf(':');
      era = current.slice(0, sep);
      n = Number(current.slice(sep + 1));
      const raw = state.get(logKey);
      if (typeof raw === 'string') log = JSON.parse(raw);
    }
    n += 1;
    log.push([n, kind, value]);
    // The newest entries, at most `max` of them and `maxBytes` of values, the newest always.
    let first = log.length - 1;
    let bytes = 0;
    while (first >= 0 && log.length - 1 - first < Number(max)) {
      bytes += utf8Length(String(log[first][2])) + 16;
      if (bytes > Number(maxBytes) && first < log.length - 1) break;
      first--;
    }
    const stamp = `${era}:${n}`;
    state.set(genKey, stamp, Number(ttlMs));
    state.set(logKey, JSON.stringify(log.slice(first + 1)), Number(ttlMs));
    return stamp;
  },
});

/** `[era, n]` of a generation "era:n"; [undefined, 0] for none. */
function parseStamp(stamp) {
  if (typeof stamp !== 'string') return [undefined, 0];
  const sep = stamp.indexOf(':');
  const n = Number(stamp.slice(sep + 1));
  return sep > 0 && Number.isInteger(n) && n > 0 ? [stamp.slice(0, sep), n] : [undefined, 0];
}

function parseLog(text) {
  let log;
  try {
    log = JSON.parse(text);
  } catch {
    return undefined;
  }
  const valid = Array.isArray(log) && log.every((e) => Array.isArray(e) && Number.isInteger(e[0]) && KINDS.has(e[1]) &&
    typeof e[2] === 'string');
  return valid ? log : undefined;
}

/** Whether generation `stamp` (an entry's) comes before `later`, or may: another era, or none. */
export function precedes(stamp, later) {
  const [era, n] = parseStamp(stamp);
  const [laterEra, laterN] = parseStamp(later);
  return era !== laterEra || n < laterN;
}

function matches([, kind, value], key, tags) {
  return kind === 'c' || (kind === 'k' && value === key) || (kind === 'p' && key.startsWith(value)) ||
    (kind === 't' && tags !== undefined && tags.includes(value));
}

/** One instance's knowledge of the store's log, as of its last check. */
export class InvalidationView {
  /** The generation seen last: undefined before the first check, null while the store has no log. */
  stamp = undefined;
  #era;
  #n = 0;
  #log = [];

  /**
   * Adopts the store's generation and log text; returns the invalidations ([generation, kind,
   * value], the generation as "era:n") since the last check, or RESET when some of them are no
   * longer in the log (or it is unreadable). The first check gives the whole log: memory may
   * already hold entries (set(), restore()) that it matches. An era that ended (the log expired)
   * after this view's last check may have ended with invalidations it never saw: RESET too.
   */
  advance(stamp, logText) {
    const [era, n] = parseStamp(stamp);
    const log = n === 0 ? [] : parseLog(logText);
    const ended = this.#era !== undefined && era !== this.#era;
    const from = era === this.#era ? this.#n : 0;
    this.stamp = stamp;
    this.#era = era;
    this.#n = n;
    this.#log = log ?? [];
    if (ended) return RESET;
    if (n <= from) return [];
    if (log === undefined || (log[0]?.[0] ?? n + 1) > from + 1) return RESET;
    return log.filter((e) => e[0] > from).map((e) => [`${era}:${e[0]}`, e[1], e[2]]);
  }

  /** Whether the view has generation `stamp` (it is this view's era, and not later than its last). */
  has(stamp) {
    const [era, n] = parseStamp(stamp);
    return n > 0 && era === this.#era && n <= this.#n;
  }

  /**
   * Adopts one invalidation heard before the log was read (a message, invalidation-bus.js), as if
   * the log had brought it: only when it is the very next the view expects. Returns whether it did.
   */
  append(stamp, kind, value) {
    const [era, n] = parseStamp(stamp);
    if (this.stamp === undefined || n !== this.#n + 1 || (this.#n > 0 && era !== this.#era)) return false;
    this.stamp = stamp;
    this.#era = era;
    this.#n = n;
    this.#log = [...this.#log.slice(1 - MAX_LOG), [n, kind, value]];
    return true;
  }

  /** Whether a shared entry written at generation `stamp` is invalidated (or may be: the log lost what followed it). */
  refuses(key, tags, stamp) {
    if (this.#era === undefined) return false;
    const [era, n] = parseStamp(stamp);
    const from = era === this.#era ? n : 0;
    if (from >= this.#n) return false;
    if ((this.#log[0]?.[0] ?? this.#n + 1) > from + 1) return true;
    return this.#log.some((e) => e[0] > from && matches(e, key, tags));
  }
}
