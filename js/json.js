// Json: is this payload well-formed JSON (RFC 8259, strict UTF-8), within size and depth limits?
import { module } from './core.js';
import { WasmObject } from './dispose.js';
import { ConfigError, PayloadError, payloadCodes, intOption, invalidOption } from './errors.js';
import { CheckWord, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './seam/json.js';

export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH };
const VALID = Object.freeze({ valid: true });

/** Reads the limits every payload reader shares; invalid values throw ConfigError. */
export function payloadLimits(options) {
  return {
    maxBytes: intOption(options, 'maxBytes', 0, 0x7fffffff, DEFAULT_MAX_BYTES),
    maxDepth: intOption(options, 'maxDepth', 1, 1 << 20, DEFAULT_MAX_DEPTH),
  };
}

const READER_OPTIONS = ['maxBytes', 'maxDepth'];

// A reader's own options: a misspelt or misplaced limit must not silently become the default.
function readerLimits(options) {
  if (options === undefined) return payloadLimits({});
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption('options', 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!READER_OPTIONS.includes(name)) {
      throw new ConfigError('CONFIG_INVALID', `unknown option ${name} (a reader takes maxBytes and maxDepth)`,
        { option: name });
    }
  }
  return payloadLimits(options);
}

/** The PayloadError the core left in its result struct after a failed read. */
export function lastPayloadError() {
  const mod = module('validator');
  const ptr = mod._eg_json_result();
  const r = mod.u32(ptr, CheckWord.COUNT);
  const status = r[CheckWord.STATUS], offset = r[CheckWord.OFFSET], message = r[CheckWord.MESSAGE];
  const line = r[CheckWord.LINE], column = r[CheckWord.COLUMN];
  const where = payloadCodes[status] === 'PAYLOAD_TOO_LARGE' ? `(limit ${offset} bytes)`
    : `at line ${line}, column ${column} (byte ${offset})`;
  return new PayloadError(payloadCodes[status], `${mod.readCString(message)} ${where}`,
    { offset, line, column });
}

export function badStringError({ offset, line, column }) {
  return new PayloadError('PAYLOAD_BAD_UTF8',
    `lone surrogate in string input at line ${line}, column ${column} (byte ${offset})`,
    { offset, line, column });
}

/** The PayloadError for an input over `maxBytes` (refused before it reaches the core). */
export function tooLargeError(maxBytes) {
  return new PayloadError('PAYLOAD_TOO_LARGE', `payload exceeds maxBytes (limit ${maxBytes} bytes)`,
    { offset: maxBytes, line: 1, column: 1 });
}

export class Json extends WasmObject {
  /** A reader with its own limits: `{ maxBytes = 1 MiB, maxDepth = 128 }`. */
  constructor(options) {
    const { maxBytes, maxDepth } = readerLimits(options);
    const mod = module('validator');
    super(mod._eg_json_reader_new(maxBytes, maxDepth), mod._eg_json_reader_free);
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  /** `{ valid: true }`, or `{ valid: false, error: PayloadError }` with code, offset, line, column. */
  check(input) {
    void this.handle;  // DISPOSED before anything runs
    const mod = module('validator');
    // The handle is read after the input's bytes were copied: a typed array's getters are user
    // code, which may have disposed this reader.
    return mod.withBytes(input, this.maxBytes,
      (ptr, len) => (mod._eg_json_reader_check(this.handle, ptr, len) === 0
        ? VALID : { valid: false, error: lastPayloadError() }),
      (offset) => ({ valid: false, error: badStringError(offset) }),
      () => ({ valid: false, error: tooLargeError(this.maxBytes) }));
  }

  /** Checks with a shared reader; `options` as for the constructor. */
  static check(input, options) {
    return shared(options).check(input);
  }
}

// One shared reader per distinct limits, most recent only: bounded, and the common case
// (default limits, or one custom setting) never allocates.
let sharedReader = null;
function shared(options) {
  const { maxBytes, maxDepth } = readerLimits(options);
  if (!sharedReader || sharedReader.maxBytes !== maxBytes || sharedReader.maxDepth !== maxDepth) {
    sharedReader?.dispose();
    sharedReader = new Json({ maxBytes, maxDepth });
  }
  return sharedReader;
}
