import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { timeout, TimeoutError } from '../../js/timeout.js';
import { EdgeguardError, ConfigError } from '../../js/errors.js';
import { FakeTime } from './resilience_fakes.js';

test('resolves with the call when it beats the deadline, and clears its timer', async () => {
  const time = new FakeTime();
  let seen;
  const result = await timeout(async (signal) => { seen = signal; return 7; }, 100, { timers: time.timers });
  assert.equal(result, 7);
  assert.equal(seen.aborted, false);
  assert.equal(time.pending, 0);
});

test('rejects with TimeoutError at the deadline and aborts the call', async () => {
  const time = new FakeTime();
  let seen;
  const run = timeout((signal) => { seen = signal; return new Promise(() => {}); }, 100, { timers: time.timers })
    .catch((e) => e);
  await time.advance(99);
  assert.equal(seen.aborted, false);
  await time.advance(1);
  const error = await run;
  assert.ok(error instanceof TimeoutError);
  assert.ok(error instanceof EdgeguardError);
  assert.equal(error.code, 'TIMEOUT');
  assert.equal(error.timeoutMs, 100);
  assert.equal(seen.aborted, true);
  assert.equal(seen.reason, error);
});

test('a settled call is not overridden by a late timer', async () => {
  const time = new FakeTime();
  await assert.rejects(timeout(async () => { throw new RangeError('own'); }, 10, { timers: time.timers }), RangeError);
  await assert.rejects(timeout(() => { throw new SyntaxError('sync'); }, 10, { timers: time.timers }), SyntaxError);
  await time.advance(100);
  assert.equal(time.pending, 0);
});

test("the caller's signal aborts the call and the wait", async () => {
  const time = new FakeTime();
  const controller = new AbortController();
  let seen;
  const run = timeout((signal) => { seen = signal; return new Promise(() => {}); }, 1000,
    { timers: time.timers, signal: controller.signal }).catch((e) => e);
  controller.abort(new Error('cancelled'));
  assert.equal((await run).message, 'cancelled');
  assert.equal(seen.reason.message, 'cancelled');
  assert.equal(time.pending, 0);
  let called = false;
  await assert.rejects(timeout(async () => { called = true; }, 10, { signal: controller.signal }), /cancelled/);
  assert.equal(called, false);
});

test('bad arguments are refused synchronously', () => {
  assert.throws(() => timeout(async () => 1), ConfigError);
  assert.throws(() => timeout(async () => 1, 0), { code: 'CONFIG_INVALID' });
  assert.throws(() => timeout(async () => 1, 1.5), { code: 'CONFIG_INVALID' });
  assert.throws(() => timeout(async () => 1, 10, { timers: 1 }), { code: 'CONFIG_INVALID' });
  assert.throws(() => timeout('fn', 10), { code: 'INVALID_INPUT' });
});

test('loading the resilience modules creates no timer (edge runtimes forbid them at global scope)', () => {
  const script = `
    for (const name of ['setTimeout', 'setInterval', 'setImmediate'])
      globalThis[name] = () => { throw new Error(name + ' at module scope'); };
    for (const file of ['breaker', 'retry', 'timeout', 'bulkhead'])
      await import(new URL('../../js/' + file + '.js', ${JSON.stringify(import.meta.url)}));
    console.log('clean');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim(), 'clean');
});

test('a signal that is not an AbortSignal is refused synchronously, before anything is armed', async () => {
  const time = new FakeTime();
  let called = false;
  const fn = async () => { called = true; };
  for (const signal of [{}, null, 1, 'abort', { aborted: false }, { aborted: 'no', addEventListener() {}, removeEventListener() {} }]) {
    assert.throws(() => timeout(fn, 50, { signal, timers: time.timers }), { code: 'CONFIG_INVALID', option: 'signal' });
  }
  assert.equal(time.pending, 0);
  assert.equal(called, false);
  await time.advance(100);  // nothing was armed that could fire
});

test('a signal whose listener methods throw fails the call without arming or crashing', async () => {
  const time = new FakeTime();
  let called = false;
  const refusing = { aborted: false, addEventListener() { throw new Error('no listeners'); }, removeEventListener() {} };
  await assert.rejects(timeout(async () => { called = true; }, 50, { signal: refusing, timers: time.timers }), /no listeners/);
  assert.equal(time.pending, 0);
  assert.equal(called, false);
  const sticky = { aborted: false, addEventListener() {}, removeEventListener() { throw new Error('stuck'); } };
  assert.equal(await timeout(async () => 5, 50, { signal: sticky, timers: time.timers }), 5);
  const late = timeout(() => new Promise(() => {}), 50, { signal: sticky, timers: time.timers }).catch((e) => e);
  await time.advance(50);  // the timer's cleanup meets the throwing removal: still a TimeoutError
  assert.ok(await late instanceof TimeoutError);
});
