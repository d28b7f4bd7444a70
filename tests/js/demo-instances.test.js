// The demo's two instances over a real redis-server (and without one): what the page's panel
// relies on, here without a browser. The instances run on a clock this file moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../../js/entry.node.js';
import { demoBackendForFile } from '../support/demo-backend.js';
import { startDemoInstances, SHARED_LIMIT } from '../../scripts/demo-instances.js';

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));
const backend = demoBackendForFile();
let now = Date.now();
const clock = () => now;

before(() => init());
after(() => assert.deepEqual(unhandled, []));

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('without redis-server the instances say the store is unavailable, and why', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  let instances;
  try {
    instances = await startDemoInstances({ backendUrl: backend.url, clock });
  } finally {
    process.env.PATH = path;
  }
  assert.equal(instances.available, false);
  assert.deepEqual(instances.state(), { store: 'unavailable', reason: 'redis-server is not installed (scripts/setup.sh installs it)' });
  assert.throws(() => instances.get('a', 1), /the store is unavailable/);
  await instances.close();
});

test('one limit and one shared tier for both; a stalled store leaves memory answering; close() ends the stalled redis-server', async () => {
  const instances = await startDemoInstances({ backendUrl: backend.url, clock });
  const { pid } = instances.redis;
  try {
    const a1 = await instances.get('a', 1);
    const b1 = await instances.get('b', 1);
    assert.deepEqual([a1.source, a1.remaining, b1.source, b1.remaining], ['backend', SHARED_LIMIT.limit - 1, 'shared', SHARED_LIMIT.limit - 2]);
    instances.setStore(true);
    assert.equal(instances.state().store, 'down');
    const during = [await instances.get('a', 1), await instances.get('b', 1), await instances.get('b', 2)];
    assert.deepEqual(during.map((r) => [r.status, r.source]), [[200, 'memory'], [200, 'memory'], [200, 'backend']]);
    const { shared } = instances.state().instances.b;
    assert.ok(shared.timeouts + shared.skips > 0, JSON.stringify(shared));
    assert.ok(alive(pid));
  } finally {
    await instances.close();
  }
  assert.equal(alive(pid), false);
});
