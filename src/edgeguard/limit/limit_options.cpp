#include "edgeguard/limit/limit_options.hpp"

#include <new>

namespace edgeguard::limit {

namespace {

using json::OptionReader;

// By the core's numbering (Algorithm), as js/limit-algorithms.js names them.
const char* const kAlgorithms[] = {"gcra", "token-bucket", "sliding-window", "fixed-window", "sliding-log"};
constexpr uint64_t kMaxSeed = (uint64_t{1} << 53) - 1;

// The member a refusal of validate() concerns, by its status.
const char* option_of(Status s) {
  switch (s) {
    case Status::bad_algorithm: return "algorithm";
    case Status::bad_window: return "windowMs";
    case Status::bad_burst: return "burst";
    case Status::bad_block: return "blockMs";
    case Status::bad_limit:
    case Status::log_too_large: return "limit";
    case Status::bad_max_key_bytes: return "maxKeyBytes";
    case Status::bad_max_keys:
    case Status::table_too_large: return "maxKeys";
    default: return "policies";
  }
}

// "policies.<i>" (i < kMaxPolicies), then ".<name>" unless `name` is empty.
struct Path {
  char text[48];
  Path(uint32_t i, const char* name) {
    char* p = text;
    for (const char* s = "policies."; *s;) *p++ = *s++;
    if (i >= 10) *p++ = char('0' + i / 10);
    *p++ = char('0' + i % 10);
    if (*name) *p++ = '.';
    while (*name && p < text + sizeof text - 1) *p++ = *name++;
    *p = '\0';
  }
};

PolicyConfig read_policy(const OptionReader& r, uint32_t o) {
  PolicyConfig p;
  uint32_t algorithm = uint32_t(p.algorithm);
  // A name matching none is an algorithm validate() refuses.
  if (!r.choice(o, "algorithm", kAlgorithms, 5, algorithm)) algorithm = UINT32_MAX;
  p.algorithm = Algorithm(algorithm);
  r.integer(o, "limit", p.limit);
  r.number(o, "windowMs", p.window_ms);
  r.integer(o, "burst", p.burst);
  // burst 0 is "none given"; a burst of 0 given is one validate() refuses.
  if (p.burst == 0 && r.member(o, "burst") != OptionReader::kNone) p.burst = OptionReader::kNotAnInteger;
  r.number(o, "blockMs", p.block_ms);
  return p;
}

}  // namespace

json::OptionError make_limiter(const char* text, size_t len, std::unique_ptr<Limiter>& out) noexcept {
  OptionReader r{uint32_t(Status::bad_policy), uint32_t(Status::out_of_memory)};
  if (!r.parse(text, len)) return r.error();
  const uint32_t o = OptionReader::root();
  LimiterConfig c;
  // Not an array, or empty: no policies, which create() refuses. One past the most it takes is
  // enough for it to refuse them.
  const uint32_t policies = r.member(o, "policies");
  const uint32_t n = policies != OptionReader::kNone && r.is_array(policies) ? r.size(policies) : 0;
  try {
    c.policies = std::vector<PolicyConfig>(n < kMaxPolicies + 1 ? n : kMaxPolicies + 1);
    uint32_t e = n ? r.first(policies) : OptionReader::kNone;
    for (uint32_t i = 0; i < c.policies.size(); ++i, e = r.next(e)) {
      if (!r.is_object(e)) {
        r.refuse_option(uint32_t(Status::bad_policy), Path(i, "").text, "a policy must be an object");
        return r.error();
      }
      c.policies[i] = read_policy(r, e);
    }
    r.integer(o, "maxKeys", c.max_keys);
    r.integer(o, "maxKeyBytes", c.max_key_bytes);
    if (!r.integer(o, "seed", kMaxSeed, c.seed)) r.refuse("seed", "an integer from 0 to 9007199254740991");
    if (r.failed()) return r.error();
    const Check check = Limiter::create(c, out);
    if (check) {
      const char* name = option_of(check.status);
      r.refuse_option(uint32_t(check.status), check.policy == Check::npos ? name : Path(check.policy, name).text,
                      check.message);
    }
  } catch (const std::bad_alloc&) {
    r.refuse_option(uint32_t(Status::out_of_memory), "", "out of memory creating the rate limiter");
  }
  return r.error();
}

}  // namespace edgeguard::limit
