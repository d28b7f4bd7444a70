// Typed errors with stable `code`s: the only way failures reach users. Codes never change
// meaning once published; messages may improve.
import { StatusNames } from './seam/json.js';
import { ErrorCodeNames, ErrorWord } from './seam/errors.js';

export class EdgeguardError extends Error {
  constructor(code, message, details = undefined) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details) Object.assign(this, details);
  }
}

/** A payload that is not acceptable JSON: malformed, bad UTF-8, too deep, too large. */
export class PayloadError extends EdgeguardError {}

/** Invalid options or configuration passed to a constructor or function. */
export class ConfigError extends EdgeguardError {}

// Index = the core's json::Status, as the error codes JS reports.
export const payloadCodes = Object.freeze(StatusNames.map((name) =>
  (name === 'ok' ? 'OK' : `PAYLOAD_${name.toUpperCase()}`)));

const MAX_DESCRIBED = 80;

/**
 * A bad value as an error message shows it: never throws (a null-prototype object, a throwing
 * `toString`, a revoked Proxy) and never copies a huge string into the message.
 */
export function describe(value) {
  let text;
  try {
    text = typeof value === 'string' ? JSON.stringify(value)
      : typeof value === 'bigint' ? `${value}n`
      : String(value);
  } catch {
    text = value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
  }
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}...` : text;
}

export function invalidOption(name, expected, value) {
  return new ConfigError('CONFIG_INVALID', `option ${name} must be ${expected} (got ${describe(value)})`,
    { option: name });
}

/**
 * The typed error for the failure an export of `mod` (a loaded wasm module) reported last, through
 * its one error channel (wasm/bridge_error.hpp): a constructor that returned 0, a refused restore.
 * `given`, the options the core refused, shows the value of the option it names, as JS sees it.
 */
export function coreError(mod, given = undefined) {
  const { code, option, message } = lastError(mod);
  if (code === undefined) return new EdgeguardError('CORE_FAILED', 'the core failed without saying why');
  // A refusal that names an option (CONFIG_INVALID, a RateLimiter's LIMIT_BAD_WINDOW...) is bad
  // configuration; anything else (OUT_OF_MEMORY, a refused snapshot) is not.
  if (!option) return code === 'CONFIG_INVALID' ? new ConfigError(code, message) : new EdgeguardError(code, message);
  const value = option.split('.').reduce((parent, key) => parent?.[key], given);
  return new ConfigError(code, value === undefined ? message : `${message} (got ${describe(value)})`, { option });
}

/**
 * The failure the core last recorded (wasm/bridge_error.hpp): its JS `code` (undefined when it
 * recorded none: still a failure, never read as success), the `option` it names ('' for none)
 * and its `message`.
 */
export function lastError(mod) {
  const words = mod.u32(mod._eg_last_error(), ErrorWord.COUNT);
  const name = ErrorCodeNames[words[ErrorWord.CODE]];
  return {
    code: name === undefined || name === 'ok' ? undefined : name.toUpperCase(),
    option: mod.readCString(words[ErrorWord.OPTION]),
    message: mod.readCString(words[ErrorWord.MESSAGE]),
  };
}

/** Reads an integer option in [min, max], or its default when undefined. */
export function intOption(options, name, min, max, fallback) {
  const value = options?.[name];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidOption(name, `an integer from ${min} to ${max}`, value);
  return value;
}

/** An error no caller can be given, reported where the runtime reports them (reportError, else the console). */
export function reportError(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}
