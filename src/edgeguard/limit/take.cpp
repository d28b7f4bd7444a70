#include "edgeguard/limit/take.hpp"

#include <algorithm>
#include <cmath>

#include "edgeguard/limit/algorithm.hpp"

namespace edgeguard::limit {

namespace {

double blocked_until(const Policy& p, const double* s) { return p.has_block() ? s[p.words - 1] : kNever; }

// The most units every policy would grant now: what a call of cost 0 finds left (0 while blocked).
double fits(const std::vector<Policy>& policies, const double* state, double now_ms, double want) {
  double most = want;
  for (const Policy& p : policies) {
    const double* s = state + p.offset;
    const double units = blocked_until(p, s) > now_ms ? 0 : decide(p, s, now_ms, 0).remaining;
    most = std::min(most, units);
  }
  return most;
}

}  // namespace

void init_take_state(const std::vector<Policy>& policies, double* state) {
  for (const Policy& p : policies) {
    init_state(p, state + p.offset);
    if (p.has_block()) state[p.offset + p.words - 1] = kNever;
  }
}

TakeResult take(const std::vector<Policy>& policies, double* state, double now_ms, double give,
                double want, double min, TakeOp op) {
  bool rejected[kMaxPolicies];
  TakeResult t;
  if (op == TakeOp::peek) {
    t.answer = evaluate(policies, state, 1, now_ms, rejected);
    if (t.answer.allowed) t.answer = evaluate(policies, state, 0, now_ms, rejected);
    return t;
  }
  if (op == TakeOp::penalize) {
    for (const Policy& p : policies) consume(p, state + p.offset, now_ms, want);
    return t;
  }
  if (give > 0) {
    for (const Policy& p : policies) refund(p, state + p.offset, now_ms, give);
  }
  if (want == 0) {
    t.answer = evaluate(policies, state, 0, now_ms, rejected);
    return t;
  }
  const double granted = fits(policies, state, now_ms, want);
  if (granted >= min && granted > 0) {
    t.granted = granted;
    t.answer = evaluate(policies, state, granted, now_ms, rejected);
    for (const Policy& p : policies) consume(p, state + p.offset, now_ms, granted);
  } else {
    t.answer = evaluate(policies, state, std::max(min, 1.0), now_ms, rejected);
    for (uint32_t i = 0; i < policies.size(); ++i) {
      const Policy& p = policies[i];
      double* s = state + p.offset;
      if (rejected[i] && p.has_block() && s[p.words - 1] <= now_ms) s[p.words - 1] = now_ms + p.config.block_ms;
    }
  }
  t.wait_ms = evaluate(policies, state, want, now_ms, rejected).retry_after_ms;
  return t;
}

double until_full_ms(const Policy& p, const double* s, double now_ms) {
  const double until = blocked_until(p, s);
  return std::max(decide(p, s, now_ms, 0).reset_ms, until > now_ms ? std::ceil(until - now_ms) : 0.0);
}

}  // namespace edgeguard::limit
