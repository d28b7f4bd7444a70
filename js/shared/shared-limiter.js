// A RateLimiter whose state lives in a store (js/store/), shared by every instance: what
// `new RateLimiter({ policies, store })` builds. The decisions are the store script's (limit-
// scripts.js, the core's arithmetic); this class picks the mode, keeps each call within its
// deadline, and answers from an explicit fallback when the store fails.
//
// mode 'exact': one atomic TAKE per check; across all instances no more is allowed than one
//   limiter would allow.
// mode 'local-first' (the default): leases of allowance answered locally (local-first.js).
// onStoreError: 'local' (default): a local limiter with each policy's limit divided by
//   `expectedInstances` answers; 'closed': refused; 'open': allowed (the user's explicit choice).
// Time is the clock made steady (Clock.now), as the core's limiter keeps it: a clock stepping
// back would otherwise put the key's stored time (and a cached refusal) ahead by the step, and
// lock the key out for that long.
import { ConfigError, describe, invalidOption } from '../errors.js';
import { Clock } from '../clock.js';
import { coarseClock } from '../coarse-clock.js';
import { isWellFormed, utf8Length } from '../core.js';
import { formatHeaders, policyField, sfString } from '../ratelimit-headers.js';
import { checkOptions, enumOption, numberOption, objectOption, timersOption } from '../resilience.js';
import { RateLimiter, RateLimitError, MAX_COST } from '../limit.js';
import { TAKE, RESET, OP_TAKE, OP_PEEK, OP_PENALIZE, STORE_ALGORITHMS, policyArgs, decodeTake, decodeReset } from './limit-scripts.js';
import { CHECK, CHECK_MANY, MAX_CHECKS, checkArgs, checkManyWords, checkWords } from './check-script.js';
import { LocalFirst } from './local-first.js';
import { StoreError, storeFailed } from '../store/store-error.js';
import { checkStore } from '../store/store-option.js';
import { withinDeadline } from '../store/within-deadline.js';

const MODES = Object.freeze(['local-first', 'exact']);
const ON_STORE_ERROR = Object.freeze(['local', 'open', 'closed']);
const DEFAULT_DEADLINE_MS = 50;
const DEFAULT_EXPECTED_INSTANCES = 4;
const NAME = /^[\x21-\x7e]{1,64}$/;
const settled = Promise.resolve();
// A script call whose keys are in more than one slot, refused by a sharded server.
const crossSlot = (error) => /\bCROSSSLOT\b/.test(`${error?.message} ${error?.cause?.message}`);

function storePolicies(policies) {
  policies.forEach((p, i) => {
    if (!(p.algorithm in STORE_ALGORITHMS)) {
      throw new ConfigError('LIMIT_STORE_ALGORITHM',
        `policies[${i}] (${describe(p.name)}): a store runs ${Object.keys(STORE_ALGORITHMS).join(' and ')} only (got ${describe(p.algorithm)})`,
        { policy: i });
    }
  });
}

/** One shared decision; `source` says who answered: 'store', 'lease' or 'fallback'. */
class SharedRateLimitResult {
  #format;
  #now;
  #headers;

  constructor(format, now, allowed, policy, limit, remaining, resetMs, retryAfterMs, source) {
    this.#format = format;
    this.#now = now;
    this.allowed = allowed;
    this.remaining = remaining;
    this.limit = limit;
    this.resetMs = resetMs;
    this.retryAfterMs = retryAfterMs;
    this.policy = policy;
    this.source = source;
  }

  get headers() {
    return (this.#headers ??= this.#format(this, this.#now));
  }
}

export class SharedRateLimiter {
  #store;
  #tagPrefix;  // the escaped name and ':', before each key in the store
  #clock;
  #deadline;
  #onStoreError;
  #fallback;
  #tail;
  #smallest;
  #style;
  #policyValue;
  #quoted;
  #keyNames;
  #checkArgs = null;
  #capacities;  // each policy's burst or limit: no store reply may leave more
  #maxKeyBytes;
  // Exact checks on a store without slots: the first of a synchronous stretch goes at once (a
  // lone check waits for nothing), the rest of the stretch as one CHECK_MANY when it ends.
  #batching = false;
  #inStretch = false;
  #pending = [];  // key, cost, now, resolve of each check waiting for the stretch's end
  #localFirst = null;
  #timers;
  #counts = { allowed: 0, rejected: 0, store: 0, lease: 0, fallback: 0, storeCalls: 0, storeErrors: 0 };

