// Validator: JSON Schema (draft-07 and 2020-12) compiled once by the C++ core into a flat
// program, then run over payload bytes without building JS objects. This class checks options,
// moves bytes through core.js's scratch buffer and decodes errors, warnings and cleaned data
// (text left by wasm/bridge_validate.cpp) only when there are some.
import { module, isBytes } from './core.js';
import { encode, overLimit, nodesAt, nodeCount, dataAt, dataLength, release } from './object-input.js';
import { WasmObject } from './dispose.js';
import { optionsText } from './core-object.js';
import { ConfigError, EdgeguardError, PayloadError, coreError, invalidOption, lastError } from './errors.js';
import { SchemaRegistry, compileIn } from './schema-registry.js';
import { ERROR_FIELDS, IndexWord as I, NO_TAIL, OutWord as W, Report, SettingsWord, Status } from './seam/validator.js';

/** A schema the core refused to compile; `schemaPath` names where ("#/properties/a/type"). */
export class SchemaError extends EdgeguardError {}

// The core's statuses (wasm/bridge_validate.cpp).
const { VALID, INVALID, MALFORMED, DUPLICATE } = Status;
export { VALID, DUPLICATE };  // for schema-registry.js

// Reports: which text eg_validator_report leaves (a validation leaves the errors).
const { WARNINGS, CLEANED } = Report;

const encoder = new TextEncoder();
// A report's fields are decoded one by one: a leading U+FEFF (a schema $id's) is the field's own.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Views of linear memory shared by every validator, rebuilt when memory growth detaches them (a
// detached view has length 0), as js/cache.js's are: the core's result struct, by OutWord (status,
// text ptr/len, error count, warning count, the errors report's index), and the whole heap as
// 32-bit words, through which a report's index is read (a view made per report cost more than
// decoding its error).
let outView = new Uint32Array(0);
let heapWords = new Uint32Array(0);

/** The core's result struct; heapWords is of the same memory until the next call into the core. */
export function out(mod) {
  if (outView.length === 0 || heapWords.length === 0) {
    const buffer = mod.HEAPU8.buffer;
    outView = new Uint32Array(buffer, mod._eg_validator_out(), W.COUNT);
    heapWords = new Uint32Array(buffer);
  }
  return outView;
}

const brokenReport = (cause) => new EdgeguardError('INTERNAL_ERROR', 'the core returned a broken report',
  cause === undefined ? undefined : { cause });

// `out`, once it is checked to hold a text: it is asked only of a report that has something in
// it, so an empty one is the core failing.
function holdingText(o) {
  if (!o[W.TEXT] || !o[W.TEXT_LEN]) throw new EdgeguardError('INTERNAL_ERROR', 'the core returned an empty report');
  return o;
}

// The text the last call left in `out`.
function published(mod) {
  const o = holdingText(out(mod));
  return decoder.decode(mod.HEAPU8.subarray(o[W.TEXT], o[W.TEXT] + o[W.TEXT_LEN]));
}

// errors.hpp's kFieldSeparator (pinned by tests/js/validator-status.test.js) and kErrorFields.
const FIELD_SEPARATOR = '\u0000';

// A field is JSON-escaped text without its quotes; most need no unescaping.
function unescape(field) {
  return field.includes('\\') ? JSON.parse(`"${field}"`) : field;
}

// report.split(FIELD_SEPARATOR), without the runtime call split makes for a string it has not
// seen: that call was the costliest step of a small report.
function fields(report) {
  const f = [];
  for (let from = 0; ;) {
    const end = report.indexOf(FIELD_SEPARATOR, from);
    if (end < 0) {
      f.push(report.slice(from));
      return f;
    }
    f.push(report.slice(from, end));
    from = end + 1;
  }
}

// An error's fields after its instancePath (errors.hpp), `f[k]` to `f[k + 3]`. The core keeps
// most under an id, and each validator decodes those once: each error gets a copy of the params.
class Tail {
  constructor(f, k) {
    this.schemaPath = unescape(f[k]);
    this.keyword = f[k + 1];
    this.paramsText = f[k + 2];
    const params = JSON.parse(this.paramsText);
    // Params of strings, numbers and literals (nearly all) are copied by a spread, far cheaper
    // than parsing their text again.
    this.flat = Object.values(params).every((v) => v === null || typeof v !== 'object') ? params : null;
    this.message = unescape(f[k + 3]);
  }

  // The Ajv-shaped error at `instancePath` (its field, still escaped).
  error(instancePath) {
    return {
      instancePath: unescape(instancePath), schemaPath: this.schemaPath, keyword: this.keyword,
      params: this.flat ? { ...this.flat } : JSON.parse(this.paramsText), message: this.message,
    };
  }
}

