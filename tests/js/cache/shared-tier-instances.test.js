// Three processes (three isolates, both client libraries) with a Cache over one redis-server or
// one 3-node Cluster, fetching from an HTTP backend process: what one fetched is a shared hit for
// the others; a hot key whose shared copy has expired costs the backend one call; a dead backend
// leaves the shared tier's copies served stale-if-error; a dead redis-server leaves memory
// answering, when stalled by the store's deadline; a tag invalidated on one is served by no
// instance once generationCheckMs has passed; a writer whose clock runs ahead has its copies
// served fresh for that much longer, no more. Each process runs on a fake clock (and fake
// timers) the test advances for all of them at once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Cache } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/index.js';
import { redisEngines } from '../../support/redis-fixture.js';
import { connect } from '../../support/redis-clients.js';
import { runInstances, startInstances } from '../../support/instances.js';
import { startBackend } from '../../e2e/backend.js';

const engines = redisEngines();
const INSTANCE = new URL('./instances/shared-cache.js', import.meta.url);
const START = 1_000_000;
const GENERATION_CHECK_MS = 1000;  // the default
let run = 0;

// What a child process needs to connect to `engine` (redis-clients.js's connect()).
function reach(engine) {
  if (engine.servers) return { servers: engine.servers.map((s) => ({ url: s.url })), rootNodes: engine.rootNodes };
  return { url: engine.url, host: engine.host, port: engine.port };
}

const brand = (id, version, generation = 1) => ({ id, name: `brand ${id}`, version, generation });

// The three processes, for every test.
let instances;
before(async () => {
  instances = await startInstances(INSTANCE, 3, {});
});
after(() => instances?.stop());

/**
 * The three instances opened over `engine`, with a new backend process, for `body(backend,
 * restarted)` (restarted(b): the backend is b now, to be killed at the end); then nothing left unhandled.
 */
async function withInstances(engine, options, body) {
  let backend = await startBackend();
  try {
    await instances.all('open', { engine: reach(engine), prefix: `i${run++}:`, backend: backend.url, now: START, ...options });
    await body(backend, (restarted) => { backend = restarted; });
    assert.deepEqual((await instances.all('unhandled')).flat(), []);
  } finally {
    await instances.all('close');
    await backend.kill();
  }
}

/** getOrFetch on instance `index`, then its writes behind (and lease release) awaited. */
async function fetched(index, key, options) {
  const result = await instances.step(index, 'fetch', key, options);
  await instances.step(index, 'flush');
  return result;
}

for (const topology of ['standalone', 'cluster']) {
  describe(topology, () => {
    test('a key fetched by one instance is a shared-tier hit for the two others, with its age: one backend call', async () => {
      await withInstances(engines[topology], {}, async (backend) => {
        const life = { ttlMs: 10_000 };
        assert.deepEqual(await fetched(0, 'b1', life), { value: brand('b1', 1), status: 'miss', ageMs: 0 });
        await instances.all('advance', 300);
        for (const i of [1, 2]) {
          assert.deepEqual(await fetched(i, 'b1', life), { value: brand('b1', 1), status: 'hit', ageMs: 300, shared: true });
        }
        // Copied into their memory: the next read there is a memory hit.
        assert.deepEqual(await instances.step(2, 'fetch', 'b1', life), { value: brand('b1', 1), status: 'hit', ageMs: 300 });
        assert.equal(await backend.calls(), 1);
        const stats = await instances.all('stats');
        assert.deepEqual(stats.map((s) => [s.fetches, s.shared.hits]), [[1, 0], [0, 1], [0, 1]]);
      });
    });

    // README: another instance's getOrFetch serves an invalidated entry from its memory at most
    // generationCheckMs after the invalidation reached the store, get() at most once more. The
    // bound of the log alone: pub/sub off, as when its message is lost (it evicts sooner:
    // tests/js/cache/invalidation-bus.test.js).
    test('a tag invalidated on one instance, its message lost: the others serve the old value from memory until generationCheckMs has passed, then none does', async () => {
      await withInstances(engines[topology], { cache: { sharedOptions: { pubsub: false } } }, async (backend) => {
        const life = { ttlMs: 60_000, tags: ['brands'] };
        await fetched(0, 'b1', life);
        for (const i of [1, 2]) assert.equal((await fetched(i, 'b1', life)).shared, true);
        // Every instance read the log at START (its first read): the latest a check can come is
        // generationCheckMs after an invalidation made at that very moment.
        await fetch(`${backend.url}/__version`, { method: 'POST' });
        assert.equal(await instances.step(0, 'invalidate', { tag: 'brands' }), 1);
        await instances.step(0, 'flush');
        assert.deepEqual(await fetched(0, 'b1', life), { value: brand('b1', 2), status: 'miss', ageMs: 0 });

        // Just before the bound the others have not read the log: their memory serves the old
        // value, as documented. Only reading the log can make the next assertions pass.
        await instances.all('advance', GENERATION_CHECK_MS - 1);
        assert.deepEqual(await instances.step(1, 'fetch', 'b1', life),
          { value: brand('b1', 1), status: 'hit', ageMs: GENERATION_CHECK_MS - 1 });
        assert.equal((await instances.step(2, 'get', 'b1')).value.version, 1);

        await instances.all('advance', 1);  // the bound
        // get() cannot wait for the check it starts: it serves the old value once more, then not.
        assert.equal((await instances.step(2, 'get', 'b1')).value.version, 1);
        await instances.step(2, 'flush');
        assert.equal(await instances.step(2, 'get', 'b1'), null);
        // One at a time: the others would wait on the first one's lease, on a clock that stands still.
        for (const i of [0, 1, 2]) assert.deepEqual((await fetched(i, 'b1', life)).value, brand('b1', 2), `instance ${i}`);
        const checks = (await instances.all('stats')).map((s) => s.shared.checks);
        assert.deepEqual(checks, [2, 2, 2]);
      });
    });
  });
}

