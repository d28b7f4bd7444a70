// Retry: tries a call again after transient failures, with AWS-style jittered backoff, the
// server's Retry-After, and a retry budget shared by all calls so an outage is not multiplied.
import { EdgeguardError, invalidOption } from './errors.js';
import { module } from './core.js';
import { WasmObject } from './dispose.js';
import { BrokenCircuitError } from './breaker.js';
import { TimeoutError, withTimeout } from './timeout.js';
import {
  MAX_MS, Listeners, checkFunction, checkOptions, coreObject, functionOption, neverAborted, numberOption,
  signalOption, statusOf, timersOption,
} from './resilience.js';
import { Clock } from './clock.js';
import { SettingSlot, Stop } from './seam/breaker.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
// The core's Stop (a negative delay: no further attempt) as 'giveUp' events name it.
const STOPS = Object.fromEntries(Object.entries(Stop).map(([name, delay]) =>
  [delay, name.toLowerCase().replace(/_(\w)/g, (_, c) => c.toUpperCase())]));

/**
 * The default for `retryOn`: network errors and timeouts, and HTTP 408, 429, 500, 502, 503,
 * 504. Never our own refusals (an open circuit, a full bulkhead, bad input).
 */
export function isRetryable(outcome, thrown) {
  const status = statusOf(outcome);
  if (status !== undefined) return RETRY_STATUSES.has(status);
  if (!thrown) return false;
  if (outcome instanceof TimeoutError) return true;
  if (outcome instanceof EdgeguardError || outcome?.name === 'AbortError') return false;
  return true;
}

/**
 * Milliseconds the server asked us to wait (Retry-After on a 429 or 503, as delta-seconds or an
 * HTTP date, or a `retryAfterMs` property), or -1.
 */
export function retryAfterMs(outcome, now) {
  if (outcome === null || typeof outcome !== 'object') return -1;
  if (typeof outcome.retryAfterMs === 'number' && outcome.retryAfterMs >= 0) return outcome.retryAfterMs;
  const status = statusOf(outcome);
  if (status !== 429 && status !== 503) return -1;
  const headers = outcome.headers ?? outcome.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (typeof value !== 'string') return -1;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? -1 : Math.max(0, at - now);
}

// The options the core reads (src/edgeguard/resilience/retry_options.hpp):
// tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = {
  maxAttempts: null, baseMs: null, maxMs: null, jitter: null,
  budget: ['ratio', 'minPerSecond', 'windowMs', 'buckets'], maxRetryAfterMs: null, seed: null,
};

function sleeper(timers) {
  return (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let id;
    const onAbort = () => {
      timers.clearTimeout(id);
      reject(signal.reason);
    };
    // The listener before the timer: if the signal throws, nothing is armed yet.
    signal?.addEventListener('abort', onAbort, { once: true });
    id = timers.setTimeout(() => {
      try {
        signal?.removeEventListener('abort', onAbort);
      } catch {
        // the listener stays; the promise it would reject is already resolved
      }
      resolve();
    }, ms);
  });
}

export class Retry extends WasmObject {
  #clock;
  #retryOn;
  #sleep;
  #timers;
  #timeoutMs;
  #retryNonIdempotent;
  #maxAttempts;
  #maxWaitMs;  // the longest wait between two attempts: a backoff's or a Retry-After's
  #seeded;
  #listeners = new Listeners(['retry', 'giveUp']);

  /**
   * Options (times in ms): maxAttempts = 3 (including the first), baseMs = 100, maxMs = 10000,
   * jitter = 'full' | 'equal' | 'decorrelated' | 'none', retryOn(outcome, { thrown, attempt }),
   * budget = { ratio = 0.2, minPerSecond = 10, windowMs = 10000 } or false, seed,
   * maxRetryAfterMs = maxMs, retryNonIdempotent = false, timeoutMs (per attempt), sleep(ms,
   * signal), clock, timers.
   */
  constructor(options) {
    const opts = checkOptions(options);
    // Checked before the core object exists: a bad option leaves nothing for the finalizer.
    const clock = functionOption(opts, 'clock', Date.now);
    const retryOn = functionOption(opts, 'retryOn', (outcome, { thrown }) => isRetryable(outcome, thrown));
    const timers = timersOption(opts);
    const sleep = functionOption(opts, 'sleep', sleeper(timers));
    const timeoutMs = numberOption(opts, 'timeoutMs', 1, MAX_MS, 0);
    const nonIdempotent = opts.retryNonIdempotent ?? false;
    if (typeof nonIdempotent !== 'boolean') throw invalidOption('retryNonIdempotent', 'a boolean', nonIdempotent);
    const mod = module('resilience');
    super(coreObject(mod, opts, CORE_OPTIONS, (ptr, len) => mod._eg_retry_new(ptr, len)), mod._eg_retry_free);
    const settings = mod.f64(mod._eg_resilience_settings(), SettingSlot.COUNT);  // what the core made of opts
    this.#seeded = opts.seed !== undefined;
    this.#clock = new Clock(clock);
    this.#retryOn = retryOn;
    this.#timers = timers;
    this.#sleep = sleep;
    this.#timeoutMs = timeoutMs;
    this.#retryNonIdempotent = nonIdempotent;
    this.#maxAttempts = settings[SettingSlot.MAX_ATTEMPTS];
    this.#maxWaitMs = Math.max(settings[SettingSlot.MAX_MS], settings[SettingSlot.MAX_RETRY_AFTER_MS]);
  }

