// Object input: a JS value written straight into the core's tape form (src/edgeguard/validate/
// tape.hpp's Node, checked by tape_adopt.cpp), so that validate(value) pays neither
// JSON.stringify nor the parse of its text. The tape must be the one JSON.stringify's text would
// give: members in Object.keys order, undefined/functions/symbols skipped in objects and null in
// arrays, non-finite numbers null. Numbers go as doubles, never formatted: where a keyword reads
// a number's text (multipleOf), the core writes what Number#toString would (js_number_text).
// What this encoder does not take exactly as JSON.stringify would (toJSON, Dates, Maps, class
// instances, boxed primitives, BigInt, JSON.rawJSON, lone surrogates, nesting past maxDepth,
// text that may be past maxBytes) makes encode() return false: the caller then takes the
// JSON.stringify path, which decides those cases as it always has (reading the value again: a
// getter that answers differently each time it is read may then be seen twice). A text certainly
// past maxBytes is said by overLimit(): the caller refuses it as that path would, without the
// JSON.stringify that would build it (a sparse array of 1e8 holes: 500 MB). A throwing getter is
// the caller's INVALID_INPUT. The tape is written in linear memory itself, where the core reads it:
// no copy per call.
import { isWellFormed, module } from './core.js';
import { BINARY, Kind, NodeWord } from './seam/validator.js';

// tape.hpp's Kind, a number's flag for 8 bytes of double (kBinary), and a Node's 32-bit words
// (NodeWord): kind | flag << 8, pos, len, next, end, written at literal offsets 0 to 4
// (tests/js/object-input-layout.test.js pins them to NodeWord): with named offsets the bench's form
// row ran at half speed in 3 of 7 runs, against 1 of 12 with literals.
const { NULL, BOOLEAN, NUMBER, STRING, KEY, OBJECT, ARRAY } = Kind;
const WORDS = NodeWord.COUNT;
const LONG = 48;  // strings from this length are encoded natively, not char by char
// The longest text Number#toString writes ("-2.2250738585072014e-308", "-0.0000012345678901234567").
const MAX_NUMBER_TEXT = 25;
// Blocks grown past these for one document are given back after it, so it does not pin them.
const KEEP_WORDS = 1 << 18;
const KEEP_BYTES = 1 << 20;
// The data block starts with this many bytes of keys, kept from one document to the next: a
// form's keys are written once, not once per call. Documents' own bytes follow them.
const KEY_BYTES = 16 * 1024;

