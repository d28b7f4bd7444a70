// Seeded Zipf traces: every run and every contender sees the same requests.
import { seededRandom } from '../web-demo/seeded-random.js';

/**
 * `requests` key ids in [0, keys) drawn with Zipf(s) popularity, by inverse CDF. Ranks are
 * shuffled onto key ids so that popularity has nothing to do with key order or hash.
 */
export function zipfTrace(s, keys, requests, seed) {
  const rand = seededRandom(seed);
  const cdf = new Float64Array(keys);
  let sum = 0;
  for (let r = 0; r < keys; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  for (let r = 0; r < keys; r++) cdf[r] /= sum;
  const ids = Uint32Array.from({ length: keys }, (_, i) => i);
  for (let i = keys - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const trace = new Uint32Array(requests);
  for (let n = 0; n < requests; n++) {
    const u = rand();
    let lo = 0, hi = keys - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1; else hi = mid;
    }
    trace[n] = ids[lo];
  }
  return trace;
}
