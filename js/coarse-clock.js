// A clock for hot paths that only compare times. Date.now() can be a system call (50-250 ns
// measured on the build machine), which would cost more than the rest of a cache get() or an
// open circuit's refusal. Like lru-cache's ttlResolution, this reads it at most once per
// synchronous stretch of work: time stands still within one, as it does in edge runtimes
// anyway, and the reading expires in a microtask, which every runtime runs before anything
// else can happen. (A timer did this once: workerd drops the timers of a request that has
// ended, and the reading stayed, freezing every default clock of the isolate.) It never runs
// ahead of Date.now(), only behind it, by at most that stretch. The microtask is a reaction to a
// settled promise rather than queueMicrotask(): Node's queueMicrotask wraps each callback for
// async hooks, about 0.15 us a stretch, which a one-check request pays in full.
let coarseNow = 0;
const expireCoarse = () => { coarseNow = 0; };
const settled = Promise.resolve();

export function coarseClock() {
  if (coarseNow !== 0) return coarseNow;
  coarseNow = Date.now();
  settled.then(expireCoarse);
  return coarseNow;
}
