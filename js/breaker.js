// CircuitBreaker: stops calling a failing backend, fails fast while it is open, probes it with a
// few trial calls and recovers by itself. The state machine is the core's; this runs the calls.
import { EdgeguardError, coreError, describe } from './errors.js';
import { module } from './core.js';
import { WasmObject } from './dispose.js';
import {
  MAX_MS, Listeners, checkFunction, checkOptions, coreObject, functionOption, neverAborted, numberOption,
  signalOption, statusOf, timersOption,
} from './resilience.js';
import { withTimeout } from './timeout.js';
import { coarseClock } from './coarse-clock.js';
import { Clock } from './clock.js';
import { BreakerShare, shareConfig } from './shared/breaker-share.js';
import { SET } from './breaker-set.js';
import { Event, MAX_SNAPSHOT_BYTES, MetricsSlot as M, Outcome, SettingSlot, StateNames, WindowType } from './seam/breaker.js';

// Index = the core's State, camelCased as options and events name them.
export const STATES = StateNames.map((name) => name.replace(/_(\w)/g, (_, c) => c.toUpperCase()));
const EVENTS = ['stateChange', 'callNotPermitted', 'failureRateExceeded', 'slowCallRateExceeded', 'sharedView'];
const { SUCCESS, FAILURE, IGNORED } = Outcome;
const { STATE_CHANGED, FAILURE_RATE_EXCEEDED: FAILURE_RATE, SLOW_CALL_RATE_EXCEEDED: SLOW_RATE } = Event;
const MAX_PENDING = 1 << 30;  // successes waiting to cross the boundary, far within uint32
// A permit from tryAcquire is the core's permit plus (call number + 1) * CALL: the core's permit
// says which state it was issued in (the core drops outcomes of earlier states), the call number
// which call, so that it counts once. Whether each of the last REMEMBERED calls was reported is
// one bit; a permit older than that reports as a no-op, so memory stays fixed however many
// permits go unreported.
const CALL = 2 ** 31;
const CALLS = 2 ** 21;
const REMEMBERED = 1 << 16;

const MESSAGES = {
  open: 'the circuit is open',
  halfOpen: 'the circuit is half-open and all its trial calls are taken',
  forcedOpen: 'the circuit is forced open',
};

export class BrokenCircuitError extends EdgeguardError {
  /** `retryAfterMs`: when the circuit will next let a call through (undefined when forced open). */
  constructor(state = 'open', retryAfterMs = undefined) {
    super('CIRCUIT_OPEN', MESSAGES[state] ?? MESSAGES.open, { state, retryAfterMs });
  }
}

// Rejections are the fast path of an open circuit, made at the rate calls arrive. Constructing
// an Error costs microseconds (the stack capture dominates, and an open circuit's stack only ever
// points here), so these are built from the prototype: still `instanceof BrokenCircuitError`,
// EdgeguardError and Error, with code, message, state and retryAfterMs, but no `stack`.
function brokenCircuit(state, retryAfterMs) {
  const error = Object.create(BrokenCircuitError.prototype);
  error.name = 'BrokenCircuitError';
  error.code = 'CIRCUIT_OPEN';
  error.message = MESSAGES[state] ?? MESSAGES.open;
  error.state = state;
  error.retryAfterMs = retryAfterMs;
  return error;
}

// Rejects once the caller has had the chance to attach its handlers: a promise rejected with
// none attached costs Node its unhandled-rejection bookkeeping, several times the whole call.
function rejectSoon(error) {
  return new Promise((resolve, reject) => queueMicrotask(() => reject(error)));
}

// A snapshot object as JSON text; one JSON cannot hold (a BigInt, a cycle) is an invalid snapshot.
function snapshotText(snapshot) {
  try {
    return JSON.stringify(snapshot ?? null) ?? 'null';
  } catch (error) {
    throw new EdgeguardError('BREAKER_INVALID_SNAPSHOT', `snapshot is not JSON data: ${error.message}`, { cause: error });
  }
}

/**
 * The default classification: HTTP 5xx and 429 are failures, other statuses successes (a 4xx is
 * the client's problem, not the backend's); thrown errors (network errors, timeouts) are failures.
 */
