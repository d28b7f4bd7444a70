#include "edgeguard/unicode/unicode_tables.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace edgeguard::validate::tables {
namespace {

const Table& binary(const char* name) {
  for (size_t i = 0; i < kBinaryPropertyCount; ++i)
    if (std::strcmp(kBinaryProperties[i].name, name) == 0) return kBinaryProperties[i].boundaries;
  throw std::runtime_error(name);
}

// Exact run boundaries of stable properties, so an off-by-one at either end of a run shows.
TEST(UnicodeDecode, InversionSetsHaveTheExactRuns) {
  const CharSet hex = inversion_set(binary("Hex_Digit"));
  const std::vector<CodeRange> want = {{'0', '9'}, {'A', 'F'}, {'a', 'f'},
                                       {0xFF10, 0xFF19}, {0xFF21, 0xFF26}, {0xFF41, 0xFF46}};
  ASSERT_EQ(hex.ranges().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(hex.ranges()[i].lo, want[i].lo) << i;
    EXPECT_EQ(hex.ranges()[i].hi, want[i].hi) << i;
  }
  // Noncharacters end at U+10FFFF: the last run must reach the top, not stop short of it.
  const CharSet nchar = inversion_set(binary("Noncharacter_Code_Point"));
  EXPECT_TRUE(nchar.contains(0x10FFFF));
  EXPECT_TRUE(nchar.contains(0xFDD0) && nchar.contains(0xFDEF) && !nchar.contains(0xFDF0));
}

// Hand-made tables reach what the generated ones may not: multi-byte LEB128 deltas, an
// inversion list whose last run is left open, and a map whose first run starts above 0.
TEST(UnicodeDecode, DecodesDeltasAndOpenEnds) {
  // 'A' in, '[' out, U+1F1E6 in to the end (delta 0x1F18B as LEB128: 8B E3 07).
  static const char kOpen[] = "\x41\x1A\x8B\xE3\x07";
  const CharSet s = inversion_set(Table{3, kOpen, sizeof(kOpen) - 1});
  ASSERT_EQ(s.ranges().size(), 2u);
  EXPECT_EQ(s.ranges()[0].hi, uint32_t('Z'));
  EXPECT_EQ(s.ranges()[1].lo, 0x1F1E6u);
  EXPECT_EQ(s.ranges()[1].hi, kMaxCodePoint);

  // 0x10 -> 3, 0x300 -> 7 (delta 0x2F0: F0 05).
  static const char kMap[] = "\x10\x03\xF0\x05\x07";
  const PropertyMap m(Table{2, kMap, sizeof(kMap) - 1});
  EXPECT_EQ(m.at(0x0F), 0);  // before the first run: the default value
  EXPECT_EQ(m.at(0x10), 3);
  EXPECT_EQ(m.at(0x2FF), 3);
  EXPECT_EQ(m.at(0x300), 7);
  EXPECT_EQ(m.at(kMaxCodePoint), 7);
}

}  // namespace
}  // namespace edgeguard::validate::tables
