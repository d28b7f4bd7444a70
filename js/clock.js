// Reading an injected clock. Every class that takes a `clock` reads it through here, so an
// impossible reading is the same typed error everywhere and never a default: a NaN age compares
// as fresh, a NaN deadline as passed, an Infinity as "never".
import { EdgeguardError } from './errors.js';

// Milliseconds from 0 (the epoch, or a monotonic origin) to 2^53: beyond it doubles skip whole
// milliseconds and durations computed from the readings stop being exact.
const MAX_CLOCK_MS = Number.MAX_SAFE_INTEGER;

function invalidClock(ErrorType, got, details) {
  return new ErrorType('CLOCK_INVALID', `the clock ${got}, not a number of milliseconds from 0 to 2^53`, details);
}

// One reading, checked: a reading that is not a number in [0, 2^53], or a throw, is CLOCK_INVALID.
function read(clock, ErrorType) {
  let now;
  try {
    now = clock();
  } catch (error) {
    throw invalidClock(ErrorType, `threw ${error?.message ?? String(error)}`, { cause: error });
  }
  if (typeof now !== 'number' || !(now >= 0 && now <= MAX_CLOCK_MS)) {
    const got = typeof now === 'number' || now == null ? String(now)
      : typeof now === 'string' ? `the string ${JSON.stringify(now)}` : `a value of type ${typeof now}`;
    throw invalidClock(ErrorType, `returned ${got}`);
  }
  return now;
}

/** `clock` read and checked: an impossible reading is an `ErrorType` with code CLOCK_INVALID. */
export function checkedClock(clock, ErrorType = EdgeguardError) {
  return () => read(clock, ErrorType);
}

/**
 * checkedClock that never goes back: when the clock steps back (an NTP correction, a VM
 * restored), time stands still at the newest reading and then moves on from there at the
 * clock's pace. Neither a deadline nor an age then grows by the size of the step: an open
 * circuit stays open for its open time, a cached entry is not fresh for an extra hour.
 */
export function steadyClock(clock, ErrorType = EdgeguardError) {
  let offset = 0;
  let last = 0;
  return () => {
    const now = read(clock, ErrorType) + offset;
    if (now >= last) {
      last = now;
      return now;
    }
    offset += last - now;
    return last;
  };
}