export function isFailure(outcome, thrown) {
  const status = statusOf(outcome);
  if (status !== undefined) return status >= 500 || status === 429;
  return thrown;
}

// The options the core reads (src/edgeguard/resilience/breaker_options.hpp):
// tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = {
  window: ['type', 'size', 'sizeMs', 'buckets'], minimumCalls: null, failureRateThreshold: null,
  slowCallDurationMs: null, slowCallRateThreshold: null, consecutiveFailures: null, openMs: null,
  openBackoff: ['multiplier', 'maxMs'], halfOpenCalls: null, halfOpenMaxMs: null,
};

export class CircuitBreaker extends WasmObject {
  #clock;
  #isFailure;
  #timeoutMs;
  #timers;
  #listeners = new Listeners(EVENTS);
  #mod;
  #handle;
  #permit = 1;  // what try_acquire returns while admitting calls in the last seen state
  #state = 'closed';
  // The boundary and the clock are the costliest parts of a call (a clock read is a syscall on
  // hosts without a vDSO clock). So: admitting a call reads the time only in states that advance
  // with it (open, half-open); a call's start is read only when slow calls are tracked; and in
  // the closed state of a count window, successes wait in #pending and cross in one batch, for
  // as many as the core's allowance says cannot change its decisions.
  #timesCalls;
  #batchable;
  #untimed;
  #last = 0;
  #allowance = 0;
  #pending = 0;
  // Its mirror for an open circuit: until #refusingUntil the core would refuse every call, so
  // they are refused here and counted in #refused, which crosses with the next call that does.
  // That check reads the default clock coarsely (coarse-clock.js): an open circuit refusing a
  // call costs less than one Date.now(), and may stay open up to one synchronous stretch longer.
  #refusalClock;
  #refusingUntil = -Infinity;
  #refused = 0;
  // tryAcquire's call numbers and which were reported (made on first use: execute needs none).
  #calls = 0;
  #reported = null;
  #share = null;  // with a store: the other instances' view (js/shared/breaker-share.js)

  /**
   * Options (times in ms): window { type: 'count', size = 100 } or { type: 'time', sizeMs = 60000,
   * buckets }, minimumCalls = 20, failureRateThreshold = 50 (%), slowCallDurationMs = 0 (off),
   * slowCallRateThreshold = 100 (%), consecutiveFailures = 0 (off), openMs = 60000,
   * openBackoff { multiplier = 1, maxMs }, halfOpenCalls = 10, halfOpenMaxMs = 0 (wait forever),
   * isFailure(outcome, thrown) -> true | false | 'ignore', timeoutMs, clock, timers; store and
   * share { name, quorum, ... } to share state across instances (js/shared/breaker-share.js).
   */
  constructor(options) {
    const opts = checkOptions(options);
    const clock = functionOption(opts, 'clock', Date.now);
    const classify = functionOption(opts, 'isFailure', isFailure);
    const timeoutMs = numberOption(opts, 'timeoutMs', 1, MAX_MS, 0);
    const timers = timersOption(opts);
    const mod = module('resilience');
    super(coreObject(mod, opts, CORE_OPTIONS, (ptr, len) => mod._eg_breaker_new(ptr, len)), mod._eg_breaker_free);
    this.#mod = mod;
    this.#handle = this.handle;
    // What the core made of the options: its defaults decide these.
    const settings = mod.f64(mod._eg_resilience_settings(), SettingSlot.COUNT);
    const windowType = settings[SettingSlot.WINDOW_TYPE];
    const openMs = settings[SettingSlot.OPEN_MS], halfOpenMaxMs = settings[SettingSlot.HALF_OPEN_MAX_MS];
    this.#timesCalls = settings[SettingSlot.SLOW_CALL_DURATION_MS] > 0;
    this.#batchable = windowType === WindowType.COUNT && !this.#timesCalls;
    this.#untimed = !this.#timesCalls;
    let share;
    try {
      share = shareConfig(opts, openMs, halfOpenMaxMs);
    } catch (error) {
      this.dispose();
      throw error;
    }
    this.#clock = new Clock(clock);
    this.#refusalClock = clock === Date.now ? new Clock(coarseClock) : this.#clock;
    this.#isFailure = classify;
    this.#timeoutMs = timeoutMs;
    this.#timers = timers;
    this.#refreshAllowance();
    if (share !== null) {
      this.#share = new BreakerShare(share, {
        state: () => this.state,
        set: (code) => this.#set(code),
        emit: (view) => this.#listeners.emit('sharedView', view),
      }, this.#clock, this.#refusalClock, this.#timers);
      this.on('stateChange', (event) => this.#share.changed(event));
    }
  }

