#include "edgeguard/cache/freshness.hpp"

#include <algorithm>
#include <cmath>

namespace edgeguard::cache {

namespace {
bool valid_duration(double d) { return !std::isnan(d) && d >= 0; }
}  // namespace

bool Lifetime::valid() const {
  return std::isfinite(stored_at) && valid_duration(ttl) && valid_duration(swr) &&
         valid_duration(sie) && std::isfinite(swr) && std::isfinite(sie);
}

// A time that is no time (NaN, infinite) makes every entry infinitely old: never fresh.
double Lifetime::age(double now) const {
  if (!std::isfinite(now)) return HUGE_VAL;
  return now > stored_at ? now - stored_at : 0.0;
}

Freshness Lifetime::classify(double now) const {
  const double a = age(now);
  if (a < ttl) return Freshness::fresh;
  if (a < ttl + swr) return Freshness::stale;
  if (a < ttl + sie) return Freshness::stale_if_error;
  return Freshness::expired;
}

double Lifetime::deadline() const { return stored_at + ttl + std::max(swr, sie); }

}  // namespace edgeguard::cache
