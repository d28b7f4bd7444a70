// The cache's C ABI (js/cache.js). JS maps keys to slots and holds the values; every call here
// but the constructor (JSON text, cache_options.hpp; refusals through bridge_error.hpp) takes
// numbers (slot, key hash, size, lifetimes, now_ms). Results that are not the return value are
// left in static arrays that JS reads through typed views without allocating.
#include <cmath>
#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "edgeguard/cache/cache_options.hpp"

using namespace edgeguard::cache;

namespace {

// The results that are not a call's return value, read by js/cache.js by these slots. out: an
// entry's age, ttl (eg_cache_entry) or last usable moment (eg_cache_classify), stale windows and
// size; the table's counts (eg_cache_counts); what the cache eg_cache_new made last took from its
// options (the defaults are the core's; an unbounded bound is Infinity).
// seam: cache
enum OutSlot : uint32_t {
  kAge = 0, kTtl = 1, kDeadline = 1, kSwr = 2, kSie = 3, kSize = 4, kEntries = 5, kBytes = 6, kMemoryBytes = 7,
  kMaxEntries = 8, kMaxBytes = 9, kPolicy = 10, kOutCount = 11
};
double out[kOutCount];
// words: the removals (count, address of {slot, reason} pairs), an entry's tags (address,
// length), the lifetimes' address (it moves when the table grows).
// seam: cache
enum WordSlot : uint32_t { kRemovalCount, kRemovalsAt, kTagsAt, kTagsLength, kLifetimesAt, kWordCount };
uint32_t words[kWordCount];

// js/cache.js answers fresh reads itself from the entries' lifetimes (fresh iff
// now - stored_at < ttl) and queues their slots in `reads`, applied to the policy in one call
// before anything else touches the table: a get() hit then costs no boundary crossing.
// seam: cache
enum LifetimeDouble : uint32_t { kStoredAt = 0, kTtlAt = 1, kLifetimeDoubles = 4 };
static_assert(offsetof(Lifetime, stored_at) == 8 * kStoredAt && offsetof(Lifetime, ttl) == 8 * kTtlAt &&
                  sizeof(Lifetime) == 8 * kLifetimeDoubles,
              "js/cache.js reads lifetimes at these offsets");
// seam: cache
constexpr uint32_t kReadBuffer = 256;
// The bit eg_cache_get and eg_cache_classify set while an entry may still answer an error
// (js/cache/core-codes.js USABLE_ON_ERROR).
// seam: cache
constexpr uint32_t kUsableOnError = 4;

struct Cache {
  explicit Cache(const Config& c) : table(c) {}
  EntryTable table;
  Slot reads[kReadBuffer];
  std::vector<std::string_view> tags;
  std::vector<std::string_view> names;
  std::string text;
};

double bound(uint64_t v) { return v == kUnbounded ? HUGE_VAL : double(v); }

// Tags arrive as UTF-8 joined by NUL bytes (js/cache.js refuses NUL inside a tag).
// (0, 0) is js/cache.js's "no tags"; a null pointer with a length is an error (bridge.hpp).
bool bad_tags(const char* p, uint32_t len) { return !p && len != 0; }

// The tags as views in c->tags; false when the list cannot be allocated.
bool split_tags(Cache* c, const char* p, uint32_t len) {
  c->tags.clear();
  try {
    if (len != 0) for_each_nul_part({p, len}, [c](std::string_view tag) { c->tags.push_back(tag); });
  } catch (const std::bad_alloc&) {
    return false;
  }
  return true;
}

uint32_t address(const void* p) { return uint32_t(reinterpret_cast<uintptr_t>(p)); }

void publish_removals(const EntryTable& t) {
  words[kRemovalCount] = uint32_t(t.removals().size());
  words[kRemovalsAt] = address(t.removals().data());
  words[kLifetimesAt] = address(t.lifetimes());
}

int32_t fail(Status s) { return -int32_t(s); }

// A call refused before it reached the table: it removed nothing (the table's list still holds
// an earlier call's removals, which js/cache.js must not apply twice).
int32_t refuse(const EntryTable& t, Status s) {
  words[kRemovalCount] = 0;
  words[kLifetimesAt] = address(t.lifetimes());
  return fail(s);
}

uint64_t size_of(double size) {
  return size >= 0 && size <= 9007199254740992.0 ? uint64_t(size) : UINT64_MAX;
}

}  // namespace

EG_EXPORT const double* eg_cache_out() { return out; }
EG_EXPORT const uint32_t* eg_cache_words() { return words; }

// `options`: JSON text (cache_options.hpp); null when refused (eg_last_error() says why).
EG_COLD_EXPORT Cache* eg_cache_new(const char* options, uint32_t len) {
  if (!options) {
    report_error(ErrorCode::config_invalid, "options", "options are missing");
    return nullptr;
  }
  Config config;
  const edgeguard::json::OptionError e = read_cache_options(options, len, config);
  if (e) {
    const bool oom = e.status == uint32_t(Status::out_of_memory);
    report_error(oom ? ErrorCode::cache_out_of_memory : ErrorCode::config_invalid, e.option(), e.message());
    return nullptr;
  }
  Cache* c;
  try {
    c = new Cache(config);
  } catch (const std::bad_alloc&) {
    report_error(ErrorCode::cache_out_of_memory, "", "out of memory creating the cache");
    return nullptr;
  }
  out[kMaxEntries] = bound(config.bounds.max_entries);
  out[kMaxBytes] = bound(config.bounds.max_bytes);
  out[kPolicy] = double(config.policy);
  return c;
}

EG_EXPORT void eg_cache_free(Cache* c) { delete c; }