  /** 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled' | 'metricsOnly', as of now. */
  get state() {
    const now = this.#clock.now();
    this.#mod._eg_breaker_state(this.handle, now);
    this.#sync(now);
    return this.#state;
  }

  /**
   * Runs `fn(signal)` if the circuit permits, records its outcome and returns (or throws) what
   * fn did; otherwise rejects with BrokenCircuitError. With `timeoutMs`, a call that runs too
   * long is aborted through `signal` and fails with TimeoutError. `options.signal` is the
   * caller's: a call it cancels counts as neither success nor failure.
   */
  execute(fn, options) {
    if (this.#handle === 0 || typeof fn !== 'function') return this.#refuse(fn);
    // A bad option or clock rejects: nothing of an async call throws synchronously.
    try {
      const signal = options === undefined ? undefined : signalOption(checkOptions(options));
      if (this.#share !== null) this.#share.touch(options === undefined ? undefined : functionOption(options, 'waitUntil', undefined));
      // Closed on a count window: the core admits every call, nothing to ask it.
      if (this.#allowance > 0) return this.#run(fn, signal, this.#permit, 0);
      const refusedAt = this.#refusal();
      if (refusedAt === refusedAt) return rejectSoon(brokenCircuit(this.#state, this.#retryAfter(refusedAt)));
      const start = this.#untimed ? this.#last : this.#clock.now();
      // The options' getters and the clock have run: one may have disposed this breaker.
      if (this.#handle === 0) return this.#refuse(fn);
      const permit = this.#mod._eg_breaker_acquire(this.#handle, start);
      // One comparison on the hot path: admitted, and in the state this object last saw.
      if (permit !== this.#permit) {
        if (-permit !== this.#permit) this.#sync(start);  // not just refused in the same state
        if (permit < 0) return rejectSoon(this.#rejected(start));
      }
      if (this.#share !== null && this.#state === 'halfOpen') return this.#trial(fn, signal, permit, start);
      return this.#run(fn, signal, permit, start);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // A shared half-open trial goes ahead only under the store's lease (see BreakerShare.lease).
  #trial(fn, signal, permit, start) {
    const leased = this.#share.lease();
    if (leased === true) return this.#run(fn, signal, permit, start);
    return leased.then((ok) => {
      if (ok) return this.#run(fn, signal, permit, start);
      this.#record(permit, start, IGNORED);  // frees the core's trial permit
      if (this.#handle !== 0) this.#refused++;
      this.#listeners.emit('callNotPermitted', { state: 'halfOpen', retryAfterMs: 0 });
      throw brokenCircuit('halfOpen', 0);
    });
  }

  async #run(fn, signal, permit, start) {
    let value;
    try {
      value = await (this.#timeoutMs > 0 ? withTimeout(fn, this.#timeoutMs, signal, this.#timers)
        : fn(signal ?? neverAborted()));
    } catch (error) {
      this.#record(permit, start, signal?.aborted ? IGNORED : this.#classify(error, true));
      throw error;
    }
    // The default classifier passes anything that is not an object as a success.
    const outcome = this.#isFailure === isFailure && (typeof value !== 'object' || value === null)
      ? SUCCESS : this.#classify(value, false);
    if (outcome === SUCCESS && this.#allowance > 0 && permit === this.#permit) {
      this.#allowance--;
      if (++this.#pending === MAX_PENDING) this.#flush();
    } else {
      this.#record(permit, start, outcome);
    }
    return value;
  }

  /**
   * For callers that do their own I/O: a permit (a positive number) if a call may go ahead,
   * else 0. Report the call with onSuccess / onFailure / onIgnored, passing the permit so that
   * an outcome arriving after the circuit changed state is not mistaken for a trial call. A
   * permit counts once: reporting it again is a no-op.
   */
  tryAcquire() {
    this.#share?.touch();
    // As execute(): closed on a count window, the core admits every call.
    if (this.#allowance > 0) return this.#issue(this.#permit);
    const refusedAt = this.#refusal();
    if (refusedAt === refusedAt) return 0;
    this.#flush();
    const now = this.#clock.now();
    const permit = this.#mod._eg_breaker_acquire(this.handle, now);
    if (permit !== this.#permit && -permit !== this.#permit) this.#sync(now);
    if (permit > 0 && this.#share !== null && this.#state === 'halfOpen' && !this.#share.leaseNow()) {
      this.#mod._eg_breaker_result(this.handle, now, permit, IGNORED, 0);
      this.#mod._eg_breaker_rejections(this.handle, 1);
      this.#notPermitted(now);
      return 0;
    }
    if (permit > 0) return this.#issue(permit);
    this.#notPermitted(now);
    return 0;
  }

  #issue(permit) {
    this.#reported ??= new Uint32Array(REMEMBERED / 32);
    const n = this.#calls = (this.#calls + 1) % CALLS;
    const bit = n % REMEMBERED;
    this.#reported[bit >>> 5] &= ~(1 << (bit & 31));
    return permit + (n + 1) * CALL;
  }

  onSuccess(durationMs = 0, permit = 0) {
    this.#report(SUCCESS, durationMs, permit);
  }

  onFailure(durationMs = 0, permit = 0) {
    this.#report(FAILURE, durationMs, permit);
  }

  /** The call told nothing about the backend (e.g. the user cancelled it): frees its trial permit. */
  onIgnored(permit = 0) {
    this.#report(IGNORED, 0, permit);
  }

  /**
   * Subscribes to 'stateChange' ({ from, to, reason }), 'callNotPermitted' ({ state,
   * retryAfterMs }), 'failureRateExceeded' / 'slowCallRateExceeded' ({ failureRate,
   * slowCallRate, state }), 'sharedView' (with a store: metrics().shared, when the store comes
   * or goes or the count of open reports changes). Returns a function that unsubscribes.
   */
  on(event, listener) {
    return this.#listeners.on(event, listener);
  }

  off(event, listener) {
    this.#listeners.off(event, listener);
  }

  /** Rejects every call until reset(). */
  forceOpen() {
    this.#set(SET.FORCE_OPEN);
  }

  /** Lets every call through and records nothing until reset(). */
  disable() {
    this.#set(SET.DISABLE);
  }

  /** Records and reports rates and events, but never opens, until reset(). */
  metricsOnly() {
    this.#set(SET.METRICS_ONLY);
  }

  /** Back to closed with an empty window. */
  reset() {
    this.#set(SET.RESET);
  }

  metrics() {
    this.#flush();
    const now = this.#clock.now();
    const mod = this.#mod;
    const ptr = mod._eg_breaker_metrics(this.handle, now);
    const m = new Float64Array(mod.HEAPU8.buffer, ptr, M.COUNT);
    const result = {
      state: STATES[m[M.STATE]],
      failureRate: m[M.FAILURE_RATE],
      slowCallRate: m[M.SLOW_CALL_RATE],
      bufferedCalls: m[M.BUFFERED_CALLS],
      failedCalls: m[M.FAILED_CALLS],
      successfulCalls: m[M.BUFFERED_CALLS] - m[M.FAILED_CALLS],
      slowCalls: m[M.SLOW_CALLS],
      slowFailedCalls: m[M.SLOW_FAILED_CALLS],
      notPermittedCalls: m[M.NOT_PERMITTED_CALLS],
      consecutiveFailures: m[M.CONSECUTIVE_FAILURES],
      trips: m[M.TRIPS],
      retryAfterMs: m[M.RETRY_AFTER_MS] < 0 ? undefined : m[M.RETRY_AFTER_MS],
      halfOpenPermitsLeft: m[M.HALF_OPEN_PERMITS_LEFT],
    };
    if (this.#share !== null) result.shared = this.#share.view();
    this.#sync(now);
    return result;
  }

  /** The whole state as plain JSON-able data, to share through KV or a Durable Object. */
  snapshot() {
    this.#flush();
    const now = this.#clock.now();  // before the handle: a clock may dispose this breaker
    const text = this.#mod._eg_breaker_snapshot(this.handle, now);
    if (!text) throw new EdgeguardError('OUT_OF_MEMORY', 'the wasm module could not allocate the snapshot');
    return JSON.parse(this.#mod.readCString(text));
  }

  /**
   * Adopts a snapshot (the object, or its JSON text) taken from a breaker with the same window.
   * Throws BREAKER_INVALID_SNAPSHOT or BREAKER_SNAPSHOT_MISMATCH and keeps its state otherwise.
   */
  restore(snapshot) {
    const text = typeof snapshot === 'string' ? snapshot : snapshotText(snapshot);
    void this.handle;  // DISPOSED before the clock is read
    const mod = this.#mod;
    const now = this.#clock.now();  // before the core adopts anything: a bad clock leaves the state as it was
    this.#flush();
    const handle = this.handle;  // after the clock, which may have disposed this breaker
    const status = mod.withBytes(text, MAX_SNAPSHOT_BYTES, (ptr, len) => mod._eg_breaker_restore(handle, ptr, len),
      () => { throw new EdgeguardError('BREAKER_INVALID_SNAPSHOT', 'snapshot text has a lone surrogate'); },
      (size) => { throw new EdgeguardError('BREAKER_INVALID_SNAPSHOT', `snapshot text is ${size} bytes, over ${MAX_SNAPSHOT_BYTES}`); });
    if (status !== 0) throw coreError(mod);
    this.#sync(now);
  }

  dispose() {
    // Nothing may cross to a freed core later: #flush() runs before this.handle throws DISPOSED.
    this.#handle = 0;
    this.#allowance = 0;
    this.#pending = 0;
    this.#refused = 0;
    this.#refusingUntil = -Infinity;
    this.#share?.dispose();
    super.dispose();
  }

  #classify(outcome, thrown) {
    let verdict;
    try {
      verdict = this.#isFailure(outcome, thrown);
    } catch {
      return FAILURE;  // a classifier that cannot decide is treated as a failed call
    }
    return verdict === 'ignore' ? IGNORED : verdict ? FAILURE : SUCCESS;
  }

  #record(permit, start, outcome) {
    if (this.#handle === 0) return;  // disposed while the call ran
    this.#flush();
    let now;
    try {
      now = this.#clock.now();
    } catch (error) {
      // The outcome cannot be timed: given no time, the core only frees its permit (a trial's).
      if (this.#handle !== 0) this.#mod._eg_breaker_result(this.#handle, NaN, permit, IGNORED, 0);
      this.#refreshAllowance();
      throw error;
    }
    if (this.#handle === 0) return;  // the clock disposed this breaker
    this.#last = now;
    const events = this.#mod._eg_breaker_result(this.#handle, now, permit, outcome, now - start);
    if (events !== 0) this.#events(events, now);
    this.#refreshAllowance();
  }

  #report(outcome, durationMs, permit) {
    if (typeof durationMs !== 'number' || !(durationMs >= 0 && durationMs < Infinity)) {
      throw new EdgeguardError('INVALID_INPUT', `durationMs must be a finite number >= 0 (got ${describe(durationMs)})`);
    }
    // 0 (no permit) or one tryAcquire() gave: every such permit is at least CALL.
    if (!Number.isSafeInteger(permit) || (permit !== 0 && permit < CALL)) {
      throw new EdgeguardError('INVALID_INPUT', 'permit must be 0 or a number from tryAcquire()');
    }
    void this.handle;  // DISPOSED before anything is counted
    if (permit !== 0) {
      const n = Math.floor(permit / CALL) - 1;
      const bit = n % REMEMBERED;
      // Reported already, or older than the calls remembered: nothing to count.
      if (this.#reported === null || (this.#calls - n + CALLS) % CALLS >= REMEMBERED ||
          (this.#reported[bit >>> 5] & (1 << (bit & 31))) !== 0) return;
      this.#reported[bit >>> 5] |= 1 << (bit & 31);
      permit %= CALL;
      // As execute()'s successes: batched while the core's allowance says they change nothing.
      if (outcome === SUCCESS && this.#allowance > 0 && permit === this.#permit) {
        this.#allowance--;
        if (++this.#pending === MAX_PENDING) this.#flush();
        return;
      }
    }
    this.#flush();
    const now = this.#clock.now();
    // After the clock, which may have disposed this breaker.
    const events = this.#mod._eg_breaker_result(this.handle, now, permit | 0, outcome, durationMs);
    if (events !== 0) this.#events(events, now);
    this.#refreshAllowance();
  }

  #flush() {
    // Disposed (by a clock or listener since these were counted): no core to tell.
    if (this.#handle === 0) {
      this.#refused = this.#pending = 0;
      return;
    }
    if (this.#refused !== 0) {
      this.#mod._eg_breaker_rejections(this.#handle, this.#refused);
      this.#refused = 0;
    }
    if (this.#pending === 0) return;
    const n = this.#pending;
    this.#pending = 0;
    const events = this.#mod._eg_breaker_successes(this.#handle, this.#last, this.#permit, n);
    if (events !== 0) this.#events(events, this.#last);
  }

  #refreshAllowance() {
    this.#allowance = this.#batchable && this.#state === 'closed' && this.#handle !== 0
      ? this.#mod._eg_breaker_allowance(this.#handle) : 0;
  }

  #events(events, now) {
    if (events & (FAILURE_RATE | SLOW_RATE)) {
      const m = this.#listeners.has('failureRateExceeded') || this.#listeners.has('slowCallRateExceeded')
        ? this.metrics() : null;
      const event = m && { state: m.state, failureRate: m.failureRate, slowCallRate: m.slowCallRate };
      if (events & FAILURE_RATE) this.#listeners.emit('failureRateExceeded', event);
      if (events & SLOW_RATE) this.#listeners.emit('slowCallRateExceeded', event);
    }
    if (events & STATE_CHANGED) this.#sync(now);
  }

  // Catches up with transitions made in the core (they happen lazily, on any read).
  #sync(now) {
    const mod = this.#mod;
    const handle = this.handle;
    const permit = mod._eg_breaker_epoch(handle) + 1;
    if (permit === this.#permit) return;
    this.#permit = permit;
    const from = this.#state;
    const to = STATES[mod._eg_breaker_state(handle, now)];
    this.#state = to;
    this.#untimed = !this.#timesCalls && (to === 'closed' || to === 'disabled' || to === 'metricsOnly');
    this.#refreshAllowance();
    this.#refusingUntil = mod._eg_breaker_refusing_until(handle);
    if (from !== to) {
      this.#listeners.emit('stateChange', { from, to, reason: mod.readCString(mod._eg_breaker_reason(handle)) });
    }
  }

  #notPermitted(now) {
    const retryAfter = this.#mod._eg_breaker_retry_after(this.handle, now);
    const retryAfterMs = retryAfter < 0 ? undefined : retryAfter;
    this.#listeners.emit('callNotPermitted', { state: this.#state, retryAfterMs });
    return retryAfterMs;
  }

  #rejected(now) {
    return brokenCircuit(this.#state, this.#notPermitted(now));
  }

  // While the core would refuse every call (see #refusingUntil), refuses this one here: counts
  // it, tells listeners, and returns the time it was refused at; NaN when it is not refused,
  // having read no clock unless the circuit is open.
  #refusal() {
    const until = this.#refusingUntil;
    if (until === -Infinity) return NaN;
    const now = this.#refusalClock.now();
    if (!(now < until)) return NaN;
    this.#refused++;
    if (this.#listeners.has('callNotPermitted')) this.#notPermitted(now);
    return now;
  }

  // A refusal's retryAfterMs: undefined when forced open.
  #retryAfter(now) {
    const until = this.#refusingUntil;
    return until === Infinity ? undefined : until - Math.trunc(now);
  }

  #refuse(fn) {
    try {
      if (this.#handle === 0) return this.handle;  // throws DISPOSED
      return checkFunction(fn);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #set(what) {
    this.#flush();
    const now = this.#clock.now();
    this.#mod._eg_breaker_set(this.handle, what, now);
    this.#sync(now);
  }
}
