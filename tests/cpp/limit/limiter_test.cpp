#include "edgeguard/limit/limiter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

PolicyConfig blocking(PolicyConfig c, double block_ms) {
  c.block_ms = block_ms;
  return c;
}

struct Fixture {
  std::unique_ptr<Limiter> limiter;

  explicit Fixture(std::vector<PolicyConfig> policies, uint32_t max_keys = kDefaultMaxKeys) {
    LimiterConfig config;
    config.policies = std::move(policies);
    config.max_keys = max_keys;
    config.seed = 99;
    const Check c = Limiter::create(config, limiter);
    EXPECT_FALSE(c) << c.message;
  }

  static const uint8_t* b(const std::string& k) { return reinterpret_cast<const uint8_t*>(k.data()); }
  Result check(const std::string& k, double now, uint32_t cost = 1) { return limiter->check(b(k), k.size(), cost, now); }
  Result peek(const std::string& k, double now) const { return limiter->peek(b(k), k.size(), now); }
  bool reset(const std::string& k) { return limiter->reset(b(k), k.size()); }
  void penalize(const std::string& k, double now, uint32_t cost) { ASSERT_FALSE(limiter->penalize(b(k), k.size(), cost, now)); }
  void reward(const std::string& k, double now, uint32_t cost) { ASSERT_FALSE(limiter->reward(b(k), k.size(), cost, now)); }
  bool tracked(const std::string& k) const { return limiter->table().find(b(k), k.size(), limiter->table().hash(b(k), k.size())) != KeyTable::npos; }
  int drain(const std::string& k, double now) {
    int n = 0;
    while (check(k, now).allowed) ++n;
    return n;
  }
};

Status create_status(LimiterConfig config) {
  std::unique_ptr<Limiter> l;
  const Check c = Limiter::create(config, l);
  EXPECT_EQ(l != nullptr, !c);
  return c.status;
}

TEST(Limiter, RejectsInvalidConfigurations) {
  LimiterConfig c;
  EXPECT_EQ(create_status(c), Status::no_policies);
  c.policies.assign(17, config(Algorithm::gcra, 1, 1000));
  EXPECT_EQ(create_status(c), Status::too_many_policies);
  c.policies = {config(Algorithm::gcra, 10, 1000), config(Algorithm::gcra, 0, 1000)};
  std::unique_ptr<Limiter> l;
  const Check bad = Limiter::create(c, l);
  EXPECT_EQ(bad.status, Status::bad_limit);
  EXPECT_EQ(bad.policy, 1u);  // names the offending policy
  c.policies = {config(Algorithm::gcra, 10, 1000)};
  c.max_keys = 0;
  EXPECT_EQ(create_status(c), Status::bad_max_keys);
  c.max_keys = kMaxKeysLimit + 1;
  EXPECT_EQ(create_status(c), Status::bad_max_keys);
  c.max_keys = 10;
  c.max_key_bytes = 0;
  EXPECT_EQ(create_status(c), Status::bad_max_key_bytes);
  c.max_key_bytes = 64;
  c.policies = {config(Algorithm::sliding_log, 1000, 1000)};
  c.max_keys = 1'000'000;  // 8 GB of timestamps
  EXPECT_EQ(create_status(c), Status::table_too_large);
  c.max_keys = 10'000;
  EXPECT_EQ(create_status(c), Status::ok);
}

