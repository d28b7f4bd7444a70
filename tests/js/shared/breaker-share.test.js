// Four instances of one breaker, each with its own client (node-redis and ioredis in turn) and
// RedisStore, sharing state through a real redis-server. The breakers and the stores' deadlines
// run on one fake clock; the server answers in real time, and every background store call is
// collected through the `waitUntil` hook and awaited before the next step.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { init, CircuitBreaker, BrokenCircuitError, ConfigError } from '../../../js/entry.node.js';
import { RedisStore } from '../../../js/store/redis-store.js';
import { startRedis, startRedisCluster } from '../../support/redis-engines.js';
import { connect } from '../../support/redis-clients.js';
import { FakeTime } from '../resilience_fakes.js';

const INTERVAL = 1000;
const OPEN_MS = 10000;
const DEADLINE_MS = 50;
const HALF_OPEN_CALLS = 2;
const STEP = DEADLINE_MS / 2;

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));

let engine;
let conns = [];
before(async () => {
  await init();
  engine = await startRedis();
  conns = await Promise.all([0, 1, 2, 3].map((i) => connect(i % 2 === 0 ? 'node-redis' : 'ioredis', engine)));
});
after(async () => {
  await Promise.all(conns.map((c) => c.close()));
  await engine?.stop();
  assert.deepEqual(unhandled, []);
});

const ok = () => 'ok';
const down = () => { throw new Error('backend down'); };

/** Four breakers named `name` on `time`; `drain()` awaits their background store calls. */
function fleet(time, name, share = {}, clients = conns) {
  const pending = [];
  const stores = clients.map((conn) => new RedisStore(conn.client, {
    deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers, breaker: { consecutiveFailures: 3, openMs: 1000 },
  }));
  const make = (store, extra = {}) => new CircuitBreaker({
    consecutiveFailures: 3, minimumCalls: 100, openMs: OPEN_MS, halfOpenCalls: HALF_OPEN_CALLS,
    clock: time.clock, timers: time.timers, store,
    share: { name, quorum: 2, publishIntervalMs: INTERVAL, waitUntil: (p) => pending.push(p), ...share, ...extra },
  });
  const breakers = stores.map((store) => make(store));
  const events = breakers.map((b) => {
    const list = [];
    b.on('stateChange', ({ from, to, reason }) => list.push(`${from}->${to}:${reason}`));
    return list;
  });
  return {
    stores,
    breakers,
    events,
    states: () => breakers.map((b) => b.state),
    shared: (i) => breakers[i].metrics().shared,
    // Background calls settle on the server's answer, or (server gone) at their fake deadline.
    async drain(deadlines = false) {
      while (pending.length) {
        const call = pending.shift();
        if (deadlines) {
          let settled = false;
          call.then(() => { settled = true; });
          while (!settled) await time.advance(DEADLINE_MS);
        }
        await call;
      }
    },
    /**
     * Lets `ms` pass in steps shorter than a store deadline, draining after each: a call a timer
     * starts within a step gets its (real) answer before its (fake) deadline can pass.
     */
    async step(ms, deadlines = false) {
      for (let t = 0; t < ms; t += STEP) {
        await time.advance(Math.min(STEP, ms - t));
        await this.drain(deadlines);
      }
    },
    /** Instance `i` stops and starts again (a new breaker on its store), with `extra` share options. */
    restart(i, extra) {
      breakers[i].dispose();
      breakers[i] = make(stores[i], extra);
      return breakers[i];
    },
    dispose: () => breakers.forEach((b) => b.dispose()),
  };
}

async function trip(breaker) {
  for (let i = 0; i < 3; i++) await breaker.execute(down).catch(() => {});
  assert.equal(breaker.state, 'open');
}

/** Every instance makes `n` calls at once; resolves with how many reached the backend. */
async function burst(breakers, n, backend) {
  let reached = 0;
  const calls = breakers.flatMap((b) => Array.from({ length: n }, () => b.execute(() => {
    reached++;
    return backend();
  })));
  const outcomes = await Promise.allSettled(calls);
  for (const o of outcomes) {
    if (o.status === 'rejected' && !(o.reason instanceof BrokenCircuitError)) assert.equal(o.reason.message, 'backend down');
  }
  return reached;
}

