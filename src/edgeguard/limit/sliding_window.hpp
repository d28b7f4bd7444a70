#pragma once
// Sliding window, weighted two-window counter (as Cloudflare measured it): the count of the
// previous aligned window, weighted by how much of it still overlaps the sliding window, plus
// the count of the current one. Three words per key, approximate but never a double burst.
// Comparisons are kept in integers (scaled by window_ms) so boundaries are exact.
#include <algorithm>
#include <cmath>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/policy.hpp"

namespace edgeguard::limit {

struct SlidingWindow {
  static constexpr uint32_t kWords = 3;  // window index, previous count, current count

  static void init(const Policy&, double* s) {
    s[0] = kNever;
    s[1] = 0;
    s[2] = 0;
  }

  static Decision decide(const Policy& p, const double* s, double now_ms, double cost) {
    const View v = view(p, s, now_ms);
    const double W = p.config.window_ms;
    const double limit = p.config.limit;
    const double weight = W - v.elapsed;  // of the previous window, in ms of overlap
    Decision d;
    d.allowed = v.prev * weight + (v.curr + cost) * W <= limit * W;
    const double curr = d.allowed ? v.curr + cost : v.curr;
    d.remaining = std::max(0.0, std::floor(((limit - curr) * W - v.prev * weight) / W));
    const double start_ms = v.w * W;
    d.reset_ms = curr > 0    ? std::ceil(start_ms + 2 * W - now_ms)
                 : v.prev > 0 ? std::ceil(start_ms + W - now_ms)
                              : 0;
    if (d.allowed) return d;
    if (v.curr + cost <= limit) {
      // Allowed later in this window, once enough of the previous one has slid out:
      // prev * (W - e) <= (limit - cost - curr) * W.
      const double e = W - std::floor((limit - cost - v.curr) * W / v.prev);
      d.retry_after_ms = std::ceil(start_ms + e - now_ms);
    } else {
      // Only in the next window, where this window's count becomes the weighted one.
      const double e = W - std::floor((limit - cost) * W / v.curr);
      d.retry_after_ms = std::ceil(start_ms + W + e - now_ms);
    }
    return d;
  }

  static void consume(const Policy& p, double* s, double now_ms, double cost) {
    const View v = view(p, s, now_ms);
    s[0] = v.w;
    s[1] = v.prev;
    s[2] = v.curr + cost;
  }

  // Gives units back to the current window first, then to the previous one.
  static void refund(const Policy& p, double* s, double now_ms, double cost) {
    const View v = view(p, s, now_ms);
    const double from_curr = std::min(v.curr, cost);
    s[0] = v.w;
    s[1] = std::max(0.0, v.prev - (cost - from_curr));
    s[2] = v.curr - from_curr;
  }

  static bool full(const Policy& p, const double* s, double now_ms) {
    const View v = view(p, s, now_ms);
    return v.prev <= 0 && v.curr <= 0;
  }

 private:
  struct View {
    double w;        // the current window's index
    double elapsed;  // ms since it started, in [0, W)
    double prev;
    double curr;
  };

  // The state rolled forward to now. A clock that steps back stays in the newest window seen.
  static View view(const Policy& p, const double* s, double now_ms) {
    const double W = p.config.window_ms;
    const double w = std::max(s[0], std::floor(now_ms / W));
    const double elapsed = std::max(0.0, now_ms - w * W);
    if (w == s[0]) return {w, elapsed, s[1], s[2]};
    if (w == s[0] + 1) return {w, elapsed, s[2], 0};
    return {w, elapsed, 0, 0};
  }
};

}  // namespace edgeguard::limit