TEST(Limiter, RejectsBadCallsWithoutTouchingState) {
  Fixture f({config(Algorithm::gcra, 10, 1000), config(Algorithm::fixed_window, 100, 60'000)});
  EXPECT_EQ(f.check("k", 0, 0).status, Status::bad_cost);
  const Result too_costly = f.check("k", 0, 11);
  EXPECT_EQ(too_costly.status, Status::cost_exceeds_limit);
  EXPECT_EQ(too_costly.policy, 0u);  // the policy whose capacity it exceeds
  EXPECT_EQ(too_costly.limit, 10);
  EXPECT_EQ(f.check("k", std::nan(""), 1).status, Status::bad_time);
  EXPECT_EQ(f.check("k", INFINITY, 1).status, Status::bad_time);
  EXPECT_EQ(f.check("k", -INFINITY, 1).status, Status::bad_time);
  EXPECT_EQ(f.check("k", -1, 1).status, Status::bad_time);
  EXPECT_EQ(f.check("k", 0x1p53 + 2, 1).status, Status::bad_time);
  EXPECT_EQ(f.peek("k", std::nan("")).status, Status::bad_time);
  EXPECT_EQ(f.limiter->penalize(Fixture::b("k"), 1, 1, std::nan("")).status, Status::bad_time);
  EXPECT_EQ(f.limiter->reward(Fixture::b("k"), 1, 1, -INFINITY).status, Status::bad_time);
  EXPECT_EQ(f.check(std::string(kDefaultMaxKeyBytes + 1, 'k'), 0).status, Status::key_too_long);
  EXPECT_EQ(f.limiter->stats().keys, 0u);
  const Result ok = f.check("k", 0, 10);  // cost == the smallest capacity is fine
  EXPECT_EQ(ok.status, Status::ok);
  EXPECT_TRUE(ok.allowed);
}

// A clock that steps back an hour: every algorithm (and a block) answers for the time that
// passes after the step, never for the step itself. What retryAfterMs says is what it does.
TEST(Limiter, AClockSteppingBackLocksNoKeyOutForTheStep) {
  constexpr double kHour = 3'600'000;
  for (const PolicyConfig& p : {config(Algorithm::gcra, 5, 1000), config(Algorithm::token_bucket, 5, 1000),
                                config(Algorithm::sliding_window, 5, 1000), config(Algorithm::fixed_window, 5, 1000),
                                config(Algorithm::sliding_log, 5, 1000), blocking(config(Algorithm::gcra, 5, 1000), 2000)}) {
    SCOPED_TRACE(int(p.algorithm));
    Fixture f({p});
    EXPECT_EQ(f.drain("k", kHour + 500), 5);
    const Result refused = f.check("k", 500);  // the clock stepped back an hour
    ASSERT_FALSE(refused.allowed);
    EXPECT_LE(refused.retry_after_ms, 2000);
    EXPECT_FALSE(f.check("k", 500 + refused.retry_after_ms - 1).allowed);
    EXPECT_TRUE(f.peek("k", 500 + refused.retry_after_ms).allowed);
    EXPECT_TRUE(f.check("k", 500 + refused.retry_after_ms).allowed);
    // Nor does the step back grant anything: time stood still at the step.
    Fixture g({p});
    EXPECT_EQ(g.drain("k", kHour), 5);
    EXPECT_EQ(g.drain("k", 0), 0);
  }
}

TEST(Limiter, ARejectedCallConsumesNothingFromAnyPolicy) {
  Fixture f({config(Algorithm::gcra, 10, 1000), config(Algorithm::fixed_window, 12, 86'400'000)});
  EXPECT_EQ(f.drain("k", 0), 10);                      // burst policy exhausted
  EXPECT_EQ(f.peek("k", 0).policy, 0u);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(f.check("k", 0).allowed);
  // The daily policy saw only the 10 allowed calls: 2 more fit once the burst refills.
  EXPECT_EQ(f.drain("k", 1000), 2);
  const Result r = f.check("k", 1000);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.policy, 1u);
  EXPECT_EQ(r.retry_after_ms, 86'400'000 - 1000);
  const PolicyStats& burst = f.limiter->policy_stats(0);
  const PolicyStats& daily = f.limiter->policy_stats(1);
  EXPECT_EQ(burst.allowed, 12u);
  EXPECT_EQ(burst.rejected, 51u);
  EXPECT_EQ(daily.allowed, 12u);
  EXPECT_EQ(daily.rejected, 2u);  // the end of the drain at 1000, then the last check
  EXPECT_EQ(f.limiter->stats().allowed, 12u);
  EXPECT_EQ(f.limiter->stats().rejected, 53u);
}

TEST(Limiter, SeveralPoliciesActAsTheirConjunctionOnARandomTrace) {
  // Reference: one harness per policy; a call is allowed iff all allow it, and only then does
  // any of them consume.
  const std::vector<PolicyConfig> configs = {
      config(Algorithm::gcra, 5, 1000), config(Algorithm::sliding_window, 20, 10'000),
      config(Algorithm::fixed_window, 12, 5'000), config(Algorithm::sliding_log, 8, 3'000),
      config(Algorithm::token_bucket, 3, 500, 6)};
  Fixture f(configs);
  std::vector<Harness> refs;
  for (const PolicyConfig& c : configs) refs.emplace_back(c);
  std::mt19937 rng(11);
  double now = 0;
  for (int i = 0; i < 20'000; ++i) {
    now += std::uniform_int_distribution<int>(0, 200)(rng);
    const uint32_t cost = std::uniform_int_distribution<uint32_t>(1, 3)(rng);
    bool all = true;
    for (const Harness& r : refs) all = all && r.peek(now, cost).allowed;
    const Result got = f.check("k", now, cost);
    ASSERT_EQ(got.allowed, all) << "call " << i;
    if (all) {
      for (Harness& r : refs) r.call(now, cost);
    }
  }
}

TEST(Limiter, ReportsTheMostConstrainingPolicy) {
  Fixture f({config(Algorithm::gcra, 10, 1000), config(Algorithm::fixed_window, 1000, 86'400'000)});
  Result r = f.check("k", 0);
  EXPECT_EQ(r.policy, 0u);  // 9 left of 10 beats 999 left of 1000
  EXPECT_EQ(r.remaining, 9);
  EXPECT_EQ(r.limit, 10);
  EXPECT_EQ(r.reset_ms, 100);
  f.penalize("k", 0, 995);  // hits both policies; the burst one has long recovered at 100 s
  r = f.check("k", 100'000);
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.policy, 1u);  // 3 left of 1000 beats 9 left of 10
  EXPECT_EQ(r.remaining, 3);
  EXPECT_EQ(r.limit, 1000);
  EXPECT_EQ(r.reset_ms, 86'400'000 - 100'000);
  // When several reject, the one with the longest wait decides.
  f.penalize("k", 100'000, 20);
  r = f.check("k", 100'000);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.policy, 1u);
  EXPECT_EQ(r.retry_after_ms, 86'400'000 - 100'000);
  EXPECT_EQ(f.limiter->policy_stats(0).rejected, 1u);  // the burst policy rejected it too
}

TEST(Limiter, EveryAlgorithmRunsBehindTheLimiter) {
  for (Algorithm a : {Algorithm::gcra, Algorithm::token_bucket, Algorithm::sliding_window,
                      Algorithm::fixed_window, Algorithm::sliding_log}) {
    Fixture f({config(a, 5, 1000)});
    EXPECT_EQ(f.drain("k", 0), 5) << int(a);
    EXPECT_GT(f.check("k", 0).retry_after_ms, 0) << int(a);
    EXPECT_EQ(f.drain("other", 0), 5) << int(a);
  }
}

TEST(Limiter, BlockMsRejectsEverythingUntilTheBlockEnds) {
  Fixture f({blocking(config(Algorithm::gcra, 5, 1000), 10'000)});
  EXPECT_EQ(f.drain("k", 0), 5);  // the 6th call goes over and starts the block
  EXPECT_EQ(f.limiter->policy_stats(0).blocks, 1u);
  Result r = f.check("k", 3'000);  // the bucket refilled long ago, but the key is blocked
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.remaining, 0);
  EXPECT_EQ(r.retry_after_ms, 7'000);
  EXPECT_EQ(r.reset_ms, 7'000);
  EXPECT_FALSE(f.peek("k", 9'999).allowed);
  EXPECT_EQ(f.limiter->policy_stats(0).blocks, 1u);  // calls during a block do not extend it
  EXPECT_EQ(f.drain("k", 10'000), 5);
  EXPECT_EQ(f.limiter->policy_stats(0).blocks, 2u);
}

TEST(Limiter, TheCallThatGoesOverReportsTheBlockAsItsWait) {
  Fixture f({blocking(config(Algorithm::fixed_window, 2, 1000), 60'000)});
  EXPECT_EQ(f.drain("k", 0), 2);
  EXPECT_EQ(f.peek("k", 0).retry_after_ms, 60'000);
  f.reset("k");
  f.check("k", 0);
  f.check("k", 0);
  const Result r = f.check("k", 0);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_after_ms, 60'000);
}

// While a key is blocked, a refused call's wait is the longer of the block's end and the
// algorithm's own wait for that cost: 10 ms later the block is over but the bucket is not.
// Refusals during the block neither extend it nor change the answer.
TEST(Limiter, ABlockedKeysWaitIsTheLongerOfTheBlockAndTheAlgorithm) {
  for (const double block_ms : {10.0, 150.0, 1000.0}) {
    for (Algorithm a : {Algorithm::gcra, Algorithm::token_bucket, Algorithm::sliding_window,
                        Algorithm::fixed_window, Algorithm::sliding_log}) {
      SCOPED_TRACE(testing::Message() << "algorithm " << int(a) << ", block " << block_ms);
      Fixture f({blocking(config(a, 1, 100), block_ms)});
      Harness alone(config(a, 1, 100));  // the same algorithm without a block
      ASSERT_TRUE(f.check("k", 0).allowed);
      alone.call(0);
      const double algorithm_wait = alone.peek(0).retry_after_ms;
      const double wait = std::max(algorithm_wait, block_ms);
      const Result over = f.check("k", 0);  // goes over: starts the block
      EXPECT_FALSE(over.allowed);
      EXPECT_EQ(over.retry_after_ms, wait);
      for (int i = 0; i < 3; ++i) {  // refused by the block: the same answer every time
        const Result blocked = f.check("k", 0);
        EXPECT_FALSE(blocked.allowed);
        EXPECT_EQ(blocked.remaining, 0);
        EXPECT_EQ(blocked.retry_after_ms, wait);
        EXPECT_GE(blocked.reset_ms, wait);
        EXPECT_EQ(f.peek("k", 0).retry_after_ms, wait);
      }
      const Result later = f.check("k", 5);  // later in the block, the wait shrinks by as much
      EXPECT_FALSE(later.allowed);
      EXPECT_EQ(later.retry_after_ms, wait - 5);
      EXPECT_FALSE(f.peek("k", wait - 1).allowed);
      EXPECT_TRUE(f.peek("k", wait).allowed);
      EXPECT_TRUE(f.check("k", wait).allowed);
      EXPECT_EQ(f.limiter->policy_stats(0).blocks, 1u);  // nothing re-blocked the key
    }
  }
}

// The same with several policies: the answer is the most constraining policy's true wait.
TEST(Limiter, SeveralPoliciesReportTheLongestTrueWaitWhileBlocked) {
  Fixture f({config(Algorithm::gcra, 10, 1000), blocking(config(Algorithm::gcra, 1, 100), 10),
             blocking(config(Algorithm::fixed_window, 1, 300), 50)});
  ASSERT_TRUE(f.check("k", 0).allowed);
  for (int i = 0; i < 3; ++i) {  // the first goes over both, the others meet both blocks
    const Result r = f.check("k", 0);
    EXPECT_FALSE(r.allowed);
    EXPECT_EQ(r.policy, 2u);
    EXPECT_EQ(r.retry_after_ms, 300);  // the window's end, not the block's (50)
    EXPECT_EQ(r.reset_ms, 300);
  }
  EXPECT_EQ(f.peek("k", 5).retry_after_ms, 295);
  EXPECT_FALSE(f.peek("k", 299).allowed);
  EXPECT_TRUE(f.check("k", 300).allowed);
  EXPECT_EQ(f.limiter->policy_stats(1).blocks, 1u);
  EXPECT_EQ(f.limiter->policy_stats(2).blocks, 1u);
}

TEST(Limiter, OnlyThePolicyThatWentOverBlocks) {
  Fixture f({blocking(config(Algorithm::gcra, 100, 1000), 60'000), config(Algorithm::gcra, 2, 1000)});
  EXPECT_EQ(f.drain("k", 0), 2);
  EXPECT_EQ(f.limiter->policy_stats(0).blocks, 0u);
  EXPECT_TRUE(f.check("k", 1000).allowed);
}

TEST(Limiter, PeekConsumesNothingAndDoesNotTrackNewKeys) {
  Fixture f({config(Algorithm::gcra, 3, 1000)});
  Result r = f.peek("new", 0);
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.remaining, 3);
  EXPECT_EQ(r.reset_ms, 0);
  EXPECT_FALSE(f.tracked("new"));
  f.check("k", 0);
  for (int i = 0; i < 10; ++i) r = f.peek("k", 0);
  EXPECT_EQ(r.remaining, 2);
  EXPECT_EQ(f.drain("k", 0), 2);
  r = f.peek("k", 0);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_after_ms, 334);
  EXPECT_EQ(f.limiter->policy_stats(0).rejected, 1u);  // peeks are not counted
}

TEST(Limiter, ResetForgetsTheKey) {
  Fixture f({config(Algorithm::sliding_window, 3, 1000)});
  EXPECT_EQ(f.drain("k", 0), 3);
  EXPECT_TRUE(f.reset("k"));
  EXPECT_FALSE(f.reset("k"));
  EXPECT_EQ(f.limiter->stats().keys, 0u);
  EXPECT_EQ(f.drain("k", 0), 3);
}

TEST(Limiter, PenalizeAndRewardApplyToEveryPolicy) {
  Fixture f({config(Algorithm::gcra, 10, 1000), config(Algorithm::fixed_window, 20, 60'000)});
  f.penalize("k", 0, 8);
  EXPECT_EQ(f.peek("k", 0).remaining, 2);
  f.reward("k", 0, 5);
  EXPECT_EQ(f.peek("k", 0).remaining, 7);
  f.reward("never-seen", 0, 5);
  EXPECT_FALSE(f.tracked("never-seen"));
  f.penalize("k", 0, 30);  // beyond every limit: rejected until both recover
  const Result r = f.check("k", 0);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_after_ms, 60'000);
}

TEST(Limiter, EvictsKeysBackAtFullAllowanceBeforeTheLeastRecentlySeen) {
  Fixture f({config(Algorithm::gcra, 2, 1000)}, 3);
  f.check("a", 100, 2);  // a: empty until 1100
  f.check("b", 500);   // b: full again at 1000
  f.check("c", 900, 2);  // c: empty until 1900
  f.check("d", 1000);  // table full: b is back at full allowance, a is older but is not
  EXPECT_TRUE(f.tracked("a"));
  EXPECT_FALSE(f.tracked("b"));
  LimiterStats s = f.limiter->stats();
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_EQ(s.evictions_active, 0u);
  EXPECT_EQ(s.keys, 3u);
  // Nobody is at full allowance: the least recently seen goes (a was seen before c and d).
  f.check("e", 1000);
  EXPECT_FALSE(f.tracked("a"));
  EXPECT_TRUE(f.tracked("c"));
  s = f.limiter->stats();
  EXPECT_EQ(s.evictions, 2u);
  EXPECT_EQ(s.evictions_active, 1u);
}

TEST(Limiter, SeeingAKeyAgainProtectsItFromEviction) {
  Fixture f({config(Algorithm::fixed_window, 5, 60'000)}, 2);
  f.check("a", 0);
  f.check("b", 0);
  f.check("a", 1);  // a is now the most recently seen, even when rejected later
  f.check("c", 2);
  EXPECT_TRUE(f.tracked("a"));
  EXPECT_FALSE(f.tracked("b"));
}

TEST(Limiter, AMillionKeysThroughAHundredThousandStayBounded) {
  Fixture f({config(Algorithm::gcra, 10, 1000)});
  size_t at_capacity = 0;
  for (uint32_t i = 0; i < 1'000'000; ++i) {
    const std::string key = "ip:" + std::to_string(i);
    ASSERT_TRUE(f.check(key, i / 100).allowed);
    if (i + 1 == kDefaultMaxKeys) at_capacity = f.limiter->stats().memory_bytes;
  }
  const LimiterStats s = f.limiter->stats();
  EXPECT_EQ(s.keys, kDefaultMaxKeys);
  EXPECT_EQ(s.evictions, 1'000'000u - kDefaultMaxKeys);
  EXPECT_EQ(s.memory_bytes, at_capacity);
  EXPECT_LE(double(s.memory_bytes) / s.keys, sizeof(void*) == 4 ? 48 : 52);
  EXPECT_TRUE(f.tracked("ip:999999"));
  EXPECT_FALSE(f.tracked("ip:0"));
}

}  // namespace
}  // namespace edgeguard::limit::test
