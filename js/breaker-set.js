// What eg_breaker_set (wasm/bridge_breaker.cpp's enum Set) does to a breaker, by number: written
// on both sides, pinned by tests/js/breaker-set.test.js.
export const SET = Object.freeze({
  FORCE_OPEN: 0, DISABLE: 1, METRICS_ONLY: 2, RESET: 3, TRIP: 4, TRIALS_FAILED: 5, TRIALS_PASSED: 6,
});
