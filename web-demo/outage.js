// What an outage shows, in three numbers the viewer can check: cached routes keep answering
// (from the cache, with no errors), the backend is spared (its own count of calls per second
// falls), and the answers that fail do so on purpose (uncached POSTs refused by the open
// circuit). It hears every reading of the backend's state (time, its call counter, down or not)
// and every answer; readings are kept in a ring, so memory stays fixed however long it runs.
import { FROM_CACHE, FAILED } from './outcomes.js';

const zero = () => ({ cachedServed: 0, cachedErrors: 0, uncachedCircuitOpen: 0, uncachedErrors: 0 });

// Calls per second between two readings; null when no time passed between them.
const rate = (from, to) => (to.atMs > from.atMs ? ((to.calls - from.calls) * 1000) / (to.atMs - from.atMs) : null);

export class OutageWatch {
  /** `beforeMs`: how far back "before the outage" reaches; `readings`: how many are kept. */
  constructor({ beforeMs = 60000, readings = 256 } = {}) {
    this.beforeMs = beforeMs;
    this.ring = new Array(readings);
    this.next = 0;
    this.count = 0;
    this.start = null;  // the reading the outage began at
    this.last = null;  // the latest reading while down, or the one that ended it
    this.down = false;
    this.before = null;  // calls per second before the outage began
    this.counts = zero();
  }

  /** One reading of the backend's state: at `atMs`, `calls` API calls reached it so far; `down`. */
  reading(atMs, calls, down) {
    const r = { atMs, calls };
    if (down && !this.down) {
      this.start = r;
      this.before = this.#rateBefore(r);
      this.counts = zero();
    }
    if (down || this.down) this.last = r;
    this.down = down;
    this.ring[this.next] = r;
    this.next = (this.next + 1) % this.ring.length;
    this.count = Math.min(this.count + 1, this.ring.length);
  }

  // From the oldest reading kept within `beforeMs` of the start to the start.
  #rateBefore(start) {
    const n = this.ring.length;
    for (let i = this.count; i >= 1; i--) {
      const r = this.ring[(this.next - i + n) % n];
      if (r.atMs >= start.atMs - this.beforeMs && r.atMs <= start.atMs) return rate(r, start);
    }
    return null;
  }

  /** One answer; counted while the backend is down. `cachedRoute`: the request was a product GET. */
  record(outcome, cachedRoute) {
    if (!this.down) return;
    const c = this.counts;
    if (cachedRoute && FROM_CACHE.has(outcome)) c.cachedServed++;
    else if (cachedRoute && FAILED.has(outcome)) c.cachedErrors++;
    else if (!cachedRoute && outcome === 'circuit-open') c.uncachedCircuitOpen++;
    else if (!cachedRoute && outcome === 'error') c.uncachedErrors++;
  }

  /**
   * null until the backend has been down; then { down, seconds it was (or has been) down,
   * backendCalls during it, callsPerSecond { before, during } (null: no time to measure over),
   * and the answer counts }.
   */
  summary() {
    if (!this.start) return null;
    return {
      down: this.down,
      seconds: (this.last.atMs - this.start.atMs) / 1000,
      backendCalls: this.last.calls - this.start.calls,
      callsPerSecond: { before: this.before, during: rate(this.start, this.last) },
      ...this.counts,
    };
  }
}
