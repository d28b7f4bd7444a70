// The shared breaker's scripts: the Lua that Redis runs and the `run` that engines without Lua
// run give the same replies, step by step, on a real redis-server and on a 3-node Cluster (where
// both keys of a breaker share one slot); every key they write expires.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { slotText } from '../../../js/store/store-key.js';
import { reportScript, trialScript } from '../../../js/shared/breaker-scripts.js';
import { startRedis, startRedisCluster } from '../../support/redis-engines.js';
import { connect } from '../../support/redis-clients.js';
import { MapState } from '../../support/script-fixture.js';

before(() => init());

const WINDOW = 10000;
const LEASE = 5000;

// [script, keys (by name), args]: a story of four instances through trips, a lease, its
// expiry, results and late askers; each step's reply is compared between the two engines.
function steps(opens, trial) {
  const report = (id, tripped, now) => [reportScript, [opens, trial], [id, tripped, now, WINDOW, 3]];
  const lease = (id, now, since) => [trialScript, [trial], ['lease', id, now, since, LEASE, LEASE + WINDOW]];
  const end = (id, now, result) => [trialScript, [trial], ['end', id, now, result, LEASE, LEASE + WINDOW]];
  return [
    report('a', '', 0),
    report('a', 0, 0),         // tripped at time 0: a report
    report('a', 100, 100),
    report('b', 150, 200),
    report('c', '', 300),
    report('a', 100, 300),     // the same instance twice is one report
    report('c', '', 10099),    // a's report leaves the window at 10100
    report('c', '', 10100),
    report('b', '', 10120),    // b closed: its report goes
    report('d', 50, 10200),    // a report older than its window is not written
    lease('a', 11000, 100),
    lease('b', 11001, 150),    // a holds it
    lease('a', 11500, 100),    // renewed by its holder
    lease('b', 16500, 150),    // a's lease ran out: b takes it
    end('a', 16600, 'passed'), // a is no longer the owner
    end('b', 16700, 'failed'),
    report('c', '', 16800),    // the result in the view
    lease('c', 16900, 300),    // decided after c opened: adopt
    lease('b', 16900, 16700),  // b opened when it ended them: a new lease
    end('b', 17000, ''),       // released without a verdict
    lease('d', 17100, 17050),  // free again
    end('d', 17200, 'passed'),
    lease('a', 17300, 100),
    report('a', 17250, 17300),
  ];
}

async function compare(store, tag) {
  const state = new MapState();
  const opens = store.key(tag, 'opens');
  const trial = store.key(tag, 'trial');
  const replies = [];
  for (const [script, keys, args] of steps(opens, trial)) {
    const redis = await store.evalScript(script, keys, args);
    const run = script.run(state, keys, args);
    assert.deepEqual(run, redis, `${script.name} ${args.join(' ')}`);
    replies.push(redis);
  }
  return { replies, state, opens, trial };
}

describe('standalone', () => {
  let engine;
  let conn;
  before(async () => {
    engine = await startRedis();
    conn = await connect('node-redis', engine);
  });
  after(async () => {
    await conn?.close();
    await engine?.stop();
  });

  test('Lua and run agree on every step, and the replies are the protocol', async () => {
    const store = new RedisStore(conn.client, { deadlineMs: 5000 });
    const { replies, state, opens, trial } = await compare(store, 'breaker:scripts');
    assert.deepEqual(replies.slice(0, 10).map((r) => r[0]), [0, 1, 1, 2, 2, 2, 2, 1, 0, 0]);
    assert.deepEqual(replies.slice(10, 16), [[1, '', 16000], [0, '', 11000], [1, '', 16500], [1, '', 21500],
      [0, '', 16500], [1, 'failed', 16700]]);
    assert.deepEqual(replies[16], [0, 'failed', 16700]);
    assert.deepEqual(replies[17], [2, 'failed', 16700]);
    assert.equal(replies[18][0], 1);
    assert.deepEqual(replies[23], [1, 'passed', 17200]);
    // Every key expires: Redis's TTLs and run's are the ones the script set.
    const pttl = async (key) => Number((await engine.server.command('PTTL', key)).slice(1));
    assert.ok(await pttl(opens) > 0 && await pttl(opens) <= WINDOW);
    assert.ok(await pttl(trial) > 0 && await pttl(trial) <= LEASE + WINDOW);
    assert.deepEqual([state.ttls.get(opens), state.ttls.get(trial)], [WINDOW, LEASE + WINDOW]);
  });
});

test('the opens hash keeps only the newest `keep` reports: a fleet tripping at once stays that small, and still counts to the quorum', async () => {
  const engine = await startRedis();
  const conn = await connect('ioredis', engine);
  try {
    const store = new RedisStore(conn.client, { deadlineMs: 5000 });
    const state = new MapState();
    const opens = store.key('breaker:fleet', 'opens');
    const keys = [opens, store.key('breaker:fleet', 'trial')];
    for (let i = 0; i < 200; i++) {
      const args = [`i${String(i).padStart(3, '0')}`, 1000 + (i % 50), 1100, WINDOW, 3];
      const redis = await store.evalScript(reportScript, keys, args);
      assert.deepEqual(reportScript.run(state, keys, args), redis, args.join(' '));
      assert.equal(redis[0], Math.min(i + 1, 3));
    }
    const kept = await conn.client.hgetall(opens);
    assert.deepEqual(Object.keys(kept).sort(), ['i049', 'i099', 'i149']);
    assert.deepEqual(new Map(state.get(opens)), new Map(Object.entries(kept).map(([id, at]) => [id, Number(at)])));
  } finally {
    await conn.close();
    await engine.stop();
  }
});

describe('cluster', () => {
  let cluster;
  let conn;
  before(async () => {
    cluster = await startRedisCluster();
    conn = await connect('ioredis', cluster);
  });
  after(async () => {
    await conn?.close();
    await cluster?.stop();
  });

  test('a breaker\'s keys share one slot: both scripts run on the Cluster, and agree with run', async () => {
    const store = new RedisStore(conn.client, { deadlineMs: 5000 });
    const { opens, trial } = await compare(store, 'breaker:payments');
    assert.equal(slotText(opens), 'breaker:payments');
    assert.equal(slotText(trial), slotText(opens));
  });
});
