// The arguments every store checks the same way, synchronously, before anything is sent: a bad
// argument is the caller's bug, thrown at once, never a store failure counted against the store.
import { EdgeguardError, invalidOption } from '../errors.js';
import { StoreScript } from './script.js';
import { slotText } from './store-key.js';

const MAX_TTL_MS = 2 ** 53 - 1;  // Redis takes PX as a 64-bit integer; JS keeps integers exact to here

/** `spans`: the store's spansTags (one engine without slots), where a spansTags script may name keys of any tags. */
export function checkScriptCall(script, keys, args, spans = false) {
  if (!(script instanceof StoreScript)) throw new EdgeguardError('INVALID_INPUT', 'script must come from defineScript()');
  // Loops rather than every(): this runs on each script call, a shared limiter's hot path.
  if (!Array.isArray(keys)) throw badKeys();
  for (let i = 0; i < keys.length; i++) if (typeof keys[i] !== 'string') throw badKeys();
  if (!Array.isArray(args)) throw badArgs();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string' && !Number.isFinite(a)) throw badArgs();
  }
  // One slot per script call, or a cluster refuses it (CROSSSLOT); said here, on every topology.
  if (keys.length < 2 || (spans && script.spansTags)) return;
  const slot = slotText(keys[0]);
  if (keys.some((k) => slotText(k) !== slot)) {
    throw new EdgeguardError('INVALID_INPUT', 'the keys of one script call must share a hash tag (see store.key())');
  }
}

const badKeys = () => new EdgeguardError('INVALID_INPUT', 'keys must be an array of strings');
const badArgs = () => new EdgeguardError('INVALID_INPUT', 'args must be an array of strings and finite numbers');

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
