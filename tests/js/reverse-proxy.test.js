// js/reverse-proxy.js: the fields a message loses or gains on its way through the gateway, and
// the bounded read of a body. The gateway's own tests (gateway.test.js) check the same through a
// running pipeline; these pin each function's edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBody, underOrigin, upstreamRequestHeaders, clientResponseHeaders } from '../../js/reverse-proxy.js';

const stream = (...chunks) => new Response(new ReadableStream({
  start(c) {
    for (const chunk of chunks) c.enqueue(chunk);
    c.close();
  },
}));

test('readBody joins the chunks, answers an empty body with no bytes, and null past the bound', async () => {
  assert.deepEqual(await readBody(stream(Uint8Array.of(1, 2), Uint8Array.of(3)), 3), Uint8Array.of(1, 2, 3));
  assert.deepEqual(await readBody(new Response(null), 0), new Uint8Array(0));
  assert.equal(await readBody(stream(Uint8Array.of(1, 2), Uint8Array.of(3)), 2), null);
});

test('readBody refuses a stream of anything but bytes', async () => {
  await assert.rejects(readBody({ body: new ReadableStream({ start: (c) => c.enqueue('text') }) }, 10),
    /gave a String, not a Uint8Array/);
});

test('underOrigin covers the origin and what is below it, never a longer host', () => {
  assert.equal(underOrigin('https://a.example', 'https://a.example'), true);
  for (const tail of ['/x', '?q', '#f']) assert.equal(underOrigin(`https://a.example${tail}`, 'https://a.example'), true);
  assert.equal(underOrigin('https://a.example.evil/', 'https://a.example'), false);
  assert.equal(underOrigin('https://a.example:8443/', 'https://a.example'), false);
});

test('upstream request headers: no hop-by-hop fields or Accept-Encoding; a gateway adds the forwarded ones', () => {
  const given = new Headers({ connection: 'x', 'keep-alive': '1', te: 'trailers', 'accept-encoding': 'gzip', 'x-forwarded-for': '1.1.1.1', accept: 'a/b' });
  assert.deepEqual([...upstreamRequestHeaders(given, undefined)], [['accept', 'a/b'], ['x-forwarded-for', '1.1.1.1']]);
  const forwarded = { remote: '10.0.0.1', url: new URL('https://gw.example/p'), requestIdHeader: 'x-request-id', requestId: 'r1' };
  assert.deepEqual([...upstreamRequestHeaders(given, forwarded)], [['accept', 'a/b'], ['x-forwarded-for', '1.1.1.1, 10.0.0.1'],
    ['x-forwarded-host', 'gw.example'], ['x-forwarded-proto', 'https'], ['x-request-id', 'r1']]);
  assert.equal(upstreamRequestHeaders(new Headers(), { ...forwarded, remote: '' }).has('x-forwarded-for'), false);
  assert.equal(given.get('connection'), 'x');  // the client's own headers are not changed
});

test('client response headers: no hop-by-hop fields or encoding; a redirect to the upstream points at the gateway', () => {
  const from = 'https://api.example';
  const rewrite = { from, to: 'https://gw.example' };
  const answer = (location) => new Headers({ location, 'content-encoding': 'gzip', 'transfer-encoding': 'chunked', 'content-type': 't/x' });
  assert.deepEqual([...clientResponseHeaders(answer(`${from}/next?x=1`), rewrite)],
    [['content-type', 't/x'], ['location', 'https://gw.example/next?x=1']]);
  assert.equal(clientResponseHeaders(answer(from), rewrite).get('location'), 'https://gw.example/');
  assert.equal(clientResponseHeaders(answer(`${from}.evil/x`), rewrite).get('location'), `${from}.evil/x`);
  assert.equal(clientResponseHeaders(answer(`${from}/x`), undefined).get('location'), `${from}/x`);
});
