#pragma once
// An eviction policy decides which entry leaves when a bound is exceeded. The entry table owns
// the entries and calls the policy on every insert, hit, update and removal; the policy keeps
// its bookkeeping in the entries' links and its own small structures.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "edgeguard/cache/entry.hpp"

namespace edgeguard::cache {

// seam: cache
enum class PolicyKind : uint32_t { tinylfu = 0, lru = 1, lfu = 2, fifo = 3 };

inline constexpr uint64_t kUnbounded = UINT64_MAX;

struct Bounds {
  uint64_t max_entries = kUnbounded;
  uint64_t max_bytes = kUnbounded;
  bool exceeded_by(uint64_t entries, uint64_t bytes) const {
    return entries > max_entries || bytes > max_bytes;
  }
};

class Policy {
 public:
  explicit Policy(std::vector<Entry>& entries) : entries_(entries) {}
  virtual ~Policy() = default;
  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;

  // Allocates what on_insert(s) will need, so that it cannot fail; throws std::bad_alloc
  // (leaving the policy as it was, for what it decides) when it cannot. The other calls never
  // allocate.
  virtual void reserve(Slot) {}
  virtual void on_insert(Slot s) = 0;
  virtual void on_hit(Slot s) = 0;
  // Hits in order, skipping slots that hold no entry (a batch may be stale or untrusted);
  // policies may reorder work that commutes.
  virtual void on_hits(const Slot* slots, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (slots[i] < entries_.size() && entries_[slots[i]].live) on_hit(slots[i]);
  }
  // The value was replaced and its size changed from old_size; counts as a use of the key.
  virtual void on_update(Slot s, uint32_t old_size) = 0;
  virtual void on_remove(Slot s) = 0;
  // The entry to evict next; only called while the table holds at least one entry.
  virtual Slot victim() = 0;
  virtual void clear() = 0;
  // Memory the policy holds outside the entries (sketches, bucket heads), in bytes.
  virtual size_t memory_bytes() const { return 0; }

 protected:
  std::vector<Entry>& entries_;
};

// `seed` feeds the PRNG of TinyLFU's defence against hash flooding; others ignore it.
std::unique_ptr<Policy> make_policy(PolicyKind kind, std::vector<Entry>& entries, Bounds bounds,
                                    uint32_t seed);

}  // namespace edgeguard::cache