const encoder = new TextEncoder();
const ESCAPES = /["\\\u0000-\u001f]/;

// Two blocks of linear memory (nodes, data) and views of them, remade whenever memory grows.
let mod = null;
let heap = null;     // the ArrayBuffer the views are of
let nodesPtr = 0;
let dataPtr = 0;
let words = new Uint32Array(0);
let bytes = new Uint8Array(0);
let doubles = new Float64Array(0);
let moved = false;   // memory grew during this encode() by a call not its own: views went stale
let count = 0;       // nodes written
let used = 0;        // bytes of the data block in use: KEY_BYTES and the document's after them
let keyUsed = 0;     // key bytes in use
let keysFull = false;
// UTF-8 length of JSON.stringify's text of what is written so far, but for the numbers that
// are not int32: those are counted in `inexact`, each 1 to MAX_NUMBER_TEXT bytes long.
let textLength = 0;
let inexact = 0;
let over = false;  // the last encode() stopped at a text longer than maxBytes

// Objects of one shape repeat their keys: the key a member at a given depth and position had
// the last time was written already, and its node can point at the same bytes.
const SLOTS = 1024;
const slotKey = new Array(SLOTS).fill('');
const slotPos = new Uint32Array(SLOTS);
const slotLen = new Uint32Array(SLOTS);
const slotText = new Uint32Array(SLOTS);  // its JSON text's bytes
const slotEpoch = new Uint32Array(SLOTS);
let epoch = 0;  // of the key bytes: slots of an older one point at bytes written over since
let busy = false;  // Object.prototype has no enumerable property for for-in to see
let maxBytes = 0;
let maxDepth = 0;

/**
 * Writes `value` (an object or array) as tape nodes and bytes; false when the JSON.stringify
 * path must decide instead. After true, nodesAt(), dataAt() and dataLength() locate the tape
 * in linear memory until the next call.
 */
export function encode(value, limitBytes, limitDepth) {
  over = false;
  // A getter of the value validating another value would write over this one's tape.
  if (busy) return false;
  busy = true;
  try {
    // Before ready(): a grow() there must not read the last document's `moved` as its own.
    moved = false;
    if (!ready()) return false;
    count = textLength = inexact = 0;
    used = KEY_BYTES;
    if (keysFull) forgetKeys();
    maxBytes = limitBytes;
    maxDepth = limitDepth;
    // Over maxBytes, or maybe over it: the text path decides exactly. A getter that grew
    // memory left writes in detached views: what was written is not the value.
    const written = container(value, 1) && textLength + inexact * MAX_NUMBER_TEXT <= maxBytes && !stale();
    over = !written && spent() > maxBytes;
    return written;
  } catch (err) {
    if (!(err instanceof NoRoom)) throw err;
    over = spent() > maxBytes;
    return false;
  } finally {
    busy = false;
  }
}

// The blocks exist and the views are of today's memory (a new module starts afresh).
function ready() {
  if (mod !== module('validator')) {
    mod = module('validator');
    nodesPtr = dataPtr = nodeBytes = dataBytes = 0;
    forgetKeys();
  }
  if (heap !== mod.HEAPU8.buffer) views();
  return nodesPtr !== 0 || grow(WORDS * 1024 * 4, KEY_BYTES + 16 * 1024);
}

function forgetKeys() {
  keyUsed = 0;
  keysFull = false;
  if (++epoch === 0xffffffff) {
    epoch = 1;
    slotEpoch.fill(0);
  }
}

function views() {
  heap = mod.HEAPU8.buffer;
  words = new Uint32Array(heap, nodesPtr, nodeBytes / 4);
  bytes = new Uint8Array(heap, dataPtr, dataBytes);
  doubles = new Float64Array(heap, dataPtr, dataBytes / 8);
}

// Memory grew since the views were made, by a call other than grow()'s. Growth detaches the
// buffer the views are of, so a data view that still has its length is of today's memory:
// asked per kept key, that is far cheaper than reading the module's HEAPU8.
function stale() {
  if (bytes.length === 0 && heap !== mod.HEAPU8.buffer) moved = true;
  return moved;
}

let nodeBytes = 0;
let dataBytes = 0;

// Gives the blocks (at least) these sizes, keeping what they hold; false when memory is out.
function grow(wantNodes, wantData) {
  if (stale()) return false;
  const np = wantNodes > nodeBytes ? mod._malloc(wantNodes) : nodesPtr;
  const dp = wantData > dataBytes ? mod._malloc(wantData) : dataPtr;
  if (!np || !dp) {
    if (np && np !== nodesPtr) mod._free(np);
    if (dp && dp !== dataPtr) mod._free(dp);
    return false;
  }
  const h = mod.HEAPU8;
  if (np !== nodesPtr) {
    if (nodesPtr) {
      h.copyWithin(np, nodesPtr, nodesPtr + count * WORDS * 4);
      mod._free(nodesPtr);
    }
    nodesPtr = np;
    nodeBytes = wantNodes;
  }
  if (dp !== dataPtr) {
    if (dataPtr) {
      h.copyWithin(dp, dataPtr, dataPtr + used);
      mod._free(dataPtr);
    }
    dataPtr = dp;
    dataBytes = wantData;
  }
  views();
  return true;
}

function inheritsNothing() {
  for (const _ in Object.prototype) return false;
  return true;
}

/**
 * After encode() answered false: whether the value's JSON text is certainly longer than the
 * maxBytes it was given (spent() never exceeds that text's length).
 */
export function overLimit() {
  return over;
}

/** Where the nodes of the last encode() are in linear memory. */
export function nodesAt() {
  return nodesPtr;
}

/** The number of nodes of the last encode(). */
export function nodeCount() {
  return count;
}

/** Where the data the last encode()'s nodes point into starts in linear memory. */
export function dataAt() {
  return dataPtr;
}

/** The length of that data: keys kept from earlier documents, then this one's bytes. */
export function dataLength() {
  return used;
}

/** This document's own string and number bytes (a copy). */
export function data() {
  return bytes.slice(KEY_BYTES, used);
}

/** Gives back blocks a large document grew. */
export function release() {
  // A getter's own validate() must not free the blocks the walk it interrupted writes into.
  if (busy) return;
  if (nodeBytes > KEEP_WORDS * 4 || dataBytes > KEEP_BYTES + KEY_BYTES) {
    mod._free(nodesPtr);
    mod._free(dataPtr);
    nodesPtr = dataPtr = nodeBytes = dataBytes = 0;
    forgetKeys();
  }
}

function node(kind, pos, len) {
  if ((count + 1) * WORDS > words.length && !grow(nodeBytes * 2, dataBytes)) throw noRoom();
  const w = count * WORDS;
  words[w] = kind;
  words[w + 1] = pos;
  words[w + 2] = len;
  words[w + 3] = ++count;
  words[w + 4] = 0;
  return w;
}

// Out of linear memory mid-walk (or memory moved under it): encode() answers false.
class NoRoom extends Error {}
function noRoom() {
  return new NoRoom();
}

function room(n) {
  if (used + n <= bytes.length) return;
  if (!grow(nodeBytes, Math.max(dataBytes * 2, (used + n + 7) & ~7))) throw noRoom();
}

// The bytes JSON.stringify spends so far, at the least.
function spent() {
  return textLength + inexact;
}

// JSON.stringify's extra bytes for an escaped ASCII character (\" \\ \n ... \u001f).
function escapeCost(c) {
  if (c === 0x22 || c === 0x5c || c === 8 || c === 9 || c === 10 || c === 12 || c === 13) return 1;
  return c < 0x20 ? 5 : 0;
}

const ESCAPE_COST = new Uint8Array(0x80).map((_, c) => escapeCost(c));

// Writes `s` as a string or key node; `slot` (or -1) keeps where, for the next object's key.
function string(s, kind, slot) {
  const n = s.length;
  if (spent() + n > maxBytes) {
    textLength += n;  // its UTF-8 is at least n bytes: encode() then knows the text is over
    return false;
  }
  // A key goes with the kept keys while they have room; once they are full, they start
  // afresh with the next document (this one's nodes point at them).
  const kept = slot >= 0 && keyUsed + n * 3 <= KEY_BYTES;
  if (slot >= 0 && !kept) keysFull = true;
  // Kept keys need no room(), but memory a getter grew has detached the views all the same.
  if (!kept) room(n * 3);
  else if (stale()) throw noRoom();
  const at = kept ? keyUsed : used;
  let len = n;
  let extra = 2;  // the quotes
  let i = 0;
  if (n < LONG) {
    // UTF-8 by hand: encodeInto's call costs more than a short string's characters.
    const b = bytes;
    let j = at;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        b[j++] = c;
        extra += ESCAPE_COST[c];
      } else if (c < 0x800) {
        b[j++] = 0xc0 | c >> 6;
        b[j++] = 0x80 | c & 0x3f;
      } else if (c < 0xd800 || c > 0xdfff) {
        b[j++] = 0xe0 | c >> 12;
        b[j++] = 0x80 | c >> 6 & 0x3f;
        b[j++] = 0x80 | c & 0x3f;
      } else {
        const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d < 0xdc00 || d > 0xdfff) return false;  // a lone surrogate has no UTF-8
        const p = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        b[j++] = 0xf0 | p >> 18;
        b[j++] = 0x80 | p >> 12 & 0x3f;
        b[j++] = 0x80 | p >> 6 & 0x3f;
        b[j++] = 0x80 | p & 0x3f;
        i++;
      }
    }
    len = j - at;
  } else {
    len = encoder.encodeInto(s, bytes.subarray(at, at + n * 3)).written;
    // Only ASCII encodes to one byte per UTF-16 unit; anything else may be a lone surrogate,
    // which encodeInto would have replaced by U+FFFD.
    if (len !== n && !isWellFormed(s)) return false;
    if (ESCAPES.test(s)) {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c) extra += escapeCost(c);
      }
    }
  }
  if (kept) keyUsed = at + len;
  else used = at + len;
  textLength += len + extra;
  node(kind, at, len);
  if (kept) {
    slotKey[slot] = s;
    slotPos[slot] = at;
    slotLen[slot] = len;
    slotText[slot] = len + extra;
    slotEpoch[slot] = epoch;
  }
  return true;
}