/** Two instances trip on their own; the other two open by quorum one interval later. */
async function twoTrip(time, f) {
  await burst(f.breakers, 1, ok);
  await f.drain();
  await trip(f.breakers[0]);
  await trip(f.breakers[1]);
  await f.drain();
  assert.deepEqual(f.states(), ['open', 'open', 'closed', 'closed']);
  await f.step(INTERVAL);
}

describe('quorum', () => {
  test('backend failing, quorum 2: two instances trip and the other two open within one publish interval', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'quorum-open');
    await twoTrip(time, f);
    assert.deepEqual(f.states(), ['open', 'open', 'open', 'open']);
    assert.deepEqual(f.events[2], ['closed->open:quorum']);
    assert.deepEqual(f.events[0], ['closed->open:consecutiveFailures']);
    assert.equal(f.shared(3).openReports, 2, 'quorum-opened instances do not report: only what each saw');
    assert.equal(f.shared(3).reachable, true);
    await assert.rejects(f.breakers[3].execute(ok), BrokenCircuitError);
    // Opened as if tripped: half-open after openMs, like any trip.
    assert.equal(f.breakers[3].metrics().retryAfterMs, OPEN_MS);
    f.dispose();
  });

  test('quorum 2: one failing instance does not open the others, however long it reports', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'quorum-single');
    await burst(f.breakers, 1, ok);
    await f.drain();
    await trip(f.breakers[0]);
    await f.drain();
    for (let i = 0; i < 5; i++) {
      await f.step(INTERVAL);
      await burst(f.breakers.slice(1), 1, ok);
      await f.drain();
    }
    assert.deepEqual(f.states(), ['open', 'closed', 'closed', 'closed']);
    assert.equal(f.shared(2).openReports, 1);
    f.dispose();
  });

  for (const instanceId of [undefined, 'pod-0']) {
    test(`an instance that restarts and trips again within the window, ${instanceId ? 'under the same share.instanceId: still one report' : 'with a new random id: counts again'}`, async () => {
      const time = new FakeTime();
      const f = fleet(time, `restart-${instanceId ?? 'random'}`);
      f.restart(0, { instanceId });
      await burst(f.breakers, 1, ok);
      await f.drain();
      await trip(f.breakers[0]);
      await f.drain();
      const restarted = f.restart(0, { instanceId });
      await burst([restarted], 1, ok);
      await f.drain();
      await trip(restarted);
      await f.drain();
      await f.step(INTERVAL);
      await burst(f.breakers.slice(1), 1, ok).catch(() => {});
      await f.drain();
      assert.equal(f.shared(2).openReports, instanceId ? 1 : 2);
      assert.deepEqual(f.states().slice(1), instanceId ? ['closed', 'closed', 'closed'] : ['open', 'open', 'open']);
      if (instanceId) assert.equal(restarted.metrics().shared.instanceId, instanceId);
      f.dispose();
    });
  }

  test('calls are counted locally: 4000 calls over two intervals cost each instance 2 store calls', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'local');
    await burst(f.breakers, 500, ok);
    await f.drain();
    await f.step(INTERVAL);
    await burst(f.breakers, 500, ok);
    await f.drain();
    for (let i = 0; i < 4; i++) assert.equal(f.shared(i).storeCalls, 2, 'the first view, and one per interval');
    f.dispose();
  });

  test('a report counts for its window only', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'quorum-window', { windowMs: 3000 });
    await burst(f.breakers, 1, ok);
    await f.drain();
    await trip(f.breakers[0]);
    await f.drain();
    await f.step(3000);
    await trip(f.breakers[1]);  // the first report has left the window
    await f.drain();
    await f.step(INTERVAL);
    await burst(f.breakers.slice(2), 1, ok);
    await f.drain();
    assert.deepEqual(f.states().slice(2), ['closed', 'closed']);
    assert.equal(f.shared(2).openReports, 1);
    f.dispose();
  });
});

