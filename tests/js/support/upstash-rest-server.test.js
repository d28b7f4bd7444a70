// The Upstash-REST-compatible test server, driven by @upstash/redis and @upstash/ratelimit as
// they are (auto-pipelining, base64 responses): what the UpstashStore tests and the bench rely on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from '@upstash/redis';
import { Ratelimit } from '@upstash/ratelimit';
import { createConnection } from 'node:net';
import { startRedis } from '../../support/redis-engines.js';
import { startUpstashRest } from '../../support/upstash-rest-server.js';

let engine;
let rest;
before(async () => {
  engine = await startRedis();
  rest = await startUpstashRest(engine);
});
after(async () => {
  await rest?.stop();
  await engine?.stop();
});

const clients = () => [true, false].flatMap((enableAutoPipelining) => ['base64', false].map((responseEncoding) =>
  new Redis({ url: rest.url, token: rest.token, retry: false, enableAutoPipelining, responseEncoding })));

test('commands, replies of every type, non-ASCII values, with base64 or plain responses, one by one or auto-pipelined', async () => {
  for (const [i, redis] of clients().entries()) {
    assert.equal(await redis.set(`k${i}`, 'ü€ T0s=', { px: 60000 }), 'OK');
    assert.equal(await redis.get(`k${i}`), 'ü€ T0s=');
    assert.equal(await redis.ping(), 'PONG');
    assert.equal(await redis.incr(`n${i}`), 1);
    assert.equal(await redis.get(`missing${i}`), null);
    assert.deepEqual(await redis.eval("return {1, 'ü', false, {2, 'b'}, redis.status_reply('FINE')}", [], []),
      [1, 'ü', null, [2, 'b'], 'FINE']);
  }
});

test('errors Redis answers come back as the client\'s UpstashError with Redis\'s text', async () => {
  for (const redis of clients()) {
    await assert.rejects(redis.evalsha('0'.repeat(40), [], []), (e) => e.name === 'UpstashError' && /NOSCRIPT/.test(e.message));
    await assert.rejects(redis.eval("return redis.call('INCR', 'x', 'y')", [], []), /ERR/);
  }
});

test('/pipeline answers each command on its own; /multi-exec runs them as one transaction', async () => {
  const redis = new Redis({ url: rest.url, token: rest.token, retry: false });
  const p = redis.pipeline();
  p.set('p', 'ü');
  p.incr('p');
  p.get('p');
  await assert.rejects(p.exec(), /Command 2 \[ incr \] failed: ERR value is not an integer/);
  assert.deepEqual(await redis.pipeline().set('p', 1).incr('p').get('p').exec(), ['OK', 2, 2]);
  assert.deepEqual(await redis.multi().set('m', 'a').append('m', 'ü').get('m').exec(), ['OK', 3, 'aü']);
});

test('a wrong or missing token is refused (401) before anything runs', async () => {
  const before = rest.stats().commands;
  for (const token of ['wrong', ' ']) {
    const redis = new Redis({ url: rest.url, token, retry: false });
    await assert.rejects(redis.get('k'), /Unauthorized/);
  }
  const res = await fetch(rest.url, { method: 'POST', body: '["GET","k"]' });
  assert.equal(res.status, 401);
  assert.equal(rest.stats().commands, before);
});

test('@upstash/ratelimit runs: its scripts\' allow-key-locking flag is taken as Upstash takes it, and a check costs one command after the first', async () => {
  const redis = new Redis({ url: rest.url, token: rest.token, retry: false });
  const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, '10 s'), prefix: 'rl', ephemeralCache: false });
  const first = await limiter.limit('ip');
  assert.equal(first.success, true);
  const before = rest.stats().commands;
  const rest4 = [];
  for (let i = 0; i < 4; i++) rest4.push((await limiter.limit('ip')).success);
  assert.deepEqual(rest4, [true, true, false, false]);
  assert.equal(rest.stats().commands - before, 4, 'EVALSHA of the flagged script finds it');
});

test('a request target that is no URL gets a 404, never an unhandled rejection and no answer', async () => {
  const unhandled = [];
  const listen = (error) => unhandled.push(error);
  process.on('unhandledRejection', listen);
  try {
    const status = await new Promise((resolve, reject) => {
      const socket = createConnection(rest.port, rest.host, () => {
        socket.write('POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
      let got = '';
      socket.on('data', (chunk) => { got += chunk; });
      socket.on('end', () => resolve(got.split('\r\n')[0]));
      socket.on('error', reject);
      // Only so that a server that never answers fails this test rather than hangs it.
      socket.setTimeout(5000, () => {
        socket.destroy();
        resolve('no answer');
      });
    });
    assert.equal(status, 'HTTP/1.1 404 Not Found');
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', listen);
  }
});
