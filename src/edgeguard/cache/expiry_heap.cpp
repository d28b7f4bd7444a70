#include "edgeguard/cache/expiry_heap.hpp"

#include <cmath>

namespace edgeguard::cache {

void ExpiryHeap::put(size_t i, Slot s) {
  heap_[i] = s;
  pos_[s] = uint32_t(i);
}

void ExpiryHeap::sift_up(size_t i) {
  const Slot s = heap_[i];
  const double k = lives_[s].deadline();
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
  const double k = lives_[s].deadline();
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

void ExpiryHeap::reserve(Slot s) {
  if (s >= pos_.size()) pos_.resize(size_t(s) + 1, kNil);
  if (pos_[s] == kNil) make_room(heap_, heap_.size() + 1);
}

void ExpiryHeap::update(Slot s) noexcept {
  const bool expires = std::isfinite(lives_[s].deadline());
  if (!contains(s)) {
    if (!expires) return;
    heap_.push_back(s);
    pos_[s] = uint32_t(heap_.size() - 1);
    sift_up(heap_.size() - 1);
    return;
  }
  if (!expires) {
    remove(s);
    return;
  }
  const uint32_t pos = pos_[s];
  sift_up(pos);
  sift_down(pos_[s]);
}

void ExpiryHeap::remove(Slot s) noexcept {
  if (!contains(s)) return;
  const uint32_t pos = pos_[s];
  pos_[s] = kNil;
  const Slot last = heap_.back();
  heap_.pop_back();
  if (last == s) return;
  put(pos, last);
  sift_up(pos);
  sift_down(pos_[last]);
}

void ExpiryHeap::clear() noexcept {
  for (Slot s : heap_) pos_[s] = kNil;
  heap_.clear();
}

}  // namespace edgeguard::cache
