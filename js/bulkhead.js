// Bulkhead: at most maxConcurrent calls run at once, at most maxQueue wait in FIFO order, and
// anything beyond is refused at once. The accounting is the core's; the waiting is promises.
import { EdgeguardError } from './errors.js';
import { module } from './core.js';
import { WasmObject } from './dispose.js';
import {
  MAX_MS, checkFunction, checkOptions, coreObject, neverAborted, numberOption, signalOption, timersOption,
} from './resilience.js';
import { SettingSlot } from './seam/breaker.js';

export class BulkheadFullError extends EdgeguardError {
  /** `reason`: 'full' (no slot and no room to wait) or 'queueTimeout' (waited queueTimeoutMs). */
  constructor(reason, details) {
    super('BULKHEAD_FULL', reason === 'queueTimeout'
      ? `no slot freed within ${details.queueTimeoutMs} ms`
      : `all ${details.maxConcurrent} slots are busy and the queue of ${details.maxQueue} is full`,
    { reason, ...details });
  }
}

// The options the core reads (src/edgeguard/resilience/bulkhead_options.hpp):
// tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = { maxConcurrent: null, maxQueue: null };

export class Bulkhead extends WasmObject {
  #maxConcurrent;
  #maxQueue;
  #queueTimeoutMs;
  #timers;
  #waiters = new Map();  // ticket -> { resolve, reject, timer, signal, onAbort }

  /** Options: maxConcurrent = 10, maxQueue = 0, queueTimeoutMs = 0 (wait as long as it takes), timers. */
  constructor(options) {
    const opts = checkOptions(options);
    // Checked before the core object exists: a bad option leaves nothing for the finalizer.
    const queueTimeoutMs = numberOption(opts, 'queueTimeoutMs', 0, MAX_MS, 0);
    const timers = timersOption(opts);
    const mod = module('resilience');
    super(coreObject(mod, opts, CORE_OPTIONS, (ptr, len) => mod._eg_bulkhead_new(ptr, len)), mod._eg_bulkhead_free);
    const settings = mod.f64(mod._eg_resilience_settings(), SettingSlot.COUNT);  // what the core made of opts
    this.#maxConcurrent = settings[SettingSlot.MAX_CONCURRENT];
    this.#maxQueue = settings[SettingSlot.MAX_QUEUE];
    this.#queueTimeoutMs = queueTimeoutMs;
    this.#timers = timers;
  }

  /**
   * Runs `fn(signal)` when a slot is free, waiting in line if needed; rejects with
   * BulkheadFullError when it cannot. `options.signal` also withdraws a call from the queue.
   */
  async execute(fn, options) {
    checkFunction(fn);
    const signal = signalOption(checkOptions(options));
    if (signal?.aborted) throw signal.reason;
    const mod = module('resilience');
    const handle = this.handle;
    const ticket = mod._eg_bulkhead_acquire(handle);
    if (ticket < 0) throw this.#full('full');
    if (ticket > 0) await this.#wait(ticket, signal);
    try {
      return await fn(signal ?? neverAborted());
    } finally {
      if (!this.disposed) {
        const next = mod._eg_bulkhead_release(handle);
        if (next > 0) this.#start(next);
      }
    }
  }

  metrics() {
    const mod = module('resilience');
    const handle = this.handle;
    const running = mod._eg_bulkhead_running(handle);
    return {
      running,
      queued: mod._eg_bulkhead_queued(handle),
      available: this.#maxConcurrent - running,
      rejected: mod._eg_bulkhead_rejected(handle),
    };
  }

  /** Frees the core object; calls still waiting in the queue reject with DISPOSED. */
  dispose() {
    for (const [ticket, waiter] of this.#waiters) {
      this.#forget(ticket, waiter);
      waiter.reject(new EdgeguardError('DISPOSED', 'Bulkhead was disposed'));
    }
    super.dispose();
  }

  #full(reason) {
    return new BulkheadFullError(reason, {
      maxConcurrent: this.#maxConcurrent, maxQueue: this.#maxQueue, queueTimeoutMs: this.#queueTimeoutMs,
    });
  }

  #wait(ticket, signal) {
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, timer: undefined, signal, onAbort: undefined };
      const giveUp = (error) => {
        if (!module('resilience')._eg_bulkhead_cancel(this.handle, ticket)) return;  // already started
        this.#forget(ticket, waiter);
        reject(error);
      };
      this.#waiters.set(ticket, waiter);
      // The listener before the timer: if the signal throws, the ticket goes and nothing is armed.
      if (signal) {
        waiter.onAbort = () => giveUp(signal.reason);
        try {
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        } catch (error) {
          waiter.onAbort = undefined;
          giveUp(error);
          return;
        }
      }
      if (this.#queueTimeoutMs > 0) {
        waiter.timer = this.#timers.setTimeout(() => giveUp(this.#full('queueTimeout')), this.#queueTimeoutMs);
      }
    });
  }

  #start(ticket) {
    const waiter = this.#waiters.get(ticket);
    this.#forget(ticket, waiter);
    waiter.resolve();
  }

  #forget(ticket, waiter) {
    this.#waiters.delete(ticket);
    if (waiter.timer !== undefined) this.#timers.clearTimeout(waiter.timer);
    if (waiter.onAbort === undefined) return;
    try {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
    } catch {
      // the listener stays, inert: its ticket is gone, so giveUp() finds nothing to cancel
    }
  }
}
