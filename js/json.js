// Json: is this payload well-formed JSON (RFC 8259, strict UTF-8), within size and depth limits?
import { module } from './core.js';
import { coreObject } from './core-object.js';
import { WasmObject } from './dispose.js';
import { ConfigError, PayloadError, payloadCodes, invalidOption } from './errors.js';
import { CheckWord, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, LimitsWord } from './seam/json.js';

export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH };
const VALID = Object.freeze({ valid: true });

// The options the core reads (src/edgeguard/json/limits_options.hpp), which owns their defaults
// and ranges: tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = { maxBytes: null, maxDepth: null };

// A reader's own options: a misspelt or misplaced limit must not silently become the default.
function readerOptions(options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption('options', 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!(name in CORE_OPTIONS)) {
      throw new ConfigError('CONFIG_INVALID', `unknown option ${name} (a reader takes maxBytes and maxDepth)`,
        { option: name });
    }
  }
  return options;
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
    const opts = readerOptions(options);
    const mod = module('validator');
    super(coreObject(mod, opts, CORE_OPTIONS, (ptr, len) => mod._eg_json_reader_new(ptr, len)), mod._eg_json_reader_free);
    const limits = mod.u32(mod._eg_json_reader_limits(this.handle), LimitsWord.COUNT);  // what the core made of opts
    this.maxBytes = limits[LimitsWord.MAX_BYTES];
    this.maxDepth = limits[LimitsWord.MAX_DEPTH];
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
// (default limits, or one custom setting) never allocates. The defaults are the core's
// (generated into js/seam/json.js); a limit the core refuses makes no reader, and the last one
// stays.
let sharedReader = null;
function shared(options) {
  const { maxBytes = DEFAULT_MAX_BYTES, maxDepth = DEFAULT_MAX_DEPTH } = readerOptions(options);
  if (!sharedReader || sharedReader.maxBytes !== maxBytes || sharedReader.maxDepth !== maxDepth) {
    const made = new Json({ maxBytes, maxDepth });
    sharedReader?.dispose();
    sharedReader = made;
  }
  return sharedReader;
}
