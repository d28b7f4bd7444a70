// The numbers the cache core and js/cache.js exchange, as js/cache.js names them: each is the
// core's own (js/seam/cache.js, generated from the C++), only renamed here.
import {
  Freshness, FreshnessNames, LifetimeDouble, PolicyKindNames, READ_BUFFER, Reason, ReasonNames, Status, StatusNames, USABLE_ON_ERROR,
} from '../seam/cache.js';

/** Index = cache::PolicyKind. */
export const POLICIES = PolicyKindNames;

// The core names what happened to an entry (expired); JS reports the cause (expire), as the
// Cache's events and stats().evictions do.
const CAUSE = {
  capacity: 'capacity', expired: 'expire', deleted: 'delete', invalidated: 'invalidate', cleared: 'clear',
};
/** Index = cache::Reason: why an entry left the table. */
export const REASONS = Object.freeze(ReasonNames.map((name) => CAUSE[name]));
export const { EXPIRED: EXPIRE, DELETED: DELETE, INVALIDATED: INVALIDATE, CLEARED: CLEAR } = Reason;

/** Index = cache::Status, as the error codes JS reports. */
export const CODES = Object.freeze(StatusNames.map((name) => (name === 'ok' ? 'OK' : `CACHE_${name.toUpperCase()}`)));
export const { TOO_LARGE, INVALID_ARGUMENT } = Status;

// eg_cache_get's and eg_cache_classify's result: cache::Freshness in the low bits, with the
// bridge's kUsableOnError bit (above every state) set while the entry may serve an error.
export const { FRESH, STALE, STALE_IF_ERROR: STALE_IF_ERROR_ONLY, EXPIRED } = Freshness;
export const FRESHNESS_MASK = USABLE_ON_ERROR - 1;
/** Index = cache::Freshness: the `state` of an entry read ('fresh' or 'stale'). */
export const STATES = FreshnessNames;
export { USABLE_ON_ERROR };

// The bridge's result arrays (out, words) by slot, the entries' lifetimes as doubles from each
// slot's start, and how many reads queue before the core hears them.
export { OutSlot, WordSlot } from '../seam/cache.js';
export const { STORED_AT, TTL_AT, LIFETIME_DOUBLES } = LifetimeDouble;
export { READ_BUFFER };

// What a set() may bring: at most MAX_TAGS tags of at most MAX_TAG_BYTES UTF-8 bytes each.
export { MAX_TAGS_PER_ENTRY as MAX_TAGS, MAX_TAG_BYTES } from '../seam/cache.js';
