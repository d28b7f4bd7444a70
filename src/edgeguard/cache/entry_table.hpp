#pragma once
// The cache's entry table: slots with their lifetime, size, key hash and tags; both bounds
// (entries and bytes) enforced after every insert and replace, expired entries dropped first,
// then the policy's victims. The JS side maps keys to slots and holds the values; it learns
// which slots left through removals().
// Out of memory: insert and replace allocate before they change anything (but for a new tag's
// name, whose failure they undo) and answer out_of_memory; every removal path is noexcept,
// because the room it needs (removals_, the free lists) grows with the table.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "edgeguard/cache/entry.hpp"
#include "edgeguard/cache/expiry_heap.hpp"
#include "edgeguard/cache/freshness.hpp"
#include "edgeguard/cache/policy.hpp"
#include "edgeguard/cache/status.hpp"
#include "edgeguard/cache/tag_index.hpp"

namespace edgeguard::cache {

struct Config {
  PolicyKind policy = PolicyKind::tinylfu;
  Bounds bounds;      // at least one bound; each >= 1
  uint32_t seed = 0;  // TinyLFU's tie-breaking PRNG and the tag index's hash
};

struct Removal {
  Slot slot;
  Reason reason;
};

struct Lookup {
  Freshness state = Freshness::expired;
  double age = 0;
  bool usable_on_error = false;  // within ttl + stale-if-error
};

class EntryTable {
 public:
  // Slots are 32-bit and kNil is reserved.
  static constexpr uint64_t kMaxEntries = (uint64_t{1} << 31) - 1;
  // What a JS number counts exactly.
  static constexpr uint64_t kMaxBytes = (uint64_t{1} << 53) - 1;

  static Check check(const Config& config);
  // Precondition: check(config) passes.
  explicit EntryTable(const Config& config);

  // Stores a new key's entry, charged max(size, 1) bytes. Refuses (too_large) an entry larger
  // than maxBytes or 4 GiB, and rejects bad lifetimes or tags, changing nothing; out_of_memory
  // also stores nothing. On ok, *out is the slot; it may already be listed in removals() when
  // the policy declined to keep it.
  Status insert(uint32_t hash, uint64_t size, const Lifetime& life,
                const std::vector<std::string_view>& tags, double now, Slot* out);
  // Replaces the entry at `s` (new size, lifetime and tags); a use of the key. When the new
  // size is refused (too_large), or memory runs out (out_of_memory), the old entry is removed
  // too, so it cannot be served as if the refused update had not happened.
  Status replace(Slot s, uint64_t size, const Lifetime& life,
                 const std::vector<std::string_view>& tags, double now);

  // A read: fresh and stale entries count as a hit for the policy; an expired entry is
  // removed. Precondition: contains(s).
  Lookup get(Slot s, double now) noexcept;
  // The same answer without touching the policy or removing anything.
  Lookup peek(Slot s, double now) const;
  // Fresh reads the caller already answered from entries() (see wasm/bridge_cache.cpp), applied
  // to the policy in order; slots that are no longer resident (or never were) are skipped.
  void record_hits(const Slot* slots, size_t n) noexcept;

  void remove(Slot s, Reason reason) noexcept;
  // Removes every entry carrying `tag`; returns how many.
  size_t remove_tagged(std::string_view tag) noexcept;
  // Removes every expired entry; returns how many.
  size_t expire(double now) noexcept;
  void clear() noexcept;

  // The entries removed by the last call to insert, replace, get, remove, remove_tagged or
  // expire (clear reports nothing: everything left).
  const std::vector<Removal>& removals() const { return removals_; }

  bool contains(Slot s) const { return s < entries_.size() && entries_[s].live; }
  const Entry& entry(Slot s) const { return entries_[s]; }
  const Lifetime& lifetime(Slot s) const { return lives_[s]; }
  // The lifetimes by slot; moves when the table grows (after insert).
  const Lifetime* lifetimes() const { return lives_.data(); }
  void tags_of(Slot s, std::vector<std::string_view>& out) const;
  uint64_t entries() const { return live_; }
  uint64_t bytes() const { return bytes_; }
  const Policy& policy() const { return *policy_; }
  // Everything the core holds for the policy and bookkeeping (not the JS values), in bytes.
  size_t memory_bytes() const;

 private:
  // Makes room for an insert or replace at `s` (which may be the next new slot): false when
  // memory ran out, with nothing changed.
  bool reserve(Slot s, bool inserting, const Lifetime& life, size_t tag_count) noexcept;
  // Gives the entry `tags` instead of the ones it had: false when memory ran out, and the entry
  // then has no tags.
  bool retag(Slot s, const std::vector<std::string_view>& tags) noexcept;
  // Files the entry in the expiry heap after its lifetime changed.
  void schedule(Slot s) noexcept;
  void drop(Slot s, Reason reason) noexcept;
  void expire_due(double now) noexcept;
  void enforce_bounds() noexcept;
  Lookup lookup(Slot s, double now) const;

  Bounds bounds_;
  std::vector<Entry> entries_;
  std::vector<Lifetime> lives_;      // by slot
  std::vector<uint32_t> tag_heads_;  // by slot: first TagIndex membership
  Slot free_ = kNil;                 // unused slots, linked through Entry::next
  std::unique_ptr<Policy> policy_;
  ExpiryHeap heap_;
  TagIndex tags_;
  std::vector<Removal> removals_;    // room for every slot: a call may remove all entries
  uint64_t live_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace edgeguard::cache
