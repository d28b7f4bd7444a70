// Typed errors with stable `code`s: the only way failures reach users. Codes never change
// meaning once published; messages may improve.
import { StatusNames } from './seam/json.js';

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
