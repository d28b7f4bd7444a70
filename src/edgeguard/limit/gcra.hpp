#pragma once
// Generic Cell Rate Algorithm: one word per key, the theoretical arrival time (TAT) of the next
// call. A call of cost c is allowed when it would push the TAT no further than `capacity`
// emission intervals ahead of now. Equivalent to a token bucket, with half the state.
#include <algorithm>
#include <cmath>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/policy.hpp"

namespace edgeguard::limit {

struct Gcra {
  static constexpr uint32_t kWords = 1;

  static void init(const Policy&, double* s) { s[0] = kNever; }

  static Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
    const double now = now_ms * p.q;
    const double cap = p.capacity * p.p;
    const double base = std::max(s[0], now);
    const double next = base + cost * p.p;
    Decision d;
    d.allowed = next - now <= cap;
    const double debt = d.allowed ? next - now : base - now;
    d.remaining = std::max(0.0, std::floor((cap - debt) / p.p));
    d.reset_ms = ceil_ms(debt, p.q);
    if (!d.allowed) d.retry_after_ms = ceil_ms(next - cap - now, p.q);
    return d;
  }

  static void consume(const Policy& p, double* s, double now_ms, double cost) {
    s[0] = std::max(s[0], now_ms * p.q) + cost * p.p;
  }

  static void refund(const Policy& p, double* s, double now_ms, double cost) {
    s[0] = std::max(s[0] - cost * p.p, now_ms * p.q);
  }

  static bool full(const Policy& p, const double* s, double now_ms) { return s[0] <= now_ms * p.q; }
};

}  // namespace edgeguard::limit
