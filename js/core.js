// Owns the wasm instances: loading each module per runtime, which features each one serves, and
// moving bytes across the boundary.
import { EdgeguardError } from './errors.js';
import { WHOLE } from './modules.js';
import { Feature } from './seam/modules.js';
import { version } from './version.js';

const instances = [];      // { spec (of modules.js), mod }: each loaded module, mod seen through ownExports()
const loads = new Map();   // module name -> its load in flight (a failed one is forgotten: retryable)
const sources = new Map(); // module name -> the runtime's default source of its wasm
const glues = new Map();   // module name -> its glue's factory, when the runtime entry imported it
// feature -> the instance that serves it, fixed at its first use: objects made on one instance
// never meet another's memory, even when a second module is loaded later.
const serving = { resilience: null, validator: null, gateway: null };

/**
 * Called once by each runtime entry (entry.<runtime>.js, entry.<feature>.<runtime>.js) with the
 * way its runtime gets the wasm of module `name` (modules.js). Only the whole module's init()
 * below names WHOLE, so a bundle of a feature entry drops the whole module's glue.
 */
export function setDefaultSource(source, name, glue = undefined) {
  sources.set(name, source);
  if (glue) glues.set(name, glue);
}

// By its tag, not instanceof: a module compiled in another realm (the Vercel CLI compiles the
// wasm outside the edge-runtime VM its function runs in) is not an instance of this realm's class.
const isWasmModule = (source) => Object.prototype.toString.call(source) === '[object WebAssembly.Module]';

