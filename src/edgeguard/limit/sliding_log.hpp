#pragma once
// Sliding log: the exact answer. A ring of the timestamps of the last `limit` allowed units;
// a unit counts while now < its time + window_ms. Older units than the newest `limit` can never
// change a decision, so the ring is bounded by the limit (penalties beyond it overwrite the
// oldest). Memory is 8 bytes per unit of limit per key: for small limits only.
#include <algorithm>
#include <cmath>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/policy.hpp"

namespace edgeguard::limit {

struct SlidingLog {
  static constexpr uint32_t kHeader = 2;  // index of the oldest timestamp, number stored

  static uint32_t words(uint32_t limit) { return kHeader + limit; }

  static void init(const Policy&, double* s) {
    s[0] = 0;
    s[1] = 0;
  }

  static Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
    const double now = effective_now(p, s, now_ms);
    const uint32_t gone = expired(p, s, now);
    const double live = count(s) - gone;
    const double limit = p.config.limit;
    Decision d;
    d.allowed = live + cost <= limit;
    const double used = d.allowed ? live + cost : live;
    d.remaining = std::max(0.0, limit - used);
    if (used > 0) {
      const double newest = d.allowed && cost > 0 ? now : at(p, s, count(s) - 1);
      d.reset_ms = std::ceil(newest + p.config.window_ms - now_ms);
    }
    if (!d.allowed) {
      // The k-th oldest live unit has to slide out, k = live + cost - limit.
      const uint32_t k = uint32_t(live + cost - limit);
      d.retry_after_ms = std::ceil(at(p, s, gone + k - 1) + p.config.window_ms - now_ms);
    }
    return d;
  }

  static void consume(const Policy& p, double* s, double now_ms, double cost) {
    const double now = effective_now(p, s, now_ms);
    drop_front(p, s, expired(p, s, now));
    // Units beyond the ring's size would be overwritten at once: push at most `limit`.
    const uint32_t n = uint32_t(std::min<double>(cost, p.config.limit));
    for (uint32_t i = 0; i < n; ++i) push(p, s, now);
  }

  // Gives back the newest units.
  static void refund(const Policy& p, double* s, double now_ms, double cost) {
    drop_front(p, s, expired(p, s, effective_now(p, s, now_ms)));
    s[1] = std::max(0.0, s[1] - cost);
  }

  static bool full(const Policy& p, const double* s, double now_ms) {
    return expired(p, s, effective_now(p, s, now_ms)) == count(s);
  }

 private:
  static uint32_t count(const double* s) { return uint32_t(s[1]); }

  static uint32_t slot(const Policy& p, const double* s, uint32_t i) {
    return kHeader + (uint32_t(s[0]) + i) % p.config.limit;
  }

  static double at(const Policy& p, const double* s, uint32_t i) { return s[slot(p, s, i)]; }

  // A clock that steps back is read as the newest timestamp: units never un-expire and the
  // ring stays sorted.
  static double effective_now(const Policy& p, const double* s, double now_ms) {
    return count(s) > 0 ? std::max(now_ms, at(p, s, count(s) - 1)) : now_ms;
  }

  static uint32_t expired(const Policy& p, const double* s, double now) {
    uint32_t k = 0;
    while (k < count(s) && at(p, s, k) + p.config.window_ms <= now) ++k;
    return k;
  }

  static void drop_front(const Policy& p, double* s, uint32_t k) {
    s[0] = (uint32_t(s[0]) + k) % p.config.limit;
    s[1] -= k;
  }

  static void push(const Policy& p, double* s, double t) {
    if (count(s) == p.config.limit) drop_front(p, s, 1);
    s[slot(p, s, count(s))] = t;
    s[1] += 1;
  }
};

}  // namespace edgeguard::limit