test('backend killed: the two instances that hold a key only in the shared tier serve it stale-if-error within its window; restarted, it is fetched again', async () => {
  await withInstances(engines.standalone, {}, async (backend, restarted) => {
    const life = { ttlMs: 1000, staleIfErrorMs: 60_000 };
    await fetched(0, 'b1', life);
    await fetched(0, 'b2', { ttlMs: 1000, staleIfErrorMs: 2000 });
    await backend.kill();
    await instances.all('advance', 5000);  // both expired; b1 within its stale-if-error window, b2 past it
    for (const i of [1, 2]) {
      assert.deepEqual(await fetched(i, 'b1', life), { value: brand('b1', 1), status: 'stale-if-error', ageMs: 5000, shared: true });
      assert.match((await fetched(i, 'b2', life)).error, /ECONNREFUSED/);
    }
    const stats = await instances.all('stats');
    assert.deepEqual(stats.map((s) => [s.staleIfErrorHits, s.shared.staleIfErrorHits, s.fetchErrors]), [[0, 0, 0], [1, 1, 2], [1, 1, 2]]);

    const again = await startBackend({ port: backend.port });
    restarted(again);
    assert.deepEqual(await fetched(1, 'b1', life), { value: brand('b1', 1), status: 'miss', ageMs: 0 });
    assert.deepEqual(await fetched(2, 'b1', life), { value: brand('b1', 1), status: 'hit', ageMs: 0, shared: true });
    assert.equal(await again.calls(), 1);
  });
});

test('redis-server stalled, then killed: all three keep answering from memory and the backend within the store\'s deadline, no errors; restarted, the tier is back', async () => {
  const DEADLINE_MS = 50;
  const OPEN_MS = 1000;
  const store = { deadlineMs: DEADLINE_MS, breaker: { consecutiveFailures: 3, openMs: OPEN_MS, halfOpenCalls: 1 } };
  const engine = engines.standalone;
  await withInstances(engine, { store }, async () => {
    const life = { ttlMs: 10_000 };
    await fetched(0, 'b1', life);
    for (const i of [1, 2]) assert.equal((await fetched(i, 'b1', life)).shared, true);
    // Each instance is asked, then its clock moves past the store's deadline: whatever a store
    // call waits on is over. `inTime`: the answer came before the clock had moved on (a
    // backend fetch after a failed store call takes real time, and may come later).
    const within = (name, ...args) => Promise.all([0, 1, 2].map(async (i) => {
      let inTime = false;
      const answer = instances.step(i, name, ...args).then((r) => { inTime = true; return r; });
      await instances.step(i, 'advance', DEADLINE_MS);
      return { inTime, answer: await answer };
    }));
    const memoryAnswers = async (ageMs) => {
      for (const { inTime, answer } of await within('fetch', 'b1', life)) {
        assert.deepEqual(answer, { value: brand('b1', 1), status: 'hit', ageMs });
        assert.ok(inTime, 'memory answered by the deadline of the log\'s read');
      }
    };
    // Stalled first (SIGSTOP: the clients' connections stay open, nothing answers): only the
    // deadline ends the log's read.
    engine.server.pause();
    try {
      await instances.all('advance', GENERATION_CHECK_MS);  // the log is due
      await memoryAnswers(GENERATION_CHECK_MS + DEADLINE_MS);  // when the deadline ends its read
    } finally {
      engine.server.resume();
    }
    await engine.server.kill();
    try {
      await instances.all('disconnected');
      await instances.all('advance', GENERATION_CHECK_MS);  // due again: its read is refused
      await memoryAnswers(2 * GENERATION_CHECK_MS + DEADLINE_MS);  // at once
      for (const { answer } of await within('fetch', 'b3', life)) assert.deepEqual(answer, { value: brand('b3', 1), status: 'miss', ageMs: 0 });
      await within('flush');  // the writes behind fail
      for (const s of await instances.all('stats')) {
        assert.equal(s.fetchErrors, 0);
        assert.equal(s.shared.timeouts, 1, JSON.stringify(s.shared));  // the stalled log read
        assert.ok(s.shared.errors + s.shared.skips >= 2, JSON.stringify(s.shared));  // the log read and the write once killed
      }
    } finally {
      await engine.server.start();
    }
    await instances.all('ready');
    await instances.all('advance', OPEN_MS);  // each store's breaker lets a probe through
    assert.deepEqual(await fetched(0, 'b4', life), { value: brand('b4', 1), status: 'miss', ageMs: 0 });
    assert.deepEqual(await fetched(1, 'b4', life), { value: brand('b4', 1), status: 'hit', ageMs: 0, shared: true });
  });
});

