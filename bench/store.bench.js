// RedisStore: what its deadline, breaker and stats cost over the bare client, on one script
// call (EVALSHA of a one-key INCR) to a redis-server on loopback started for the bench. The same
// client serves both contenders: sequential calls (latency-bound) and 64 in flight
// (throughput-bound, the client pipelines). Prints ops/s and the ratio store / bare client;
// writes bench/results/store.json.
//   node bench/store.bench.js            (BENCH_TIME_MS=1000 per task and round, BENCH_ROUNDS=5)
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { init } from '../js/entry.node.js';
import { RedisStore, defineScript } from '../js/store/index.js';
import { startRedis } from '../tests/support/redis-engines.js';
import { medianRounds, writeResults } from './rounds.js';

await init();
const TIME = Number(process.env.BENCH_TIME_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 64;
const engine = await startRedis();
const incr = defineScript("return redis.call('INCR', KEYS[1])");
const sha = await incr.sha1();

const nodeRedis = createClient({ url: engine.url });
nodeRedis.on('error', () => {});
await nodeRedis.connect();
const ioredis = new Redis(engine.port, engine.host);
ioredis.on('error', () => {});

const contenders = {
  'node-redis': { store: new RedisStore(nodeRedis, { deadlineMs: 1000 }), bare: (key) => nodeRedis.evalSha(sha, { keys: [key] }) },
  ioredis: { store: new RedisStore(ioredis, { deadlineMs: 1000 }), bare: (key) => ioredis.evalsha(sha, 1, key) },
};
const tasks = {};
for (const [name, { store, bare }] of Object.entries(contenders)) {
  const key = store.key(name, 'n');
  await store.evalScript(incr, [key], []);  // loads the script
  tasks[`${name} bare, sequential`] = async () => { for (let i = 0; i < BATCH; i++) await bare(key); };
  tasks[`${name} RedisStore, sequential`] = async () => { for (let i = 0; i < BATCH; i++) await store.evalScript(incr, [key], []); };
  tasks[`${name} bare, ${BATCH} in flight`] = () => Promise.all(Array.from({ length: BATCH }, () => bare(key)));
  tasks[`${name} RedisStore, ${BATCH} in flight`] = () => Promise.all(Array.from({ length: BATCH }, () => store.evalScript(incr, [key], [])));
}
const ops = await medianRounds(tasks, { rounds: ROUNDS, timeMs: TIME, batch: BATCH, rotate: 1 });
const results = {};
for (const name of Object.keys(contenders)) {
  for (const mode of ['sequential', `${BATCH} in flight`]) {
    const store = ops[`${name} RedisStore, ${mode}`];
    const bare = ops[`${name} bare, ${mode}`];
    results[`${name}, ${mode}`] = { storeOps: Math.round(store), bareOps: Math.round(bare), ratio: +(store / bare).toFixed(3) };
    console.log(`${name}, ${mode}: RedisStore ${Math.round(store)} ops/s, bare client ${Math.round(bare)} ops/s, ratio ${(store / bare).toFixed(2)}x`);
  }
}
console.log('store stats:', JSON.stringify(contenders.ioredis.store.stats().latencyMs));
await writeResults('store', results);
nodeRedis.destroy();
ioredis.disconnect();
await engine.stop();