// A string value of ASCII characters (the usual one) in a loop that does nothing else; any other
// is left to string(), which writes it again from the start. One shorter than LONG is written
// even past maxBytes: the caller's check after each value finds the text over.
function asciiString(s) {
  const n = s.length;
  if (n >= LONG) return string(s, STRING, -1);
  room(n);
  const b = bytes;
  const at = used;
  let extra = 2;  // the quotes
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return string(s, STRING, -1);
    b[at + i] = c;
    extra += ESCAPE_COST[c];
  }
  used = at + n;
  textLength += n + extra;
  node(STRING, at, n);
  return true;
}

function number(v) {
  if (v !== v || v === Infinity || v === -Infinity) {  // JSON.stringify writes null
    node(NULL, 0, 0);
    textLength += 4;
    return;
  }
  room(16);
  const at = (used + 7) & ~7;
  doubles[at >> 3] = v === 0 ? 0 : v;  // -0 is written "0"
  used = at + 8;
  if ((v | 0) === v) {
    const a = v < 0 ? -v : v;  // its digits by comparison: a division per digit cost more
    textLength += (v < 0 ? 1 : 0) + (a < 10 ? 1 : a < 100 ? 2 : a < 1000 ? 3 : a < 1e4 ? 4 : a < 1e5 ? 5
      : a < 1e6 ? 6 : a < 1e7 ? 7 : a < 1e8 ? 8 : a < 1e9 ? 9 : 10);
  } else {
    inexact++;
  }
  node(NUMBER | BINARY << 8, at, 8);
}

