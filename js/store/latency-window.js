// Latency percentiles over the last N answered calls: fixed memory, nothing per call but a store
// into a ring; the sort happens only when stats are read.
const SIZE = 1024;

export class LatencyWindow {
  #ring = new Float64Array(SIZE);
  #count = 0;

  add(ms) {
    this.#ring[this.#count++ % SIZE] = ms;
  }

  /** { p50, p90, p99, max } in ms over the last 1024 samples; zeros before the first. */
  percentiles() {
    const n = Math.min(this.#count, SIZE);
    if (n === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = this.#ring.slice(0, n).sort();
    const at = (p) => sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)];
    return { p50: at(50), p90: at(90), p99: at(99), max: sorted[n - 1] };
  }
}