  /**
   * RateLimiter's options, and: store, name = 'rl' (limiters sharing a store need distinct
   * names), mode = 'local-first' | 'exact', onStoreError = 'local' | 'open' | 'closed',
   * expectedInstances = 4, deadlineMs = 50 (each store call's), lease: { units, ttlMs },
   * timers. Invalid options throw ConfigError.
   */
  constructor(options) {
    const opts = checkOptions(options);
    const { policies, maxKeys, maxKeyBytes, clock = coarseClock, headers = 'draft' } = opts;
    this.#store = checkStore(opts.store, ['evalScript', 'key', 'stats']);
    const name = opts.name ?? 'rl';
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw invalidOption('name', '1 to 64 printable ASCII characters without spaces', name);
    }
    // A name may hold ':' (a route's path), so it is escaped before the ':' that ends it: limiter
    // 'api' on key 'v2:alice' and limiter 'api:v2' on key 'alice' are two counters, not one.
    this.#tagPrefix = `${name.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))}:`;
    const mode = enumOption(opts, 'mode', MODES, 'local-first');
    this.#onStoreError = enumOption(opts, 'onStoreError', ON_STORE_ERROR, 'local');
    const instances = numberOption(opts, 'expectedInstances', 1, 100000, DEFAULT_EXPECTED_INSTANCES);
    this.#deadline = { deadlineMs: numberOption(opts, 'deadlineMs', 1, 60000, DEFAULT_DEADLINE_MS) };
    // The local core checks the policies (with its codes) and derives their terms, which the
    // store's scripts run; it answers when the store cannot: each policy's limit (and burst)
    // split between the instances, never below 1.
    const shape = new RateLimiter({ policies, maxKeys: 1, maxKeyBytes, clock, headers });
    this.policies = shape.policies;
    const terms = shape._coreTerms();
    shape.dispose();
    storePolicies(this.policies);
    this.#capacities = terms.map((t) => t.capacity);
    const split = (n) => (n === undefined ? undefined : Math.max(1, Math.floor(n / instances)));
    this.#fallback = new RateLimiter({
      policies: this.policies.map((p) => ({ ...p, limit: split(p.limit), burst: split(p.burst) })),
      maxKeys, maxKeyBytes, clock, headers,
    });
    this.maxKeys = this.#fallback.maxKeys;  // the core's defaults where none was given
    this.#maxKeyBytes = this.#fallback.maxKeyBytes;
    this.mode = mode;
    this.#clock = new Clock(clock, RateLimitError);
    this.#tail = terms.flatMap(policyArgs);
    // A policy's state is in its own units (1/q ms, tokens of p): one whose algorithm, limit or
    // window changes (a deploy) gets a key of its own, never reading the old state in other units
    // (read so, a key was locked out for centuries). Old keys expire by their TTL.
    // A block in the name too: CHECK reads a key of a policy without one, whose state is "a" alone.
    this.#keyNames = this.policies.map((p) => `${p.name}:${p.algorithm}:${p.limit}/${p.windowMs}${p.blockMs > 0 ? `:b${p.blockMs}` : ''}`);
    if (mode === 'exact') this.#checkArgs = checkArgs(terms);
    // Batches once both scripts' digests are known: from then on every call is sent when it is
    // made, in order; a CHECK_MANY still waiting for its digest could reach the store after a
    // later lone CHECK of the same key. Until then, each check goes alone (in order, all CHECKs).
    if (this.#checkArgs !== null && this.#store.spansTags === true) {
      Promise.all([CHECK.sha1(), CHECK_MANY.sha1()]).then(() => { this.#batching = true; }, () => {});
    }
    this.#smallest = Math.min(...this.#capacities);
    this.#style = headers;
    this.#policyValue = headers ? policyField(headers, this.policies) : '';
    this.#quoted = this.policies.map((p) => sfString(p.name));
    this.#timers = timersOption(opts);
    if (mode === 'local-first') {
      this.#localFirst = new LocalFirst(this, {
        lease: objectOption(opts, 'lease'), instances, maxKeys: this.maxKeys, timers: this.#timers,
        deadlineMs: this.#deadline.deadlineMs, capacity: this.#smallest, policies: this.policies, terms,
      });
    }
  }

  /** The longest key in UTF-8 bytes: option maxKeyBytes, or the core's default. */
  get maxKeyBytes() {
    return this.#maxKeyBytes;
  }

  /**
   * Resolves with the decision for `cost` units (default 1), never rejects, and settles within
   * the deadline: from the store, a lease, or the fallback. options.waitUntil(promise): where the
   * runtime has one, the background store calls this check starts are handed to it.
   */
  check(key, options) {
    const cost = options?.cost === undefined ? 1 : options.cost;
    this.#checkCost(cost, 1);
    this.#checkKey(key);
    const waitUntil = options?.waitUntil;
    if (waitUntil !== undefined && typeof waitUntil !== 'function') throw invalidOption('waitUntil', 'a function', waitUntil);
    const now = this.#clock.now();
    if (this.#localFirst) return this.#localFirst.check(key, cost, now, waitUntil);
    if (this.#checkArgs) return this.#exact(key, cost, now);
    return this.take(key, now, 0, cost, cost).then(
      (reply) => this.decided(this.fromReply(reply, now, 'store')),
      () => this.fallback(key, cost, now));
  }

  /** The shared view for a call of cost 1, consuming nothing; the fallback's if the store fails. */
  peek(key) {
    this.#checkKey(key);
    const now = this.#clock.now();
    return this.#call(key, OP_PEEK, now, 0, 0, 0).then(
      (reply) => this.fromReply(reply, now, 'store'),
      () => this.#fromLocal(this.#fallback.peek(key), now));
  }

  /** Clears the key's shared state, this instance's lease and fallback state; rejects with the StoreError if the store fails. */
  reset(key) {
    this.#checkKey(key);
    this.#localFirst?.forget(key);
    this.#fallback.reset(key);
    return this.#eval(RESET, key, [], decodeReset);
  }

  /**
   * Consumes `cost` from every policy in the store (and the fallback) even past the limit; a cost
   * past MAX_COST is MAX_COST, as for a local limiter (`run` refuses a larger one).
   */
  penalize(key, cost) {
    this.#checkCost(cost, 0);
    this.#checkKey(key);
    this.#fallback.penalize(key, cost);
    return this.#call(key, OP_PENALIZE, this.#clock.now(), 0, Math.min(cost, MAX_COST), 0).then(() => undefined);
  }

  /** Gives back up to `cost` to every policy in the store (and the fallback). */
  reward(key, cost) {
    this.#checkCost(cost, 0);
    this.#checkKey(key);
    this.#fallback.reward(key, cost);
    return this.#call(key, OP_TAKE, this.#clock.now(), Math.min(cost, MAX_COST), 0, 0).then(() => undefined);
  }

  /**
   * { mode, allowed, rejected, sources: { store, lease, fallback }, storeCalls, storeErrors,
   *   fallbackDecisions, leases, maxKeys, store: the store's stats (latency, breaker),
   *   fallback: the local fallback limiter's stats }.
   */
  stats() {
    const c = this.#counts;
    return {
      mode: this.mode, allowed: c.allowed, rejected: c.rejected,
      sources: { store: c.store, lease: c.lease, fallback: c.fallback },
      storeCalls: c.storeCalls, storeErrors: c.storeErrors, fallbackDecisions: c.fallback,
      leases: this.#localFirst?.size ?? 0, maxKeys: this.maxKeys,
      store: this.#store.stats(), fallback: this.#fallback.stats(),
    };
  }

  /** Frees the fallback limiter's wasm memory and drops the leases (without returning them). */
  dispose() {
    this.#localFirst?.clear();
    this.#fallback.dispose();
  }

  get disposed() {
    return this.#fallback.disposed;
  }

  [Symbol.dispose]() {
    this.dispose();
  }

  // ---- for local-first.js ---------------------------------------------------------------

  /** @internal One TAKE: resolves with its decoded reply, or rejects with the store's error. */
  take(key, now, give, want, min) {
    return this.#call(key, OP_TAKE, now, give, want, min);
  }

  /** @internal A TAKE reply as a result; `granted` beyond the call's cost is the caller's. */
  fromReply(reply, now, source, remaining = reply.remaining) {
    const allowed = reply.granted > 0;
    return new SharedRateLimitResult(this.#formatter, now, allowed, this.policies[reply.policy].name,
      this.policies[reply.policy].limit, remaining, reply.resetMs, reply.retryAfterMs, source);
  }

  /** @internal */
  result(now, allowed, policy, remaining, resetMs, retryAfterMs, source) {
    return new SharedRateLimitResult(this.#formatter, now, allowed, this.policies[policy].name,
      this.policies[policy].limit, remaining, resetMs, retryAfterMs, source);
  }

  /** @internal Counts a decision by its source. */
  decided(r) {
    this.#counts[r.source]++;
    this.#counts[r.allowed ? 'allowed' : 'rejected']++;
    return r;
  }

  /** @internal The answer when the store failed, by onStoreError. */
  fallback(key, cost, now) {
    if (this.#onStoreError === 'local') {
      // The fallback limiter may refuse what it cannot answer (a key it has no room for): a
      // refusal, never an allowance.
      let r;
      try {
        r = this.#fallback.check(key, { cost });
      } catch {
        return this.decided(this.result(now, false, 0, 0, 0, this.#deadline.deadlineMs, 'fallback'));
      }
      return this.decided(this.#fromLocal(r, now));
    }
    const allowed = this.#onStoreError === 'open';
    return this.decided(this.result(now, allowed, 0, 0, 0, allowed ? 0 : this.#deadline.deadlineMs, 'fallback'));
  }

  // ---- internals -------------------------------------------------------------------------

  #formatter = (r, now) => {
    if (!this.#style) return {};
    return formatHeaders(this.#style, this.#policyValue, this.#quoted[this.policies.findIndex((p) => p.name === r.policy)], r, now);
  };

  #fromLocal(r, now) {
    return new SharedRateLimitResult(this.#formatter, now, r.allowed, r.policy, r.limit, r.remaining,
      r.resetMs, r.retryAfterMs, 'fallback');
  }

  #call(key, op, now, give, want, min) {
    return this.#eval(TAKE, key, [now, give, want, min, op, ...this.#tail], (reply) => decodeTake(reply, this.#capacities, op === OP_TAKE ? want : 0, min));
  }

  // An exact check by CHECK, the hot path of mode 'exact', kept flat: one store call and one
  // reaction, whose reply is read straight into the decision (no decoded object in between), and
  // whose failure (the store's, or a reply CHECK cannot have given) is the fallback's answer.
  #exact(key, cost, now) {
    if (this.#batching) {
      if (this.#inStretch) return new Promise((resolve) => this.#queue(key, cost, now, resolve));
      this.#inStretch = true;
      settled.then(this.#endStretch);
    }
    return this.#exactOne(key, cost, now);
  }

  #queue(key, cost, now, resolve) {
    const pending = this.#pending;
    pending.push(key, cost, now, resolve);
    if (pending.length === 4 * MAX_CHECKS) this.#flush();
  }

  #endStretch = () => {
    this.#inStretch = false;
    if (this.#pending.length > 0) this.#flush();
  };

  // The waiting checks as one CHECK_MANY: one store call, one deadline; its failure, or a reply
  // it cannot have given, is every check's fallback answer. Each check settles, whatever happens:
  // one whose answer throws rejects, as a lone check's would, and the others still answer.
  #flush() {
    const pending = this.#pending;
    this.#pending = [];
    const n = pending.length / 4;
    const answer = (decide) => {
      for (let i = 0; i < n; i++) {
        try {
          pending[4 * i + 3](decide(i));
        } catch (error) {
          pending[4 * i + 3](Promise.reject(error));
        }
      }
    };
    const failed = () => {
      this.#counts.storeErrors++;
      answer((i) => this.fallback(pending[4 * i], pending[4 * i + 1], pending[4 * i + 2]));
    };
    this.#counts.storeCalls++;
    let sent;
    try {
      const keys = new Array(n);
      const args = [...this.#checkArgs];
      for (let i = 0; i < n; i++) {
        keys[i] = this.#store.key(`${this.#tagPrefix}${pending[4 * i]}`, this.#keyNames[0]);
        args.push(pending[4 * i + 2], pending[4 * i + 1]);
      }
      sent = this.#send(CHECK_MANY, keys, args);
    } catch {
      failed();
      return;
    }
    Promise.resolve(sent).then((reply) => {
      const words = checkManyWords(reply, n, (i) => pending[4 * i + 1], this.#checkArgs[2]);
      if (words === null) return failed();
      answer((i) => this.decided(this.result(pending[4 * i + 2], words[4 * i] > 0, 0, words[4 * i + 1],
        words[4 * i + 2], words[4 * i + 3], 'store')));
    }, (error) => {
      if (!crossSlot(error)) return failed();
      // A store that said it spans tags but is sharded behind a proxy (a clustered Redis
      // Enterprise database reached as one server): no more batches; these checks go one by one.
      this.#batching = false;
      this.#counts.storeErrors++;
      answer((i) => this.#exactOne(pending[4 * i], pending[4 * i + 1], pending[4 * i + 2]));
    });
  }

  #exactOne(key, cost, now) {
    const keys = [this.#store.key(`${this.#tagPrefix}${key}`, this.#keyNames[0])];
    const [q, p, capacity] = this.#checkArgs;
    this.#counts.storeCalls++;
    const failed = () => {
      this.#counts.storeErrors++;
      return this.fallback(key, cost, now);
    };
    return this.#send(CHECK, keys, [now, cost, q, p, capacity]).then((reply) => {
      let words;
      try {
        words = checkWords(reply, cost, capacity);
      } catch {
        return failed();
      }
      return this.decided(this.result(now, words[0] > 0, 0, words[1], words[2], words[3], 'store'));
    }, failed);
  }

  #send(script, keys, args) {
    return withinDeadline(this.#store, () => this.#store.evalScript(script, keys, args, this.#deadline), this.#deadline.deadlineMs, this.#timers);
  }

  // Every store call: counted, within the deadline, and a rejection (never a throw); a reply
  // `read` cannot read counts as an error. The deadline is also kept here: a user's store that
  // keeps none of its own would otherwise hold a check for as long as it hangs.
  #eval(script, key, args, read) {
    // Checks queued for this stretch go first: a reset, penalty or peek made after them must not
    // overtake them on the wire.
    if (this.#pending.length > 0) this.#flush();
    const tag = `${this.#tagPrefix}${key}`;
    const keys = this.#keyNames.map((name) => this.#store.key(tag, name));
    this.#counts.storeCalls++;
    // One reaction for the reply and the failure (a hop fewer than then().catch() on a hot path).
    const failed = (error) => {
      this.#counts.storeErrors++;
      // A user's store that throws something else still fails as documented: with a StoreError.
      throw error instanceof StoreError ? error : storeFailed(error);
    };
    return this.#send(script, keys, args).then((reply) => {
      try {
        return read(reply);
      } catch (error) {
        return failed(error);
      }
    }, failed);
  }

  #checkCost(cost, min) {
    if (!Number.isInteger(cost) || cost < min) {
      throw new RateLimitError('LIMIT_BAD_COST', `cost must be an integer of at least ${min} (got ${describe(cost)})`);
    }
    if (min > 0 && cost > this.#smallest) {
      const policy = this.policies[this.#capacities.indexOf(this.#smallest)].name;
      throw new RateLimitError('LIMIT_COST_EXCEEDS_LIMIT',
        `cost ${cost} can never be allowed: policy ${describe(policy)} allows at most ${this.#smallest} at once`, { policy, cost });
    }
  }

  #checkKey(key) {
    if (this.disposed) this.#fallback.handle;  // throws DISPOSED
    if (typeof key !== 'string') {
      throw new RateLimitError('LIMIT_BAD_KEY', `with a store, a key must be a string (got ${key === null ? 'null' : typeof key})`);
    }
    if (!isWellFormed(key)) throw new RateLimitError('LIMIT_BAD_KEY', 'key has a lone surrogate and cannot be encoded');
    if (utf8Length(key) > this.#maxKeyBytes) throw new RateLimitError('LIMIT_KEY_TOO_LONG', `key is longer than maxKeyBytes (${this.#maxKeyBytes})`);
  }
}