// The error objects of a report's text: far cheaper than JSON.parse of the same objects as JSON.
function readErrors(report) {
  const f = fields(report);
  if (f.length % ERROR_FIELDS) throw brokenReport();
  const errors = [];
  for (let k = 0; k < f.length; k += ERROR_FIELDS) errors.push(new Tail(f, k + 1).error(f[k]));
  return errors;
}

// A short ASCII field by hand (TextDecoder's call costs more than a few characters), any other
// by TextDecoder.
function fieldText(heap, from, to) {
  if (to - from <= 32) {
    let s = '';
    for (let i = from; i < to; i++) {
      const c = heap[i];
      if (c >= 0x80) return decoder.decode(heap.subarray(from, to));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(heap.subarray(from, to));
}

// The `count` errors of the report a failed validation left in `out`, read by its index
// (bridge_validate.cpp): each instancePath decoded, each kept tail taken from `tails` (a
// validator's, by the core's tail id) or decoded and put there.
function readIndexed(mod, count, tails) {
  const o = holdingText(out(mod));
  const text = o[W.TEXT];
  const len = o[W.TEXT_LEN];
  const words = heapWords;
  const at = o[W.INDEX] / 4;
  if (!at || at % 1 || at + I.COUNT * count > words.length) throw brokenReport();
  const heap = mod.HEAPU8;
  const errors = [];
  for (let e = 0, from = 0; e < count; e++) {
    const w = at + I.COUNT * e;
    const pathEnd = words[w + I.PATH_END];
    const id = words[w + I.TAIL_ID];
    const end = words[w + I.END];
    if (pathEnd < from || end <= pathEnd || end > len) throw brokenReport();
    let tail = id === NO_TAIL ? undefined : tails[id];
    if (tail === undefined) {
      const f = fields(decoder.decode(heap.subarray(text + pathEnd + 1, text + end)));
      if (f.length !== ERROR_FIELDS - 1) throw brokenReport();
      tail = new Tail(f, 0);
      if (id !== NO_TAIL) tails[id] = tail;
    }
    errors.push(tail.error(fieldText(heap, text + from, text + pathEnd)));
    from = end + 1;
  }
  return errors;
}

// `read` of a report's text; a report the core broke is INTERNAL_ERROR, never a SyntaxError.
function decodeReport(report, read) {
  try {
    return read(report);
  } catch (e) {
    if (e instanceof EdgeguardError) throw e;
    throw brokenReport(e);
  }
}

// A long report's errors or warnings: the report's text, decoded into error objects when first
// read, as most callers ask only `valid` (building them cost as much as validating a small form).
// Each hangs off the plain result under a non-enumerable symbol, so Object.keys, JSON.stringify,
// spreads and deep equality see the plain data they always did, and a Proxy of the result or an
// object inheriting from it reaches it as they reach any property; the accessors are shared by
// every result (a getter made per result would give each its own hidden class).
class LazyReport {
  #text;
  #value = null;

  constructor(text) {
    this.#text = text;
  }

  get() {
    if (this.#text !== null) {
      this.#value = decodeReport(this.#text, readErrors);
      this.#text = null;
    }
    return this.#value;
  }

  set(value) {
    this.#value = value;
    this.#text = null;
  }
}

const ERRORS_KEY = Symbol('edgeguard.errors');
const WARNINGS_KEY = Symbol('edgeguard.warnings');
const lazyAccessor = (key) => ({
  get() { return this[key].get(); },
  set(value) { this[key].set(value); },
  enumerable: true,
  configurable: true,
});
const LAZY_ERRORS = lazyAccessor(ERRORS_KEY);
const LAZY_WARNINGS = lazyAccessor(WARNINGS_KEY);

// Reports of up to this many errors are decoded at once: deferring one (keeping its text, defining
// its accessors) costs about what decoding ten errors does, and a caller who then reads them
// pays both.
const DECODED_AT_ONCE = 8;

// A report's error objects now ([] for none): `read(a, b, c)`; or undefined, to be decoded when
// first read. A report that does not decode is deferred too: the verdict stands, and reading its
// errors throws.
function decodedNow(count, read, a, b, c) {
  if (count === 0) return [];
  if (count > DECODED_AT_ONCE) return undefined;
  try {
    return read(a, b, c);
  } catch (e) {
    if (!(e instanceof EdgeguardError || e instanceof SyntaxError)) throw e;  // a bug here, not the core's
    return undefined;
  }
}

// Member `name` of `result`: `decoded`, or the report's text decoded when first read.
function attachReport(result, name, key, accessor, decoded, text) {
  if (decoded !== undefined) {
    result[name] = decoded;
  } else {
    Object.defineProperty(result, key, { value: new LazyReport(text) });
    Object.defineProperty(result, name, accessor);
  }
}

// `{ valid, errors, warnings }` from the reports: each decoded, or (undefined) its text.
function reported(valid, errors, errorText, warnings, warningText) {
  if (errors !== undefined && warnings !== undefined) return { valid, errors, warnings };
  const result = { valid };
  attachReport(result, 'errors', ERRORS_KEY, LAZY_ERRORS, errors, errorText);
  attachReport(result, 'warnings', WARNINGS_KEY, LAZY_WARNINGS, warnings, warningText);
  return result;
}

function boolOption(options, name) {
  const value = options[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalidOption(name, 'a boolean', value);
  return value;
}

// The options the core reads (src/edgeguard/validate/options.cpp, which owns their defaults and
// ranges): tests/js/seam.test.js checks these names against the names its reader reads.
export const CORE_OPTIONS = {
  draft: null, formats: null, allErrors: null, useDefaults: null, sanitize: null, removeAdditional: null,
  maxBytes: null, maxDepth: null, maxErrors: null,
};
const OPTIONS = [...Object.keys(CORE_OPTIONS), 'schemas', 'registry', 'throwOnMalformed'];

/** The options read here, and in `core` the JSON text of those the core reads. */
function readOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption('options', 'an object', options);
  }
  // A misspelt option ("allerrors") would silently leave its default in force.
  for (const name of Object.keys(options)) {
    if (!OPTIONS.includes(name)) {
      throw new ConfigError('CONFIG_INVALID', `unknown option ${name} (a Validator takes ${OPTIONS.join(', ')})`,
        { option: name });
    }
  }
  const schemas = options.schemas ?? {};
  if (schemas === null || typeof schemas !== 'object' || Array.isArray(schemas)) {
    throw invalidOption('schemas', 'an object of id -> schema', schemas);
  }
  const registry = options.registry;
  if (registry !== undefined && !(registry instanceof SchemaRegistry)) {
    throw invalidOption('registry', 'a SchemaRegistry', registry);
  }
  if (registry !== undefined && options.schemas !== undefined) {
    throw new ConfigError('CONFIG_INVALID', 'options schemas and registry exclude each other: add the schemas to the registry',
      { option: 'schemas' });
  }
  return { core: optionsText(options, CORE_OPTIONS), schemas, registry, throwOnMalformed: boolOption(options, 'throwOnMalformed') };
}

export function serialize(what, value) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new SchemaError('SCHEMA_INVALID', `${what} cannot be serialized: ${err.message}`,
      { schemaPath: '#', cause: err });
  }
  if (json === undefined) {
    throw new SchemaError('SCHEMA_INVALID', `${what} must be an object or a boolean`, { schemaPath: '#' });
  }
  return json;
}

