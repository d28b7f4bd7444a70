// Runs fast-check properties under node:test: one fixed seed (FC_SEED overrides it; fast-check
// prints the seed and the shrunk counterexample when a property fails), and no unhandled
// rejection allowed during a run.
import { test, before, after } from 'node:test';
import fc from 'fast-check';
import { init } from '../../../js/entry.node.js';
import { settle } from './verdict.js';

export const SEED = Number(process.env.FC_SEED ?? 20261205);

const unhandled = [];
const onUnhandled = (reason) => unhandled.push(reason);
before(async () => {
  await init();
  process.on('unhandledRejection', onUnhandled);
});
after(() => process.off('unhandledRejection', onUnhandled));

async function noUnhandledRejection(seen) {
  await settle();
  await settle();
  if (unhandled.length > seen) {
    const reason = unhandled[unhandled.length - 1];
    unhandled.length = seen;
    throw new Error(`unhandled rejection: ${reason?.constructor?.name} ${reason?.code ?? ''} ${reason?.message ?? reason}`);
  }
}

/**
 * `test(name)` asserting `predicate` over `arbitraries`; an async predicate also fails on an
 * unhandled rejection during its run.
 */
export function property(name, arbitraries, predicate, { numRuns = 100, examples } = {}) {
  const isAsync = predicate.constructor.name === 'AsyncFunction';
  test(name, async () => {
    const prop = isAsync
      ? fc.asyncProperty(...arbitraries, async (...args) => {
        const seen = unhandled.length;
        await predicate(...args);
        await noUnhandledRejection(seen);
      })
      : fc.property(...arbitraries, predicate);
    await fc.assert(prop, { seed: SEED, numRuns, examples, includeErrorInReport: true });
  });
}
