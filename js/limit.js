// RateLimiter: per-key limits under several policies at once, in bounded memory, with the IETF
// RateLimit headers. The algorithms, the key table and the options' defaults and ranges are the
// C++ core's (src/edgeguard/limit/); this class checks the options' types and names the policies,
// moves key bytes into linear memory, reads the outcome from a static array of doubles, and
// formats headers only when they are read.
import { module, copyAscii } from './core.js';
import { WasmObject } from './dispose.js';
import { ConfigError, EdgeguardError, describe } from './errors.js';
import { coreObject } from './resilience.js';
import { HEADER_STYLES, policyField, formatHeaders, sfString } from './ratelimit-headers.js';
import { coarseClock } from './coarse-clock.js';
import { Clock } from './clock.js';
import { SharedRateLimiter } from './shared/shared-limiter.js';
import { ALGORITHMS } from './limit-algorithms.js';
import {
  PolicyStatsSlot as P, ResultSlot, StatsSlot as S, Status, StatusNames,
} from './seam/limit.js';

/** A call the limiter cannot answer: a bad key, cost or clock reading. */
export class RateLimitError extends EdgeguardError {}

/** The largest cost the core takes (32-bit): a larger one is this one. */
export const MAX_COST = 0xffffffff;
export { ALGORITHMS };

// Index = the core's limit::Status, as the error codes JS reports. The core's bad_time is the
// CLOCK_INVALID every class reports for an impossible clock reading.
const CODES = Object.freeze(StatusNames.map((name) =>
  (name === 'ok' ? 'OK' : name === 'bad_time' ? 'CLOCK_INVALID' : `LIMIT_${name.toUpperCase()}`)));
const { COST_EXCEEDS_LIMIT, KEY_TOO_LONG } = Status;

const MAX_NAME_LENGTH = 64;
const NO_HEADERS = Object.freeze({});

// Views of linear memory shared by every limiter, rebuilt when memory growth detaches them:
// the core's result array (by ResultSlot) and a small buffer for short ASCII keys. Copying char
// codes straight into that buffer measured ~3x faster than TextEncoder.encodeInto into a fresh
// subarray, for the keys a limiter sees most (IPs, ids); any other key goes through core.js's
// withBytes.
const FAST_KEY_CHARS = 256;
let heap = new Uint8Array(0);
let resultView = new Float64Array(0);
let keyPtr = 0;

function refreshViews(mod) {
  if (!keyPtr) keyPtr = mod._malloc(FAST_KEY_CHARS);
  if (!keyPtr) throw new RateLimitError('LIMIT_OUT_OF_MEMORY', 'out of memory for the key buffer');
  heap = mod.HEAPU8;
  resultView = new Float64Array(heap.buffer, mod._eg_limit_result(), ResultSlot.COUNT);
}

// Writes `key` at keyPtr if it is short ASCII; its length, or -1.
function writeAsciiKey(mod, key) {
  const n = key.length;
  if (n > FAST_KEY_CHARS) return -1;
  if (heap.length === 0) refreshViews(mod);
  return copyAscii(heap, keyPtr, key) ? n : -1;
}

function results(mod) {
  if (resultView.length === 0) refreshViews(mod);
  return resultView;
}


function policyName(p, i) {
  const name = p.name ?? `${p.limit}-in-${Math.max(1, Math.ceil(p.windowMs / 1000))}s`;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || !/^[\x20-\x7e]+$/.test(name)) {
    throw new ConfigError('LIMIT_BAD_POLICY_NAME',
      `policies[${i}].name must be 1 to ${MAX_NAME_LENGTH} printable ASCII characters (got ${describe(name)})`,
      { policy: i });
  }
  return name;
}

