#pragma once
// An intrusive doubly linked list of slots threaded through Entry::prev/next: O(1) push, unlink
// and move with no allocation. The front is the oldest end (the next victim of LRU and FIFO).
#include <cstdint>
#include <vector>

#include "edgeguard/cache/entry.hpp"

namespace edgeguard::cache {

class SlotList {
 public:
  Slot front() const { return head_; }
  Slot back() const { return tail_; }
  bool empty() const { return head_ == kNil; }
  uint64_t count() const { return count_; }
  uint64_t bytes() const { return bytes_; }

  void push_back(std::vector<Entry>& e, Slot s) {
    e[s].prev = tail_;
    e[s].next = kNil;
    if (tail_ != kNil) e[tail_].next = s; else head_ = s;
    tail_ = s;
    ++count_;
    bytes_ += e[s].size;
  }

  void unlink(std::vector<Entry>& e, Slot s) {
    const Slot p = e[s].prev, n = e[s].next;
    if (p != kNil) e[p].next = n; else head_ = n;
    if (n != kNil) e[n].prev = p; else tail_ = p;
    e[s].prev = e[s].next = kNil;
    --count_;
    bytes_ -= e[s].size;
  }

  // The hit path: relinks only, never touching the entry's size (count and bytes stay).
  void move_to_back(std::vector<Entry>& e, Slot s) {
    if (tail_ == s) return;
    const Slot p = e[s].prev, n = e[s].next;  // n != kNil: s is not the tail
    if (p != kNil) e[p].next = n; else head_ = n;
    e[n].prev = p;
    e[s].prev = tail_;
    e[s].next = kNil;
    e[tail_].next = s;
    tail_ = s;
  }

  // Keeps the byte total right when a member's size changes in place.
  void resize(uint32_t old_size, uint32_t new_size) { bytes_ = bytes_ - old_size + new_size; }

  void clear() {
    head_ = tail_ = kNil;
    count_ = bytes_ = 0;
  }

 private:
  Slot head_ = kNil;
  Slot tail_ = kNil;
  uint64_t count_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace edgeguard::cache
