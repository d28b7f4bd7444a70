// The deadlines of a store's pending calls on one timer per deadline length instead of one per
// call: arming and clearing a timer around every call cost a store call more than the rest of
// StoreCalls together (the runtime's timer list for that length was made and unmade each time,
// bench/shared.bench.js 'exact'). Calls of one length are due in the order they were made, so
// each length keeps a FIFO. An answered call is unlinked and its timer left to run out, unref'd
// where the runtime has it (the call's own connection keeps a process alive, not its deadline).

function unlinked(list, entry) {
  if (entry.prev) entry.prev.next = entry.next;
  else list.head = entry.next;
  if (entry.next) entry.next.prev = entry.prev;
  else list.tail = entry.prev;
  entry.list = null;
}

export class Deadlines {
  #timers;
  #now;
  #lists = new Map();
  #added = 0;  // calls added so far: which were there when a timer was armed

  /** timers: { setTimeout, clearTimeout }; now(): the steady clock, may throw (a bad reading). */
  constructor(timers, now) {
    this.#timers = timers;
    this.#now = now;
  }

  /** Calls `expire()` once `ms` have passed since `start` (a now() reading), unless cancelled. */
  add(ms, start, expire) {
    let list = this.#lists.get(ms);
    if (list === undefined) {
      list = { head: null, tail: null, armedFor: -1 };
      this.#lists.set(ms, list);
    }
    const entry = { due: start + ms, seq: ++this.#added, expire, list, prev: list.tail, next: null };
    if (list.tail) list.tail.next = entry;
    else list.head = entry;
    list.tail = entry;
    if (list.armedFor < 0) this.#arm(ms, list, entry.due, ms);
    return entry;
  }

  /** The entry's call was answered: it never expires. */
  cancel(entry) {
    if (entry.list !== null) unlinked(entry.list, entry);
  }

  #arm(ms, list, due, delay) {
    list.armedFor = due;
    list.armedAt = this.#added;
    const timer = this.#timers.setTimeout(() => this.#fire(ms, list), delay);
    timer?.unref?.();
  }

  // The timer armed for `armedFor` ran: every call due by the clock expires, and so does every
  // call that was there when it was armed and is due by then (the timer's account, for a clock
  // that cannot be read or lags); the timer is armed again for the first call left. A call made
  // after the arming is judged by the clock alone: a clock that stands still (an injected one)
  // would otherwise give it the same due time as the first and expire it as soon as that fires.
  #fire(ms, list) {
    const timerNow = list.armedFor;
    const armedAt = list.armedAt;
    list.armedFor = -1;
    let clockNow = -Infinity;
    try {
      clockNow = this.#now();
    } catch { /* the timer's account stands */ }
    const due = (entry) => entry.due <= clockNow || (entry.seq <= armedAt && entry.due <= timerNow);
    while (list.head !== null && due(list.head)) {
      const entry = list.head;
      unlinked(list, entry);
      entry.expire();
    }
    if (list.head !== null) this.#arm(ms, list, list.head.due, Math.max(list.head.due - Math.max(clockNow, timerNow), 0) || ms);
    else if (this.#lists.get(ms) === list) this.#lists.delete(ms);
  }
}

/**
 * Deadlines as Deadlines keeps them, on a timer of each call's own: for workerd, whose timers end
 * with the request that armed them. A timer shared by later calls would end with the first
 * request, and every deadline of its length after it (a Durable Object stalled for seconds held
 * its callers that long, measured in tests/e2e/durable-object-cache.test.js).
 */
export class CallDeadlines {
  #timers;

  constructor(timers) {
    this.#timers = timers;
  }

  add(ms, start, expire) {
    return this.#timers.setTimeout(expire, ms);
  }

  cancel(timer) {
    this.#timers.clearTimeout(timer);
  }
}

// workerd: its user agent, or WebSocketPair, its own global, where a compatibility date before
// 2022-03-21 (or no_global_navigator) leaves it no navigator. Vercel Edge (the EdgeRuntime
// global): its timers cannot be unref'd, so a shared timer would keep edge-runtime's process
// alive, and whether the platform ends a request's timers with it is not known: taken as workerd.
const perRequestTimers = () => globalThis.navigator?.userAgent === 'Cloudflare-Workers' ||
  typeof globalThis.WebSocketPair === 'function' || typeof globalThis.EdgeRuntime === 'string';

/** The deadlines for this runtime: one timer per call on workerd and Vercel Edge, else shared. */
export function deadlinesFor(timers, now) {
  return perRequestTimers() ? new CallDeadlines(timers) : new Deadlines(timers, now);
}
