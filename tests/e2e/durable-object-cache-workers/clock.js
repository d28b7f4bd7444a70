// The isolate's clock, moved only by the test (`/clock?at=ms`): the Cache's clock, and in the
// service that defines the Durable Object class, the objects' clock too (they run in its isolate),
// so freshness, store TTLs, leases and generation checks all pass when the test says.
let at = 1_800_000_000_000;

export const now = () => at;

export function moveTo(ms) {
  if (!Number.isSafeInteger(ms) || ms < at) throw new RangeError(`the test clock only moves forward (at ${at}, asked ${ms})`);
  at = ms;
}
