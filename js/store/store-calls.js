// What every store adapter shares, whatever its engine: each call has a deadline, a circuit
// breaker stands in front of the store, every failure becomes a typed StoreError, and the
// numbers are counted. A call never waits past its deadline and never rejects unhandled: the
// engine's own promise is always consumed, and an answer after the deadline is only counted.
import { CircuitBreaker } from '../breaker.js';
import { Clock } from '../clock.js';
import { coarseClock } from '../coarse-clock.js';
import { invalidOption } from '../errors.js';
import { MAX_MS, functionOption, numberOption, objectOption, timersOption } from '../resilience.js';
import { deadlinesFor } from './deadlines.js';
import { LatencyWindow } from './latency-window.js';
import { storeFailed, storeTimeout, storeUnavailable } from './store-error.js';

const DEFAULT_DEADLINE_MS = 50;

// A store is either answering or not: trip on a short run of failures, probe with one call.
const BREAKER_DEFAULTS = Object.freeze({
  window: { type: 'count', size: 20 },
  minimumCalls: 10,
  failureRateThreshold: 50,
  consecutiveFailures: 5,
  openMs: 1000,
  halfOpenCalls: 1,
});

function breakerOption(options, clock) {
  const given = objectOption(options, 'breaker');
  if (given instanceof CircuitBreaker) return given;
  if (given !== undefined && 'clock' in given) throw invalidOption('breaker.clock', 'absent (the store passes its own clock)', given.clock);
  return new CircuitBreaker({ ...BREAKER_DEFAULTS, ...given, clock });
}

function deadlineOption(options, fallback) {
  return numberOption(options, 'deadlineMs', 1, MAX_MS, fallback);
}

// Settles a call with what `outcome` gives, or rejects it with what `outcome` throws (the breaker
// refusing an impossible clock reading): a timer callback or a client's promise never throws.
function settle(settleWith, outcome, reject = settleWith) {
  let result;
  try {
    result = outcome();
  } catch (error) {
    reject(error);
    return;
  }
  settleWith(result);
}

export class StoreCalls {
  #time;
  #deadlines;
  #breaker;
  #deadlineMs;
  #isDown;
  #isConnected;
  #latency = new LatencyWindow();
  #counts = { calls: 0, ok: 0, timeouts: 0, unavailable: 0, refused: 0, errors: 0, late: 0 };

  /**
   * options: deadlineMs, breaker (CircuitBreaker options, or a CircuitBreaker), clock, timers.
   * `isDown(error)` tells a client's error that means the store is not answering (a breaker
   * failure, STORE_UNAVAILABLE) from an error the store answered with (STORE_ERROR).
   * `isConnected()` false: the call is not handed to the client at all (a breaker failure,
   * STORE_UNAVAILABLE), because a client queues what it cannot send and sends it on reconnecting:
   * a backlog of calls already answered by a fallback, replayed against the recovered store.
   */
  constructor(options, isDown, isConnected = () => true) {
    const clock = functionOption(options, 'clock', coarseClock);
    this.#time = new Clock(clock);
    this.#deadlines = deadlinesFor(timersOption(options), () => this.#time.now());
    this.#deadlineMs = deadlineOption(options, DEFAULT_DEADLINE_MS);
    this.#breaker = breakerOption(options, clock);
    this.#isDown = isDown;
    this.#isConnected = isConnected;
  }

  get breaker() {
    return this.#breaker;
  }

  /** The deadline of a call made with `options` (its deadlineMs, else the store's). */
  deadline(options) {
    return deadlineOption(options, this.#deadlineMs);
  }

  /**
   * Runs `send(live)` (which returns the engine's promise) through the breaker, within
   * `deadlineMs`. Resolves with its value or rejects with a StoreError. `live()` is false once the
   * call is settled: a send of several steps takes no further step for a call given up.
   */
  run(send, deadlineMs) {
    try {
      return this.#run(send, deadlineMs);
    } catch (error) {
      return Promise.reject(error);  // an impossible clock reading (CLOCK_INVALID): a rejection, never a throw
    }
  }

  #run(send, deadlineMs) {
    const counts = this.#counts;
    counts.calls++;
    const permit = this.#breaker.tryAcquire();
    if (permit === 0) {
      counts.refused++;
      counts.unavailable++;
      // Read from the breaker when refused: a listener would cost every refusal a crossing into
      // wasm and, on a breaker shared by many stores, grow without bound.
      return Promise.reject(storeUnavailable(undefined, this.#breaker.metrics().retryAfterMs));
    }
    if (!this.#isConnected()) {
      counts.unavailable++;
      this.#breaker.onFailure(0, permit);
      return Promise.reject(storeUnavailable(new Error('the client is not connected')));
    }
    const start = this.#time.now();
    return new Promise((resolve, reject) => {
      let done = false;
      const deadline = this.#deadlines.add(deadlineMs, start, () => {
        if (done) return;
        done = true;
        counts.timeouts++;
        settle(reject, () => {
          this.#breaker.onFailure(this.#elapsed(start), permit);
          return storeTimeout(deadlineMs);
        });
      });
      let pending;
      try {
        pending = send(() => !done);
      } catch (error) {
        pending = Promise.reject(error);
      }
      Promise.resolve(pending).then((value) => {
        if (done) {
          counts.late++;
          return;
        }
        done = true;
        this.#deadlines.cancel(deadline);
        // settle()'s work written out: this is every answered call's path.
        try {
          this.#answered(start, permit, false);
        } catch (error) {
          reject(error);
          return;
        }
        counts.ok++;  // after the clock was read: a CLOCK_INVALID rejection is not an answer
        resolve(value);
      }, (error) => {
        if (done) {
          counts.late++;
          return;
        }
        done = true;
        this.#deadlines.cancel(deadline);
        settle(reject, () => this.#failed(error, start, permit));
      });
    });
  }

  #failed(error, start, permit) {
    const down = this.#isDown(error);
    this.#answered(start, permit, down);
    if (down) {
      this.#counts.unavailable++;
      return storeUnavailable(error);
    }
    this.#counts.errors++;
    return storeFailed(error);
  }

  #answered(start, permit, failed) {
    const ms = this.#elapsed(start);
    if (failed) {
      this.#breaker.onFailure(ms, permit);
    } else {
      this.#latency.add(ms);
      this.#breaker.onSuccess(ms, permit);
    }
  }

  // Steady time: a clock that steps back gives no negative duration; one that returns garbage
  // throws CLOCK_INVALID, which settle() turns into the call's rejection.
  #elapsed(start) {
    return this.#time.now() - start;
  }

  /**
   * calls (asked), ok, timeouts, unavailable (not reachable, or refused: not sent, breaker open),
   * errors (answered with an error), late (answers after their deadline), latencyMs of answered
   * calls, and the breaker's state.
   */
  stats() {
    return { ...this.#counts, latencyMs: this.#latency.percentiles(), breaker: this.#breaker.state };
  }
}
