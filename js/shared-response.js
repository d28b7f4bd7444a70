// A gateway response as a shared route's cache holds it: plain JSON data, which is all the shared
// tier takes (cache/shared-entry.js), with the body in base64. It carries what the gateway's
// memory cache replays to every client of the route and nothing else: the status, the headers
// left after the hop-by-hop fields and Set-Cookie were dropped, the body, and the lifetime the
// route's Cache-Status reports. A reading instance decodes the body once per entry.

/** Bumped with the fields below: it is in the tier's name, so instances of two formats never meet. */
export const RESPONSE_FORMAT = 1;

const bodies = new WeakMap();  // entry -> its body's bytes, for as long as the entry lives

const toBase64 = typeof Uint8Array.prototype.toBase64 === 'function' ? (bytes) => bytes.toBase64()
  : typeof globalThis.Buffer === 'function' ? (bytes) => globalThis.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
    : (bytes) => {
      let text = '';
      // In slices: String.fromCharCode takes its arguments on the stack.
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };

const fromBase64 = typeof Uint8Array.fromBase64 === 'function' ? (text) => Uint8Array.fromBase64(text)
  : typeof globalThis.Buffer === 'function' ? (text) => new Uint8Array(globalThis.Buffer.from(text, 'base64'))
    : (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/**
 * The stored entry (js/guard.js #fetchEntry, decided storable) in its shared form; `size` is what
 * memory holds: the base64 text and, once read, the bytes.
 */
export function shareableEntry({ status, statusText, headers, body, ttlMs, upstreamMs }) {
  const body64 = toBase64(body);
  const entry = { status, statusText, headers, body64, ttlMs, upstreamMs, stored: true, size: body.byteLength + body64.length + 64 };
  bodies.set(entry, body);
  return entry;
}

/** The body's bytes of an entry in either form (never to be changed: slice() them to hand out). */
export function bodyOf(entry) {
  if (entry.body !== undefined) return entry.body;
  let bytes = bodies.get(entry);
  if (bytes === undefined) {
    bytes = fromBase64(entry.body64);
    bodies.set(entry, bytes);
  }
  return bytes;
}
