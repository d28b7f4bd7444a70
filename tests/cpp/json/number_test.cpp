#include "edgeguard/json/number.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using edgeguard::json::number_value;

namespace {

// Within `ulps` units in the last place of strtod's reading (the reference, natively).
void expect_close(const char* text, double ulps) {
  const double want = std::strtod(text, nullptr);
  EXPECT_LE(std::fabs(number_value(text) - want), std::fabs(want) * ulps * 2.220446049250313e-16) << text;
}

TEST(NumberValue, ReadsPlainTexts) {
  EXPECT_EQ(number_value("0"), 0);
  EXPECT_TRUE(std::signbit(number_value("-0")));
  EXPECT_EQ(number_value("12"), 12);
  EXPECT_EQ(number_value("-2.5"), -2.5);
  EXPECT_EQ(number_value("33.3"), 33.3);
  EXPECT_EQ(number_value("0.000123"), 0.000123);
  EXPECT_EQ(number_value("1e3"), 1000);
  EXPECT_EQ(number_value("1E+3"), 1000);
  EXPECT_EQ(number_value("25e-1"), 2.5);
  EXPECT_EQ(number_value("1e999"), HUGE_VAL);
  EXPECT_EQ(number_value("1e-999"), 0);
  EXPECT_EQ(number_value("0e999"), 0);
}

// Leading fraction zeros and an exponent that cancel out, however many: 1.5, never 0.15 or 0.
TEST(NumberValue, ReadsExponentsThatCancelLeadingZeros) {
  for (size_t zeros : {size_t(99999), size_t(100000), size_t(999999)}) {
    const std::string text = "0." + std::string(zeros, '0') + "15e" + std::to_string(zeros + 1);
    EXPECT_EQ(number_value(text), 1.5) << zeros << " zeros";
  }
  EXPECT_EQ(number_value("0." + std::string(100000, '0') + "1e99999999999999999999"), HUGE_VAL);
  EXPECT_EQ(number_value("1" + std::string(100000, '0') + "e-99999999999999999999"), 0);
}

// Up to 15 significant digits (what JSON.stringify writes for most values an option takes) with
// a decimal exponent within 22: exactly what strtod reads.
TEST(NumberValue, IsCorrectlyRoundedInTheSpan) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> exponent(-6, 8);
  std::uniform_real_distribution<double> unit(1, 10);
  char text[40];
  for (int i = 0; i < 200000; ++i) {
    const double v = unit(random) * std::pow(10.0, std::floor(exponent(random)));
    for (int digits : {1, 3, 7, 15}) {
      std::snprintf(text, sizeof text, "%.*g", digits, v);
      ASSERT_EQ(number_value(text), std::strtod(text, nullptr)) << text;
    }
  }
}

// Beyond it (17 digits, as JSON.stringify writes 100 / 3; far exponents): within two ulps.
TEST(NumberValue, IsCloseBeyondTheSpan) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> unit(0, 1000);
  char text[40];
  for (int i = 0; i < 100000; ++i) {
    std::snprintf(text, sizeof text, "%.17g", unit(random));
    expect_close(text, 2);
  }
  for (const char* t : {"33.333333333333336", "0.30000000000000004", "9007199254740993", "1.7976931348623157e308",
                        "4.9406564584124654e-300", "123456789e-40", "1e40", "1.5e-25", "123456789012345678901234567890"}) {
    expect_close(t, 2);
  }
}

}  // namespace
