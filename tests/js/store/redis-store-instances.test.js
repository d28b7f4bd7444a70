// Four processes (four isolates, two client libraries) share one allowance through one
// redis-server: the store's scripts are atomic across instances, the ground the shared rate
// limits stand on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../../support/redis-engines.js';
import { runInstances } from '../../support/instances.js';

let engine;
before(async () => { engine = await startRedis(); });
after(() => engine?.stop());

test('4 instances, 2000 attempts on an allowance of 500: exactly 500 granted, every attempt counted', async () => {
  const input = { engine: { url: engine.url, host: engine.host, port: engine.port }, tag: 'shared', limit: 500, attempts: 500, inFlight: 10 };
  const results = await runInstances(new URL('./instances/take-one.js', import.meta.url), 4, input);
  assert.equal(results.reduce((sum, r) => sum + r.granted, 0), 500);
  assert.equal(Number(await engine.server.command('GET', 'eg:{shared}:attempts').then((raw) => raw.split('\r\n')[1])), 2000);
  for (const { stats } of results) {
    assert.equal(stats.ok, 500);
    assert.equal(stats.timeouts + stats.unavailable + stats.errors, 0);
  }
});
