// Waves of script calls for the store fault tests (redis-store-faults, upstash-store-faults): the
// deadlines run on fake timers, so "within the deadline" is exact: once the fake deadline has
// passed, every call has settled. The engines and clients run in real time.
import assert from 'node:assert/strict';
import { StoreError } from '../../../js/store/store-error.js';
import { defineScript } from '../../../js/store/script.js';
import { waitFor } from '../../support/redis-engines.js';
import { settle } from '../resilience_fakes.js';

export const DEADLINE_MS = 50;

const incr = defineScript("local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], 60000) return n");

/**
 * Starts `n` calls on `store` (made with deadlineMs DEADLINE_MS on `time`, a FakeTime); resolves
 * with their outcomes ('ok' or a StoreError code) once all settled.
 */
export function wave(store, time, n, tag) {
  const outcomes = new Array(n).fill(undefined);
  const calls = Array.from({ length: n }, (_, i) => store.evalScript(incr, [store.key(`${tag}:${i % 4}`, 'n')], [])
    .then(() => { outcomes[i] = 'ok'; }, (error) => {
      assert.ok(error instanceof StoreError, `typed: ${error}`);
      outcomes[i] = error.code;
    }));
  return {
    outcomes,
    // A live server's answers come in real time: `answered` waits (bounded) for them before the
    // fake deadline passes; otherwise it passes at once, whatever has come by then.
    async finish(answered = false) {
      if (answered) await waitFor('answers', async () => outcomes.every((o) => o !== undefined), 5000);
      await time.advance(DEADLINE_MS);
      await settle();
      assert.ok(outcomes.every((o) => o !== undefined), `every call settled by its deadline: ${outcomes}`);
      await Promise.all(calls);
      return outcomes;
    },
  };
}

