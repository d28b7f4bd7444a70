// Three processes (three isolates, both client libraries) with a Cache over one redis-server: a
// hot key whose shared copy has expired, asked for by all of them at once, costs the backend one
// call; every caller gets that call's value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, Cache } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/index.js';
import { startRedis } from '../../support/redis-engines.js';
import { connect } from '../../support/redis-clients.js';
import { runInstances } from '../../support/instances.js';

let engine;
before(async () => {
  await init();
  engine = await startRedis();
});
after(() => engine?.stop());

test('3 instances x 5 callers on an expired hot key: one backend call, 15 answers with its value', async () => {
  const prefix = 'hot:';
  // The store holds an expired copy (kept for stale-if-error only): nobody may serve it as it is.
  const conn = await connect('ioredis', engine);
  const written = [];
  const old = new Cache({ maxEntries: 1, shared: new RedisStore(conn.client, { prefix, deadlineMs: 2000 }), waitUntil: (p) => written.push(p) });
  old.set('product:1', 'old', { ttlMs: 1000, ageMs: 5000, staleIfErrorMs: 60000 });
  await Promise.all(written);
  old.dispose();
  await conn.close();

  const input = {
    engine: { url: engine.url, host: engine.host, port: engine.port }, prefix,
    key: 'product:1', callers: 5, backendMs: 200, counter: 'backend-calls',
  };
  const instances = await runInstances(new URL('./instances/hot-key.js', import.meta.url), 3, input);
  const calls = Number((await engine.server.command('GET', 'backend-calls')).split('\r\n')[1]);
  assert.equal(calls, 1, JSON.stringify(instances.map((i) => i.stats)));
  const values = instances.flatMap((i) => i.results.map((r) => r.value));
  assert.equal(values.length, 15);
  assert.equal(new Set(values).size, 1, values.join());
  assert.match(values[0], /^fetched by \d$/);
  assert.equal(instances.reduce((n, i) => n + i.stats.leases, 0), 1, JSON.stringify(instances.map((i) => i.stats)));
  assert.equal(instances.reduce((n, i) => n + i.stats.hits, 0), 2, 'the two others read the leader\'s value from the store');
  for (const { stats } of instances) assert.equal(stats.errors + stats.timeouts + stats.skips, 0);
});
