import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { init, Bulkhead, BulkheadFullError, EdgeguardError, ConfigError } from '../../js/entry.node.js';
import { FakeTime, settle } from './resilience_fakes.js';

before(() => init());

function gate() {
  let open;
  const promise = new Promise((resolve) => { open = resolve; });
  return { promise, open };
}

test('runs maxConcurrent at once, queues maxQueue, refuses the rest', async () => {
  const b = new Bulkhead({ maxConcurrent: 2, maxQueue: 1 });
  const g = gate();
  let running = 0;
  let peak = 0;
  const task = async () => {
    running++;
    peak = Math.max(peak, running);
    await g.promise;
    running--;
    return 'done';
  };
  const calls = [b.execute(task), b.execute(task), b.execute(task)];
  await settle();
  assert.deepEqual(b.metrics(), { running: 2, queued: 1, available: 0, rejected: 0 });
  const error = await b.execute(task).catch((e) => e);
  assert.ok(error instanceof BulkheadFullError);
  assert.ok(error instanceof EdgeguardError);
  assert.equal(error.code, 'BULKHEAD_FULL');
  assert.equal(error.reason, 'full');
  g.open();
  assert.deepEqual(await Promise.all(calls), ['done', 'done', 'done']);
  assert.equal(peak, 2);
  assert.deepEqual(b.metrics(), { running: 0, queued: 0, available: 2, rejected: 1 });
});

test('queued calls start in FIFO order as slots free up', async () => {
  const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 10 });
  const order = [];
  const gates = [];
  const calls = [];
  for (let i = 0; i < 5; i++) {
    const g = gate();
    gates.push(g);
    calls.push(b.execute(async () => { order.push(i); await g.promise; }));
  }
  for (const g of gates) {
    await settle();
    g.open();
  }
  await Promise.all(calls);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
});

test('a queued call gives up after queueTimeoutMs; the others keep their places', async () => {
  const time = new FakeTime();
  const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 2, queueTimeoutMs: 100, timers: time.timers });
  const g = gate();
  const order = [];
  const first = b.execute(async () => { order.push('first'); await g.promise; });
  const second = b.execute(async () => order.push('second')).catch((e) => e);
  await time.advance(50);
  const third = b.execute(async () => order.push('third'));
  await time.advance(50);  // the second has waited 100 ms
  const error = await second;
  assert.ok(error instanceof BulkheadFullError);
  assert.equal(error.reason, 'queueTimeout');
  assert.equal(error.queueTimeoutMs, 100);
  assert.equal(b.metrics().queued, 1);
  g.open();
  await Promise.all([first, third]);
  assert.deepEqual(order, ['first', 'third']);
  assert.equal(time.pending, 0);  // the third's timer was cleared when it started
});

test('an aborted signal withdraws a queued call', async () => {
  const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
  const g = gate();
  const first = b.execute(() => g.promise);
  const controller = new AbortController();
  let ran = false;
  const queued = b.execute(async () => { ran = true; }, { signal: controller.signal }).catch((e) => e);
  await settle();
  controller.abort(new Error('not any more'));
  assert.equal((await queued).message, 'not any more');
  assert.equal(b.metrics().queued, 0);
  g.open();
  await first;
  assert.equal(ran, false);
  await assert.rejects(b.execute(async () => {}, { signal: controller.signal }), /not any more/);
});

test('a failing call frees its slot', async () => {
  const b = new Bulkhead({ maxConcurrent: 1 });
  await assert.rejects(b.execute(async () => { throw new Error('boom'); }), /boom/);
  await assert.rejects(b.execute(() => { throw new Error('sync boom'); }), /sync boom/);
  assert.equal(await b.execute(async () => 'next'), 'next');
  assert.equal(b.metrics().running, 0);
});

test('dispose rejects the waiting calls', async () => {
  const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
  const g = gate();
  const first = b.execute(() => g.promise);
  const queued = b.execute(async () => {}).catch((e) => e);
  await settle();
  b.dispose();
  assert.equal((await queued).code, 'DISPOSED');
  g.open();
  await first;
  await assert.rejects(b.execute(async () => {}), { code: 'DISPOSED' });
});

test('under seeded churn: never over maxConcurrent, FIFO starts, every call accounted for', async () => {
  let seed = 99;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const time = new FakeTime();
  const b = new Bulkhead({ maxConcurrent: 3, maxQueue: 5, queueTimeoutMs: 40, timers: time.timers });
  let running = 0;
  let peak = 0;
  const started = [];
  const outcomes = { ran: 0, full: 0, queueTimeout: 0 };
  const calls = [];
  for (let i = 0; i < 300; i++) {
    const work = Math.floor(random() * 30);
    calls.push(b.execute(() => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      return new Promise((resolve) => time.timers.setTimeout(() => { running--; resolve(); }, work));
    }).then(() => { outcomes.ran++; }, (e) => { outcomes[e.reason]++; }));
    await time.advance(Math.floor(random() * 8));
  }
  await time.advance(1000);
  await Promise.all(calls);
  assert.equal(peak, 3);
  assert.equal(outcomes.ran + outcomes.full + outcomes.queueTimeout, 300);
  assert.ok(outcomes.full > 0 && outcomes.queueTimeout > 0 && outcomes.ran > 100, JSON.stringify(outcomes));
  assert.deepEqual(started, [...started].sort((x, y) => x - y));  // calls start in arrival order
  assert.equal(b.metrics().rejected, outcomes.full);
  assert.deepEqual([b.metrics().running, b.metrics().queued, time.pending], [0, 0, 0]);
});

test('bad options and inputs are refused', async () => {
  for (const options of [{ maxConcurrent: 0 }, { maxConcurrent: 1.5 }, { maxQueue: -1 },
    { queueTimeoutMs: -5 }, { timers: { setTimeout() {} } }]) {
    assert.throws(() => new Bulkhead(options), (e) => e instanceof ConfigError, JSON.stringify(options));
  }
  await assert.rejects(new Bulkhead().execute(42), { code: 'INVALID_INPUT' });
});

test('a bad signal rejects before a slot or a place in the queue is taken', async () => {
  const time = new FakeTime();
  const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 100, timers: time.timers });
  let called = false;
  for (const signal of [{}, null, 3]) {
    await assert.rejects(b.execute(async () => { called = true; }, { signal }), { code: 'CONFIG_INVALID' });
  }
  assert.equal(called, false);
  assert.deepEqual(b.metrics(), { running: 0, queued: 0, available: 1, rejected: 0 });
  // A signal that refuses a listener gives its place in the queue back at once.
  const g = gate();
  const first = b.execute(() => g.promise);
  const refusing = { aborted: false, addEventListener() { throw new Error('no listeners'); }, removeEventListener() {} };
  await assert.rejects(b.execute(async () => { called = true; }, { signal: refusing }), /no listeners/);
  assert.equal(time.pending, 0);
  assert.equal(b.metrics().queued, 0);
  g.open();
  await first;
  assert.equal(called, false);
});