async function instantiate(source, imports) {
  if (isWasmModule(source)) {
    return { instance: await WebAssembly.instantiate(source, imports), module: source };
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.instantiate(source, imports);
  }
  const response = await (source instanceof Response || typeof source?.then === 'function'
    ? source : fetch(source));
  if (!response.ok) throw new Error(`fetching the wasm failed: HTTP ${response.status}`);
  if (WebAssembly.instantiateStreaming &&
      response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

async function load(spec, options) {
  const noSource = () => new EdgeguardError('INIT_FAILED', `no wasm source for ${spec.name}: pass init({ module }) or init({ wasm })`);
  const defaultSource = sources.get(spec.name);
  const given = options.module ?? options.wasm;
  if ((given === undefined || given === null) && !defaultSource) throw noSource();
  // The glue loads while the wasm is read and compiled (compiling needs no imports): neither
  // waits for the other. A failure of either still fails the load (the other's is then moot).
  const factory = glues.get(spec.name);
  const glue = factory ? Promise.resolve({ default: factory }) : spec.glue();
  glue.catch(() => {});
  const source = given ?? await defaultSource();
  if (source === undefined || source === null) throw noSource();
  const compiled = source instanceof ArrayBuffer || ArrayBuffer.isView(source) ? WebAssembly.compile(source) : undefined;
  compiled?.catch(() => {});
  const { default: createModule } = await glue;
  return new Promise((resolve, reject) => {
    createModule({
      locateFile: (path) => path,
      instantiateWasm(imports, done) {
        (compiled ? compiled.then((module) => instantiate(module, imports)) : instantiate(source, imports))
          .then((r) => done(r.instance, r.module), reject);
        return {};
      },
    }).then(resolve, reject);
  });
}

const covers = (instance, spec) => spec.features.every((f) => instance.spec.features.includes(f));

/**
 * Loads module `spec` once; later calls return the same promise, and nothing is loaded when a
 * module already loaded serves all of its features (the whole one serves every feature).
 * `options.module` (a WebAssembly.Module, as workerd imports it) or `options.wasm` (bytes, a URL,
 * a Response) override the runtime's default source. A failed load can be retried.
 */
export function initModule(spec, options = {}) {
  if (instances.some((i) => covers(i, spec))) return Promise.resolve();
  let pending = loads.get(spec.name);
  if (!pending) {
    // A wasm refused by ownExports() fails the load as any other failure does: retryable.
    pending = load(spec, options).then((mod) => withHelpers(ownExports(spec, mod))).then((mod) => {
      instances.push({ spec, mod });
      loads.delete(spec.name);
    }, (err) => {
      loads.delete(spec.name);
      throw err instanceof EdgeguardError ? err : new EdgeguardError('INIT_FAILED',
        `loading the ${spec.name} wasm failed: ${err?.message ?? err}`, { cause: err });
    });
    loads.set(spec.name, pending);
  }
  return pending;
}

/** Loads the whole module (every feature): `edgeguard`'s init(). */
export function init(options = {}) {
  return initModule(WHOLE, options);
}

// Emscripten 3.1.6 wraps each export in a function that forwards with `.apply(arguments)` until
// its first call, and neither minification of export names nor DECLARE_ASM_MODULE_EXPORTS=0 can
// be turned off under MODULARIZE. Hot paths call exports per request, so they get the raw wasm
// function, found through the wrapper's forwarding target (`(_x=e._x=e.asm.ab).apply(...)` once
// scripts/minify-glue.js has renamed the glue's locals); an unrecognised glue keeps wrappers.
// Past 52 exports the minified names take a '$' ("$a"), which a \w pattern missed.
// The wasm must be the glue's own: another module's (init({ module }) given the wrong file), or
// another release's (a stale file deployed beside this JS), minifies its exports to other names,
// so each would be missing or an unrelated function, and every call would answer at random. Its
// exports must all be there, it must name the features of `spec` and this JS's version
// (wasm/bridge_module.cpp), or nothing of it is used.
function ownExports(spec, mod) {
  const missing = [];
  const direct = Object.create(mod);  // HEAPU8 and friends stay live through the prototype
  for (const name of Object.keys(mod)) {
    const fn = mod[name];
    if (name[0] !== '_' || typeof fn !== 'function') continue;
    const target = /=[\w$]+\.asm\.([\w$]+)\)\.apply\(/.exec(Function.prototype.toString.call(fn));
    if (!target) continue;
    const raw = mod.asm?.[target[1]];
    if (typeof raw === 'function') direct[name] = raw;
    else missing.push(name);
  }
  const want = spec.features.reduce((mask, feature) => mask | Feature[feature.toUpperCase()], 0);
  let features, built;
  try {
    features = missing.length === 0 ? direct._eg_module_features() : undefined;
    built = features === want ? cString(mod, direct._eg_version()) : undefined;
  } catch { /* another module's function, or none: not this module */ }
  if (features !== want || built !== version) {
    throw new EdgeguardError('INIT_FAILED', `the wasm given is not ${spec.name} ${version}'s: load the .wasm file shipped beside its glue` +
      (missing.length ? ` (${missing.length} of its exports are missing: ${missing.slice(0, 3).join(', ')})` : '') +
      (features === want && built !== undefined ? ` (it is version ${built})` : ''));
  }
  return direct;
}

/**
 * The instance that serves `feature` ('resilience', 'validator' or 'gateway': everything, the
 * whole module only), with this file's helpers bound to its memory (withBytes, withScratch,
 * readCString, u32, f64). NOT_INITIALIZED before any init(); FEATURE_NOT_LOADED when the modules
 * loaded lack the feature (never another module's answer).
 */
export function module(feature = 'gateway') {
  return serving[feature] ?? bind(feature);
}

function bind(feature) {
  if (!Object.hasOwn(serving, feature)) throw new TypeError(`unknown edgeguard feature ${feature}`);
  // The whole module first: an app that loaded both shares one instance where it can.
  const found = instances.filter((i) => i.spec.features.includes(feature))
    .sort((a, b) => b.spec.features.length - a.spec.features.length)[0];
  if (found) return (serving[feature] = found.mod);
  if (instances.length === 0) {
    throw new EdgeguardError('NOT_INITIALIZED', 'call `await init()` before using edgeguard');
  }
  const loaded = instances.map((i) => i.spec.name).join(', ');
  // Each feature's entry point is named after it; `edgeguard` serves them all.
  const entries = feature === 'gateway' ? "'edgeguard'" : `'edgeguard/${feature}' or 'edgeguard'`;
  throw new EdgeguardError('FEATURE_NOT_LOADED', `this needs edgeguard's ${feature} feature, which the module ` +
    `loaded (${loaded}) does not have: import it from ${entries} and await that entry's init()`, { feature, loaded });
}

// Each instance has its own memory, so its own scratch buffer (in a small object of its own: the
// module's many exports make it a slow object to write to) and its own bound helpers.
function withHelpers(mod) {
  const scratch = { mod, ptr: 0, cap: 0 };
  mod.withBytes = (input, maxBytes, fn, onBadString, onTooLarge) => bytesIn(scratch, input, maxBytes, fn, onBadString, onTooLarge);
  mod.withScratch = (size, fn) => scratchIn(scratch, size, fn);
  mod.readCString = (ptr) => cString(mod, ptr);
  mod.u32 = (ptr, count) => new Uint32Array(mod.HEAPU8.buffer, resultPointer(ptr, 'result'), count);
  mod.f64 = (ptr, count) => new Float64Array(mod.HEAPU8.buffer, resultPointer(ptr, 'result'), count);
  return mod;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The helpers below work on the memory of an instance: each instance has them bound as methods
// (module(feature).withBytes(...)), and the exported functions are the gateway's instance's, for
// the code that only the whole module serves.

// One reusable buffer in linear memory for inputs (per instance); anything larger than KEEP_BYTES is
// allocated for its call only, so one huge payload does not pin memory for good.
const KEEP_BYTES = 1 << 20;
const SHORT_CHARS = 256;

// The largest single allocation asked of the module: linear memory is 32-bit, and _malloc's
// argument would wrap past it.
export const MAX_ALLOC = 0x7fffffff;

function reserve(scratch, n) {
  if (n <= scratch.cap) return scratch.ptr;
  if (n > MAX_ALLOC) return 0;
  if (n > KEEP_BYTES) return scratch.mod._malloc(n);
  if (scratch.ptr) scratch.mod._free(scratch.ptr);
  scratch.cap = Math.max(n, 64 * 1024);
  scratch.ptr = scratch.mod._malloc(scratch.cap);
  if (!scratch.ptr) scratch.cap = 0;
  return scratch.ptr;
}

function outOfMemory() {
  return new EdgeguardError('OUT_OF_MEMORY', 'the wasm module could not allocate memory for the input');
}

/** True for the byte inputs withBytes copies: ArrayBuffer, SharedArrayBuffer and their views. */
export function isBytes(input) {
  return input instanceof Uint8Array || input instanceof ArrayBuffer || ArrayBuffer.isView(input) || isShared(input);
}

// SharedArrayBuffer is absent where cross-origin isolation is off (browsers).
function isShared(input) {
  return typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer;
}

// A transferred (detached) buffer reads as zero bytes; Node 20 has no `detached` getter, but
// constructing a view over it still throws.
function isDetached(buffer) {
  if (buffer.byteLength !== 0 || isShared(buffer)) return false;
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function bytesOf(input) {
  if (!isBytes(input)) {
    throw new EdgeguardError('INVALID_INPUT',
      `expected a string, Uint8Array or ArrayBuffer (got ${input === null ? 'null' : typeof input})`);
  }
  if (isDetached(ArrayBuffer.isView(input) ? input.buffer : input)) {
    throw new EdgeguardError('INVALID_INPUT', 'the input\'s ArrayBuffer is detached (transferred): it has no bytes to read');
  }
  if (input instanceof Uint8Array) return input;
  return ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
}

function tooLarge(size, limit) {
  return new EdgeguardError('INPUT_TOO_LARGE', `the input is ${size} bytes, over the limit of ${limit}`, { size, limit });
}

/**
 * Copies `input` (string, Uint8Array, ArrayBuffer, SharedArrayBuffer or any view) into linear
 * memory as UTF-8 and calls `fn(ptr, len)`; `ptr` is never 0, so the core reads a null pointer as
 * an error, never as an empty input. An input over `maxBytes` is not copied and `fn` is not
 * called: `onTooLarge(size)` answers instead, or an INPUT_TOO_LARGE EdgeguardError is thrown
 * (`size` is the string's length in UTF-16 units when it is refused before encoding). Strings with
 * lone surrogates cannot be UTF-8: `onBadString({ offset, line, column })` decides what happens
 * to them. A detached buffer is INVALID_INPUT; a failed allocation OUT_OF_MEMORY. A shared
 * buffer is copied once, so the core reads one consistent snapshot of it.
 */
export function withBytes(input, maxBytes, fn, onBadString, onTooLarge = undefined) {
  return module().withBytes(input, maxBytes, fn, onBadString, onTooLarge);
}

function bytesIn(scratch, input, maxBytes, fn, onBadString, onTooLarge) {
  const mod = scratch.mod;
  if (typeof input === 'string') {
    // UTF-8 is never shorter than UTF-16 code units, so this is a sound early refusal.
    if (input.length > maxBytes) return refuse(input.length, maxBytes, onTooLarge);
    if (input.length <= SHORT_CHARS) {
      // Keys, paths and header values: a plain loop beats encodeInto's fixed cost, and ASCII
      // cannot hold a lone surrogate. Anything else falls through to the general path.
      const ptr = reserve(scratch, SHORT_CHARS);
      if (!ptr) throw outOfMemory();
      if (copyAscii(mod.HEAPU8, ptr, input)) return fn(ptr, input.length);
    }
    if (!isWellFormed(input)) return onBadString(loneSurrogateOffset(input));
    const cap = input.length * 3;
    const ptr = reserve(scratch, cap);
    if (!ptr) throw outOfMemory();
    try {
      const { written } = encoder.encodeInto(input, mod.HEAPU8.subarray(ptr, ptr + cap));
      if (written > maxBytes) return refuse(written, maxBytes, onTooLarge);
      return fn(ptr, written);
    } finally {
      if (ptr !== scratch.ptr) mod._free(ptr);
    }
  }
  const bytes = bytesOf(input);
  if (bytes.length > maxBytes) return refuse(bytes.length, maxBytes, onTooLarge);
  return scratchIn(scratch, bytes.length, (ptr) => {
    mod.HEAPU8.set(bytes, ptr);
    return fn(ptr, bytes.length);
  });
}

/**
 * Calls `fn(ptr)` with `size` bytes of linear memory at `ptr` (never 0), valid until it returns;
 * OUT_OF_MEMORY when they cannot be had. Not reentrant: `fn` must not call withBytes.
 */
export function withScratch(size, fn) {
  return module().withScratch(size, fn);
}

function scratchIn(scratch, size, fn) {
  const ptr = reserve(scratch, Math.max(size, 1));
  if (!ptr) throw outOfMemory();
  try {
    return fn(ptr);
  } finally {
    if (ptr !== scratch.ptr) scratch.mod._free(ptr);
  }
}

// A module-level function, not a closure per call: withBytes is on every hot path.
function refuse(size, maxBytes, onTooLarge) {
  if (onTooLarge) return onTooLarge(size);
  throw tooLarge(size, maxBytes);
}

// Node 18 has no String.prototype.isWellFormed; without a check there, encodeInto would turn a
// lone surrogate into U+FFFD and the core would read other data than the caller gave.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` has no lone surrogate, so it has a UTF-8 form. */
export function isWellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

/** UTF-8 bytes of a string without lone surrogates, counted without encoding it. */
export function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Writes an all-ASCII string at `ptr` as bytes; false (having written a prefix) otherwise. */
export function copyAscii(heap, ptr, s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return false;
    heap[ptr + i] = c;
  }
  return true;
}

function loneSurrogateOffset(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
    } else if (c < 0xdc00 || c > 0xdfff) {
      continue;
    }
    const before = s.slice(0, i);
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      offset: encoder.encode(before).length,
      line: before.split('\n').length,
      column: [...before.slice(lineStart)].length + 1,
    };
  }
  return { offset: 0, line: 1, column: 1 };
}

// A result pointer of 0 is the core saying it failed (out of memory, or an argument it refused):
// never read as an empty text or a zeroed struct, which would be a default answer.
function resultPointer(ptr, what) {
  if (ptr) return ptr;
  throw new EdgeguardError('CORE_FAILED', `the core returned no ${what} (a null pointer)`);
}

/** Reads a NUL-terminated UTF-8 string that the core owns; CORE_FAILED for a null pointer. */
export function readCString(ptr) {
  return module().readCString(ptr);
}

function cString(mod, ptr) {
  const heap = mod.HEAPU8;
  let end = resultPointer(ptr, 'text');
  while (end < heap.length && heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(ptr, end));
}

/** 32-bit words of linear memory, for result structs (fresh view: memory may have grown). */
export function u32(ptr, count) {
  return module().u32(ptr, count);
}

/** 64-bit floats of linear memory, for result structs (fresh view: memory may have grown). */
export function f64(ptr, count) {
  return module().f64(ptr, count);
}
