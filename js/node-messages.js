// Node's http messages (as Express hands them over) to fetch ones and back, for the middleware
// that puts the gateway in front of an Express app.

/** A bounded read of a request body: its bytes, or null past `max` (the rest is left unread). */
export async function readNodeBody(req, max) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > max) return null;
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// Pulled only when read (highWaterMark 0): a request the gateway hands back to the app with
// next() keeps its body unread for the app's own parsers.
function lazyBody(req) {
  let chunks = null;
  return new ReadableStream({
    async pull(controller) {
      chunks ??= req[Symbol.asyncIterator]();
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    async cancel() {
      await chunks?.return?.();
    },
  }, { highWaterMark: 0 });
}

/** The Request an Express `req` stands for: its full URL (mount path included), headers and body. */
export function toRequest(req) {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // HTTP/2 pseudo-headers (":path") are not header names a Request takes.
    if (raw[i][0] !== ':') headers.append(raw[i], raw[i + 1]);
  }
  const url = `${req.protocol}://${req.headers.host ?? 'localhost'}${req.originalUrl}`;
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : lazyBody(req);
  return new Request(url, { method: req.method, headers, body, duplex: 'half' });
}

/**
 * Writes a fetch Response to Node's `res`; a body that fails half-way ends the connection (the
 * status is sent by then) and goes to `onError`.
 */
export function writeResponse(req, res, response, onError) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (!response.body || req.method === 'HEAD') {
    response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const pump = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
    }
    res.end();
  };
  pump().catch((error) => {
    res.destroy();
    onError(error);
  });
}

/** Writes a problemAnswer ({ status, headers, body }) to `res`, over any header set before. */
export function writeAnswer(res, answer) {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(answer.body));
  res.end(answer.body);
}