describe('on a 3-node Redis Cluster', () => {
  let cluster;
  let clients = [];
  before(async () => {
    cluster = await startRedisCluster();
    clients = await Promise.all([0, 1, 2, 3].map((i) => connect(i % 2 === 0 ? 'node-redis' : 'ioredis', cluster)));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster?.stop();
  });

  test('quorum and trial leases work unchanged: a breaker\'s keys are in one slot', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'cluster', {}, clients);
    await twoTrip(time, f);
    assert.deepEqual(f.states(), ['open', 'open', 'open', 'open']);
    await f.step(OPEN_MS);
    const trials = await burst(f.breakers, 5, ok);
    assert.ok(trials >= 1 && trials <= HALF_OPEN_CALLS, `trial calls across instances: ${trials}`);
    await f.drain();
    await f.step(INTERVAL);
    assert.deepEqual(f.states(), ['closed', 'closed', 'closed', 'closed']);
    f.dispose();
  });
});

describe('half-open trials', () => {
  test('all instances together send at most halfOpenCalls trials; the others adopt the verdict, failed then passed', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'trials');
    await twoTrip(time, f);
    // 0 and 1 opened at 0, 2 and 3 at 1000: all half-open at 11000.
    await f.step(OPEN_MS);
    assert.deepEqual(f.states(), ['halfOpen', 'halfOpen', 'halfOpen', 'halfOpen']);
    const failing = await burst(f.breakers, 5, down);
    assert.ok(failing >= 1 && failing <= HALF_OPEN_CALLS, `trial calls across instances: ${failing}`);
    await f.drain();
    const owner = f.events.findIndex((e) => e.at(-1) === 'halfOpen->open:failureRate');
    assert.ok(owner >= 0, `one instance ran the trials: ${f.events}`);
    await f.step(INTERVAL);
    assert.deepEqual(f.states(), ['open', 'open', 'open', 'open']);
    for (let i = 0; i < 4; i++) if (i !== owner) assert.equal(f.events[i].at(-1), 'halfOpen->open:sharedTrials');

    // The owner half-opens at 21000, the others at 22000: the backend is back.
    await f.step(OPEN_MS);
    assert.deepEqual(f.states(), ['halfOpen', 'halfOpen', 'halfOpen', 'halfOpen']);
    const refused = [];
    f.breakers.forEach((b, i) => b.on('callNotPermitted', ({ state }) => refused.push(`${i}:${state}`)));
    const notPermitted = () => f.breakers.reduce((n, b) => n + b.metrics().notPermittedCalls, 0);
    const before = notPermitted();
    const passing = await burst(f.breakers, 5, ok);
    assert.equal(refused.length, 20 - passing, 'every call not let through is told');
    assert.equal(notPermitted() - before, 20 - passing, 'and counted');
    assert.ok(passing >= 1 && passing <= HALF_OPEN_CALLS, `trial calls across instances: ${passing}`);
    await f.drain();
    await f.step(INTERVAL);
    assert.deepEqual(f.states(), ['closed', 'closed', 'closed', 'closed']);
    assert.equal(f.events.filter((e) => e.at(-1) === 'halfOpen->closed:trialsPassed').length, 1);
    assert.equal(f.events.filter((e) => e.at(-1) === 'halfOpen->closed:sharedTrials').length, 3);
    assert.equal(await burst(f.breakers, 2, ok), 8, 'closed everywhere, and not re-opened by old reports');
    f.dispose();
  });

  test('tryAcquire in half-open: 0 until the lease is held, then the holder\'s own trial permits', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'trials-try');
    await twoTrip(time, f);
    await f.step(OPEN_MS);
    const [a, b] = f.breakers;
    assert.equal(a.tryAcquire(), 0, 'asks for the lease in the background');
    await f.drain();
    const permits = [a.tryAcquire(), a.tryAcquire(), a.tryAcquire()];
    assert.deepEqual(permits.map((p) => p > 0), [true, true, false]);
    assert.equal(b.tryAcquire(), 0);
    await f.drain();
    assert.equal(b.tryAcquire(), 0, 'another instance holds the lease');
    assert.ok(f.shared(0).trialLeaseUntil > time.now);
    const calls = f.shared(1).storeCalls;
    for (let i = 0; i < 10; i++) await assert.rejects(b.execute(ok), BrokenCircuitError);
    await f.drain();
    assert.equal(f.shared(1).storeCalls, calls, 'refused half-open calls cost no round trip each while another holds the lease');
    a.onSuccess(0, permits[0]);
    a.onSuccess(0, permits[1]);
    await f.drain();
    await f.step(INTERVAL);
    assert.equal(b.state, 'closed');
    f.dispose();
  });
});

