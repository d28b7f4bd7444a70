#include "edgeguard/resilience/prng.hpp"

#include <gtest/gtest.h>

using edgeguard::resilience::Prng;
using edgeguard::resilience::splitmix64;

namespace {

TEST(Prng, Splitmix64MatchesTheReferenceSequence) {
  uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(splitmix64(state), 0x06c45d188009454fULL);
}

TEST(Prng, Xoshiro256StarStarMatchesTheReferenceSequence) {
  Prng p = Prng::from_state(1, 2, 3, 4);
  EXPECT_EQ(p.next(), 11520u);
  EXPECT_EQ(p.next(), 0u);
  EXPECT_EQ(p.next(), 1509978240u);
  EXPECT_EQ(p.next(), 1215971899390074240ULL);
}

TEST(Prng, SameSeedSameSequenceOtherSeedOtherSequence) {
  Prng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 16; ++i) {
    const uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(Prng, BetweenIsInclusiveAndUniform) {
  Prng p(7);
  int counts[10] = {};
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = p.between(10, 19);
    ASSERT_GE(v, 10u);
    ASSERT_LE(v, 19u);
    ++counts[v - 10];
  }
  for (int c : counts) {
    EXPECT_GT(c, 9500);
    EXPECT_LT(c, 10500);
  }
  EXPECT_EQ(p.between(5, 5), 5u);
}

TEST(Prng, UnitIsInTheHalfOpenInterval) {
  Prng p(1);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = p.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

}  // namespace
