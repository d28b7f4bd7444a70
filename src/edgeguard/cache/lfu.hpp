#pragma once
// Least frequently used, with aging: evicts the entry with the fewest uses, the least recently
// used among equals. Counts saturate at 255 and are halved every 10 x capacity uses, so keys
// that were popular long ago do not stay forever. O(1) per call: one LRU list per count.
#include <array>

#include "edgeguard/cache/policy.hpp"
#include "edgeguard/cache/slot_list.hpp"

namespace edgeguard::cache {

class Lfu final : public Policy {
 public:
  Lfu(std::vector<Entry>& entries, Bounds bounds);
  void on_insert(Slot s) override;
  void on_hit(Slot s) override;
  void on_update(Slot s, uint32_t old_size) override;
  void on_remove(Slot s) override;
  Slot victim() override;
  void clear() override;
  size_t memory_bytes() const override { return sizeof(buckets_); }

 private:
  void count_use();
  void halve();

  std::array<SlotList, 256> buckets_;  // by use count; bucket 0 unused
  uint32_t min_ = 1;                   // no non-empty bucket below this one
  Slot newest_ = kNil;                 // just inserted: not its own insert's victim
  uint64_t uses_ = 0;
  uint64_t live_ = 0;
  uint64_t period_floor_;
};

}  // namespace edgeguard::cache