function value(v, depth) {
  switch (typeof v) {
    case 'string':
      return asciiString(v);
    case 'number':
      number(v);
      return true;
    case 'boolean':
      node(BOOLEAN | (v ? 1 : 0) << 8, 0, 0);
      textLength += v ? 4 : 5;
      return true;
    case 'object':
      if (v === null) {
        node(NULL, 0, 0);
        textLength += 4;
        return true;
      }
      return container(v, depth + 1);
    default:  // bigint (JSON.stringify throws); undefined, functions and symbols are the caller's
      return false;
  }
}

// typeof of the values JSON.stringify leaves out of objects and writes as null in arrays.
function absent(t) {
  return t === 'undefined' || t === 'function' || t === 'symbol';
}

function container(v, depth) {
  if (depth > maxDepth || spent() > maxBytes || v.toJSON !== undefined) return false;
  const at = node(0, 0, 0);
  let len = 0;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    len = v.length;
    textLength += len ? len + 1 : 2;  // brackets and commas
    // A sparse array's holes cost no memory but are written: bounded by maxBytes, not its length.
    if (spent() > maxBytes) return false;
    for (let k = 0; k < len; k++) {
      const e = v[k];
      if (absent(typeof e)) {
        node(NULL, 0, 0);
        textLength += 4;
        if (spent() > maxBytes) return false;
      } else if (!value(e, depth) || spent() > maxBytes) {
        return false;
      }
    }
    words[at] = ARRAY;
  } else {
    const proto = Object.getPrototypeOf(v);
    // Asked of every object, not once per value: a getter met earlier may have added to it.
    if (proto === Object.prototype ? !inheritsNothing() : proto !== null || JSON.isRawJSON?.(v)) return false;
    textLength += 2;
    // for-in sees what Object.keys would (own enumerable string keys, in the same order) when
    // the prototype adds nothing, and is far faster.
    for (const key in v) {
      const e = v[key];
      const type = typeof e;
      if (absent(type)) continue;
      // A member JSON.stringify may leave out (a toJSON answering undefined) or refuse (a BigInt):
      // the text path decides it before its key is counted toward maxBytes.
      if (type === 'bigint' || (type === 'object' && e !== null && e.toJSON !== undefined)) return false;
      const slot = ((depth << 5) + len) & (SLOTS - 1);
      textLength += len++ ? 2 : 1;  // the colon, and the comma before all but the first
      if (slotKey[slot] === key && slotEpoch[slot] === epoch) {
        textLength += slotText[slot];
        node(KEY, slotPos[slot], slotLen[slot]);
      } else if (!string(key, KEY, slot)) {
        return false;
      }
      if (!value(e, depth) || spent() > maxBytes) return false;
    }
    words[at] = OBJECT;
  }
  words[at + 2] = len;
  words[at + 3] = count;
  return true;
}
