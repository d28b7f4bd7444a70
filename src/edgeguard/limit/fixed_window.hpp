#pragma once
// Fixed window: a counter per window of window_ms aligned to multiples of window_ms (so every
// key's windows line up). Cheap, but a client can spend a full limit at the end of one window
// and another at the start of the next: up to twice the limit within window_ms.
#include <algorithm>
#include <cmath>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/policy.hpp"

namespace edgeguard::limit {

struct FixedWindow {
  static constexpr uint32_t kWords = 2;  // window index, count in it

  static void init(const Policy&, double* s) {
    s[0] = kNever;
    s[1] = 0;
  }

  static Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
    const double w = window(p, s, now_ms);
    const double count = w == s[0] ? s[1] : 0;
    const double limit = p.config.limit;
    Decision d;
    d.allowed = count + cost <= limit;
    const double used = d.allowed ? count + cost : count;
    d.remaining = std::max(0.0, limit - used);
    const double end_ms = (w + 1) * p.config.window_ms - now_ms;
    d.reset_ms = used > 0 ? std::ceil(end_ms) : 0;
    if (!d.allowed) d.retry_after_ms = d.reset_ms;
    return d;
  }

  static void consume(const Policy& p, double* s, double now_ms, double cost) {
    const double w = window(p, s, now_ms);
    s[1] = (w == s[0] ? s[1] : 0) + cost;
    s[0] = w;
  }

  static void refund(const Policy& p, double* s, double now_ms, double cost) {
    const double w = window(p, s, now_ms);
    s[1] = std::max(0.0, (w == s[0] ? s[1] : 0) - cost);
    s[0] = w;
  }

  static bool full(const Policy& p, const double* s, double now_ms) {
    return window(p, s, now_ms) != s[0] || s[1] <= 0;
  }

 private:
  // A clock that steps back stays in the newest window seen (it never reopens an old one).
  static double window(const Policy& p, const double* s, double now_ms) {
    return std::max(s[0], std::floor(now_ms / p.config.window_ms));
  }
};

}  // namespace edgeguard::limit
