// The arguments every store checks the same way, synchronously, before anything is sent: a bad
// argument is the caller's bug, thrown at once, never a store failure counted against the store.
import { EdgeguardError, invalidOption } from '../errors.js';
import { StoreScript } from './script.js';
import { slotText } from './store-key.js';

const MAX_TTL_MS = 2 ** 53 - 1;  // Redis takes PX as a 64-bit integer; JS keeps integers exact to here

export function checkScriptCall(script, keys, args) {
  if (!(script instanceof StoreScript)) throw new EdgeguardError('INVALID_INPUT', 'script must come from defineScript()');
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new EdgeguardError('INVALID_INPUT', 'keys must be an array of strings');
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string' || Number.isFinite(a))) {
    throw new EdgeguardError('INVALID_INPUT', 'args must be an array of strings and finite numbers');
  }
  // One slot per script call, or a cluster refuses it (CROSSSLOT); said here, on every topology.
  if (keys.length < 2) return;
  const slot = slotText(keys[0]);
  if (keys.some((k) => slotText(k) !== slot)) {
    throw new EdgeguardError('INVALID_INPUT', 'the keys of one script call must share a hash tag (see store.key())');
  }
}

export function checkKey(key) {
  if (typeof key !== 'string') throw new EdgeguardError('INVALID_INPUT', `a key must be a string (got ${typeof key})`);
}

/** `what` ('value', 'message') must be a string. */
export function checkString(value, what) {
  if (typeof value !== 'string') throw new EdgeguardError('INVALID_INPUT', `a ${what} must be a string (got ${typeof value})`);
}

export function checkTtl(options) {
  const ttlMs = options?.ttlMs;
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS) {
    throw invalidOption('ttlMs', `an integer from 1 to ${MAX_TTL_MS} (every key expires)`, ttlMs);
  }
  return ttlMs;
}
