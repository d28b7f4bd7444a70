#pragma once
// base^n for a whole n, correctly rounded in practice like libm's pow (a product of squares kept
// in double-double, so its error is ~2^-100 before the one final rounding), without linking pow:
// libm's pow and its tables are 5 KiB gzip of the resilience module, spent on one call made
// when a breaker trips.
#include <cstdint>

namespace edgeguard::resilience {

// Past this a power is only ever used as "more than any bound": the caller's min() caps it.
constexpr double kPowerCeiling = 1e150;

// base >= 0; a result past kPowerCeiling comes back as kPowerCeiling's square or more (never NaN:
// the double-double steps stop before anything can overflow).
double power(double base, uint32_t n);

}  // namespace edgeguard::resilience
