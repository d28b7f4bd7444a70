#pragma once
// A RateLimiter's options, as js/limit.js sends them (JSON text), read into a LimiterConfig
// (whose defaults are LimiterConfig's and PolicyConfig's) and made into a Limiter, whose
// create() owns the ranges.
#include <cstddef>
#include <memory>

#include "edgeguard/json/options.hpp"
#include "edgeguard/limit/limiter.hpp"

namespace edgeguard::limit {

// {"policies":[{"algorithm":"gcra"|"token-bucket"|"sliding-window"|"fixed-window"|"sliding-log",
//  "limit","windowMs","burst","blockMs"}],"maxKeys","maxKeyBytes","seed"}; each policy needs limit
// and windowMs. A refusal's status is a limit::Status and its option names the member
// ("policies.1.windowMs"); a policy's message is worded for the policy alone ("windowMs must
// be ..."), js/limit.js says which policy. On success `out` holds the limiter.
json::OptionError make_limiter(const char* text, size_t len, std::unique_ptr<Limiter>& out) noexcept;

}  // namespace edgeguard::limit
