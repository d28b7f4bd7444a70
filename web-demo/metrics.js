// Per-second figures for the charts, in ring buffers: the last `seconds` seconds of outcomes,
// latency samples (at most `samples` per second), cache lookups and the breaker's state. Totals
// are plain counters. Nothing here grows with traffic.
import { OUTCOMES, FROM_CACHE, FAILED } from './outcomes.js';

const BREAKER_LEVEL = { closed: 0, halfOpen: 1, open: 2, forcedOpen: 2 };
export const BREAKER_BANDS = Object.freeze(['closed', 'halfOpen', 'open']);
const MAX_TRANSITIONS = 64;

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export class Metrics {
  constructor({ seconds = 120, samples = 256 } = {}) {
    this.seconds = seconds;
    this.samples = samples;
    this.second = new Float64Array(seconds).fill(-1);
    this.outcomes = Object.fromEntries(OUTCOMES.map((o) => [o.id, new Uint32Array(seconds)]));
    this.latency = Array.from({ length: seconds }, () => new Float64Array(samples));
    this.latencySeen = new Uint32Array(seconds);
    this.lookups = new Uint32Array(seconds);
    this.cacheServed = new Uint32Array(seconds);
    this.breakerLevel = new Int8Array(seconds).fill(-1);
    this.head = -1;
    this.totals = Object.fromEntries(OUTCOMES.map((o) => [o.id, 0]));
    this.cachedRouteErrors = 0;
    this.transitions = [];
    this.lastBreaker = 'closed';
  }

  // The ring slot for the second holding `nowMs`, cleared when it starts a new second; -1 if
  // that second has already left the window.
  #slot(nowMs) {
    const s = Math.floor(nowMs / 1000);
    if (s > this.head) {
      for (let t = Math.max(this.head + 1, s - this.seconds + 1); t <= s; t++) this.#clear(t);
      this.head = s;
    }
    if (s <= this.head - this.seconds) return -1;
    return s % this.seconds;
  }

  #clear(s) {
    const i = s % this.seconds;
    this.second[i] = s;
    for (const o of OUTCOMES) this.outcomes[o.id][i] = 0;
    this.latencySeen[i] = 0;
    this.lookups[i] = 0;
    this.cacheServed[i] = 0;
    this.breakerLevel[i] = -1;
  }

  /** One finished request. */
  record(outcome, latencyMs, cachedRoute, nowMs) {
    this.totals[outcome]++;
    if (cachedRoute && FAILED.has(outcome)) this.cachedRouteErrors++;
    const i = this.#slot(nowMs);
    if (i < 0) return;
    this.outcomes[outcome][i]++;
    const seen = this.latencySeen[i]++;
    // Past `samples` a second, later samples overwrite earlier ones round-robin: percentiles
    // then describe a spread of the second, in fixed memory.
    this.latency[i][seen % this.samples] = latencyMs;
    if (cachedRoute && outcome !== 'rate-limited') {
      this.lookups[i]++;
      if (FROM_CACHE.has(outcome)) this.cacheServed[i]++;
    }
  }

  /** The breaker's state now; a second shows the worst state seen in it. */
  breaker(state, nowMs) {
    if (state !== this.lastBreaker) {
      this.transitions.push({ atMs: nowMs, from: this.lastBreaker, to: state });
      if (this.transitions.length > MAX_TRANSITIONS) this.transitions.shift();
      this.lastBreaker = state;
    }
    const i = this.#slot(nowMs);
    if (i >= 0) this.breakerLevel[i] = Math.max(this.breakerLevel[i], BREAKER_LEVEL[state] ?? 0);
  }

  /** Columns for the charts, oldest second first, ending at the latest second seen. */
  series() {
    const n = this.seconds;
    const x = [];
    const perOutcome = Object.fromEntries(OUTCOMES.map((o) => [o.id, []]));
    const p50 = [], p95 = [], p99 = [], hitRatio = [];
    const bands = Object.fromEntries(BREAKER_BANDS.map((b) => [b, []]));
    for (let s = this.head - n + 1; s <= this.head; s++) {
      x.push(s);
      const i = ((s % n) + n) % n;
      const live = s >= 0 && this.second[i] === s;
      for (const o of OUTCOMES) perOutcome[o.id].push(live ? this.outcomes[o.id][i] : 0);
      const count = live ? Math.min(this.latencySeen[i], this.samples) : 0;
      const sorted = this.latency[i].slice(0, count).sort();
      p50.push(percentile(sorted, 0.5));
      p95.push(percentile(sorted, 0.95));
      p99.push(percentile(sorted, 0.99));
      hitRatio.push(live && this.lookups[i] > 0 ? (100 * this.cacheServed[i]) / this.lookups[i] : null);
      const level = live ? this.breakerLevel[i] : -1;
      BREAKER_BANDS.forEach((b, k) => bands[b].push(level === k ? 1 : null));
    }
    return { x, perOutcome, p50, p95, p99, hitRatio, bands };
  }
}