describe('store down', () => {
  test('killed mid-traffic: each instance is its own breaker within the deadline, nothing rejects unhandled; restarted: sharing resumes', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'down');
    const seen = [];
    f.breakers[3].on('sharedView', ({ reachable }) => seen.push(reachable));
    await burst(f.breakers, 2, ok);
    await f.drain();
    await engine.server.kill();
    // Traffic goes on: answered locally, calls never wait on the store.
    assert.equal(await burst(f.breakers, 3, ok), 12);
    await trip(f.breakers[0]);
    await trip(f.breakers[1]);
    await f.drain(true);
    await f.step(INTERVAL, true);
    assert.equal(await burst(f.breakers.slice(2), 3, ok), 6, 'no quorum seen: the others stay closed');
    await f.drain(true);
    assert.deepEqual(f.states(), ['open', 'open', 'closed', 'closed']);
    for (let i = 0; i < 4; i++) {
      assert.equal(f.shared(i).reachable, false);
      assert.ok(['STORE_UNAVAILABLE', 'STORE_TIMEOUT'].includes(f.shared(i).lastError), f.shared(i).lastError);
    }
    // Half-open with the store gone: the local halfOpenCalls, unleased, each call settled by its deadline.
    await f.step(OPEN_MS, true);
    const outcomes = [];
    const trials = [0, 1, 2].map((i) => f.breakers[0].execute(ok)
      .then(() => { outcomes[i] = 'ok'; }, (error) => { outcomes[i] = error.code; }));
    await time.advance(DEADLINE_MS);
    assert.deepEqual(outcomes, ['ok', 'ok', 'CIRCUIT_OPEN']);
    await Promise.all(trials);
    assert.equal(f.breakers[0].state, 'closed', 'its own trials decided');
    assert.equal(f.shared(0).fallbackTrials, 1, 'one lease request, shared by the waiting trials');
    await Promise.all([f.breakers[1].execute(ok), f.breakers[1].execute(ok)]);
    await f.drain(true);
    assert.deepEqual(f.states(), ['closed', 'closed', 'closed', 'closed']);

    await engine.server.start();
    await Promise.all(conns.map((c) => c.ready()));
    await f.step(1000);  // the stores' breakers half-open
    await burst(f.breakers, 1, ok);
    await f.drain();
    await f.step(INTERVAL);
    await burst(f.breakers, 1, ok);
    await f.drain();
    assert.ok([0, 1, 2, 3].every((i) => f.shared(i).reachable), `reachable again: ${JSON.stringify([0, 1, 2, 3].map((i) => [f.shared(i), f.stores[i].stats(), f.stores[i].breaker.metrics(), time.now]))}`);
    // Sharing resumed: 2 and 3 trip, 0 and 1 open by quorum within one interval.
    await trip(f.breakers[2]);
    await trip(f.breakers[3]);
    await f.drain();
    await f.step(INTERVAL);
    assert.deepEqual(f.states(), ['open', 'open', 'open', 'open']);
    assert.equal(f.shared(0).openReports, 2);
    assert.equal(f.events[0].at(-1), 'closed->open:quorum');
    assert.deepEqual(seen.filter((r, i) => r !== seen[i - 1]), [true, false, true], 'sharedView events say when the store comes and goes');
    f.dispose();
  });

  test('a stalled store (SIGSTOP): a half-open trial waits at most the deadline for its lease, then runs unleased', async () => {
    const time = new FakeTime();
    const f = fleet(time, 'stalled');
    await burst(f.breakers, 1, ok);
    await f.drain();
    await trip(f.breakers[0]);
    await f.drain();
    await f.step(OPEN_MS);
    assert.equal(f.breakers[0].state, 'halfOpen');
    engine.server.pause();
    try {
      let outcome;
      const call = f.breakers[0].execute(ok).then((v) => { outcome = v; }, (e) => { outcome = e.code; });
      await time.advance(DEADLINE_MS - 1);
      assert.equal(outcome, undefined, 'waiting for the lease');
      await time.advance(1);
      assert.equal(outcome, 'ok');
      await call;
      assert.equal(f.shared(0).lastError, 'STORE_TIMEOUT');
      assert.equal(f.shared(0).fallbackTrials, 1);
    } finally {
      engine.server.resume();
    }
    await f.drain();
    f.dispose();
  });
});

