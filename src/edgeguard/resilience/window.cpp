#include "edgeguard/resilience/window.hpp"

namespace edgeguard::resilience {

namespace {

constexpr uint8_t kFailure = 1, kSlow = 2;

Totals totals_of(uint8_t call) {
  Totals t;
  t.calls = 1;
  t.failures = call & kFailure;
  t.slow = (call & kSlow) >> 1;
  t.slow_failures = (call & kFailure) & ((call & kSlow) >> 1);
  return t;
}

}  // namespace

Check validate(const WindowConfig& c) noexcept {
  // The limits keep a window's memory small and its counters far from overflow.
  if (c.type == WindowType::count) {
    if (c.size < 1 || c.size > 100000) return fail(Status::invalid_config, "window.size must be an integer from 1 to 100000");
    return {};
  }
  if (c.type != WindowType::time) return fail(Status::invalid_config, "window.type must be one of 'count', 'time'");
  if (c.window_ms < 1 || c.window_ms > kMaxWindowMs)
    return fail(Status::invalid_config, "window.sizeMs must be an integer from 1 to 86400000");
  if (c.buckets < 1 || c.buckets > 3600)
    return fail(Status::invalid_config, "window.buckets must be an integer from 1 to 3600");
  if (c.window_ms % c.buckets != 0)
    return fail(Status::invalid_config, "window.sizeMs must be a multiple of window.buckets");
  return {};
}

Window::Window(const WindowConfig& config)
    : config_(config),
      calls_(config.type == WindowType::count ? config.size : 0),
      ring_(config.type == WindowType::time ? config.window_ms : 1,
            config.type == WindowType::time ? config.buckets : 1) {}

void Window::record(int64_t now_ms, bool failure, bool slow) {
  const uint8_t call = static_cast<uint8_t>((failure ? kFailure : 0) | (slow ? kSlow : 0));
  if (config_.type == WindowType::time) {
    ring_.add(now_ms, totals_of(call));
    return;
  }
  if (count_totals_.calls == calls_.size()) count_totals_ -= totals_of(calls_[next_]);
  calls_[next_] = call;
  count_totals_ += totals_of(call);
  if (++next_ == calls_.size()) next_ = 0;
}

const Totals& Window::totals(int64_t now_ms) {
  return config_.type == WindowType::time ? ring_.total(now_ms) : count_totals_;
}

void Window::clear() {
  next_ = 0;
  count_totals_ = Totals{};
  ring_.clear();
}

std::vector<uint8_t> Window::calls() const {
  std::vector<uint8_t> out;
  const uint32_t filled = count_totals_.calls;  // one per recorded call, up to the window's size
  out.reserve(filled);
  const uint32_t n = static_cast<uint32_t>(calls_.size());
  const uint32_t first = filled == n ? next_ : 0;
  for (uint32_t i = 0; i < filled; ++i) out.push_back(calls_[(first + i) % n]);
  return out;
}

void Window::restore_calls(const std::vector<uint8_t>& calls) {
  clear();
  for (uint8_t c : calls) record(0, c & kFailure, c & kSlow);
}

}  // namespace edgeguard::resilience
