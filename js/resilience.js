// What CircuitBreaker, Retry, Bulkhead and timeout share: option readers, injectable timers,
// event listeners and reading an HTTP status off a response or an error.
import { EdgeguardError, invalidOption } from './errors.js';

export { coreObject } from './core-object.js';

/** The global timers, looked up at call time: edge runtimes forbid them at module scope. */
export const defaultTimers = Object.freeze({
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
});

export const MAX_MS = 0x7fffffff;

/** A number option in [min, max] (integers only when `integer`), or its default. */
export function numberOption(options, name, min, max, fallback, integer = true) {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) ||
      value < min || value > max) {
    throw invalidOption(name, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value);
  }
  return value;
}

export function functionOption(options, name, fallback) {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw invalidOption(name, 'a function', value);
  return value;
}

export function enumOption(options, name, values, fallback) {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (!values.includes(value)) throw invalidOption(name, `one of ${values.map((v) => `'${v}'`).join(', ')}`, value);
  return value;
}

export function objectOption(options, name) {
  const value = options?.[name];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw invalidOption(name, 'an object', value);
  return value;
}

/** A nested options object with its keys prefixed ('window.size'), so errors name the full path. */
export function nestedOption(options, name) {
  const value = objectOption(options, name) ?? {};
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [`${name}.${key}`, v]));
}

export function timersOption(options) {
  const timers = objectOption(options, 'timers');
  if (timers === undefined) return defaultTimers;
  if (typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
    throw invalidOption('timers', 'an object with setTimeout and clearTimeout functions', timers);
  }
  return timers;
}

/**
 * `options.signal`: undefined or an AbortSignal (anything with a boolean `aborted` and the
 * listener methods, so polyfilled signals work). Checked before a call arms a timer: a signal
 * that cannot take a listener would otherwise fail half-way, with the timer still armed.
 */
export function signalOption(options) {
  const signal = options?.signal;
  if (signal === undefined) return undefined;
  if (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function') {
    throw invalidOption('signal', 'an AbortSignal', signal);
  }
  return signal;
}

export function checkOptions(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalidOption('options', 'an object', options);
  }
  return options ?? {};
}

export function checkFunction(fn) {
  if (typeof fn !== 'function') {
    throw new EdgeguardError('INVALID_INPUT', `execute expects a function (got ${fn === null ? 'null' : typeof fn})`);
  }
}

let quietSignal = null;
/** A signal that never aborts, for calls nobody can cancel (made on first use, not at load). */
export function neverAborted() {
  quietSignal ??= new AbortController().signal;
  return quietSignal;
}

/** The HTTP status of a Response-like value or of an error carrying one, else undefined. */
export function statusOf(outcome) {
  if (outcome === null || typeof outcome !== 'object') return undefined;
  const status = outcome.status ?? outcome.statusCode ?? outcome.response?.status;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

const MAX_LISTENERS = 1000;

/** Event listeners by name; a throwing listener is reported, never breaks the caller. */
export class Listeners {
  #names;
  #map = new Map();

  constructor(names) {
    this.#names = names;
  }

  on(name, listener) {
    if (!this.#names.includes(name)) {
      throw new EdgeguardError('INVALID_INPUT',
        `unknown event ${JSON.stringify(name)}; expected one of ${this.#names.join(', ')}`);
    }
    if (typeof listener !== 'function') throw new EdgeguardError('INVALID_INPUT', 'a listener must be a function');
    const list = this.#map.get(name) ?? [];
    // As EventTarget: a listener already there is not added twice. The bound turns a leak (a
    // listener added per request, never removed) into an error instead of unbounded memory.
    if (!list.includes(listener)) {
      if (list.length >= MAX_LISTENERS) {
        throw new EdgeguardError('TOO_MANY_LISTENERS', `at most ${MAX_LISTENERS} listeners per event (${name})`);
      }
      this.#map.set(name, [...list, listener]);
    }
    return () => this.off(name, listener);
  }

  off(name, listener) {
    const list = this.#map.get(name);
    if (!list) return;
    const next = list.filter((l) => l !== listener);
    if (next.length) this.#map.set(name, next);
    else this.#map.delete(name);
  }

  has(name) {
    // The size test first: an open circuit asks this on every refusal, and it measured ~3 ns of
    // a ~10 ns tryAcquire() to skip the lookup in the usual empty map.
    return this.#map.size !== 0 && this.#map.has(name);
  }

  emit(name, event) {
    const list = this.#map.get(name);
    if (!list) return;
    for (const listener of list) {
      try {
        listener(event);
      } catch (error) {
        report(error);
      }
    }
  }
}

function report(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else queueMicrotask(() => { throw error; });
}
