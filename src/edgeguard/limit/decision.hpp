#pragma once
// What one policy says about a call, before anything is committed.
#include <cmath>
#include <limits>

namespace edgeguard::limit {

struct Decision {
  bool allowed = true;
  double remaining = 0;       // units left after the call if allowed, else units left now
  double reset_ms = 0;        // until the key is back at full allowance
  double retry_after_ms = 0;  // until this call would be allowed; 0 when allowed
};

// State words start at -infinity: "never seen", which every algorithm reads as full allowance.
inline constexpr double kNever = -std::numeric_limits<double>::infinity();

// Waits are reported in whole milliseconds, rounded up, so a caller that waits that long with an
// integer clock is allowed. The quotient of two integer-valued doubles is correctly rounded, so
// an exact multiple never becomes n + 1 here.
inline double ceil_ms(double units, double units_per_ms) {
  return units <= 0 ? 0 : std::ceil(units / units_per_ms);
}

}  // namespace edgeguard::limit
