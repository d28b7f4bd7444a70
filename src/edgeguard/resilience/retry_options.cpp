#include "edgeguard/resilience/retry_options.hpp"

#include <algorithm>

namespace edgeguard::resilience {

namespace {

// By the core's numbering (Jitter).
const char* const kJitters[] = {"none", "full", "equal", "decorrelated"};
constexpr uint64_t kMaxSeed = (uint64_t{1} << 53) - 1;  // what a JS number holds exactly

void read_budget(OptionReader& r, RetryConfig& c) {
  const uint32_t given = r.member(OptionReader::root(), "budget");
  if (given != OptionReader::kNone && r.is_false(given)) {
    c.use_budget = false;
    return;
  }
  const uint32_t o = r.object(OptionReader::root(), "budget", "budget");
  BudgetConfig& b = c.budget;
  r.number(o, "ratio", b.ratio);
  r.number(o, "minPerSecond", b.min_per_second);
  r.integer(o, "windowMs", b.window_ms);
  // One-second buckets when the window is a whole number of seconds, up to an hour.
  const uint32_t ms = b.window_ms;
  b.buckets = ms % 1000 == 0 && ms <= 3600000 ? ms / 1000 : 1;
  r.integer(o, "buckets", b.buckets);
}

}  // namespace

OptionError read_retry_options(const char* text, size_t len, RetryConfig& out, uint64_t& seed) noexcept {
  OptionReader r = option_reader();
  if (!r.parse(text, len)) return r.error();
  RetryConfig c;
  const uint32_t o = OptionReader::root();
  r.integer(o, "maxAttempts", c.max_attempts);
  r.integer(o, "baseMs", c.backoff.base_ms);
  c.backoff.max_ms = std::max(c.backoff.base_ms, c.backoff.max_ms);
  r.integer(o, "maxMs", c.backoff.max_ms);
  uint32_t jitter = uint32_t(c.backoff.jitter);
  r.choice(o, "jitter", "jitter", kJitters, 4, "one of 'none', 'full', 'equal', 'decorrelated'", jitter);
  c.backoff.jitter = Jitter(jitter);
  read_budget(r, c);
  c.max_retry_after_ms = c.backoff.max_ms;
  r.integer(o, "maxRetryAfterMs", c.max_retry_after_ms);
  uint64_t s = 0;
  if (!r.integer(o, "seed", kMaxSeed, s)) r.refuse("seed", "an integer from 0 to 9007199254740991");
  if (!r.failed()) refuse(r, validate(c));
  if (!r.failed()) {
    out = c;
    seed = s;
  }
  return r.error();
}

}  // namespace edgeguard::resilience
