// The fixture of the test files that run on both Redis topologies: the wasm loaded, a standalone
// redis-server and a 3-node Cluster started before the file's tests and stopped after, when no
// rejection may have gone unhandled while the file ran.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { startRedis, startRedisCluster } from './redis-engines.js';

/** `{ standalone, cluster }`, filled before the file's first test. */
export function redisEngines() {
  const unhandled = [];
  process.on('unhandledRejection', (error) => unhandled.push(error));
  const engines = {};
  before(async () => {
    await init();
    [engines.standalone, engines.cluster] = await Promise.all([startRedis(), startRedisCluster()]);
  });
  after(async () => {
    await Promise.all(Object.values(engines).map((e) => e?.stop()));
    assert.deepEqual(unhandled, []);
  });
  return engines;
}
