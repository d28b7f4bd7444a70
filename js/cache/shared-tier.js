// The shared tier behind a Cache's memory (`new Cache({ shared: store })`): entries every
// instance can read, written behind the memory tier. No call here ever rejects: a store that
// fails or answers late is counted, and the memory tier and the fetcher answer instead. The calls
// of one read (the log when due, the entry, the lease, a look again) share one deadline: the
// store's, or sharedOptions.deadlineMs, from the read's start. While the store's own breaker is
// open its calls are refused at once ('skips') and probed again when it half-opens.
import { isWellFormed, utf8Length } from '../core.js';
import { invalidOption } from '../errors.js';
import { nestedOption, numberOption } from '../resilience.js';
import { checkStore } from '../store/store-option.js';
import { StoreBase } from '../store/store-base.js';
import { storeTimeout } from '../store/store-error.js';
import { withinDeadline } from '../store/within-deadline.js';
import { decodeEntry, encodeEntry } from './shared-entry.js';
import { INVALIDATE, InvalidationView, MAX_LOG, MAX_LOG_BYTES, RESET, precedes } from './invalidation-log.js';
import { InvalidationBus, carriesMessages, decodeMessage } from './invalidation-bus.js';
import { RELEASE_LEASE, TAKE_LEASE } from './lease-scripts.js';
import { READ_ENTRY } from './read-script.js';
import { EXPIRED, FRESH, FRESHNESS_MASK, STALE, USABLE_ON_ERROR } from './core-codes.js';

const DEFAULT_DEADLINE_MS = 50;  // for a user's store that keeps no deadline of its own
const DEFAULT_MAX_VALUE_BYTES = 512 * 1024;
const DEFAULT_MAX_TTL_MS = 24 * 3600 * 1000;
const DEFAULT_GENERATION_CHECK_MS = 1000;
const DEFAULT_LEASE_MS = 5000;
const MAX_LEASE_MS = 60000;
const DEFAULT_LEASE_WAIT_MS = 1000;
const DEFAULT_LEASE_POLL_MS = 50;
// No ':', which ends the name in the store's keys (`<name>:<key>`): 'a' and 'a:b' must not meet.
const NAME = /^[\x21-\x39\x3b-\x7e]{1,64}$/;

// A limit the store states of itself (store.d.ts: maxKeyBytes, maxValueBytes), or undefined.
function limitOf(store, name) {
  const limit = store[name];
  return Number.isInteger(limit) && limit >= 1 ? limit : undefined;
}

const fits = (text, bytes) => text.length <= bytes / 3 || utf8Length(text) <= bytes;

// When a shared copy's value was born, on this instance's clock: its writer's `at`, or earlier
// when the time the copy has spent in the store (the TTL it was written with less the TTL it has
// left, on the store's clock) says it is older by more than STORE_CLOCK_SLACK_MS. So a writer
// whose clock runs ahead makes its copies look at most that much fresher, and slips them no
// further past an invalidation; the slack absorbs the write's and the read's own latency, which
// the store's count leaves out or adds.
const STORE_CLOCK_SLACK_MS = 1000;
// How far ahead a writer's clock may run: a copy born later than that (one without its age and the
// store's count to correct it by) is not read, or it would be fresh for as long as the store kept it.
const MAX_CLOCK_AHEAD_MS = 60_000;
function bornAt(entry, ttlLeft, now) {
  if (entry.age === undefined || entry.storeTtl === undefined || !(ttlLeft >= 0)) return entry.at;
  const inStore = Math.max(0, entry.storeTtl - ttlLeft);
  return Math.min(entry.at, now - entry.age - inStore + STORE_CLOCK_SLACK_MS);
}