  /**
   * The longest one execute() can take when each attempt takes at most `attemptMs` (or this
   * retry's own timeoutMs): every attempt and the longest wait between them.
   */
  longestMs(attemptMs) {
    return this.#maxAttempts * Math.min(this.#timeoutMs || Infinity, attemptMs) + (this.#maxAttempts - 1) * this.#maxWaitMs;
  }

  /**
   * Runs `fn(signal, attempt)` until it succeeds, is not retryable, or a limit stops it; then
   * returns its last value or throws its last error. `options.method` (an HTTP method) limits
   * retries to idempotent methods unless `options.idempotent` or `retryNonIdempotent` says
   * otherwise; `options.signal` cancels the call and any wait between attempts.
   */
  async execute(fn, options) {
    checkFunction(fn);
    const opts = checkOptions(options);
    const signal = signalOption(opts);
    const mayRetry = this.#mayRetry(opts);
    const mod = module('resilience');
    void this.handle;  // DISPOSED before the clock is read
    const start = this.#clock.now();
    mod._eg_retry_on_call(this.handle, start);  // after the clock, which may have disposed this retry
    let previous = 0;
    for (let attempt = 1; ; attempt++) {
      let outcome;
      let thrown = false;
      try {
        outcome = await (this.#timeoutMs > 0 ? withTimeout((s) => fn(s, attempt), this.#timeoutMs, signal, this.#timers)
          : fn(signal ?? neverAborted(), attempt));
      } catch (error) {
        outcome = error;
        thrown = true;
      }
      // Disposed while the attempt ran: the core is gone, so this was the last attempt.
      if (this.disposed || !mayRetry || signal?.aborted || outcome instanceof BrokenCircuitError ||
          !this.#retryable(outcome, thrown, attempt)) {
        return settle(outcome, thrown);
      }
      const now = this.#clock.now();
      // A Retry-After HTTP date is wall-clock time: compared with the clock as it reads, not
      // as now() holds it after a step back.
      const retryAfter = retryAfterMs(outcome, this.#clock.read());
      // The classifier, the clock and the outcome's getters have run: one may have disposed this retry.
      if (this.disposed) return settle(outcome, thrown);
      if (!this.#seeded) this.#seed();
      const delay = mod._eg_retry_next_delay(this.handle, now, attempt, previous, retryAfter);
      if (delay < 0) {
        this.#listeners.emit('giveUp', { reason: STOPS[delay], attempts: attempt, outcome, thrown });
        return settle(outcome, thrown);
      }
      this.#listeners.emit('retry', { attempt, delayMs: delay, outcome, thrown });
      discardBody(outcome, thrown);
      await this.#sleep(delay, signal);
      previous = delay;
    }
  }

  /** Subscribes to 'retry' ({ attempt, delayMs, outcome, thrown }) or 'giveUp' ({ reason, ... }). */
  on(event, listener) {
    return this.#listeners.on(event, listener);
  }

  off(event, listener) {
    this.#listeners.off(event, listener);
  }

  /** The budget now: retries still affordable (`balance`) and retries it refused (`exhausted`). */
  metrics() {
    const mod = module('resilience');
    const now = this.#clock.now();  // before the handle: a clock may dispose this retry
    const balance = mod._eg_retry_budget_balance(this.handle, now);
    return { budget: balance < 0 ? null : { balance, exhausted: mod._eg_retry_budget_exhausted(this.handle) } };
  }

  #mayRetry(options) {
    const idempotent = options.idempotent;
    if (idempotent !== undefined) {
      if (typeof idempotent !== 'boolean') throw invalidOption('idempotent', 'a boolean', idempotent);
      return idempotent;
    }
    const method = options.method;
    if (method === undefined || this.#retryNonIdempotent) return true;
    if (typeof method !== 'string') throw new EdgeguardError('INVALID_INPUT', 'method must be a string');
    return IDEMPOTENT.has(method.toUpperCase());
  }

  #retryable(outcome, thrown, attempt) {
    try {
      return this.#retryOn(outcome, { thrown, attempt }) === true;
    } catch {
      return false;  // a classifier that throws cannot vouch for another attempt
    }
  }

  // Seeding is deferred to the first retry: edge runtimes refuse entropy at module scope,
  // where a Retry is often constructed.
  #seed() {
    module('resilience')._eg_retry_reseed(this.handle, (Math.random() * 2 ** 32) >>> 0, (Math.random() * 2 ** 32) >>> 0);
    this.#seeded = true;
  }
}

function settle(outcome, thrown) {
  if (thrown) throw outcome;
  return outcome;
}

// A response we will not return still holds its connection until its body is read or cancelled.
function discardBody(outcome, thrown) {
  if (!thrown && typeof outcome?.body?.cancel === 'function' && !outcome.bodyUsed) {
    outcome.body.cancel().catch(() => {});
  }
}