// README: freshness of a shared copy is computed from its writer's clock; a writer S ahead makes
// its copies look S younger to the others: served fresh for at most ttl + S, and not longer.
test('clocks that disagree: a copy written by an instance 10 s ahead is dated by the store\'s clock too, so the others serve it fresh at most 1 s past its ttl, not 10 s', async () => {
  const prefix = `i${run}:`;
  const conn = await connect('ioredis', engines.standalone);
  // The store's clock cannot be moved: time passing there is the copy's TTL shortened as much.
  const storeAdvance = async (key, ms) => {
    const name = `${prefix}{cache:${key}}:v`;
    const left = Number(await conn.client.pttl(name));
    assert.ok(left > ms, `${name}: ${left} ms left`);
    await conn.client.pexpire(name, left - ms);
  };
  try {
    await withInstances(engines.standalone, { skewMs: [10_000, 0, 0] }, async (backend) => {
      // staleIfErrorMs keeps the copy in the store past its ttl.
      const life = { ttlMs: 1000, staleIfErrorMs: 60_000 };
      await fetched(0, 'b1', life);
      await instances.all('advance', 1500);
      await storeAdvance('b1', 1500);
      // 1.5 s in the store (and the few ms the test took), less the 1 s of slack for latency.
      const served = await fetched(1, 'b1', life);
      assert.deepEqual({ ...served, ageMs: undefined }, { value: brand('b1', 1), status: 'hit', ageMs: undefined, shared: true });
      assert.ok(served.ageMs >= 500 && served.ageMs < 1000, String(served.ageMs));
      await instances.all('advance', 1000);
      await storeAdvance('b1', 1000);
      // 2.5 s in the store: past its ttl and the slack, where its writer's clock says -7.5 s.
      assert.deepEqual(await fetched(2, 'b1', life), { value: brand('b1', 1), status: 'miss', ageMs: 0 });
      assert.equal(await backend.calls(), 2);
    });
  } finally {
    await conn.close();
  }
});

test('3 instances x 5 callers on an expired hot key: one backend call, 15 answers with its value', async () => {
  const engine = engines.standalone;
  const prefix = 'hot:';
  // The store holds an expired copy (kept for stale-if-error only): nobody may serve it as it is.
  const conn = await connect('ioredis', engine);
  const written = [];
  const old = new Cache({ maxEntries: 1, shared: new RedisStore(conn.client, { prefix, deadlineMs: 2000 }), waitUntil: (p) => written.push(p) });
  old.set('product:1', 'old', { ttlMs: 1000, ageMs: 5000, staleIfErrorMs: 60000 });
  await Promise.all(written);
  old.dispose();
  await conn.close();

  const input = { engine: reach(engine), prefix, key: 'product:1', callers: 5, backendMs: 200, counter: 'backend-calls' };
  const instances = await runInstances(new URL('./instances/hot-key.js', import.meta.url), 3, input);
  const calls = Number((await engine.server.command('GET', 'backend-calls')).split('\r\n')[1]);
  assert.equal(calls, 1, JSON.stringify(instances.map((i) => i.stats)));
  const values = instances.flatMap((i) => i.results.map((r) => r.value));
  assert.equal(values.length, 15);
  assert.equal(new Set(values).size, 1, values.join());
  assert.match(values[0], /^fetched by \d$/);
  // A waiter may take the lease the leader just gave back and then find its value without
  // fetching: one backend call (above) is the rule; leases are at least the leader's.
  assert.ok(instances.reduce((n, i) => n + i.stats.leases, 0) >= 1, JSON.stringify(instances.map((i) => i.stats)));
  assert.equal(instances.reduce((n, i) => n + i.stats.hits, 0), 2, 'the two others read the leader\'s value from the store');
  for (const { stats } of instances) assert.equal(stats.errors + stats.timeouts + stats.skips, 0);
});
