#pragma once
// A binary min-heap of slots ordered by Lifetime::deadline(), so expired entries are found in
// O(1) and removed in O(log n) without scanning. Entries that never expire are not in it.
// Each slot's position is kept (kNil when absent) so any entry can leave in O(log n).
#include <cstddef>
#include <vector>

#include "edgeguard/cache/entry.hpp"
#include "edgeguard/cache/freshness.hpp"
#include "edgeguard/cache/room.hpp"

namespace edgeguard::cache {

class ExpiryHeap {
 public:
  // `lives` holds each slot's lifetime; the heap reads deadlines from it.
  explicit ExpiryHeap(const std::vector<Lifetime>& lives) : lives_(lives) {}

  bool empty() const { return heap_.empty(); }
  Slot top() const { return heap_.front(); }
  size_t size() const { return heap_.size(); }
  size_t memory_bytes() const { return (heap_.capacity() + pos_.capacity()) * sizeof(uint32_t); }
  bool contains(Slot s) const { return s < pos_.size() && pos_[s] != kNil; }

  // Makes room for update(s) when s's lifetime is finite; throws std::bad_alloc (changing
  // nothing) when it cannot.
  void reserve(Slot s);
  // Adds, moves or drops the slot after its lifetime changed (a finite one after reserve(s)).
  void update(Slot s) noexcept;
  void remove(Slot s) noexcept;
  void clear() noexcept;

 private:
  double key(size_t i) const { return lives_[heap_[i]].deadline(); }
  void put(size_t i, Slot s);
  void sift_up(size_t i);
  void sift_down(size_t i);

  const std::vector<Lifetime>& lives_;
  std::vector<Slot> heap_;
  std::vector<uint32_t> pos_;  // by slot
};

}  // namespace edgeguard::cache
