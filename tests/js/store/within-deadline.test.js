// withinDeadline: a user's store call bounded by a deadline on the caller's timers; edgeguard's
// own stores keep theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withinDeadline } from '../../../js/store/within-deadline.js';
import { FakeTime } from '../resilience_fakes.js';

test('a user store\'s answer, its rejection, its throw, a plain value, and one that never comes', async () => {
  const time = new FakeTime();
  const store = {};
  assert.equal(await withinDeadline(store, () => Promise.resolve(1), 50, time.timers), 1);
  assert.equal(await withinDeadline(store, () => 2, 50, time.timers), 2, 'a plain value, not a promise');
  await assert.rejects(withinDeadline(store, () => Promise.reject(new Error('down')), 50, time.timers), /down/);
  await assert.rejects(withinDeadline(store, () => { throw new Error('sync'); }, 50, time.timers), /sync/);
  const hung = assert.rejects(withinDeadline(store, () => new Promise(() => {}), 50, time.timers), (e) => e.code === 'STORE_TIMEOUT');
  await time.advance(50);
  await hung;
  assert.equal(time.pending, 0, 'no timer left armed');
});