test('bad share options throw ConfigError before anything is armed', () => {
  const time = new FakeTime();
  const store = new RedisStore(conns[0].client, { clock: time.clock, timers: time.timers });
  const bad = [
    { store }, { share: { name: 'x' } }, { store: {}, share: { name: 'x' } },
    { store, share: { name: '' } }, { store, share: { name: 'a b' } }, { store, share: {} },
    { store, share: { name: 'x', quorum: 0 } }, { store, share: { name: 'x', publishIntervalMs: 0.5 } },
    { store, share: { name: 'x', waitUntil: 1 } }, { store, share: { name: 'x', deadlineMs: -1 } },
    { store, share: { name: 'x', instanceId: '' } }, { store, share: { name: 'x', instanceId: 7 } },
  ];
  for (const options of bad) {
    assert.throws(() => new CircuitBreaker({ ...options, clock: time.clock, timers: time.timers }),
      (e) => e instanceof ConfigError && e.code === 'CONFIG_INVALID', JSON.stringify(Object.keys(options)));
  }
  assert.equal(time.pending, 0);
});

test('a clock turned invalid under a timer or a store answer is counted, never thrown nor left as a rejection', async () => {
  const time = new FakeTime();
  let bad = false;
  const clock = () => (bad ? NaN : time.now);
  const breaker = new CircuitBreaker({
    consecutiveFailures: 3, clock, timers: time.timers,
    store: new RedisStore(conns[0].client, { clock: time.clock, timers: time.timers }),
    share: { name: 'bad-clock', publishIntervalMs: INTERVAL },
  });
  assert.equal(await breaker.execute(ok), 'ok');
  bad = true;
  await time.advance(INTERVAL);  // the timer's refresh reads the clock
  bad = false;
  assert.equal(breaker.metrics().shared.lastError, 'CLOCK_INVALID');
  assert.equal(await breaker.execute(ok), 'ok');
  breaker.dispose();
});

