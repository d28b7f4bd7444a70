#pragma once
// A binary min-heap of slots ordered by Lifetime::deadline(), so expired entries are found in
// O(1) and removed in O(log n) without scanning. Entries that never expire are not in it.
// Each entry records its position (Entry::heap_pos) so any entry can leave in O(log n).
#include <cstddef>
#include <vector>

#include "edgeguard/cache/entry.hpp"

namespace edgeguard::cache {

class ExpiryHeap {
 public:
  explicit ExpiryHeap(std::vector<Entry>& entries) : entries_(entries) {}

  bool empty() const { return heap_.empty(); }
  Slot top() const { return heap_.front(); }
  size_t size() const { return heap_.size(); }
  size_t memory_bytes() const { return heap_.capacity() * sizeof(Slot); }

  // Adds, moves or drops the slot after its lifetime changed.
  void update(Slot s);
  void remove(Slot s);
  void clear();

 private:
  double key(size_t i) const { return entries_[heap_[i]].life.deadline(); }
  void put(size_t i, Slot s);
  void sift_up(size_t i);
  void sift_down(size_t i);

  std::vector<Entry>& entries_;
  std::vector<Slot> heap_;
};

}  // namespace edgeguard::cache
