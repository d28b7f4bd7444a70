// timeout(fn, ms): runs fn(signal) and gives up after `ms`, aborting the call through its signal.
import { EdgeguardError, invalidOption } from './errors.js';
import { MAX_MS, checkFunction, checkOptions, numberOption, signalOption, timersOption } from './resilience.js';

export class TimeoutError extends EdgeguardError {
  constructor(timeoutMs) {
    super('TIMEOUT', `the call did not finish within ${timeoutMs} ms`, { timeoutMs });
  }
}

/**
 * Resolves or rejects as `fn(signal)` does, unless `ms` pass first: then the signal aborts with a
 * TimeoutError and the promise rejects with it. `options.signal` (the caller's) aborts both;
 * `options.timers` replaces setTimeout/clearTimeout (tests, custom schedulers).
 */
export function timeout(fn, ms, options) {
  checkFunction(fn);
  const opts = checkOptions(options);
  if (ms === undefined) throw invalidOption('ms', `an integer from 1 to ${MAX_MS}`, ms);
  return withTimeout(fn, numberOption({ ms }, 'ms', 1, MAX_MS), signalOption(opts), timersOption(opts));
}

/** timeout() without option checks, for the classes that checked them once in their constructor. */
export function withTimeout(fn, ms, outer, timers) {
  if (outer?.aborted) return Promise.reject(outer.reason);
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    let done = false;
    let timer;
    const onAbort = () => {
      if (done) return;
      finish();
      controller.abort(outer.reason);
      reject(outer.reason);
    };
    const finish = () => {
      done = true;
      timers.clearTimeout(timer);
      // A signal that refuses the removal keeps an inert listener (done is set): the call has
      // settled, and a throw here would be uncaught.
      try {
        outer?.removeEventListener('abort', onAbort);
      } catch {
        // nothing else to undo
      }
    };
    // The listener before the timer: if the signal throws, nothing is armed yet.
    outer?.addEventListener('abort', onAbort, { once: true });
    timer = timers.setTimeout(() => {
      if (done) return;
      finish();
      const error = new TimeoutError(ms);
      controller.abort(error);
      reject(error);
    }, ms);
    let result;
    try {
      result = fn(controller.signal);
    } catch (error) {
      finish();
      reject(error);
      return;
    }
    Promise.resolve(result).then(
      (value) => { if (!done) { finish(); resolve(value); } },
      (error) => { if (!done) { finish(); reject(error); } });
  });
}