// The typed error of the call that failed last (its reason in the core's error channel): a
// SchemaError naming the schema path, or errors.js's coreError (a ConfigError naming the option
// of `options` the core refused).
export function failure(mod, options = undefined) {
  const { code, option, message } = lastError(mod);
  if (code === 'SCHEMA_INVALID') return new SchemaError(code, `${message} (at ${option})`, { schemaPath: option });
  return coreError(mod, options);
}

// Throws failure() unless `status` is VALID.
export function check(mod, status) {
  if (status !== VALID) throw failure(mod);
}

// Calls `fn(ptr, len)` with `s` as UTF-8 in wasm memory (configuration text: a cold path).
export function withText(mod, s, fn) {
  return mod.withBytes(s, Infinity, fn, () => {
    throw new SchemaError('SCHEMA_INVALID', 'schema text has a lone surrogate', { schemaPath: '#' });
  });
}

// withBytes refuses an input over maxBytes itself: the core never sees it.
const TOO_LARGE = Symbol('too large');
const tooLarge = () => TOO_LARGE;
const loneSurrogate = (at) => ({ loneSurrogate: at });

function malformedError(offset, line, column, code, message) {
  return {
    instancePath: '', schemaPath: '', keyword: 'json',
    params: { code, offset, line, column }, message,
  };
}

function cannotSerialize(err) {
  return new EdgeguardError('INVALID_INPUT', `cannot serialize the input: ${err?.message ?? err}`, { cause: err });
}

