import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { coarseClock } from '../../js/coarse-clock.js';
import { mockTimers } from './resilience_fakes.js';

test('the coarse clock stands still within a synchronous stretch and catches up at the next timer tick', (t) => {
  mockTimers(t, 1_000);
  const first = coarseClock();
  assert.equal(first, Date.now());
  mock.timers.setTime(1_500);  // time passes, no timer has fired yet
  assert.equal(coarseClock(), first, 'behind Date.now(), never ahead');
  assert.ok(coarseClock() <= Date.now());
  mock.timers.tick(1);
  assert.equal(coarseClock(), Date.now());
});

test('where timers are refused, the coarse clock reads Date.now() every time', (t) => {
  mock.timers.enable({ apis: ['Date'], now: 5_000 });
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = () => { throw new Error('timers are not allowed here'); };
  t.after(() => {
    globalThis.setTimeout = realSetTimeout;
    mock.timers.reset();
  });
  assert.equal(coarseClock(), 5_000);
  mock.timers.setTime(5_007);
  assert.equal(coarseClock(), 5_007);
});
