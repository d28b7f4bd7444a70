#pragma once
// The caller's clock made to never go back. A clock that steps back (an NTP correction, a VM
// restored from a snapshot) would otherwise stretch every deadline by the size of the step: a
// key locked out, a circuit held open, for as long as the clock takes to catch up. Here time
// stands still at the newest reading instead, and moves on from there at the clock's pace, so
// a step back neither grants nor takes anything.
#include <cstdint>
#include <limits>

namespace edgeguard {

// The times a clock can give, in ms: NaN, negative and past-2^53 readings are no clock's (past
// 2^53 doubles skip whole milliseconds). js/clock.js refuses them before they reach the core.
constexpr double kMaxClockMs = 9007199254740992.0;
inline bool is_clock_time(double t) { return t >= 0 && t <= kMaxClockMs; }

template <class T>  // double or int64_t milliseconds
class SteadyTime {
 public:
  // The reading as steady time, remembering it.
  T advance(T now) {
    const T t = now + offset_;
    if (t >= last_) return last_ = t;
    offset_ += last_ - t;
    return last_;
  }

  // The reading as steady time, without remembering it.
  T peek(T now) const {
    const T t = now + offset_;
    return t >= last_ ? t : last_;
  }

 private:
  T offset_ = 0;
  T last_ = std::numeric_limits<T>::lowest();
};

}  // namespace edgeguard
