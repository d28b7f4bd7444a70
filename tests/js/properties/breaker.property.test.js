// Properties of CircuitBreaker: an open circuit admits nothing before openMs, half-open admits at
// most halfOpenCalls trials and closes only after that many real trial calls; impossible clocks
// never open the gate and never make execute() throw synchronously; snapshots and arguments are
// checked.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CircuitBreaker, BrokenCircuitError } from '../../../js/entry.node.js';
import { FakeTime } from '../resilience_fakes.js';
import { property } from './property.js';
import { attempt, attemptAsync, describe, driveTimers, UserFailure } from './verdict.js';
import { Clock, option, wrongType, edgeNumber, impossibleReading, extremeReading, isImpossible } from './hostile.js';
import { assertCanaries } from './canary.js';

const STATES = ['closed', 'open', 'halfOpen', 'forcedOpen', 'disabled', 'metricsOnly'];
const config = fc.record({
  consecutiveFailures: fc.integer({ min: 1, max: 3 }),
  openMs: fc.integer({ min: 1, max: 500 }),
  halfOpenCalls: fc.integer({ min: 1, max: 4 }),
  minimumCalls: fc.integer({ min: 1, max: 5 }),
  window: fc.constantFrom({ type: 'count', size: 5 }, { type: 'time', sizeMs: 1000 }),
});

const step = fc.oneof(
  fc.record({ op: fc.constant('acquire') }),
  fc.record({ op: fc.constantFrom('success', 'failure', 'ignored'), which: fc.nat(), duplicate: fc.nat(3) }),
  fc.record({ op: fc.constant('advance'), dt: fc.integer({ min: 0, max: 600 }) }),
);

function assertMetrics(m) {
  assert.ok(STATES.includes(m.state), `state ${m.state}`);
  for (const k of ['bufferedCalls', 'failedCalls', 'notPermittedCalls', 'consecutiveFailures', 'trips', 'halfOpenPermitsLeft']) {
    assert.ok(Number.isInteger(m[k]) && m[k] >= 0, `metrics.${k} = ${m[k]}`);
  }
  assert.ok(m.retryAfterMs === undefined || (Number.isFinite(m.retryAfterMs) && m.retryAfterMs >= 0), `retryAfterMs ${m.retryAfterMs}`);
}

property('monotonic clock: open admits nothing before openMs; half-open admits and needs halfOpenCalls real trials',
  [config, fc.array(step, { maxLength: 60 })], (c, plan) => {
    const clock = new Clock();
    clock.now = 1e6;
    const breaker = new CircuitBreaker({ ...c, clock: clock.read });
    let openedAt = null;
    let granted = 0;  // permits granted in the current half-open phase
    let violation = null;  // listeners' throws are reported, not propagated: kept here instead
    breaker.on('stateChange', ({ from, to }) => {
      if (to === 'open') openedAt = clock.now;
      if (to === 'halfOpen') granted = 0;
      if (from === 'halfOpen' && to === 'closed' && granted < c.halfOpenCalls) {
        violation ??= `closed after ${granted} trial permits; halfOpenCalls is ${c.halfOpenCalls}`;
      }
    });
    const permits = [];
    try {
      for (const s of plan) {
        if (s.op === 'advance') {
          clock.now += s.dt;
        } else if (s.op === 'acquire') {
          const before = breaker.state;
          const permit = breaker.tryAcquire();
          if (permit > 0) {
            permits.push(permit);
            if (openedAt !== null && before !== 'closed') {
              assert.ok(clock.now >= openedAt + c.openMs, `a call admitted ${clock.now - openedAt} ms after opening (openMs ${c.openMs})`);
            }
            if (breaker.state === 'halfOpen' || before === 'halfOpen' || before === 'open') {
              granted++;
              assert.ok(granted <= c.halfOpenCalls, `${granted} trial permits in one half-open phase (halfOpenCalls ${c.halfOpenCalls})`);
            }
          }
        } else if (permits.length) {
          const permit = permits[s.which % permits.length];
          const method = { success: 'onSuccess', failure: 'onFailure', ignored: 'onIgnored' }[s.op];
          for (let i = 0; i <= s.duplicate; i++) {
            if (method === 'onIgnored') breaker.onIgnored(permit);
            else breaker[method](0, permit);
          }
        }
        assertMetrics(breaker.metrics());
        assert.equal(violation, null, violation);
      }
    } finally {
      breaker.dispose();
    }
  }, { numRuns: 300 });