export class SharedTier {
  #store;
  #name;
  #call;
  #maxValueBytes;
  #maxKeyBytes;  // the store's, or undefined
  #maxTtlMs;
  #classify;
  #logKeys;
  #view = new InvalidationView();
  #checkMs;
  #checkedAt = -Infinity;
  // Whether the last check read the log: until one has, a shared copy may be one an invalidation
  // since then matches, and none is read (memory keeps answering).
  #viewed = false;
  // Generations of the invalidations applied here before the log brought them (the last MAX_LOG):
  // made here, or heard on the channel. Not applied twice.
  #applied = new Set();
  // The last of them the view does not have, until a check begun after it has read the log: a
  // copy written at an earlier generation may be another instance's write of a value fetched
  // before it (the view cannot refuse it yet, and the check that brings it applies nothing here).
  #lastApplied;
  #bus;  // invalidation-bus.js, when the store can publish and subscribe and pubsub is not off
  #apply;
  #lease;  // { ttlMs, waitMs, pollMs }, or undefined: no single-flight across instances
  #owner = Math.random().toString(36).slice(2, 12);
  #timers;
  #now;
  #deadlineMs;
  // Entries that came to be before this time are not read back (see #raise()).
  #barrier = -Infinity;
  #counts = {
    hits: 0, staleHits: 0, misses: 0, staleIfErrorHits: 0, writes: 0, deletes: 0,
    skips: 0, errors: 0, timeouts: 0, unshareable: 0, tooLarge: 0, invalidations: 0, checks: 0, resets: 0,
    leases: 0, leaseWaits: 0, leaseTimeouts: 0, published: 0, heard: 0, subscriptions: 0, subscribeErrors: 0,
    warmed: 0,
  };

  /**
   * `options` holds sharedOptions: name = 'cache' (caches sharing a store need distinct names),
   * deadlineMs (each call's; default the store's), maxValueBytes = 512 KiB (of the entry's JSON
   * text, UTF-8), maxTtlMs = 24 h (the longest a copy is kept in the store), generationCheckMs =
   * 1000 (how often this instance reads the invalidation log, at most), leaseMs = 5000 (a
   * fetching instance's lease; 0: no single-flight across instances), leaseWaitMs = 1000 (how
   * long the others wait for its value), leasePollMs = 50 (how often they look), pubsub = true
   * (where the store can publish and subscribe: invalidations evict elsewhere at once, see
   * invalidation-bus.js). `classify(at, ttl, swr, sie, now)` is the core's freshness rule;
   * `timers` and `now` (its clock) the cache's; `apply(changes)` applies invalidations made
   * elsewhere (as check() resolves them) to the cache's memory.
   */
  constructor(store, options, classify, timers, now, apply) {
    this.#store = checkStore(store, ['get', 'set', 'delete', 'evalScript', 'key', 'stats']);
    const o = nestedOption(options, 'sharedOptions');
    const name = o['sharedOptions.name'] ?? 'cache';
    if (typeof name !== 'string' || !NAME.test(name)) throw invalidOption('sharedOptions.name', "1 to 64 printable ASCII characters without spaces or ':'", name);
    this.#name = name;
    const deadlineMs = numberOption(o, 'sharedOptions.deadlineMs', 1, 60000, undefined);
    this.#call = deadlineMs === undefined ? undefined : { deadlineMs };
    this.#deadlineMs = deadlineMs ?? (store instanceof StoreBase ? store.deadlineMs : DEFAULT_DEADLINE_MS);
    // A store that takes no more (a Durable Object's 64 KiB) bounds it: a larger entry would be
    // refused at every write, where it is kept in memory only and counted.
    const storeMax = limitOf(store, 'maxValueBytes') ?? Infinity;
    this.#maxValueBytes = numberOption(o, 'sharedOptions.maxValueBytes', 1, Math.min(512 * 1024 * 1024, storeMax),
      Math.min(DEFAULT_MAX_VALUE_BYTES, storeMax));
    this.#maxKeyBytes = limitOf(store, 'maxKeyBytes');
    this.#maxTtlMs = numberOption(o, 'sharedOptions.maxTtlMs', 1000, 2 ** 31 - 1, DEFAULT_MAX_TTL_MS);
    this.#checkMs = numberOption(o, 'sharedOptions.generationCheckMs', 0, 3600 * 1000, DEFAULT_GENERATION_CHECK_MS);
    const leaseMs = numberOption(o, 'sharedOptions.leaseMs', 0, MAX_LEASE_MS, DEFAULT_LEASE_MS);
    if (leaseMs > 0) {
      this.#lease = {
        ttlMs: leaseMs,
        waitMs: numberOption(o, 'sharedOptions.leaseWaitMs', 1, 60000, DEFAULT_LEASE_WAIT_MS),
        pollMs: numberOption(o, 'sharedOptions.leasePollMs', 1, 60000, DEFAULT_LEASE_POLL_MS),
      };
    }
    this.#timers = timers;
    this.#now = now;
    this.#classify = classify;
    this.#logKeys = [store.key(`${name}:invalidations`, 'gen'), store.key(`${name}:invalidations`, 'log')];
    const pubsub = o['sharedOptions.pubsub'] ?? true;
    if (typeof pubsub !== 'boolean') throw invalidOption('sharedOptions.pubsub', 'true or false', pubsub);
    if (pubsub && carriesMessages(store)) {
      this.#bus = new InvalidationBus(store, store.key(`${name}:invalidations`, 'bus'), (send) => this.#attempt(send),
        this.#heard, this.#counts, this.#failed);
    }
    this.#apply = apply;
  }

  /** The deadline the store calls of one read share: `{ until }`, deadlineMs from `now`. */
  budget(now) {
    return { until: now + this.#deadlineMs };
  }

  // Every store call: `send(options)` within its deadline (what is left of `budget`, else the
  // store's own), whoever implemented the store; a throw is a rejection. A budget spent is a
  // timeout without a call.
  #attempt(send, budget) {
    let ms = this.#deadlineMs;
    let options = this.#call;
    if (budget !== undefined) {
      try {
        ms = Math.ceil(budget.until - this.#now());
      } catch (error) {  // the cache's clock threw
        return Promise.reject(error);
      }
      if (!(ms >= 1)) return Promise.reject(storeTimeout(0));
      options = { deadlineMs: ms };
    }
    return withinDeadline(this.#store, () => Promise.resolve(send(options)), ms, this.#timers);
  }

  #key(key) {
    return this.#store.key(`${this.#name}:${key}`, 'v');
  }

  // A key with a lone surrogate would reach the store as U+FFFD (two such keys would share one
  // entry); one the store cannot take (its lease's key, the longer, over maxKeyBytes) is refused.
  #shareable(key) {
    return isWellFormed(key) && (this.#maxKeyBytes === undefined || fits(this.#leaseKey(key), this.#maxKeyBytes));
  }

  // Every failure is counted by its kind and becomes `undefined`.
  #failed = (error) => {
    const c = this.#counts;
    if (error?.code === 'STORE_TIMEOUT') c.timeouts++;
    // Only a refusal by the store's open breaker carries retryAfterMs (store-error.js).
    else if (error?.code === 'STORE_UNAVAILABLE' && 'retryAfterMs' in error) c.skips++;
    else c.errors++;
    return undefined;
  };

  /**
   * One read: lookup()'s answer at `now()` (fresh, or stale unless `freshOnly` (a revalidation):
   * served; otherwise kept in case the fetch fails), undefined (absent, expired, unreadable,
   * invalidated), or null when the store failed, the invalidation log could not be read, or the
   * key is not shared (no lease is then asked).
   */
  read(key, now, freshOnly, budget, tally = true) {
    if (!this.#viewed || !this.#shareable(key)) return Promise.resolve(null);
    return this.#attempt((o) => this.#store.evalScript(READ_ENTRY, [this.#key(key)], [], o), budget).then((reply) => {
      // A look that serves nothing (recheck()) is not a read to count: only its errors are.
      const c = tally ? this.#counts : { hits: 0, staleHits: 0, misses: 0 };
      if (reply === null || reply === undefined) {
        c.misses++;
        return undefined;
      }
      const [text, ttlLeft] = Array.isArray(reply) ? reply : [];
      const entry = typeof text === 'string' ? decodeEntry(text) : undefined;
      if (entry === undefined) {
        this.#counts.errors++;
        return undefined;
      }
      const t = now();
      entry.at = bornAt(entry, Number(ttlLeft), t);
      if (!(entry.at <= t + MAX_CLOCK_AHEAD_MS)) {
        this.#counts.errors++;
        return undefined;
      }
      const found = this.lookup(entry, t);
      if (entry.at <= this.#barrier || found.code === EXPIRED || this.#view.refuses(key, entry.tags, entry.generation) ||
          this.#beforeApplied(entry.generation)) {
        c.misses++;
        return undefined;
      }
      if (found.code === FRESH) c.hits++;
      else if (found.code === STALE && !freshOnly) c.staleHits++;
      else c.misses++;
      return found;
    }, (error) => {
      this.#failed(error);
      return null;
    });
  }

  /**
   * A warm-up's reads (Cache#warmFromShared): what read() gives for each of `keys`, all within
   * one deadline from `now()` (the client pipelines calls sent together), counted only as
   * `warmed(n)` says.
   */
  readMany(keys, now) {
    const budget = this.budget(now());
    return Promise.all(keys.map((key) => this.read(key, now, false, budget, false)));
  }

  /** `n` entries a warm-up copied into memory. */
  warmed(n) {
    this.#counts.warmed += n;
  }

  #beforeApplied(stamp) {
    return this.#lastApplied !== undefined && precedes(stamp, this.#lastApplied);
  }

  // Applied here ahead of the log; `barrier`: the view does not have it (see #lastApplied).
  #applying(stamp, barrier) {
    this.#applied.add(stamp);
    if (this.#applied.size > MAX_LOG) this.#applied.delete(this.#applied.values().next().value);
    if (barrier && (this.#lastApplied === undefined || precedes(this.#lastApplied, stamp))) this.#lastApplied = stamp;
  }

  // A message on the channel: applied at once, unless this instance has it already (made here,
  // heard before, or brought by the log). One the view cannot adopt yet (invalidations before it
  // are missing) makes the log due at once.
  #heard = (message) => {
    const heard = decodeMessage(message);
    if (heard === undefined) {
      this.#counts.errors++;
      return;
    }
    const [stamp, kind, value] = heard;
    if (this.#applied.has(stamp) || this.#view.has(stamp)) return;
    const adopted = this.#view.append(stamp, kind, value);
    this.#applying(stamp, !adopted);
    if (!adopted) this.#checkedAt = -Infinity;
    this.#counts.heard++;
    this.#apply([[kind, value]]);
  };

  /**
   * `{ entry, code, usable, ageMs }` of an entry at `now`: code 0 fresh, 1 stale, 2 stale-if-error
   * only, 3 expired; usable: within stale-if-error.
   */
  lookup(entry, now) {
    const { code, ageMs } = this.#classify(entry.at, entry.ttl, entry.swr, entry.sie, now);
    return { entry, code: code & FRESHNESS_MASK, usable: (code & USABLE_ON_ERROR) !== 0, ageMs };
  }

  /** A stale copy served because the fetch failed. */
  servedOnError() {
    this.#counts.staleIfErrorHits++;
  }

  /**
   * Writes behind: resolves (never rejects) once written or failed; undefined when nothing is
   * sent (not plain JSON data, a key with a lone surrogate, larger than maxValueBytes, or already
   * expired). `at` = now - age.
   */
  write(key, value, { at, ttl, swr, sie, size, tags }, now) {
    // The store keeps the copy until its last usable moment (capped by maxTtlMs).
    const { untilMs } = this.#classify(at, ttl, swr, sie, now);
    const ttlMs = Math.ceil(Math.min(untilMs - now, this.#maxTtlMs));
    const text = this.#shareable(key)
      ? encodeEntry(value, { at, ttl, swr, sie, size, tags, generation: this.#view.stamp, age: now - at, storeTtl: ttlMs })
      : undefined;
    if (text === undefined) {
      this.#counts.unshareable++;
      return undefined;
    }
    if (!fits(text, this.#maxValueBytes)) {
      this.#counts.tooLarge++;
      return undefined;
    }
    if (!(ttlMs >= 1)) return undefined;
    return this.#attempt((o) => this.#store.set(this.#key(key), text, { ttlMs, ...o }))
      .then(() => { this.#counts.writes++; }, this.#failed);
  }

  /**
   * An invalidation made here, for every instance: `kind` 'k' (a key: its copy is deleted too),
   * 'p' (a prefix), 't' (a tag) or 'c' (everything), appended to the log. Resolves when done
   * (never rejects). Until the log has it, and if it fails, this instance reads back nothing
   * from before `now` that the store may still hold.
   */
  invalidated(kind, value, now) {
    // A key or prefix with a lone surrogate would reach the log as U+FFFD and match nothing
    // elsewhere: every instance clears instead (such keys are never in the store).
    if (!isWellFormed(value)) return this.invalidated('c', '', now);
    const store = this.#store;
    // A key the store cannot hold has no copy there; its log entry still reaches others' memory.
    const deletes = kind === 'k' && this.#shareable(value);
    const deleted = deletes ? this.#attempt((o) => store.delete(this.#key(value), o)) : Promise.resolve();
    if (kind !== 'k') this.#raise(now);
    const logged = this.#attempt((o) => store.evalScript(INVALIDATE, this.#logKeys,
      [kind, value, Math.random().toString(36).slice(2, 10), MAX_LOG, this.#maxTtlMs, MAX_LOG_BYTES], o));
    const failed = (error) => {
      this.#raise(now);
      this.#failed(error);
    };
    return Promise.all([
      deleted.then(() => { this.#counts.deletes += deletes ? 1 : 0; }, failed),
      logged.then((stamp) => {
        this.#counts.invalidations++;
        this.#applying(stamp, true);
        return this.#bus?.publish(stamp, kind, value);
      }, failed),
    ]);
  }

  /**
   * Asks for the key's lease before a fetch: resolves true (this instance fetches; release() it
   * after), false (another instance is fetching it), or undefined (no leases, or the store failed:
   * fetch). The lease lasts leaseMs, or `fetchMs` (the longest the fetch may take) when longer (up
   * to 60 s), so that a slow fetch still running keeps it.
   */
  lease(key, budget, fetchMs, tally = true) {
    if (this.#lease === undefined) return Promise.resolve(undefined);
    const ttlMs = Math.max(this.#lease.ttlMs, Math.min(fetchMs ?? 0, MAX_LEASE_MS));
    return this.#attempt((o) => this.#store.evalScript(TAKE_LEASE, [this.#leaseKey(key)], [this.#owner, ttlMs], o), budget)
      .then((reply) => {
        // 1, or its text from a REST API; Number() would also read [1] or '1 ' as taken.
        const taken = reply === 1 || reply === '1';
        if (taken || tally) this.#counts[taken ? 'leases' : 'leaseWaits']++;
        return taken;
      }, this.#failed);
  }

  /** Gives the lease back (never rejects): the next expiry of the key need not wait for its TTL. */
  release(key) {
    return this.#attempt((o) => this.#store.evalScript(RELEASE_LEASE, [this.#leaseKey(key)], [this.#owner], o))
      .then(() => undefined, this.#failed);
  }

  /**
   * Waits for the leader's value: looks every leasePollMs until a fresh copy is there, or
   * leaseWaitMs have passed, its last look included, or `signal` (the caller's) aborts. A look
   * that finds nothing asks for the lease: a leader whose fetch failed has given it back, one
   * that died lets it run out, and this instance then leads. Resolves `{ found, leased }`: found,
   * a fresh copy (as read() gives it); leased, this instance holds the lease (release() it).
   * Neither: fetch it here. `gone()` true (the cache was disposed) ends the wait too.
   */
  async awaitLeader(key, now, signal, gone, fetchMs) {
    const { waitMs, pollMs } = this.#lease;
    const until = now() + waitMs;
    const budget = { until };
    // Bounded by polls too: a clock that stands still while timers run must not poll forever.
    for (let polls = Math.ceil(waitMs / pollMs); polls > 0 && now() < until; polls--) {
      await this.#pause(Math.min(pollMs, until - now()), signal);
      if (signal?.aborted || gone()) return { found: undefined, leased: false };
      const found = await this.recheck(key, now, budget);
      if (found !== undefined) return { found, leased: false };
      if (await this.lease(key, budget, fetchMs, false) === true) {
        // The leader may have written and let go between the look and the lease.
        return { found: await this.recheck(key, now, budget), leased: true };
      }
    }
    this.#counts.leaseTimeouts++;
    return { found: undefined, leased: false };
  }

  // `ms` on the cache's timers, cut short when `signal` aborts.
  #pause(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.#timers.clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.#timers.setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * A fresh copy, or undefined: a look again, counted only when it finds one (a hit). A new
   * lease holder looks again once: the leader before it may have written and released between
   * this instance's read and its lease.
   */
  async recheck(key, now, budget) {
    const found = await this.read(key, now, true, budget, false);
    if (found?.code !== FRESH) return undefined;
    this.#counts.hits++;
    return found;
  }

  #leaseKey(key) {
    return this.#store.key(`${this.#name}:${key}`, 'lease');
  }

  /** Whether the invalidation log is due to be read (generationCheckMs since the last check began). */
  due(now) {
    return now - this.#checkedAt >= this.#checkMs;
  }

  /**
   * Reads the log's generation (and the log if it moved): resolves with the invalidations made
   * elsewhere since the last check ([kind, value] each; this instance's own are left out once it
   * knows their generation), RESET when some were missed, or [] (never rejects; a failed check is
   * retried when due again, and until one reads the log no shared copy is read). Its calls share
   * `budget` (a read's), or one of their own.
   */
  check(now, budget = this.budget(now)) {
    this.#checkedAt = now;
    const [genKey, logKey] = this.#logKeys;
    const last = this.#lastApplied;  // logged before this check reads: the view will have it
    const viewed = () => {
      this.#viewed = true;
      // Once the store answers: a subscribe while it fails would take the place of the call that
      // probes it again (its breaker half-open).
      this.#bus?.listen();
      if (this.#lastApplied === last) this.#lastApplied = undefined;
    };
    return this.#attempt((o) => this.#store.get(genKey, o), budget).then((stamp) => {
      this.#counts.checks++;
      if ((stamp ?? null) === this.#view.stamp) {
        viewed();
        return [];
      }
      const log = stamp === null || stamp === undefined ? Promise.resolve(null) : this.#attempt((o) => this.#store.get(logKey, o), budget);
      return log.then((text) => {
        viewed();
        const changes = this.#view.advance(stamp ?? null, text);
        if (changes === RESET) {
          this.#counts.resets++;
          return RESET;
        }
        return changes.filter(([generation]) => !this.#applied.has(generation)).map(([, kind, value]) => [kind, value]);
      });
    }).catch((error) => {
      this.#viewed = false;
      this.#failed(error);
      return [];
    });
  }

  // This instance no longer reads back entries whose age was 0 at or before `now`: after an
  // invalidation it made, until its own check has the log entry (the store's copies of a tag or
  // prefix cannot be found to delete), or for good if the log could not be written.
  #raise(now) {
    if (now > this.#barrier) this.#barrier = now;
  }

  /** Ends the subscription, if any (the cache is disposed); never rejects. */
  close() {
    return this.#bus?.close();
  }

  stats() {
    return { ...this.#counts, store: this.#store.stats() };
  }
}