// Each policy's name, checked here (only JS uses names: headers, stats); the rest of a policy is
// the core's to read and check.
function policyNames(policies) {
  if (!Array.isArray(policies) || policies.length === 0) {
    throw new ConfigError('LIMIT_NO_POLICIES', 'options.policies must be a non-empty array of { name, limit, windowMs }');
  }
  const seen = new Set();
  return policies.map((p, i) => {
    if (p === null || typeof p !== 'object') {
      throw new ConfigError('LIMIT_BAD_POLICY', `policies[${i}] must be an object (got ${describe(p)})`, { policy: i });
    }
    const name = policyName(p, i);
    if (seen.has(name)) {
      throw new ConfigError('LIMIT_BAD_POLICY_NAME', `policies[${i}].name ${describe(name)} is used twice`, { policy: i });
    }
    seen.add(name);
    return name;
  });
}

// The options the core reads (src/edgeguard/limit/limit_options.hpp):
// tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = {
  policies: ['algorithm', 'limit', 'windowMs', 'burst', 'blockMs'], maxKeys: null, maxKeyBytes: null, seed: null,
};

// The core limiter for `given`; a refusal of one policy's option says which policy.
function createCore(mod, given, names) {
  try {
    return coreObject(mod, given, CORE_OPTIONS, (ptr, len) => mod._eg_limit_new(ptr, len));
  } catch (error) {
    const at = /^policies\.(\d+)/.exec(error.option ?? '');
    if (!at) throw error;
    const policy = Number(at[1]);
    throw new ConfigError(error.code, `policies[${policy}] (${describe(names[policy])}): ${error.message}`,
      { option: error.option, policy });
  }
}

/** One decision. `headers` is computed (once) when first read. */
class RateLimitResult {
  #limiter;
  #now;
  #headers;

  constructor(limiter, names, view, now) {
    this.#limiter = limiter;
    this.#now = now;
    this.allowed = view[ResultSlot.ALLOWED] === 1;
    this.remaining = view[ResultSlot.REMAINING];
    this.limit = view[ResultSlot.LIMIT];
    this.resetMs = view[ResultSlot.RESET_MS];
    this.retryAfterMs = view[ResultSlot.RETRY_AFTER_MS];
    this.policy = names[view[ResultSlot.POLICY]];
    this.#headers = undefined;
  }

  /** The response header fields, in the limiter's `headers` style. */
  get headers() {
    return (this.#headers ??= this.#limiter._formatHeaders(this, this.#now));
  }
}

export class RateLimiter extends WasmObject {
  #mod;
  #names;
  #clock;
  #style;
  #policyValue;
  #quoted;
  #maxKeyBytes;
  #cost = 1;
  #now = 0;
  #check;
  #peek;
  #penalize;
  #reward;
  #reset;

