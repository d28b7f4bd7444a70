#include "edgeguard/cache/cache_options.hpp"

namespace edgeguard::cache {

namespace {

using json::OptionReader;

// By the core's numbering (PolicyKind).
const char* const kPolicies[] = {"tinylfu", "lru", "lfu", "fifo"};

// Into `out` when present: an integer from 0 to kMaxBytes, else 0 (a bound check() refuses).
void bound(const OptionReader& r, const char* name, uint64_t& out) {
  if (!r.integer(OptionReader::root(), name, EntryTable::kMaxBytes, out)) out = 0;
}

}  // namespace

json::OptionError read_cache_options(const char* text, size_t len, Config& out) noexcept {
  OptionReader r{uint32_t(Status::invalid_config), uint32_t(Status::out_of_memory)};
  if (!r.parse(text, len)) return r.error();
  const uint32_t o = OptionReader::root();
  Config c;
  uint32_t policy = uint32_t(c.policy);
  r.choice(o, "policy", "policy", kPolicies, 4, "one of tinylfu, lru, lfu, fifo", policy);
  c.policy = PolicyKind(policy);
  bound(r, "maxEntries", c.bounds.max_entries);
  bound(r, "maxBytes", c.bounds.max_bytes);
  uint64_t seed = c.seed;
  if (!r.integer(o, "seed", UINT32_MAX, seed)) r.refuse("seed", "an integer from 0 to 4294967295");
  c.seed = uint32_t(seed);
  if (r.failed()) return r.error();
  if (const Check check = EntryTable::check(c)) r.refuse(uint32_t(check.status), check.message);
  if (!r.failed()) out = c;
  return r.error();
}

}  // namespace edgeguard::cache