export class Validator extends WasmObject {
  #maxBytes;
  #maxDepth;
  #throwOnMalformed;
  #cleaning;
  #tails = [];  // the core's kept error tails, decoded (readIndexed), by id

  /**
   * Compiles `schema` (object or boolean). Options: draft ('2020-12' | 'draft-07', when the
   * schema has no $schema), schemas ({ id: schema } it may $ref), registry (a SchemaRegistry
   * whose schemas it may $ref, compiled into it and shared), formats ('annotate' | 'assert'),
   * allErrors, useDefaults, removeAdditional (true | 'all' | 'failing'), sanitize (apply
   * "x-sanitize"), throwOnMalformed, maxBytes, maxDepth, maxErrors. Throws SchemaError naming
   * the schema path, or ConfigError for bad options.
   */
  constructor(schema, options = {}) {
    const { core, schemas, registry, throwOnMalformed } = readOptions(options);
    const mod = module('validator');
    let handle;
    if (registry) {
      handle = compileIn(registry, schema, core, options);
    } else {
      const config = `{"schema":${serialize('schema', schema)},"options":${core},` +
        `"schemas":${serialize('options.schemas', schemas)}}`;
      handle = withText(mod, config, (ptr, len) => mod._eg_validator_new(ptr, len));
      if (!handle) throw failure(mod, options);
    }
    super(handle, mod._eg_validator_free);
    // What the core made of the options: it owns their defaults and ranges.
    const settings = mod.u32(mod._eg_validator_settings(handle), SettingsWord.COUNT);
    this.#maxBytes = settings[SettingsWord.MAX_BYTES];
    this.#maxDepth = settings[SettingsWord.MAX_DEPTH];
    this.#cleaning = settings[SettingsWord.CLEANS] !== 0;
    this.#throwOnMalformed = throwOnMalformed;
  }

  /** The longest input in bytes it validates (option maxBytes, or its default). */
  get maxBytes() {
    return this.#maxBytes;
  }

  /** The deepest input it validates (option maxDepth, or its default). */
  get maxDepth() {
    return this.#maxDepth;
  }

  /**
   * Registers and compiles another schema under `id` (default: its $id); `validate(input, id)`
   * then targets it (as it can any id of `options.schemas`). Over a registry, the schema is
   * added to the registry. Returns this.
   */
  addSchema(schema, id) {
    if (id !== undefined && (typeof id !== 'string' || id === '')) throw invalidOption('id', 'a non-empty string', id);
    void this.handle;  // DISPOSED before anything runs
    const mod = module('validator');
    const config = `{"schema":${serialize('schema', schema)},"id":${JSON.stringify(id ?? null)}}`;
    // After the schema's getters and toJSON ran: one may have disposed this validator.
    const handle = this.handle;
    check(mod, withText(mod, config, (ptr, len) => mod._eg_validator_add(handle, ptr, len)));
    return this;
  }

  /**
   * Validates `input`: JSON text as a string, Uint8Array, ArrayBuffer or view (read as bytes,
   * never turned into JS objects), or any other JS value (a plain object or array is written
   * straight into the core's input form, js/object-input.js; anything else is serialized once).
   * Returns `{ valid, errors, warnings }` plus `data` (the cleaned value) when cleaning is on.
   */
  validate(input, schemaId) {
    void this.handle;  // DISPOSED before anything runs
    const mod = module('validator');
    if (typeof input === 'object' && input !== null && !isBytes(input)) {
      try {
        let written;
        try {
          written = encode(input, this.#maxBytes, this.#maxDepth);
        } catch (err) {  // a throwing getter, a revoked Proxy
          throw cannotSerialize(err);
        }
        // Cleaning copies the document's JSON text, which only the serialized path has: for it
        // the walk only measures, so that JSON.stringify never builds a text past maxBytes (a
        // sparse array's holes, one object reached many times over).
        if (this.#cleaning) written = false;
        // The handle is read after the value's getters ran: one may have disposed this validator.
        if (written && schemaId === undefined) return this.#validateTape(mod, this.handle, 0, 0);
        if (written) return this.#withId(mod, schemaId, (idPtr, idLen) => this.#validateTape(mod, this.handle, idPtr, idLen));
        // Certainly past maxBytes: refused as the text path would refuse it, without building it.
        if (overLimit()) {
          void this.handle;  // a getter may have disposed this validator
          return this.#withId(mod, schemaId, () => this.#tooLarge());
        }
      } finally {
        release();  // a value handed back to the JSON.stringify path may have grown them too
      }
    }
    let payload = input;
    if (typeof input !== 'string' && !isBytes(input)) {
      try {
        payload = JSON.stringify(input);
      } catch (err) {  // a cycle, a BigInt, a throwing toJSON
        throw cannotSerialize(err);
      }
      if (payload === undefined) {
        throw new EdgeguardError('INVALID_INPUT', `cannot validate ${typeof input}: it has no JSON form`);
      }
    }
    // Reports are read inside withBytes: errors name keys the core reads from the input's copy.
    // The handle is read there too, after JSON.stringify (a toJSON) and the copy (a typed array's
    // getters) ran user code that may have disposed this validator.
    const result = schemaId === undefined ? this.#validateBytes(mod, payload, 0, 0)
      : this.#withId(mod, schemaId, (idPtr, idLen) => this.#validateBytes(mod, payload, idPtr, idLen));
    if (result === TOO_LARGE) return this.#tooLarge();
    if (result.loneSurrogate) {  // a JS string with a lone surrogate: not UTF-8
      const { offset, line, column } = result.loneSurrogate;
      return this.#malformed(malformedError(offset, line, column,
        'PAYLOAD_BAD_UTF8', `lone surrogate in string input at offset ${offset}`));
    }
    return result;
  }