  /**
   * `{ policies: [{ name, limit, windowMs, algorithm = 'gcra', burst?, blockMs? }],
   *    maxKeys = 100000, maxKeyBytes = 1024, clock = coarseClock, headers = 'draft' }`.
   * The default clock is Date.now read at most once per synchronous stretch (coarse-clock.js): a
   * Date.now() costs about a third of a check, and calls within one synchronous stretch are one
   * burst anyway.
   * `headers` is 'draft' | 'draft-6' | 'x' | false. Invalid options throw ConfigError.
   * With a `store`, the limit is shared by every instance: a SharedRateLimiter
   * (shared/shared-limiter.js) is built instead, whose calls return promises.
   */
  constructor(options = {}) {
    if (options?.store !== undefined) return new SharedRateLimiter(options);
    const { policies, maxKeys, maxKeyBytes, clock = coarseClock, headers = 'draft' } = options ?? {};
    const names = policyNames(policies);
    if (typeof clock !== 'function') {
      throw new ConfigError('LIMIT_BAD_CLOCK', `options.clock must be a function returning milliseconds (got ${describe(clock)})`);
    }
    if (headers !== false && !HEADER_STYLES.includes(headers)) {
      throw new ConfigError('LIMIT_BAD_HEADERS', `options.headers must be one of ${HEADER_STYLES.join(', ')} or false (got ${describe(headers)})`);
    }
    const mod = module('resilience');
    // The key hash's seed: entropy is JS's to draw.
    const seed = Math.floor(Math.random() * 2 ** 53);
    const handle = createCore(mod, { policies, maxKeys, maxKeyBytes, seed }, names);
    super(handle, mod._eg_limit_free);
    // What the core made of the options: its defaults decide these.
    const v = mod.f64(mod._eg_limit_stats(handle), S.COUNT + P.COUNT * policies.length);
    const normalized = policies.map((p, i) => Object.freeze({
      name: names[i], algorithm: ALGORITHMS[v[S.COUNT + P.COUNT * i + P.ALGORITHM]], limit: p.limit,
      windowMs: p.windowMs, burst: p.burst, blockMs: v[S.COUNT + P.COUNT * i + P.BLOCK_MS],
    }));
    this.policies = Object.freeze(normalized);
    this.maxKeys = v[S.MAX_KEYS];
    this.#maxKeyBytes = v[S.MAX_KEY_BYTES];
    this.#mod = mod;
    this.#names = names;
    // Checked here; a clock that steps back is the core's to absorb (src/edgeguard/limit/limiter.hpp).
    this.#clock = new Clock(clock, RateLimitError);
    this.#style = headers;
    this.#policyValue = headers ? policyField(headers, normalized) : '';
    this.#quoted = normalized.map((p) => sfString(p.name));
    // Bound once: the per-call path allocates no closures. Each reads the handle when it runs,
    // after the key's bytes were copied: a typed array's getters are user code, which may have
    // disposed this limiter.
    this.#check = (ptr, len) => mod._eg_limit_check(this.handle, ptr, len, this.#cost, this.#now);
    this.#peek = (ptr, len) => mod._eg_limit_peek(this.handle, ptr, len, this.#now);
    this.#penalize = (ptr, len) => mod._eg_limit_penalize(this.handle, ptr, len, this.#cost, this.#now);
    this.#reward = (ptr, len) => mod._eg_limit_reward(this.handle, ptr, len, this.#cost, this.#now);
    this.#reset = (ptr, len) => mod._eg_limit_reset(this.handle, ptr, len);
  }

