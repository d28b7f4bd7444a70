// An instance for redis-store-instances.test.js: its own client (node-redis on even indexes,
// ioredis on odd ones) and RedisStore, taking one unit at a time from a shared allowance.
import { init } from '../../../../js/entry.node.js';
import { RedisStore, defineScript } from '../../../../js/store/index.js';
import { connect } from '../../../support/redis-clients.js';

// Counts every attempt; grants while fewer than ARGV[1] were granted. Atomic: no other call
// runs between the read and the write, whichever instance sent it.
const take = defineScript(`
  redis.call('INCR', KEYS[2]) redis.call('PEXPIRE', KEYS[2], 60000)
  local granted = tonumber(redis.call('GET', KEYS[1]) or '0')
  if granted >= tonumber(ARGV[1]) then return 0 end
  redis.call('SET', KEYS[1], granted + 1, 'PX', 60000)
  return 1`);

export async function setup({ engine }, index) {
  await init();
  const conn = await connect(index % 2 === 0 ? 'node-redis' : 'ioredis', engine);
  return { conn, store: new RedisStore(conn.client, { deadlineMs: 5000 }) };
}

export default async function run({ tag, limit, attempts, inFlight }, index, { store }) {
  const keys = [store.key(tag, 'granted'), store.key(tag, 'attempts')];
  let granted = 0;
  const worker = async () => {
    for (let i = 0; i < attempts / inFlight; i++) {
      const got = await store.evalScript(take, keys, [limit]);  // not `granted += await`: it reads granted first
      granted += got;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { granted, stats: store.stats() };
}

export async function teardown({ conn }) {
  await conn.close();
}
