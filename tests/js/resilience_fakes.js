import { mock } from 'node:test';

// A fake clock with fake timers for the resilience tests: time moves only when a test says so.
export class FakeTime {
  now = 0;
  #timers = new Map();
  #next = 1;

  clock = () => this.now;

  timers = {
    setTimeout: (fn, ms) => {
      const id = this.#next++;
      this.#timers.set(id, { at: this.now + ms, fn });
      return id;
    },
    clearTimeout: (id) => { this.#timers.delete(id); },
  };

  /** An abortable sleep on the fake timers, recording every delay asked for. */
  sleeps = [];
  sleep = (ms, signal) => {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      const id = this.timers.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { this.timers.clearTimeout(id); reject(signal.reason); }, { once: true });
    });
  };

  get pending() {
    return this.#timers.size;
  }

  /** Runs the timers due within `ms`, in time order, letting promises settle after each. */
  async advance(ms) {
    const target = this.now + ms;
    await settle();
    for (;;) {
      let due = null;
      for (const [id, t] of this.#timers) {
        if (t.at <= target && (due === null || t.at < due[1].at)) due = [id, t];
      }
      if (!due) break;
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

/** Lets queued promise reactions run (a macrotask turn, no time passes on the fake clock). */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A minimal Response stand-in: a status and headers. */
export function response(status, headers = {}) {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: { get: (name) => map.get(name.toLowerCase()) ?? null } };
}

/**
 * Mocked setTimeout and Date, from `now`, for the rest of test `t`. The coarse clock arms a
 * timer when it is read; the cleanup fires it before the mock goes, so no reading outlives `t`.
 */
export function mockTimers(t, now) {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now });
  t.after(() => {
    mock.timers.tick(1);
    mock.timers.reset();
  });
}

/**
 * Records every call of the resilience module's exports named `prefix`... with the handle each
 * was given (its first argument), for tests that a disposed object's freed handle never crosses.
 */
export function coreCalls(t, mod, prefix) {
  const calls = [];
  for (const name of Object.keys(mod).filter((n) => n.startsWith(prefix))) {
    const original = mod[name];
    mod[name] = (...args) => {
      calls.push([name, args[0]]);
      return original(...args);
    };
    t.after(() => { mod[name] = original; });
  }
  return calls;
}

/** A clock reading `clock.at`, that calls `onRead()` once when armed. */
export function armedClock(at = 1000) {
  const clock = () => {
    if (clock.armed) {
      clock.armed = false;
      clock.onRead();
    }
    return clock.at;
  };
  clock.at = at;
  clock.armed = false;
  clock.onRead = () => {};
  return clock;
}
