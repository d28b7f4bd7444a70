// local-first: each instance leases a share of a key's allowance from the store and answers from
// it without a round trip; the store is asked again when the lease runs out (in the background
// once it runs low), and a key the store refused is refused locally until its retry time, so a
// flood costs no round trips.
//
// Accuracy: a leased unit is consumed in the store when it is granted, so over any span the
// instances together allow no more than the exact limiter grants. What a lease changes is WHEN a
// unit is used: up to its ttl after it was granted. So in any window, under every policy, the
// instances allow at most what the exact limiter would allow plus the units leased but not yet
// used at the window's start: at most instances x lease.units, whatever the costs, for each
// instance holds at most lease.units at a time. A take is in flight at most one per key; one
// that settles after a newer take replaced it (its deadline passed) changes nothing: its units
// are lost, never added on top. Unused units go back to the store with the next take, or when
// the key is evicted. Answers from the fallback (the store failing) are outside the bound.
//
// Refusals are cached until the store could grant a lease to each of the expected instances
// (the store says when `lease.units + cost` would fit; each other instance's lease is `units`
// emission intervals more): later than the store's own retry time, so that under a flood each
// take finds about a lease's worth and a refused key costs a round trip per lease, not per unit.
// The result's retryAfterMs is that local time: when this instance will allow again.
import { invalidOption } from '../errors.js';
import { numberOption } from '../resilience.js';

class Lease {
  units = 0;         // leased, not yet used
  expires = 0;       // when the units go back to the store (limiter clock)
  base = 0;          // the store's remaining when last granted: the shared view of what is left
  resetAt = 0;
  policy = 0;
  refusedUntil = 0;  // refused locally until then once the units run out
  pending = null;    // the take in flight (only one per key at a time)
  pendingAt = 0;     // when it was sent
}

// A background store call handed to the runtime's waitUntil, which may throw (called once its
// request is over): the call goes on regardless, and the check still answers.
function handOff(waitUntil, promise) {
  try {
    waitUntil?.(promise);
  } catch {
    // nothing to do: the promise settles (and is handled) all the same
  }
}

function pend(e, pending, now) {
  e.pending = pending;
  e.pendingAt = now;
  return pending;
}

// Whether the take is the one the lease still waits for (then no longer): one abandoned past
// its deadline that settles late must leave the lease to the newer take.
function settled(e, pending) {
  if (e.pending !== pending) return false;
  e.pending = null;
  return true;
}

export class LocalFirst {
  #limiter;
  #leases = new Map();
  #units;
  #ttlMs;
  #maxKeys;
  #timers;
  #deadlineMs;
  #others;
  #emission;

  constructor(limiter, { lease, instances, maxKeys, timers, deadlineMs, capacity, policies, terms }) {
    this.#limiter = limiter;
    const given = Object.fromEntries(Object.entries(lease ?? {}).map(([k, v]) => [`lease.${k}`, v]));
    for (const k of Object.keys(given)) {
      if (k !== 'lease.units' && k !== 'lease.ttlMs') throw invalidOption(k, 'absent (lease takes units and ttlMs)', given[k]);
    }
    // Half of an instance's share of the smallest capacity: instances renewing at once still
    // find units left, and the overshoot bound (instances x units) stays half the capacity.
    this.#units = numberOption(given, 'lease.units', 1, capacity, Math.max(1, Math.floor(capacity / (2 * instances))));
    this.#ttlMs = numberOption(given, 'lease.ttlMs', 1, 2 ** 40, Math.min(...policies.map((p) => p.windowMs)));
    this.#maxKeys = maxKeys;
    this.#others = (instances - 1) * this.#units;
    this.#emission = terms.map((t) => t.p / t.q);  // ms per unit, as the core derived it
    this.#timers = timers;
    this.#deadlineMs = deadlineMs;
  }

  /** Keys holding a lease or a cached refusal. */
  get size() {
    return this.#leases.size;
  }

