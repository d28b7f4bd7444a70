#pragma once
// How usable an entry is at a given time (RFC 9111 section 4.2 and RFC 5861). All windows are
// half-open and start when the entry stops being fresh:
//   fresh           age <  ttl
//   stale           ttl <= age < ttl + swr       served at once, revalidated in the background
//   stale_if_error  ttl <= age < ttl + sie       served only when a refresh fails
//   expired         age >= ttl + max(swr, sie)   never served again
// so `max-age=600, stale-if-error=1200` serves on error until age 1800, exclusive.
#include <cstdint>

namespace edgeguard::cache {

// seam: cache
enum class Freshness : uint32_t { fresh = 0, stale = 1, stale_if_error = 2, expired = 3 };

struct Lifetime {
  double stored_at = 0;  // ms, caller's clock
  double ttl = 0;        // ms; +infinity never goes stale
  double swr = 0;        // stale-while-revalidate window, ms
  double sie = 0;        // stale-if-error window, ms

  // Durations must be >= 0; ttl may be infinite, the stale windows may not (stale is never
  // served forever); stored_at must be finite.
  bool valid() const;
  // A clock that went backwards yields age 0 rather than a negative age; a non-finite one,
  // +infinity (expired), never 0 (fresh).
  double age(double now) const;
  Freshness classify(double now) const;
  bool usable_on_error(double now) const { return age(now) < ttl + sie; }
  // The first time at which classify() says expired; +infinity if never.
  double deadline() const;
};

}  // namespace edgeguard::cache
