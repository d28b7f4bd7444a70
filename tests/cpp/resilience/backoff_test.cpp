#include "edgeguard/resilience/backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace edgeguard::resilience;

namespace {

BackoffConfig config(Jitter jitter, uint32_t base_ms = 100, uint32_t max_ms = 1'000) {
  BackoffConfig c;
  c.base_ms = base_ms;
  c.max_ms = max_ms;
  c.jitter = jitter;
  return c;
}

TEST(Backoff, NoJitterDoublesUpToTheCap) {
  Backoff b(config(Jitter::none), 1);
  const uint32_t expected[] = {100, 200, 400, 800, 1'000, 1'000};
  for (uint32_t attempt = 0; attempt < 6; ++attempt) EXPECT_EQ(b.delay(attempt, 0), expected[attempt]);
  EXPECT_EQ(b.delay(31, 0), 1'000u);
  EXPECT_EQ(b.delay(4'000'000'000u, 0), 1'000u);  // no shift overflow
}

TEST(Backoff, LargeBaseDoesNotOverflow) {
  Backoff b(config(Jitter::none, 0x7fffffff, 0x7fffffff), 1);
  EXPECT_EQ(b.delay(31, 0), 0x7fffffffu);
}

TEST(Backoff, FullJitterDrawsFromZeroToTheExponential) {
  // The same seed gives the reference generator's draws over [0, e].
  Backoff b(config(Jitter::full), 99);
  Prng reference(99);
  for (uint32_t attempt = 0; attempt < 8; ++attempt) {
    const uint64_t e = std::min<uint64_t>(1'000, 100ull << attempt);
    EXPECT_EQ(b.delay(attempt, 0), reference.between(0, e)) << attempt;
  }
}

TEST(Backoff, FullJitterSpreadsOverTheWholeRange) {
  Backoff b(config(Jitter::full, 1'000, 1'000), 5);
  uint32_t lo = 1'000, hi = 0;
  double sum = 0;
  for (int i = 0; i < 10'000; ++i) {
    const uint32_t d = b.delay(0, 0);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
    sum += d;
  }
  EXPECT_LT(lo, 10u);
  EXPECT_GT(hi, 990u);
  EXPECT_NEAR(sum / 10'000, 500, 15);
}

TEST(Backoff, EqualJitterKeepsAtLeastHalf) {
  Backoff b(config(Jitter::equal), 3);
  Prng reference(3);
  for (uint32_t attempt = 0; attempt < 8; ++attempt) {
    const uint64_t e = std::min<uint64_t>(1'000, 100ull << attempt);
    const uint32_t d = b.delay(attempt, 0);
    EXPECT_EQ(d, e - e / 2 + reference.between(0, e / 2)) << attempt;
    EXPECT_GE(d, (e + 1) / 2);
    EXPECT_LE(d, e);
  }
  // An odd exponential: ceil half plus at most floor half never exceeds it.
  Backoff odd(config(Jitter::equal, 5, 5), 11);
  for (int i = 0; i < 1'000; ++i) {
    const uint32_t d = odd.delay(0, 0);
    ASSERT_GE(d, 3u);
    ASSERT_LE(d, 5u);
  }
}

TEST(Backoff, DecorrelatedJitterGrowsFromThePreviousDelay) {
  Backoff b(config(Jitter::decorrelated, 100, 10'000), 8);
  Prng reference(8);
  uint32_t previous = 0;
  for (uint32_t attempt = 0; attempt < 10; ++attempt) {
    const uint64_t upper = std::max<uint32_t>(previous, 100) * 3ull;
    const uint32_t d = b.delay(attempt, previous);
    EXPECT_EQ(d, std::min<uint64_t>(10'000, reference.between(100, upper))) << attempt;
    EXPECT_GE(d, 100u);
    EXPECT_LE(d, 10'000u);
    previous = d;
  }
}

TEST(Backoff, DecorrelatedJitterIsCapped) {
  Backoff b(config(Jitter::decorrelated, 100, 150), 2);
  uint32_t previous = 0;
  for (int i = 0; i < 100; ++i) {
    previous = b.delay(i, previous);
    ASSERT_GE(previous, 100u);
    ASSERT_LE(previous, 150u);
  }
}

TEST(Backoff, ValidateRejectsBadConfigs) {
  EXPECT_FALSE(validate(config(Jitter::full)));
  EXPECT_EQ(validate(config(Jitter::full, 0, 10)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(Jitter::full, 100, 99)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(static_cast<Jitter>(9))).status, Status::invalid_config);
}

}  // namespace