EG_EXPORT Slot* eg_cache_reads(Cache* c) { return c->reads; }

EG_EXPORT void eg_cache_apply_reads(Cache* c, uint32_t n) {
  c->table.record_hits(c->reads, n < kReadBuffer ? n : kReadBuffer);
}

// The new entry's slot (>= 0), or -status. Removals are published either way. `age` is how old
// the value already is (0 for a fresh fetch; restored snapshots and Age headers say more).
EG_EXPORT int32_t eg_cache_insert(Cache* c, uint32_t hash, double size, double now, double age,
                                  double ttl, double swr, double sie, const char* tags,
                                  uint32_t tags_len) {
  if (bad_tags(tags, tags_len)) return refuse(c->table, Status::invalid_argument);
  if (!split_tags(c, tags, tags_len)) return refuse(c->table, Status::out_of_memory);
  Slot s = kNil;
  const Status st =
      c->table.insert(hash, size_of(size), Lifetime{now - age, ttl, swr, sie}, c->tags, now, &s);
  publish_removals(c->table);
  return st == Status::ok ? int32_t(s) : fail(st);
}

EG_EXPORT int32_t eg_cache_replace(Cache* c, uint32_t slot, double size, double now, double age,
                                   double ttl, double swr, double sie, const char* tags,
                                   uint32_t tags_len) {
  if (bad_tags(tags, tags_len)) return refuse(c->table, Status::invalid_argument);
  if (!split_tags(c, tags, tags_len)) return refuse(c->table, Status::out_of_memory);
  const Status st =
      c->table.replace(slot, size_of(size), Lifetime{now - age, ttl, swr, sie}, c->tags, now);
  publish_removals(c->table);
  return fail(st);
}

// Freshness (0 fresh, 1 stale, 2 stale-if-error only, 3 expired and removed) | 4 when usable on
// error; the age goes to out[kAge]. `use` 1: a read that counts for the policy; 0: a peek.
EG_EXPORT uint32_t eg_cache_get(Cache* c, uint32_t slot, double now, uint32_t use) {
  if (!c->table.contains(slot)) return uint32_t(Freshness::expired);
  const Lookup l = use ? c->table.get(slot, now) : c->table.peek(slot, now);
  out[kAge] = l.age;
  return uint32_t(l.state) | (l.usable_on_error ? kUsableOnError : 0u);
}

// A lifetime the table does not hold (an entry read from a shared tier, js/cache/shared-tier.js):
// its freshness coded as eg_cache_get codes it, its age in out[kAge] and its last usable moment in
// out[kDeadline], so that one rule decides for both tiers. An invalid lifetime is expired.
EG_EXPORT uint32_t eg_cache_classify(double stored_at, double ttl, double swr, double sie, double now) {
  const Lifetime l{stored_at, ttl, swr, sie};
  if (!l.valid()) {
    out[kAge] = HUGE_VAL;
    out[kDeadline] = -HUGE_VAL;
    return uint32_t(Freshness::expired);
  }
  out[kAge] = l.age(now);
  out[kDeadline] = l.deadline();
  return uint32_t(l.classify(now)) | (l.usable_on_error(now) ? kUsableOnError : 0u);
}

EG_EXPORT void eg_cache_remove(Cache* c, uint32_t slot, uint32_t reason) {
  c->table.remove(slot, reason <= uint32_t(Reason::cleared) ? Reason(reason) : Reason::deleted);
}

// UINT32_MAX (no count) for a null tag (bridge.hpp).
EG_EXPORT uint32_t eg_cache_invalidate_tag(Cache* c, const char* tag, uint32_t len) {
  if (!tag) {
    refuse(c->table, Status::invalid_argument);
    return UINT32_MAX;
  }
  const size_t n = c->table.remove_tagged(std::string_view(tag, len));
  publish_removals(c->table);
  return uint32_t(n);
}

EG_EXPORT uint32_t eg_cache_expire(Cache* c, double now) {
  const size_t n = c->table.expire(now);
  publish_removals(c->table);
  return uint32_t(n);
}

EG_COLD_EXPORT void eg_cache_clear(Cache* c) { c->table.clear(); }

EG_COLD_EXPORT void eg_cache_counts(const Cache* c) {
  out[kEntries] = double(c->table.entries());
  out[kBytes] = double(c->table.bytes());
  out[kMemoryBytes] = double(c->table.memory_bytes());
}

// Lifetime and size of a resident entry into out[kAge..kSize], its tags (NUL-joined) into
// words[kTagsAt..kTagsLength].
// Returns a Status: invalid_argument for a slot that holds no entry, out_of_memory when the
// tags cannot be copied out; nothing is written then, so no earlier entry's answer is left
// there to be read as this one's.
EG_EXPORT uint32_t eg_cache_entry_info(Cache* c, uint32_t slot, double now) {
  if (!c->table.contains(slot)) return uint32_t(Status::invalid_argument);
  try {
    c->names.clear();
    c->table.tags_of(slot, c->names);
    c->text.clear();
    for (std::string_view t : c->names) {
      if (!c->text.empty()) c->text.push_back('\0');
      c->text.append(t);
    }
  } catch (const std::bad_alloc&) {
    return uint32_t(Status::out_of_memory);
  }
  const Lifetime& l = c->table.lifetime(slot);
  out[kAge] = l.age(now);
  out[kTtl] = l.ttl;
  out[kSwr] = l.swr;
  out[kSie] = l.sie;
  out[kSize] = c->table.entry(slot).size;
  words[kTagsAt] = address(c->text.data());
  words[kTagsLength] = uint32_t(c->text.size());
  return uint32_t(Status::ok);
}
