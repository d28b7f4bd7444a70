import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { coarseClock } from '../../js/coarse-clock.js';

function mockDate(t, now) {
  mock.timers.enable({ apis: ['Date'], now });
  t.after(() => mock.timers.reset());
}

test('the coarse clock stands still within a synchronous stretch and catches up after it', async (t) => {
  mockDate(t, 1_000);
  await Promise.resolve();  // a reading left by an earlier test expires
  const first = coarseClock();
  assert.equal(first, Date.now());
  mock.timers.setTime(1_500);  // time passes within the stretch
  assert.equal(coarseClock(), first, 'behind Date.now(), never ahead');
  assert.ok(coarseClock() <= Date.now());
  await Promise.resolve();
  assert.equal(coarseClock(), Date.now());
});

test('no timer is needed to catch up: a runtime that drops timers (workerd after a request) does not freeze it', async (t) => {
  mockDate(t, 2_000);
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = () => ({ unref() {} });  // accepted, never fired
  t.after(() => { globalThis.setTimeout = realSetTimeout; });
  await Promise.resolve();
  assert.equal(coarseClock(), 2_000);
  mock.timers.setTime(2_250);
  await Promise.resolve();
  assert.equal(coarseClock(), 2_250);
});
