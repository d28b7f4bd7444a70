// An instance for shared-limiter-instances.test.js: its own client (node-redis on even indexes,
// ioredis on odd ones), store and shared RateLimiter, checking one key at `checks` calls per
// window with `inFlight` calls at a time. Its clock reads the window's start: every instance is
// in window w while it makes that window's checks, whatever its pace. Returns the calls it
// allowed per window and its limiter's stats.
import { init, RateLimiter } from '../../../../js/entry.node.js';
import { RedisStore } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';

export async function setup({ engine }, index) {
  await init();
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  return { conn, store: new RedisStore(conn.client, { deadlineMs: 5000 }) };
}

export default async function run({ name, policies, mode, lease, windows, windowMs, checks, inFlight }, index, { store }) {
  const time = { now: 0 };
  const limiter = new RateLimiter({ policies, store, name, mode, lease, deadlineMs: 5000, clock: () => time.now });
  const allowed = [];
  for (let w = 0; w < windows; w++) {
    time.now = w * windowMs;
    let n = 0;
    const worker = async () => {
      for (let i = 0; i < checks / inFlight; i++) if ((await limiter.check('hot')).allowed) n++;
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    allowed.push(n);
  }
  const { storeCalls, storeErrors, sources } = limiter.stats();
  return { allowed, storeCalls, storeErrors, sources, checks: checks * windows };
}

export async function teardown({ conn }) {
  await conn.close();
}