test('store calls that never settle (a runtime dropped them) hold the view and the trial lease back only until they are stale', async () => {
  const time = new FakeTime();
  time.now = 1000;
  const real = new RedisStore(conns[0].client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
  let dropped = 0;
  // An injected fault: the first report and the first lease ask never settle, as workerd drops
  // what a finished request left running.
  const seen = new Set();
  const store = {
    key: (t, n) => real.key(t, n), stats: () => real.stats(),
    evalScript: (script, keys, args, options) => {
      if (!seen.has(script.name)) {
        seen.add(script.name);
        dropped++;
        return new Promise(() => {});
      }
      return real.evalScript(script, keys, args, options);
    },
  };
  const pending = [];
  const breaker = new CircuitBreaker({
    consecutiveFailures: 1, minimumCalls: 100, openMs: OPEN_MS, halfOpenCalls: 1, clock: time.clock, timers: time.timers, store,
    share: { name: `dropped-${Date.now()}`, quorum: 2, publishIntervalMs: INTERVAL, deadlineMs: DEADLINE_MS, waitUntil: (p) => pending.push(p) },
  });
  try {
    await breaker.execute(ok);
    assert.equal(dropped, 1, 'the first report hangs');
    time.now += INTERVAL;
    await breaker.execute(ok);
    await Promise.all(pending.slice(1));
    assert.equal(breaker.metrics().shared.viewAt, time.now, 'a stale report no longer holds the next back');
    await assert.rejects(breaker.execute(down));
    await time.advance(OPEN_MS);
    assert.equal(breaker.state, 'halfOpen');
    let trial;
    breaker.execute(ok).then((v) => { trial = v; }, (e) => { trial = e; });
    await time.advance(DEADLINE_MS + 1);
    assert.equal(dropped, 2, 'the first lease ask hangs');
    assert.equal(trial, 'ok', 'the trial waiting on it ran, unleased, at the deadline');
    assert.equal(breaker.metrics().shared.fallbackTrials, 1);
  } finally {
    breaker.dispose();
  }
});

test('a user store that never answers (an injected fault): its calls end at the deadline, so tryAcquire lets half-open trials through', async () => {
  const time = new FakeTime();
  time.now = 1000;
  let calls = 0;
  const store = { key: (t, n) => `${t}:${n}`, stats: () => ({}), evalScript: () => { calls++; return new Promise(() => {}); } };
  const breaker = new CircuitBreaker({
    consecutiveFailures: 1, minimumCalls: 1, openMs: OPEN_MS, halfOpenCalls: 1, clock: time.clock, timers: time.timers, store,
    share: { name: `hung-${Date.now()}`, publishIntervalMs: INTERVAL, deadlineMs: DEADLINE_MS },
  });
  try {
    breaker.onFailure(0, breaker.tryAcquire());
    await time.advance(OPEN_MS);
    let granted = 0;
    for (let i = 0; i < 5 && granted === 0; i++) {
      if (breaker.tryAcquire() > 0) granted++;
      await time.advance(DEADLINE_MS + 1);
    }
    assert.ok(calls > 0);
    assert.equal(granted, 1, 'a trial went ahead unleased once the store call passed its deadline');
    assert.equal(breaker.metrics().shared.reachable, false);
  } finally {
    breaker.dispose();
  }
});

test('a store replying garbage (an injected fault) is a failing store: local trials, no verdict read, nothing rejects unhandled', async () => {
  const time = new FakeTime();
  time.now = 1000;
  const seen = [];
  const listener = (error) => seen.push(error);
  process.on('unhandledRejection', listener);
  // 'passed' at a NaN time: read as a verdict, it closed the circuit.
  const replies = [null, 7, ['x'], [2, 'passed', 'never'], [true, '', 0], [null, 'passed', null], [[], 'passed', '']];
  for (const reply of replies) {
    const store = { key: (t, n) => `${t}:${n}`, stats: () => ({}), evalScript: () => Promise.resolve(reply) };
    const breaker = new CircuitBreaker({
      consecutiveFailures: 1, minimumCalls: 100, openMs: OPEN_MS, halfOpenCalls: 1, clock: time.clock, timers: time.timers, store,
      share: { name: 'garbage', quorum: 2, publishIntervalMs: INTERVAL },
    });
    await assert.rejects(breaker.execute(down));
    await time.advance(OPEN_MS + INTERVAL);
    assert.equal(breaker.state, 'halfOpen', `${JSON.stringify(reply)}: no verdict read from it`);
    assert.equal(await breaker.execute(ok), 'ok', `${JSON.stringify(reply)}: the store failing, a local trial`);
    assert.deepEqual([breaker.metrics().shared.reachable, breaker.metrics().shared.fallbackTrials], [false, 1]);
    breaker.dispose();
  }
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', listener);
  assert.deepEqual(seen, []);
});

test('a call\'s waitUntil (a Worker request\'s) takes the background store calls when share.waitUntil is not given', async () => {
  const time = new FakeTime();
  const store = new RedisStore(conns[0].client, { deadlineMs: DEADLINE_MS, clock: time.clock, timers: time.timers });
  const breaker = new CircuitBreaker({
    consecutiveFailures: 1, openMs: OPEN_MS, clock: time.clock, timers: time.timers, store,
    share: { name: `call-wait-until-${Date.now()}`, quorum: 2, publishIntervalMs: INTERVAL },
  });
  const handed = [];
  await breaker.execute(down, { waitUntil: (p) => handed.push(p) }).catch(() => {});
  assert.equal(breaker.state, 'open');
  assert.ok(handed.length >= 1, 'the trip\'s report went to the call\'s waitUntil');
  await Promise.all(handed);
  await assert.rejects(breaker.execute(ok, { waitUntil: 'no' }), (e) => e instanceof ConfigError);
  breaker.dispose();
});
