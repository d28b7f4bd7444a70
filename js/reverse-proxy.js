// What any reverse proxy does to a message it passes on, apart from the pipeline's policies: the
// fields that describe one connection stay on it, a redirect to the upstream's own origin points
// back at the gateway, and a body the pipeline must read whole is read with a bound.

// Hop-by-hop fields (RFC 9110 7.6.1) and what the runtime recomputes: never forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'proxy-authorization', 'proxy-authenticate', 'host', 'content-length'];
// The runtime negotiates Accept-Encoding and decodes the answer itself.
const REQUEST_DROPPED = new Set([...HOP_BY_HOP, 'accept-encoding']);
// fetch() decodes bodies, so an upstream's encoding and length (dropped as hop-by-hop) no longer describe them.
const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'content-encoding']);

// A copy of `headers` (anything the Headers constructor takes) without the `dropped` names.
// Headers iterate lowercased, so one pass over them filters: a dozen delete() calls on a full
// copy cost several times more, and this runs twice on every proxied request.
function without(headers, dropped) {
  const out = new Headers();
  for (const [name, value] of headers instanceof Headers ? headers : new Headers(headers)) {
    if (!dropped.has(name)) out.append(name, value);
  }
  return out;
}

/** Reads a request's or response's body up to `max` bytes; null when it is larger. */
export async function readBody(message, max) {
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A stream of anything else would have no size to bound it (fetch refuses it too).
    if (!(value instanceof Uint8Array)) {
      reader.cancel().catch(() => {});
      throw new TypeError(`the body stream gave a ${value?.constructor?.name ?? typeof value}, not a Uint8Array`);
    }
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** Whether `href` is `origin` or below it: `https://a.example` does not cover `https://a.example.evil/`. */
export function underOrigin(href, origin) {
  return href.startsWith(origin) && (href.length === origin.length || '/?#'.includes(href[origin.length]));
}

/**
 * The headers a client's request goes upstream with: no hop-by-hop fields, no Accept-Encoding
 * (the runtime negotiates and decodes). `forwarded`, for a gateway: `{ remote, url, requestIdHeader,
 * requestId }`, so the upstream sees who asked and through which host, as behind any reverse proxy.
 */
export function upstreamRequestHeaders(headers, forwarded) {
  const out = without(headers, REQUEST_DROPPED);
  if (forwarded) {
    const { remote, url } = forwarded;
    if (remote) out.set('x-forwarded-for', [out.get('x-forwarded-for'), remote].filter(Boolean).join(', '));
    out.set('x-forwarded-host', url.host);
    out.set('x-forwarded-proto', url.protocol.slice(0, -1));
    out.set(forwarded.requestIdHeader, forwarded.requestId);
  }
  return out;
}

/**
 * The headers an upstream's answer goes to the client with: no hop-by-hop fields or encoding.
 * `rewrite`, for a gateway: `{ from: the upstream's origin, to: the gateway's, relative }`; a
 * redirect to the upstream's own origin would send the client around the gateway. An answer that
 * may be stored (`relative`) is replayed to clients of any host, whose key has none: its Location
 * is relative (RFC 9110 10.2.2), never this request's Host.
 */
export function clientResponseHeaders(headers, rewrite) {
  const out = without(headers, RESPONSE_DROPPED);
  const location = out.get('location');
  if (location && rewrite && underOrigin(location, rewrite.from)) {
    out.set('location', rewrite.relative ? relativeLocation(location) : `${rewrite.to}${location.slice(rewrite.from.length) || '/'}`);
  }
  return out;
}

// As the URL parser reads it (backslashes as slashes, tabs dropped), and never as a network-path
// reference ('//host'), which a client would follow to another host.
function relativeLocation(location) {
  const target = new URL(location);
  const path = `${target.pathname}${target.search}${target.hash}`;
  return path.startsWith('//') ? `/.${path}` : path;
}
