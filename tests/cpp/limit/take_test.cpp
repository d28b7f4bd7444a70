#include "edgeguard/limit/take.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace edgeguard::limit::test {
namespace {

struct Key {
  std::vector<Policy> policies;
  std::vector<double> state;

  explicit Key(const std::vector<PolicyConfig>& configs) {
    uint32_t words = 0;
    for (const PolicyConfig& c : configs) {
      Policy p;
      const Check check = make_policy(c, p);
      EXPECT_FALSE(check) << check.message;
      p.offset = words;
      words += p.words;
      policies.push_back(p);
    }
    state.assign(words, 0.0);
    init_take_state(policies, state.data());
  }

  TakeResult take(double now, double want, double min, double give = 0) {
    return limit::take(policies, state.data(), now, give, want, min, TakeOp::take);
  }
};

PolicyConfig policy(Algorithm a, uint32_t limit, double window, uint32_t burst = 0, double block = 0) {
  PolicyConfig c;
  c.algorithm = a;
  c.limit = limit;
  c.window_ms = window;
  c.burst = burst;
  c.block_ms = block;
  return c;
}

TEST(Take, GrantsAsManyAsFitUpToWantAndRefusesBelowMin) {
  Key k({policy(Algorithm::gcra, 10, 1000)});
  EXPECT_EQ(k.take(0, 4, 1).granted, 4);
  const TakeResult most = k.take(0, 20, 1);
  EXPECT_EQ(most.granted, 6);
  EXPECT_EQ(most.answer.remaining, 0);
  EXPECT_EQ(most.wait_ms, 2000) << "20 units fit once 20 intervals of 100 ms have passed";
  const TakeResult refused = k.take(50, 3, 2);
  EXPECT_EQ(refused.granted, 0);
  EXPECT_FALSE(refused.answer.allowed);
  EXPECT_EQ(refused.answer.retry_after_ms, 150) << "for a call of cost min = 2";
  EXPECT_EQ(k.take(100, 3, 2).granted, 0) << "one unit back, two needed: nothing consumed by the refusal";
  EXPECT_EQ(k.take(200, 3, 2).granted, 2);
}

TEST(Take, GiveBackNeverBeyondFullAllowance) {
  Key k({policy(Algorithm::token_bucket, 5, 500)});
  EXPECT_EQ(k.take(0, 5, 5).granted, 5);
  EXPECT_EQ(k.take(0, 5, 1, 3).granted, 3);
  EXPECT_EQ(k.take(0, 0, 0, 100).granted, 0);
  EXPECT_EQ(k.take(0, 10, 1).granted, 5) << "given back 100, holds its capacity of 5";
}

TEST(Take, ARefusalStartsTheBlocksOfThePoliciesThatRefuse) {
  Key k({policy(Algorithm::gcra, 2, 1000, 0, 5000), policy(Algorithm::gcra, 100, 1000)});
  EXPECT_EQ(k.take(0, 2, 1).granted, 2);
  const TakeResult r = k.take(0, 1, 1);
  EXPECT_EQ(r.granted, 0);
  EXPECT_EQ(r.answer.policy, 0u);
  EXPECT_EQ(r.answer.retry_after_ms, 5000);
  EXPECT_EQ(k.take(4999, 1, 1).granted, 0);
  EXPECT_EQ(until_full_ms(k.policies[0], k.state.data() + k.policies[0].offset, 4999), 1);
  EXPECT_EQ(k.take(5000, 1, 1).granted, 1);
}

TEST(Take, PeekChangesNothingAndPenalizeGoesPastTheLimit) {
  Key k({policy(Algorithm::gcra, 3, 300)});
  const std::vector<double> before = k.state;
  EXPECT_EQ(limit::take(k.policies, k.state.data(), 0, 0, 0, 0, TakeOp::peek).answer.remaining, 3);
  EXPECT_EQ(k.state, before);
  limit::take(k.policies, k.state.data(), 0, 0, 5, 0, TakeOp::penalize);
  EXPECT_EQ(k.take(200, 1, 1).granted, 0) << "5 taken from 3: in debt until 300";
  EXPECT_EQ(k.take(300, 1, 1).granted, 1);
}

// With want = min = cost and no give, a take is Limiter::check: the same answer, the same state.
TEST(Take, AsACheckItIsTheLimiter) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<PolicyConfig> configs;
    const int n = 1 + int(rng() % 3);
    for (int i = 0; i < n; ++i) {
      configs.push_back(policy(rng() % 2 ? Algorithm::gcra : Algorithm::token_bucket, 1 + rng() % 9,
                               double(1 + rng() % 2000), rng() % 3 ? 0 : 1 + rng() % 12, rng() % 3 ? 0 : double(rng() % 800)));
    }
    Key k(configs);
    LimiterConfig config;
    config.policies = configs;
    std::unique_ptr<Limiter> limiter;
    ASSERT_FALSE(Limiter::create(config, limiter));
    uint32_t smallest = UINT32_MAX;
    for (const Policy& p : k.policies) smallest = std::min(smallest, p.capacity);
    double now = 1000;
    const std::string key = "k";
    for (int step = 0; step < 40; ++step) {
      now += double(rng() % 4 == 0 ? rng() % 1500 : rng() % 20);
      const uint32_t cost = 1 + rng() % smallest;
      const Result want = limiter->check(reinterpret_cast<const uint8_t*>(key.data()), 1, cost, now);
      const TakeResult got = k.take(now, cost, cost);
      ASSERT_EQ(got.granted, want.allowed ? cost : 0) << round << "/" << step;
      ASSERT_EQ(got.answer.policy, want.policy);
      ASSERT_EQ(got.answer.remaining, want.remaining);
      ASSERT_EQ(got.answer.reset_ms, want.reset_ms);
      ASSERT_EQ(got.answer.retry_after_ms, want.retry_after_ms);
    }
  }
}

}  // namespace
}  // namespace edgeguard::limit::test
