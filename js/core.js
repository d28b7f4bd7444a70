// Owns the one wasm instance: loading it per runtime, and moving bytes across the boundary.
import createEdgeguardModule from '../dist/edgeguard.mjs';
import { EdgeguardError } from './errors.js';

let wasm = null;  // the Emscripten module, seen through directExports(): _eg_*, _malloc, _free, HEAPU8
let pending = null;
let defaultSource = null;

/** Called once by each runtime entry (entry.node.js, entry.browser.js, entry.workerd.js). */
export function setDefaultSource(source) {
  defaultSource = source;
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

async function load(options) {
  const source = options.module ?? options.wasm ?? (defaultSource && await defaultSource());
  if (source === undefined || source === null) {
    throw new EdgeguardError('INIT_FAILED', 'no wasm source: pass init({ module }) or init({ wasm })');
  }
  return new Promise((resolve, reject) => {
    createEdgeguardModule({
      locateFile: (path) => path,
      instantiateWasm(imports, done) {
        instantiate(source, imports).then((r) => done(r.instance, r.module), reject);
        return {};
      },
    }).then(resolve, reject);
  });
}

/**
 * Loads the wasm once; later calls return the same promise. `options.module` (a
 * WebAssembly.Module, as workerd imports it) or `options.wasm` (bytes, a URL, a Response)
 * override the runtime's default source. A failed load can be retried.
 */
export function init(options = {}) {
  if (wasm) return Promise.resolve();
  pending ??= load(options).then((mod) => { wasm = directExports(mod); }, (err) => {
    pending = null;
    throw err instanceof EdgeguardError ? err : new EdgeguardError('INIT_FAILED',
      `loading the edgeguard wasm failed: ${err?.message ?? err}`, { cause: err });
  });
  return pending;
}

// Emscripten 3.1.6 wraps each export in a function that forwards with `.apply(arguments)` until
// its first call, and neither minification of export names nor DECLARE_ASM_MODULE_EXPORTS=0 can
// be turned off under MODULARIZE. Hot paths call exports per request, so they get the raw wasm
// function, found through the wrapper's forwarding target; an unrecognised glue keeps wrappers.
// Past 52 exports the minified names take a '$' ("$a"), which a \w pattern missed.
function directExports(mod) {
  const direct = Object.create(mod);  // HEAPU8 and friends stay live through the prototype
  for (const name of Object.keys(mod)) {
    const fn = mod[name];
    if (name[0] !== '_' || typeof fn !== 'function') continue;
    const target = /Module\["asm"\]\["([\w$]+)"\]/.exec(Function.prototype.toString.call(fn));
    const raw = target && mod.asm?.[target[1]];
    if (typeof raw === 'function') direct[name] = raw;
  }
  return direct;
}

/** The module; a typed error if init() has not completed. */
export function module() {
  if (wasm) return wasm;
  throw new EdgeguardError('NOT_INITIALIZED', 'call `await init()` before using edgeguard');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// One reusable buffer in linear memory for inputs; anything larger than KEEP_BYTES is
// allocated for its call only, so one huge payload does not pin memory for good.
const KEEP_BYTES = 1 << 20;
const SHORT_CHARS = 256;
let scratchPtr = 0;
let scratchCap = 0;

// The largest single allocation asked of the module: linear memory is 32-bit, and _malloc's
// argument would wrap past it.
const MAX_ALLOC = 0x7fffffff;

function reserve(mod, n) {
  if (n <= scratchCap) return scratchPtr;
  if (n > MAX_ALLOC) return 0;
  if (n > KEEP_BYTES) return mod._malloc(n);
  if (scratchPtr) mod._free(scratchPtr);
  scratchCap = Math.max(n, 64 * 1024);
  scratchPtr = mod._malloc(scratchCap);
  if (!scratchPtr) scratchCap = 0;
  return scratchPtr;
}

function outOfMemory() {
  return new EdgeguardError('OUT_OF_MEMORY', 'the wasm module could not allocate memory for the input');
}

/** True for the byte inputs withBytes copies: ArrayBuffer, SharedArrayBuffer and their views. */
export function isBytes(input) {
  return input instanceof ArrayBuffer || ArrayBuffer.isView(input) || isShared(input);
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
  const mod = module();
  if (typeof input === 'string') {
    // UTF-8 is never shorter than UTF-16 code units, so this is a sound early refusal.
    if (input.length > maxBytes) return refuse(input.length, maxBytes, onTooLarge);
    if (input.length <= SHORT_CHARS) {
      // Keys, paths and header values: a plain loop beats encodeInto's fixed cost, and ASCII
      // cannot hold a lone surrogate. Anything else falls through to the general path.
      const ptr = reserve(mod, SHORT_CHARS);
      if (!ptr) throw outOfMemory();
      if (copyAscii(mod.HEAPU8, ptr, input)) return fn(ptr, input.length);
    }
    if (!isWellFormed(input)) return onBadString(loneSurrogateOffset(input));
    const cap = input.length * 3;
    const ptr = reserve(mod, cap);
    if (!ptr) throw outOfMemory();
    try {
      const { written } = encoder.encodeInto(input, mod.HEAPU8.subarray(ptr, ptr + cap));
      if (written > maxBytes) return refuse(written, maxBytes, onTooLarge);
      return fn(ptr, written);
    } finally {
      if (ptr !== scratchPtr) mod._free(ptr);
    }
  }
  const bytes = bytesOf(input);
  if (bytes.length > maxBytes) return refuse(bytes.length, maxBytes, onTooLarge);
  return withScratch(bytes.length, (ptr) => {
    mod.HEAPU8.set(bytes, ptr);
    return fn(ptr, bytes.length);
  });
}

/**
 * Calls `fn(ptr)` with `size` bytes of linear memory at `ptr` (never 0), valid until it returns;
 * OUT_OF_MEMORY when they cannot be had. Not reentrant: `fn` must not call withBytes.
 */
export function withScratch(size, fn) {
  const mod = module();
  const ptr = reserve(mod, Math.max(size, 1));
  if (!ptr) throw outOfMemory();
  try {
    return fn(ptr);
  } finally {
    if (ptr !== scratchPtr) mod._free(ptr);
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
  const heap = module().HEAPU8;
  let end = resultPointer(ptr, 'text');
  while (heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(ptr, end));
}

/** 32-bit words of linear memory, for result structs (fresh view: memory may have grown). */
export function u32(ptr, count) {
  return new Uint32Array(module().HEAPU8.buffer, resultPointer(ptr, 'result'), count);
}

/** 64-bit floats of linear memory, for result structs (fresh view: memory may have grown). */
export function f64(ptr, count) {
  return new Float64Array(module().HEAPU8.buffer, resultPointer(ptr, 'result'), count);
}
