#pragma once
// One policy and one key's state, driven with an explicit clock: the algorithm tests' fixture.
#include <gtest/gtest.h>

#include <vector>

#include "edgeguard/limit/algorithm.hpp"

namespace edgeguard::limit::test {

struct Harness {
  Policy policy;
  std::vector<double> state;

  explicit Harness(PolicyConfig config) {
    const Check c = make_policy(config, policy);
    EXPECT_FALSE(c) << c.message;
    state.assign(policy.words, 0.0);
    init_state(policy, state.data());
  }

  // decide + consume when allowed: what the limiter does for a single policy.
  Decision call(double now_ms, double cost = 1) {
    const Decision d = decide(policy, state.data(), now_ms, cost);
    if (d.allowed) consume(policy, state.data(), now_ms, cost);
    return d;
  }

  // How many calls of `cost` are allowed at `now_ms` before the first rejection.
  int drain(double now_ms, double cost = 1) {
    int n = 0;
    while (call(now_ms, cost).allowed) ++n;
    return n;
  }

  Decision peek(double now_ms, double cost = 1) const {
    return decide(policy, state.data(), now_ms, cost);
  }
  bool full(double now_ms) const { return at_full_allowance(policy, state.data(), now_ms); }
  void penalize(double now_ms, double cost) { consume(policy, state.data(), now_ms, cost); }
  void reward(double now_ms, double cost) { refund(policy, state.data(), now_ms, cost); }
};

inline PolicyConfig config(Algorithm a, uint32_t limit, double window_ms, uint32_t burst = 0) {
  PolicyConfig c;
  c.algorithm = a;
  c.limit = limit;
  c.window_ms = window_ms;
  c.burst = burst;
  return c;
}

}  // namespace edgeguard::limit::test