  check(key, cost, now, waitUntil) {
    let e = this.#leases.get(key);
    if (e) {
      const r = this.#local(e, key, cost, now, waitUntil);
      if (r) return Promise.resolve(r);
      // A take past its deadline that never settled (a runtime that dropped a background call
      // when the request that made it ended) no longer holds the key.
      if (e.pending && now - e.pendingAt > this.#deadlineMs) e.pending = null;
      if (e.pending) return this.#join(e, key, cost, now, waitUntil);
      // Most recently asked last: eviction takes the key asked longest ago.
      this.#leases.delete(key);
      this.#leases.set(key, e);
    } else {
      e = this.#insert(key, now, waitUntil);
    }
    return this.#acquire(e, key, cost, now, { done: false });
  }

  forget(key) {
    this.#leases.delete(key);
  }

  clear() {
    this.#leases.clear();
  }

  // The answer from the lease, or null when the store must be asked.
  #local(e, key, cost, now, waitUntil) {
    const limiter = this.#limiter;
    if (e.units >= cost && now < e.expires) {
      e.units -= cost;
      // Topped up while the store had the units to spare when last asked; else asked when empty.
      if (2 * e.units < this.#units && e.pending === null && e.base >= this.#units - e.units) this.#renew(e, key, now, waitUntil);
      return limiter.decided(limiter.result(now, true, e.policy, e.base + e.units, Math.max(0, e.resetAt - now), 0, 'lease'));
    }
    if (e.refusedUntil > now) {
      const retry = e.refusedUntil - now;
      return limiter.decided(limiter.result(now, false, e.policy, 0, Math.max(retry, e.resetAt - now), retry, 'lease'));
    }
    return null;
  }

  // A take for this call: gives back what is left of the lease and asks for the call's cost
  // plus a lease. `claim.done` once the caller was answered otherwise (its deadline passed, by
  // the fallback, which may have allowed it): the units granted for the call are spent all the
  // same, so the lease never holds more than lease.units.
  #acquire(e, key, cost, now, claim) {
    const limiter = this.#limiter;
    const give = e.units;
    e.units = 0;
    const pending = limiter.take(key, now, give, this.#units + cost, cost).then((reply) => {
      if (!settled(e, pending)) return claim.done ? null : limiter.decided(limiter.fromReply(reply, now, 'store'));
      e.policy = reply.policy;
      e.resetAt = now + reply.resetMs;
      if (reply.granted > 0) {
        e.units += reply.granted - cost;
        e.expires = now + this.#ttlMs;
        e.base = reply.remaining;
        e.refusedUntil = 0;
        return claim.done ? null : limiter.decided(limiter.fromReply(reply, now, 'store', reply.remaining + e.units));
      }
      e.refusedUntil = this.#refusedUntil(reply, now);
      const retry = e.refusedUntil - now;
      return claim.done ? null : limiter.decided(limiter.result(now, false, reply.policy, 0, Math.max(reply.resetMs, retry), retry, 'store'));
    }, () => {
      settled(e, pending);
      return claim.done ? null : limiter.fallback(key, cost, now);
    });
    return pend(e, pending, now);
  }

  // Tops the lease up to `units` in the background; a failure leaves the lease as it is.
  #renew(e, key, now, waitUntil) {
    const pending = this.#limiter.take(key, now, 0, this.#units - e.units, 1).then((reply) => {
      if (!settled(e, pending)) return;
      e.policy = reply.policy;
      e.resetAt = now + reply.resetMs;
      if (reply.granted > 0) {
        e.units += reply.granted;
        e.expires = now + this.#ttlMs;
        e.base = reply.remaining;
      } else {
        e.refusedUntil = this.#refusedUntil(reply, now);
      }
    }, () => settled(e, pending));
    pend(e, pending, now);
    handOff(waitUntil, pending);
  }

  #refusedUntil(reply, now) {
    return now + Math.max(reply.retryAfterMs, Math.ceil(reply.waitMs + this.#others * this.#emission[reply.policy]));
  }

  // A call for a key whose take is in flight waits for it, then answers from the lease, or
  // takes again; by its deadline at the latest it answers from the fallback.
  #join(e, key, cost, now, waitUntil) {
    const limiter = this.#limiter;
    return new Promise((resolve) => {
      const claim = { done: false };
      const answer = (r) => {
        if (claim.done || r === null) return;
        claim.done = true;
        this.#timers.clearTimeout(timer);
        resolve(r);
      };
      const timer = this.#timers.setTimeout(() => answer(limiter.fallback(key, cost, now)), this.#deadlineMs);
      const retry = () => {
        if (claim.done) return;
        const r = this.#local(e, key, cost, now, waitUntil);
        if (r) answer(r);
        else if (e.pending) e.pending.then(retry);
        else this.#acquire(e, key, cost, now, claim).then(answer);
      };
      e.pending.then(retry);
    });
  }

  #insert(key, now, waitUntil) {
    if (this.#leases.size >= this.#maxKeys) {
      const [oldKey, old] = this.#leases.entries().next().value;
      this.#leases.delete(oldKey);
      // Unused units go back, in the background; lost if that fails (never granted twice).
      if (old.units > 0 && now < old.expires) {
        const back = this.#limiter.take(oldKey, now, old.units, 0, 0).then(() => {}, () => {});
        handOff(waitUntil, back);
      }
    }
    const e = new Lease();
    this.#leases.set(key, e);
    return e;
  }
}
