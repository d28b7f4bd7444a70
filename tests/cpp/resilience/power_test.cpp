#include "edgeguard/resilience/power.hpp"

#include <gtest/gtest.h>

#include <cmath>

using edgeguard::resilience::kPowerCeiling;
using edgeguard::resilience::power;

namespace {

// libm's pow (what the breaker's open time was computed with before) is within 0.52 ulp, not
// always correctly rounded: power() stays within one ulp of it, and is exact where the power is
// representable.
TEST(Power, IsWithinAnUlpOfPowAndExactWhereThePowerIsADouble) {
  const double multipliers[] = {1, 1.01, 1.05, 1.1, 1.2, 1.25, 1.3, 1.333, 1.5, 1.6, 1.7, 1.75, 1.8, 1.9, 2,
                                2.5, 3, 3.7, 4, 5, 7.5, 10, 16, 100, 999.999, 1000};
  for (const double m : multipliers) {
    for (uint32_t n = 0; n < 4000; ++n) {
      const double expected = std::pow(m, double(n));
      if (expected > kPowerCeiling) {
        EXPECT_GE(power(m, n), kPowerCeiling) << m << "^" << n;
        break;
      }
      const double got = power(m, n);
      ASSERT_TRUE(got == expected || got == std::nextafter(expected, 0.0) || got == std::nextafter(expected, HUGE_VAL))
          << m << "^" << n << ": " << got << " vs " << expected;
    }
  }
  EXPECT_EQ(power(1.5, 20), 3325.256730079651);  // 3^20 / 2^20, exact
  EXPECT_EQ(power(10, 22), 1e22);
  EXPECT_EQ(power(2, 60), std::ldexp(1.0, 60));
}

// The whole milliseconds a breaker stays open (open_ms * multiplier^(trips - 1), capped) are the
// same as with pow for the open times and multipliers people configure.
TEST(Power, OpenTimesInWholeMillisecondsAreThoseOfPow) {
  const double multipliers[] = {1.1, 1.2, 1.25, 1.5, 1.75, 2, 2.5, 3, 5, 10};
  for (const double open_ms : {100.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 30000.0, 60000.0}) {
    for (const double m : multipliers) {
      for (uint32_t trips = 1; trips < 200; ++trips) {
        const double cap = 86'400'000;
        const auto before = int64_t(std::min(open_ms * std::pow(m, trips - 1.0), cap));
        EXPECT_EQ(int64_t(std::min(open_ms * power(m, trips - 1), cap)), before) << open_ms << " " << m << " " << trips;
      }
    }
  }
}

TEST(Power, HugeExponentsSaturateWithoutNaN) {
  for (const double m : {1.0000001, 1.5, 1000.0}) {
    const double p = power(m, 0xffffffffu);
    EXPECT_FALSE(std::isnan(p)) << m;
    EXPECT_GE(p, kPowerCeiling) << m;
  }
  EXPECT_EQ(power(1, 0xffffffffu), 1);
  EXPECT_EQ(power(7, 0), 1);
}

// Found in review: a square under the ceiling times a result under it overflowed, and Dekker's
// product of an infinity is NaN (power(1000, 104) was NaN, and so was the breaker's open time).
TEST(Power, NeverNaNNearTheCeiling) {
  EXPECT_GE(power(1000, 104), kPowerCeiling);
  EXPECT_GE(power(10, 312), kPowerCeiling);
  for (double base = 1; base <= 1000; base *= 1.0137) {
    for (uint32_t n = 1; n < 4096; n += 7) {
      const double p = power(base, n);
      ASSERT_FALSE(std::isnan(p)) << base << "^" << n;
      ASSERT_GE(p, 1) << base << "^" << n;
    }
  }
}

}  // namespace
