#include "edgeguard/validate/number_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

using namespace edgeguard::validate;

namespace {

std::string text(double d) {
  std::string out;
  js_number_text(d, out);
  return out;
}

}  // namespace

TEST(NumberText, WritesWhatNumberToStringWrites) {
  const std::pair<double, const char*> cases[] = {
      {0.0, "0"}, {-0.0, "0"}, {1, "1"}, {-7, "-7"}, {0.1, "0.1"}, {0.1 + 0.2, "0.30000000000000004"},
      {26.99, "26.99"}, {9007199254740991, "9007199254740991"}, {9007199254740992, "9007199254740992"},
      {95239254266200210000.0, "95239254266200210000"}, {123456789012345680000.0, "123456789012345680000"},
      {1e21, "1e+21"}, {999999999999999900000.0, "999999999999999900000"}, {1.5e300, "1.5e+300"},
      {1e-7, "1e-7"}, {-1.5e-7, "-1.5e-7"}, {1e-6, "0.000001"}, {-0.0000012345678901234567, "-0.0000012345678901234567"},
      {5e-324, "5e-324"}, {-2.5e-320, "-2.5e-320"}, {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      // Powers of two where the nearest 16 digits do not read back, and the next above does.
      {std::ldexp(1, -24), "5.960464477539063e-8"}, {std::ldexp(1, -44), "5.684341886080802e-14"},
  };
  for (const auto& [d, expected] : cases) EXPECT_EQ(text(d), expected) << expected;
}

// tests/fixtures/number-text/cases.txt: Number#toString's text of each double, written by
// scripts/gen-number-text-table.js.
TEST(NumberText, MatchesTheJavaScriptEnginesTable) {
  std::ifstream in(std::string(EDGEGUARD_TEST_DATA) + "/fixtures/number-text/cases.txt");
  ASSERT_TRUE(in) << "cases.txt";
  std::string hex, expected;
  size_t count = 0;
  while (in >> hex >> expected) {
    const uint64_t bits = std::stoull(hex, nullptr, 16);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    EXPECT_EQ(text(d), expected) << hex;
    ++count;
  }
  EXPECT_GT(count, 9000u);
}