const operation = fc.constantFrom('execute', 'tryAcquire', 'state', 'metrics', 'onSuccess', 'onFailure', 'snapshot', 'forceOpen', 'reset');
const phase = fc.constantFrom('closed', 'open', 'halfOpen');

async function intoPhase(breaker, clock, name) {
  if (name === 'closed') return;
  breaker.onFailure(0, breaker.tryAcquire());
  assert.equal(breaker.state, 'open');
  if (name === 'halfOpen') {
    clock.now += 100;
    assert.equal(breaker.state, 'halfOpen');
  }
}

property('an impossible or extreme clock never lets an open circuit admit, and execute() always returns a promise',
  [fc.oneof(impossibleReading, extremeReading), phase, operation], async (reading, start, name) => {
    const clock = new Clock();
    clock.now = 1e6;
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, openMs: 100, halfOpenCalls: 1, clock: clock.read });
    try {
      await intoPhase(breaker, clock, start);
      clock.now = reading;
      let ran = false;
      const where = `${name} in ${start} with the clock at ${String(reading)}`;
      if (name === 'execute') {
        let promise;
        try {
          promise = breaker.execute(async () => { ran = true; return 'ran'; });
        } catch (error) {
          assert.fail(`${where} threw synchronously: ${describe(error)}`);
        }
        await attemptAsync(() => promise, where);
      } else {
        const r = attempt(() => (name === 'state' ? breaker.state : name === 'onSuccess' || name === 'onFailure'
          ? breaker[name](0, 1) : breaker[name]()), where);
        const gate = start === 'open' && isImpossible(reading);
        if (r.ok && name === 'tryAcquire' && gate) assert.equal(r.value, 0, `${where} granted a permit`);
        if (r.ok && name === 'state' && gate) assert.ok(r.value === 'open', `${where} says ${r.value}`);
        if (r.ok && name === 'metrics') assertMetrics(r.value);
      }
      if (start === 'open' && isImpossible(reading)) assert.equal(ran, false, `${where} ran the call`);
      clock.now = 1e6 + 1e5;
      const m = attempt(() => breaker.metrics(), 'metrics after the clock recovered');
      if (m.ok) assertMetrics(m.value);
    } finally {
      breaker.dispose();
    }
    assertCanaries();
  }, { numRuns: 250 });

// A field of the snapshot (at any depth, by index) set to a hostile value.
const mutation = fc.tuple(fc.nat(), fc.oneof(edgeNumber, wrongType, fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom('open', 'halfOpen', 'nope', null, [], {}, -1, 1e308)));

function mutate(snapshot, [at, value]) {
  const fields = [];
  const visit = (o) => {
    for (const k of Object.keys(o)) {
      fields.push([o, k]);
      if (o[k] && typeof o[k] === 'object') visit(o[k]);
    }
  };
  visit(snapshot);
  const [owner, key] = fields[at % fields.length];
  owner[key] = value;
}

property('restore(random or mutated snapshots): adopted or a typed error, and the breaker stays sane',
  [config, fc.array(mutation, { maxLength: 3 }), fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, wrongType, fc.string())],
  (c, mutations, junk) => {
    const clock = new Clock();
    clock.now = 1e6;
    const source = new CircuitBreaker({ ...c, clock: clock.read });
    const target = new CircuitBreaker({ ...c, clock: clock.read });
    try {
      source.onFailure(0, source.tryAcquire());
      const snapshot = source.snapshot();
      for (const m of mutations) mutate(snapshot, m);
      const input = junk === null ? snapshot : junk;
      const r = attempt(() => target.restore(input), 'restore');
      assertMetrics(target.metrics());
      const permit = attempt(() => target.tryAcquire(), 'tryAcquire after restore');
      if (permit.ok && permit.value > 0) attempt(() => target.onFailure(0, permit.value), 'onFailure after restore');
      assertMetrics(target.metrics());
      if (!r.ok && !(r.error instanceof UserFailure)) assert.ok(r.error.code.startsWith('BREAKER_') || r.error.code === 'CONFIG_INVALID' || r.error.code === 'INVALID_INPUT', describe(r.error));
    } finally {
      source.dispose();
      target.dispose();
    }
  }, { numRuns: 300 });

