#include "edgeguard/cache/expiry_heap.hpp"

#include <cmath>

namespace edgeguard::cache {

void ExpiryHeap::put(size_t i, Slot s) {
  heap_[i] = s;
  entries_[s].heap_pos = uint32_t(i);
}

void ExpiryHeap::sift_up(size_t i) {
  const Slot s = heap_[i];
  const double k = entries_[s].life.deadline();
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (key(parent) <= k) break;
    put(i, heap_[parent]);
    i = parent;
  }
  put(i, s);
}

void ExpiryHeap::sift_down(size_t i) {
  const Slot s = heap_[i];
  const double k = entries_[s].life.deadline();
  const size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && key(child + 1) < key(child)) ++child;
    if (key(child) >= k) break;
    put(i, heap_[child]);
    i = child;
  }
  put(i, s);
}

void ExpiryHeap::update(Slot s) {
  const bool expires = std::isfinite(entries_[s].life.deadline());
  const uint32_t pos = entries_[s].heap_pos;
  if (pos == kNil) {
    if (!expires) return;
    heap_.push_back(s);
    entries_[s].heap_pos = uint32_t(heap_.size() - 1);
    sift_up(heap_.size() - 1);
    return;
  }
  if (!expires) {
    remove(s);
    return;
  }
  sift_up(pos);
  sift_down(entries_[s].heap_pos);
}

void ExpiryHeap::remove(Slot s) {
  const uint32_t pos = entries_[s].heap_pos;
  if (pos == kNil) return;
  entries_[s].heap_pos = kNil;
  const Slot last = heap_.back();
  heap_.pop_back();
  if (last == s) return;
  put(pos, last);
  sift_up(pos);
  sift_down(entries_[last].heap_pos);
}

void ExpiryHeap::clear() {
  for (Slot s : heap_) entries_[s].heap_pos = kNil;
  heap_.clear();
}

}  // namespace edgeguard::cache
