#pragma once
// Token bucket: a level of credit refilled continuously, in the same exact time units as GCRA
// (one token is p units). Two words per key: the level as of the last call, and that time.
#include <algorithm>
#include <cmath>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/policy.hpp"

namespace edgeguard::limit {

struct TokenBucket {
  static constexpr uint32_t kWords = 2;

  static void init(const Policy& p, double* s) {
    s[0] = p.capacity * p.p;
    s[1] = kNever;
  }

  static Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
    const double cap = p.capacity * p.p;
    const double level = refilled(p, s, now_ms * p.q);
    const double need = cost * p.p;
    Decision d;
    d.allowed = level >= need;
    const double left = d.allowed ? level - need : level;
    d.remaining = std::max(0.0, std::floor(left / p.p));
    d.reset_ms = ceil_ms(cap - left, p.q);
    if (!d.allowed) d.retry_after_ms = ceil_ms(need - level, p.q);
    return d;
  }

  static void consume(const Policy& p, double* s, double now_ms, double cost) {
    const double now = now_ms * p.q;
    s[0] = refilled(p, s, now) - cost * p.p;
    s[1] = std::max(s[1], now);
  }

  static void refund(const Policy& p, double* s, double now_ms, double cost) {
    const double now = now_ms * p.q;
    s[0] = std::min(p.capacity * p.p, refilled(p, s, now) + cost * p.p);
    s[1] = std::max(s[1], now);
  }

  static bool full(const Policy& p, const double* s, double now_ms) {
    return refilled(p, s, now_ms * p.q) >= p.capacity * p.p;
  }

 private:
  // A clock that steps back refills nothing (rather than draining the bucket).
  static double refilled(const Policy& p, const double* s, double now) {
    return std::min(p.capacity * p.p, s[0] + std::max(0.0, now - s[1]));
  }
};

}  // namespace edgeguard::limit