const breakerOptions = fc.oneof({ weight: 6, arbitrary: fc.record({
  window: option(fc.record({ type: option(fc.constantFrom('count', 'time', 'other')), size: option(fc.nat(200)), sizeMs: option(fc.nat(1e5)), buckets: option(fc.nat(100)) }, { requiredKeys: [] })),
  minimumCalls: option(fc.nat(100)),
  failureRateThreshold: option(fc.double({ min: 0, max: 100, noNaN: true })),
  slowCallDurationMs: option(fc.nat(1e4)),
  slowCallRateThreshold: option(fc.double({ min: 0, max: 100, noNaN: true })),
  consecutiveFailures: option(fc.nat(10)),
  openMs: option(fc.integer({ min: 1, max: 1e6 })),
  openBackoff: option(fc.record({ multiplier: option(fc.double({ min: 1, max: 10, noNaN: true })), maxMs: option(fc.nat(1e7)) }, { requiredKeys: [] })),
  halfOpenCalls: option(fc.integer({ min: 1, max: 10 })),
  halfOpenMaxMs: option(fc.nat(1e5)),
  timeoutMs: option(fc.integer({ min: 1, max: 1e4 })),
  isFailure: option(fc.constantFrom(() => true, () => 'ignore', () => { throw new Error('classifier'); })),
}, { requiredKeys: [] }) }, wrongType, edgeNumber);

property('random options: a CircuitBreaker or a typed error; execute settles with the call\'s outcome or a typed error',
  [breakerOptions, fc.array(fc.boolean(), { maxLength: 30 }), fc.oneof(edgeNumber, fc.constant(0)), fc.oneof(edgeNumber, wrongType)],
  async (options, outcomes, duration, permitArg) => {
    const time = new FakeTime();
    const built = attempt(() => new CircuitBreaker(options === null || typeof options !== 'object' ? options
      : { ...options, clock: time.clock, timers: time.timers }), 'new CircuitBreaker');
    if (built.ok) {
      const breaker = built.value;
      for (const fails of outcomes) {
        const drive = () => driveTimers(time, 20000);
        const r = await attemptAsync(() => breaker.execute(async () => { if (fails) throw new UserFailure('call failed'); return { status: 200 }; }), 'execute', drive);
        if (!r.ok && !(r.error instanceof UserFailure)) assert.ok(r.error instanceof BrokenCircuitError || r.error.code === 'TIMEOUT', describe(r.error));
        assertMetrics(breaker.metrics());
      }
      attempt(() => breaker.onSuccess(duration, permitArg), 'onSuccess(hostile)');
      attempt(() => breaker.onFailure(duration, permitArg), 'onFailure(hostile)');
      attempt(() => breaker.onIgnored(permitArg), 'onIgnored(hostile)');
      assertMetrics(breaker.metrics());
      breaker.dispose();
    }
    assertCanaries();
  }, { numRuns: 150 });

property('count window: the circuit opens exactly when the last size calls reach the failure rate',
  [fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(1, 25, 50, 75, 100), fc.array(fc.boolean(), { maxLength: 30 })],
  (size, minimumCalls, threshold, outcomes) => {
    const breaker = new CircuitBreaker({ window: { size }, minimumCalls, failureRateThreshold: threshold, openMs: 1e9, clock: () => 1 });
    const window = [];
    try {
      for (const fails of outcomes) {
        const permit = breaker.tryAcquire();
        assert.ok(permit > 0, `refused while ${breaker.state}`);
        if (fails) breaker.onFailure(0, permit);
        else breaker.onSuccess(0, permit);
        window.push(fails);
        if (window.length > size) window.shift();
        const rate = (window.filter(Boolean).length * 100) / window.length;
        const open = window.length >= Math.min(minimumCalls, size) && rate >= threshold;
        assert.equal(breaker.state, open ? 'open' : 'closed', `last calls ${JSON.stringify(window)}: rate ${rate}`);
        if (open) return;
      }
    } finally {
      breaker.dispose();
    }
  }, { numRuns: 300 });
