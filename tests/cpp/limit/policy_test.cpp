#include "edgeguard/limit/policy.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

Status status_of(PolicyConfig c) {
  Policy p;
  return make_policy(c, p).status;
}

TEST(Policy, RejectsInvalidConfigurationsWithStableStatuses) {
  EXPECT_EQ(status_of(config(Algorithm(5), 10, 1000)), Status::bad_algorithm);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 0, 1000)), Status::bad_limit);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 0x80000000u, 1000)), Status::bad_limit);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10, 0)), Status::bad_window);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10, 1.5)), Status::bad_window);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10, 1e15)), Status::bad_window);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10, std::nan(""))), Status::bad_window);
  EXPECT_EQ(status_of(config(Algorithm::fixed_window, 10, 1000, 5)), Status::bad_burst);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10, 1000, 0x80000000u)), Status::bad_burst);
  PolicyConfig blocked = config(Algorithm::gcra, 10, 1000);
  blocked.block_ms = -1;
  EXPECT_EQ(status_of(blocked), Status::bad_block);
  blocked.block_ms = 0.5;
  EXPECT_EQ(status_of(blocked), Status::bad_block);
  EXPECT_EQ(status_of(config(Algorithm::sliding_log, kMaxLogLimit + 1, 1000)), Status::log_too_large);
  EXPECT_EQ(status_of(config(Algorithm::sliding_log, kMaxLogLimit, 1000)), Status::ok);
}

// At 10^9 per minute the time unit is 1/50000 ms: wall-clock times pass 2^53 units, and a call's
// 3 units vanished in rounding, so the allowance never ran out. Limits whose calls stay exact
// enough are kept, however high.
TEST(Policy, RejectsRatesWhoseCallsWouldVanishInRounding) {
  EXPECT_EQ(status_of(config(Algorithm::gcra, 1000000000u, 60000)), Status::bad_limit);
  EXPECT_EQ(status_of(config(Algorithm::token_bucket, 1000000000u, 60000)), Status::bad_limit);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 999983, 1000)), Status::bad_limit);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10000000, 60000)), Status::ok);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 1000000, 1000)), Status::ok);
  EXPECT_EQ(status_of(config(Algorithm::gcra, 10007, 60000)), Status::ok);
  EXPECT_EQ(status_of(config(Algorithm::fixed_window, 1000000000u, 60000)), Status::ok);
  Policy p;
  ASSERT_EQ(make_policy(config(Algorithm::gcra, 10007, 60000), p).status, Status::ok);
  const double now = 1.7e12 * p.q;
  EXPECT_EQ(now + p.p - now, p.p) << "a call's units survive at today's times";
}

TEST(Policy, DerivesExactTimeUnitsFromTheRate) {
  Policy p;
  ASSERT_FALSE(make_policy(config(Algorithm::gcra, 3, 1000), p));
  EXPECT_EQ(p.q, 3);
  EXPECT_EQ(p.p, 1000);
  ASSERT_FALSE(make_policy(config(Algorithm::gcra, 1000, 86'400'000), p));
  EXPECT_EQ(p.q, 1);
  EXPECT_EQ(p.p, 86'400);
  EXPECT_EQ(p.capacity, 1000u);
  EXPECT_EQ(p.words, 1u);
}

TEST(Policy, StateWordsPerAlgorithmIncludeTheBlockWord) {
  Policy p;
  PolicyConfig c = config(Algorithm::sliding_window, 10, 1000);
  ASSERT_FALSE(make_policy(c, p));
  EXPECT_EQ(p.words, 3u);
  c.block_ms = 5000;
  ASSERT_FALSE(make_policy(c, p));
  EXPECT_EQ(p.words, 4u);
  EXPECT_TRUE(p.has_block());
  ASSERT_FALSE(make_policy(config(Algorithm::sliding_log, 50, 1000), p));
  EXPECT_EQ(p.words, 52u);
}

}  // namespace
}  // namespace edgeguard::limit::test