  /** Consumes `cost` (default 1) from every policy if all allow it; a rejected call takes nothing. */
  check(key, options) {
    // The hot path, kept flat: short ASCII keys are copied in place and the raw export called.
    const cost = options?.cost === undefined ? 1 : options.cost;
    this.#setCost(cost, 1);
    const n = typeof key === 'string' ? writeAsciiKey(this.#mod, key) : -1;
    const status = n >= 0 ? this.#mod._eg_limit_check(this.handle, keyPtr, n, this.#cost, this.#now)
      : this.#call(key, this.#check);
    if (status !== 0) this.#throwIf(status);
    return new RateLimitResult(this, this.#names, resultView.length ? resultView : results(this.#mod), this.#now);
  }

  /** What a call of cost 1 would get now, consuming nothing. */
  peek(key) {
    this.#now = this.#clock.read();
    return this.#result(this.#call(key, this.#peek));
  }

  /** Forgets `key` (back at full allowance); false if it was not tracked. */
  reset(key) {
    return this.#call(key, this.#reset) === 1;
  }

  /** Consumes `cost` from every policy even past its limit (e.g. for a failed login). */
  penalize(key, cost) {
    this.#setCost(cost, 0);
    this.#throwIf(this.#call(key, this.#penalize));
  }

  /** Gives back up to `cost` to every policy, never beyond full allowance. */
  reward(key, cost) {
    this.#setCost(cost, 0);
    this.#throwIf(this.#call(key, this.#reward));
  }

  /**
   * `{ keys, maxKeys, evictions, evictionsActive, memoryBytes, allowed, rejected,
   *    policies: { [name]: { allowed, rejected, blocks } } }`; `evictionsActive` counts evicted
   * keys that were not yet back at full allowance.
   */
  stats() {
    const mod = this.#mod;
    const n = this.policies.length;
    const v = new Float64Array(mod.HEAPU8.buffer, mod._eg_limit_stats(this.handle), S.COUNT + P.COUNT * n);
    const policies = {};
    this.policies.forEach((p, i) => {
      const at = S.COUNT + P.COUNT * i;
      policies[p.name] = { allowed: v[at + P.ALLOWED], rejected: v[at + P.REJECTED], blocks: v[at + P.BLOCKS] };
    });
    return {
      allowed: v[S.ALLOWED], rejected: v[S.REJECTED], keys: v[S.KEYS], maxKeys: v[S.MAX_KEYS],
      evictions: v[S.EVICTIONS], evictionsActive: v[S.EVICTIONS_ACTIVE], memoryBytes: v[S.MEMORY_BYTES], policies,
    };
  }

  /** The longest key in UTF-8 bytes: option maxKeyBytes, or the core's default. */
  get maxKeyBytes() {
    return this.#maxKeyBytes;
  }

  /**
   * @internal Each policy's terms as the core's make_policy derived them, for the shared stores'
   * scripts (js/shared/): `{ algorithm, q, p, capacity, blockMs }` (window / limit = p / q in
   * lowest terms; capacity, the largest cost it allows).
   */
  _coreTerms() {
    const mod = this.#mod;
    const v = mod.f64(mod._eg_limit_stats(this.handle), S.COUNT + P.COUNT * this.policies.length);
    return this.policies.map((_, i) => {
      const at = S.COUNT + P.COUNT * i;
      return { algorithm: v[at + P.ALGORITHM], q: v[at + P.Q], p: v[at + P.P], capacity: v[at + P.CAPACITY], blockMs: v[at + P.BLOCK_MS] };
    });
  }

  /** @internal RateLimitResult's lazy headers. */
  _formatHeaders(r, now) {
    if (!this.#style) return NO_HEADERS;
    const quoted = this.#quoted[this.#names.indexOf(r.policy)];
    return formatHeaders(this.#style, this.#policyValue, quoted, r, now);
  }

  #setCost(cost, min) {
    if (!Number.isInteger(cost) || cost < min) {
      throw new RateLimitError('LIMIT_BAD_COST', `cost must be an integer of at least ${min} (got ${describe(cost)})`);
    }
    this.#cost = Math.min(cost, MAX_COST);
    this.#now = this.#clock.read();
  }

  // Every call but check()'s ASCII fast path: withBytes copies short ASCII keys the same way.
  #call(key, fn) {
    this.handle;  // throws once disposed
    if (typeof key !== 'string' && !(key instanceof ArrayBuffer) && !ArrayBuffer.isView(key)) {
      throw new RateLimitError('LIMIT_BAD_KEY', `key must be a string or bytes (got ${key === null ? 'null' : typeof key})`);
    }
    return this.#mod.withBytes(key, this.#maxKeyBytes, fn, badKey, keyTooLong);
  }

  #result(status) {
    this.#throwIf(status);
    return new RateLimitResult(this, this.#names, results(this.#mod), this.#now);
  }

  #throwIf(status) {
    if (status === 0) return;
    const code = CODES[status];
    if (status === COST_EXCEEDS_LIMIT) {
      // The core names the policy whose capacity the cost exceeds, in the result array.
      const { policy, limit } = new RateLimitResult(this, this.#names, results(this.#mod), this.#now);
      throw new RateLimitError(code,
        `cost ${this.#cost} can never be allowed: policy ${describe(policy)} allows at most ${limit} at once`,
        { policy, cost: this.#cost });
    }
    const messages = {
      LIMIT_KEY_TOO_LONG: `key is longer than maxKeyBytes (${this.#maxKeyBytes})`,
      LIMIT_OUT_OF_MEMORY: 'out of memory tracking a new key',
    };
    throw new RateLimitError(code, messages[code] ?? code);
  }
}

// A limiter with a store is a RateLimiter too (instanceof), whose methods are all its own.
Object.setPrototypeOf(SharedRateLimiter.prototype, RateLimiter.prototype);

// An oversized key never reaches the core: it gets the status the core would have given it.
const keyTooLong = () => KEY_TOO_LONG;

function badKey({ offset }) {
  throw new RateLimitError('LIMIT_BAD_KEY', `key has a lone surrogate (at UTF-8 byte ${offset}) and cannot be encoded`);
}
