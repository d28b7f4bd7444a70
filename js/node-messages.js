// Node's http messages (as Express hands them over) to fetch ones and back, for the middleware
// that puts the gateway in front of an Express app.

/**
 * A Node request's body as a ReadableStream, read only when pulled (highWaterMark 0): a request
 * the gateway hands back to the app with next() keeps its body unread for the app's own parsers.
 * Cancelled (a body over its limit), the rest is read and dropped, as Node does with a body no
 * one reads, rather than destroying the socket the refusal is written to.
 */
export function nodeBodyStream(req) {
  let listening = false;
  let settled = false;
  const listeners = [];
  const on = (event, fn) => {
    req.on(event, fn);
    listeners.push([event, fn]);
  };
  const stop = () => {
    settled = true;
    for (const [event, fn] of listeners) req.off(event, fn);
  };
  const end = (finish) => () => {
    if (settled) return;
    stop();
    finish();
  };
  return new ReadableStream({
    pull(controller) {
      if (!listening) {
        listening = true;
        // Read already (a body parser mounted first): there is no 'end' left to wait for.
        if (req.readableEnded) {
          controller.error(new Error('the request body was read before, by middleware mounted earlier'));
          return;
        }
        on('data', (chunk) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if (controller.desiredSize <= 0) req.pause();
        });
        on('end', end(() => controller.close()));
        on('error', (error) => end(() => controller.error(error))());
        // A client gone before the end: Node may close the request without an error.
        on('close', end(() => controller.error(new Error('the request closed before its body ended'))));
      }
      req.resume();
    },
    cancel() {
      stop();
      req.resume();
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
  // The URL is text put together, so a Host holding '/', '?', '#', '@' or '\\' would move the
  // path the gateway routes away from the one Express routed ("h/api/secret#" before "/public").
  const host = req.headers.host ?? 'localhost';
  if (/[/?#@\\\s]/.test(host)) throw new TypeError('the Host header is not a host');
  const url = `${req.protocol}://${host}${req.originalUrl}`;
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : nodeBodyStream(req);
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
