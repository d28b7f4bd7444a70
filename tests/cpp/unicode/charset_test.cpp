#include "edgeguard/unicode/charset.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate {
namespace {

TEST(CharSet, MergesOverlappingAndAdjacentRanges) {
  CharSet s;
  s.add('d', 'f');
  s.add('a', 'c');  // adjacent to d
  s.add('e', 'z');  // overlapping
  s.add(0x400, 0x4FF);
  ASSERT_EQ(s.ranges().size(), 2u);
  EXPECT_EQ(s.ranges()[0].lo, uint32_t('a'));
  EXPECT_EQ(s.ranges()[0].hi, uint32_t('z'));
  EXPECT_TRUE(s.contains('m'));
  EXPECT_FALSE(s.contains('A'));
  EXPECT_TRUE(s.contains(0x436));
  EXPECT_FALSE(s.contains(0x500));
}

TEST(CharSet, NegationCoversEverythingElse) {
  const CharSet digits = CharSet::range('0', '9');
  const CharSet other = digits.negated();
  EXPECT_FALSE(other.contains('5'));
  EXPECT_TRUE(other.contains(0));
  EXPECT_TRUE(other.contains(kMaxCodePoint));
  EXPECT_TRUE(other.negated() == digits);
  EXPECT_TRUE(CharSet().negated() == CharSet::range(0, kMaxCodePoint));
  EXPECT_TRUE(CharSet::range(0, kMaxCodePoint).negated().empty());
}

TEST(CharSet, AsciiBitmapAgreesWithTheRanges) {
  const CharSet s = CharSet::from_ranges({{'0', '9'}, {'_', '_'}, {0x7F, 0x90}, {'a', 'c'}});
  for (uint32_t c = 0; c < 0x100; ++c) {
    const bool expected = (c >= '0' && c <= '9') || c == '_' || (c >= 0x7F && c <= 0x90) || (c >= 'a' && c <= 'c');
    EXPECT_EQ(s.contains(c), expected) << c;
  }
}

TEST(CharSet, SingletonsAndUnions) {
  EXPECT_EQ(CharSet::single('x').only(), 'x');
  EXPECT_EQ(CharSet::range('x', 'y').only(), -1);
  EXPECT_EQ(CharSet().only(), -1);
  CharSet s = CharSet::single('a');
  s.add(CharSet::single('b'));
  EXPECT_TRUE(s == CharSet::range('a', 'b'));
  s.add('z', 'y');  // empty range: ignored
  EXPECT_TRUE(s == CharSet::range('a', 'b'));
  s.add(0x10FFF0, 0x7FFFFFFF);  // clamped to the code point space
  EXPECT_EQ(s.ranges().back().hi, kMaxCodePoint);
}

}  // namespace
}  // namespace edgeguard::validate
