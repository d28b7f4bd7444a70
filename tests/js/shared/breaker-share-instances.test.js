// Four Node processes (four isolates, two client libraries), one breaker shared through one
// redis-server: with quorum 2, two instances seeing the backend fail open the other two within
// one publish interval; one alone does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from '../../support/redis-engines.js';
import { runInstances } from '../../support/instances.js';

const INSTANCE = new URL('./instances/breaker-instance.js', import.meta.url);
const INTERVAL = 1000;

let engine;
before(async () => { engine = await startRedis(); });
after(() => engine?.stop());

const input = (name, failing) => ({ engine: { url: engine.url, host: engine.host, port: engine.port }, name, failing, interval: INTERVAL });

test('4 processes, 2 see the backend fail: the other 2 open by quorum within one publish interval', async () => {
  const results = await runInstances(INSTANCE, 4, input('four-two', 2));
  assert.deepEqual(results.map((r) => r.state), ['open', 'open', 'open', 'open']);
  assert.deepEqual(results[0].events, ['closed->open:consecutiveFailures']);
  for (const r of results.slice(2)) {
    assert.deepEqual(r.events, ['before:closed', 'closed->open:quorum']);
    assert.equal(r.shared.openReports, 2);
    assert.equal(r.shared.reachable, true);
  }
  assert.equal(new Set(results.map((r) => r.shared.instanceId)).size, 4, 'a random id per instance');
});

test('4 processes, 1 sees the backend fail: with quorum 2 the others stay closed', async () => {
  const results = await runInstances(INSTANCE, 4, input('four-one', 1));
  assert.deepEqual(results.map((r) => r.state), ['open', 'closed', 'closed', 'closed']);
  for (const r of results.slice(1)) assert.equal(r.shared.openReports, 1);
});