  // Calls fn(idPtr, idLen) with `schemaId` in linear memory (0, 0 for the main schema).
  #withId(mod, schemaId, fn) {
    if (schemaId === undefined) return fn(0, 0);
    if (typeof schemaId !== 'string' || schemaId === '') throw invalidOption('schemaId', 'a non-empty string', schemaId);
    const id = encoder.encode(schemaId);
    const idPtr = mod._malloc(id.length);
    if (!idPtr) throw new EdgeguardError('OUT_OF_MEMORY', 'out of memory');
    try {
      mod.HEAPU8.set(id, idPtr);
      return fn(idPtr, id.length);
    } finally {
      mod._free(idPtr);
    }
  }

  // Validates `payload` (text or bytes), copied into linear memory.
  #validateBytes(mod, payload, idPtr, idLen) {
    return mod.withBytes(payload, this.#maxBytes, (ptr, len) => {
      const handle = this.handle;
      return this.#settle(mod, handle, mod._eg_validator_validate(handle, ptr, len, idPtr, idLen));
    }, loneSurrogate, tooLarge);
  }

  // Validates the tape object-input.js wrote last, in linear memory, where it stays while the
  // reports are read.
  #validateTape(mod, handle, idPtr, idLen) {
    return this.#settle(mod, handle, mod._eg_validator_validate_tape(handle, nodesAt(), nodeCount(),
      dataAt(), dataLength(), idPtr, idLen));
  }

  // The result of a validation that answered `status`.
  #settle(mod, handle, status) {
    if (status === MALFORMED) return this.#malformed(decodeReport(published(mod), readErrors)[0]);
    if (status !== VALID && status !== INVALID) check(mod, status);  // an unknown id, out of memory, a broken tape
    const o = out(mod);
    const errorCount = o[W.ERROR_COUNT];
    const warningCount = o[W.WARNING_COUNT];
    const valid = status === VALID;
    let result;
    if (errorCount || warningCount) {
      // The core's reports are taken now, the errors first: each call replaces the last one's.
      const errors = decodedNow(errorCount, readIndexed, mod, errorCount, this.#tails);
      const errorText = errors === undefined ? published(mod) : null;
      const warningText = warningCount ? this.#reportText(mod, handle, WARNINGS) : null;
      const warnings = decodedNow(warningCount, readErrors, warningText);
      result = reported(valid, errors, errorText, warnings, warningText);
    } else {
      result = { valid, errors: [], warnings: [] };
    }
    if (this.#cleaning) result.data = this.#report(mod, handle, CLEANED);
    return result;
  }

  // Has the core leave a report in `out`; asked only of a report that has something in it.
  #reportText(mod, handle, which) {
    const status = mod._eg_validator_report(handle, which);
    if (status > MALFORMED) check(mod, status);
    return published(mod);
  }

  #report(mod, handle, which) {
    return decodeReport(this.#reportText(mod, handle, which), which === CLEANED ? JSON.parse : readErrors);
  }

  #tooLarge() {
    return this.#malformed(malformedError(this.#maxBytes, 1, 1, 'PAYLOAD_TOO_LARGE', 'payload exceeds maxBytes'));
  }

  #malformed(error) {
    if (this.#throwOnMalformed) {
      const { code, offset, line, column } = error.params;
      throw new PayloadError(code, error.message, { offset, line, column });
    }
    return { valid: false, errors: [error], warnings: [] };
  }
}
