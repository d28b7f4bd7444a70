// A clock for hot paths that only compare times. Date.now() can be a system call (50-250 ns
// measured on the build machine), which would cost more than the rest of a cache get() or an
// open circuit's refusal. Like lru-cache's ttlResolution, this reads it at most once per 1 ms
// timer tick; within one synchronous stretch of work time stands still, as it does in edge
// runtimes anyway. It never runs ahead of Date.now(), only behind it, by at most that stretch.
// Where timers are refused (workerd's global scope) it reads the clock every time.
let coarseNow = 0;
const expireCoarse = () => { coarseNow = 0; };

export function coarseClock() {
  if (coarseNow !== 0) return coarseNow;
  const now = Date.now();
  try {
    setTimeout(expireCoarse, 1)?.unref?.();
    coarseNow = now;
  } catch {
    // no timers here
  }
  return now;
}
