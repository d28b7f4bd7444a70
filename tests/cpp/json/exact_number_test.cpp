#include "edgeguard/json/exact_number.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

using edgeguard::json::exact_value;
using edgeguard::json::round_to_digits;

namespace {

// Bit for bit: -0 and 0 differ.
void expect_reads_as_strtod(const std::string& text) {
  const double want = std::strtod(text.c_str(), nullptr), got = exact_value(text);
  EXPECT_EQ(std::memcmp(&want, &got, sizeof want), 0) << text << ": " << got << " for " << want;
}

TEST(ExactNumber, ReadsBoundariesAsStrtod) {
  for (const char* text : {"0", "-0", "0.0", "1", "-1.5", "1e400", "-1e400", "1e-400", "2.4703282292062327e-324",
                           "2.4703282292062328e-324", "4.9406564584124654e-324", "2.2250738585072011e-308",
                           "2.2250738585072012e-308", "1.7976931348623157e308", "1.7976931348623158e308",
                           "1.7976931348623159e308", "9007199254740993", "0.30000000000000004", "1e23",
                           "123456789012345678901234567890", "8.98846567431158e307", "1E+2", "0.0001e4",
                           "1e99999999999", "1e-99999999999", "100000000000000000000000000000000000000e-300"})
    expect_reads_as_strtod(text);
}

// Leading fraction zeros and an exponent that cancel out, however many: the exponent is not cut
// short before they meet.
TEST(ExactNumber, ReadsExponentsThatCancelLeadingZeros) {
  for (size_t zeros : {size_t(99999), size_t(100000), size_t(999999)}) {
    const std::string text = "0." + std::string(zeros, '0') + "15e" + std::to_string(zeros + 1);
    EXPECT_EQ(exact_value(text), 1.5) << zeros << " zeros";
    expect_reads_as_strtod(text);
  }
  expect_reads_as_strtod("0." + std::string(100000, '0') + "1e99999999999999999999");
  expect_reads_as_strtod("1" + std::string(100000, '0') + "e-99999999999999999999");
}

TEST(ExactNumber, ReadsLongAndRandomNumbersAsStrtod) {
  std::mt19937_64 rng(7);
  for (int it = 0; it < 20000; ++it) {
    std::string s = rng() % 2 ? "-" : "";
    const int digits = 1 + int(rng() % (it % 10 == 0 ? 900 : 25));
    s += char('1' + rng() % 9);
    for (int k = 1; k < digits; ++k) s += char('0' + rng() % 10);
    if (rng() % 2) s.insert(s.size() - size_t(rng() % size_t(digits)), ".");
    if (s.back() == '.') s += '0';
    if (rng() % 2) s += "e" + std::to_string(int(rng() % 700) - 350);
    expect_reads_as_strtod(s);
  }
}

// Exactly between two doubles (ties to even), and a hair either side.
TEST(ExactNumber, ReadsHalfwayPointsAsStrtod) {
  std::mt19937_64 rng(11);
  for (int it = 0; it < 2000; ++it) {
    const uint64_t bits = rng() >> 1;
    double x;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x) || !std::isfinite(std::nextafter(x, INFINITY))) continue;
    // The midpoint m * 2^e + 2^(e - 1) as an exact decimal: (2m + 1) * 5^(1 - e) digits at 10^(e - 1).
    int e;
    const double f = std::frexp(x, &e);
    uint64_t m = uint64_t(std::ldexp(f, 53));
    e -= 53;
    if (e > 0) continue;  // the large ones are covered by the random texts
    std::string digits = std::to_string(2 * m + 1);
    for (int k = 0; k < 1 - e; ++k) {  // times 5, in decimal
      int carry = 0;
      for (size_t j = digits.size(); j-- > 0;) {
        const int d = (digits[j] - '0') * 5 + carry;
        digits[j] = char('0' + d % 10);
        carry = d / 10;
      }
      if (carry) digits.insert(digits.begin(), char('0' + carry));
    }
    const std::string exp = "e" + std::to_string(e - 1);
    expect_reads_as_strtod(digits + exp);
    expect_reads_as_strtod(digits + "1" + "e" + std::to_string(e - 2));
    digits.back() = char(digits.back() - 1);  // odd times 5^n ends in 5
    expect_reads_as_strtod(digits + "9" + "e" + std::to_string(e - 2));
  }
}

TEST(ExactNumber, RoundsToDigitsAsPrintf) {
  std::mt19937_64 rng(3);
  for (int it = 0; it < 20000; ++it) {
    uint64_t bits = rng() >> 1;
    double x;
    std::memcpy(&x, &bits, sizeof x);
    if (it % 3 == 0) x = double(rng() % 100000) / double(1 + rng() % 1000);
    if (!std::isfinite(x) || x == 0) continue;
    for (int count = 1; count <= 17; ++count) {
      char want[64];
      std::snprintf(want, sizeof want, "%.*e", count - 1, x);
      int exponent;
      const uint64_t q = round_to_digits(x, count, exponent);
      const std::string digits = std::to_string(q);
      ASSERT_EQ(digits.size(), size_t(count)) << want;
      std::string got = digits.substr(0, 1) + (count > 1 ? "." + digits.substr(1) : "");
      char e[16];
      std::snprintf(e, sizeof e, "e%+03d", exponent);
      EXPECT_EQ(got + e, want);
    }
  }
  int exponent;
  EXPECT_EQ(round_to_digits(0.125, 2, exponent), 12u);  // a tie: to even
  EXPECT_EQ(exponent, -1);
  EXPECT_EQ(round_to_digits(99.96, 3, exponent), 100u);
  EXPECT_EQ(exponent, 2);
  EXPECT_EQ(round_to_digits(5e-324, 17, exponent), 49406564584124654u);
  EXPECT_EQ(exponent, -324);
}

}  // namespace
