// One instance of bench/shared-limit-accuracy.js: its own client and shared RateLimiter on the
// real clock, checking one key at `perWindow` calls per window, paced every 10 ms, for `windows`
// windows from the first whole second at least 300 ms after 'go' (the same instant for every
// instance: they are told to go together). Returns the times of the calls it allowed (from that
// start) and its limiter's store calls.
import { init, RateLimiter } from '../js/entry.node.js';
import { RedisStore } from '../js/store/index.js';
import { connect } from '../tests/support/redis-clients.js';

const TICK_MS = 10;

export async function setup({ engine }, index) {
  await init();
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  return { conn, store: new RedisStore(conn.client) };
}

export default async function run({ name, mode, limit, windowMs, windows, perWindow }, index, { store }) {
  const start = Math.ceil((Date.now() + 300) / 1000) * 1000;
  const limiter = new RateLimiter({ policies: [{ name: 'hot', limit, windowMs }], store, name, mode, clock: Date.now });
  const allowedAt = [];
  let checks = 0;
  let fallback = 0;
  const perTick = (perWindow * TICK_MS) / windowMs;
  while (Date.now() < start) await new Promise((resolve) => setTimeout(resolve, 1));
  for (let tick = 0; tick < (windows * windowMs) / TICK_MS; tick++) {
    const due = start + tick * TICK_MS;
    while (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, 1));
    // Fractional rates carry over: tick t makes floor((t + 1) x rate) - floor(t x rate) calls.
    const n = Math.floor((tick + 1) * perTick) - Math.floor(tick * perTick);
    const results = await Promise.all(Array.from({ length: n }, () => limiter.check('hot')));
    const now = Date.now();
    for (const r of results) {
      checks++;
      if (r.source === 'fallback') fallback++;
      if (r.allowed) allowedAt.push(now - start);
    }
  }
  return { allowedAt, checks, storeCalls: limiter.stats().storeCalls, fallback };
}

export async function teardown({ conn }) {
  await conn.close();
}
