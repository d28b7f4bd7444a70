#pragma once
// First in, first out: evicts the oldest insertion; hits and updates do not reorder.
#include "edgeguard/cache/policy.hpp"
#include "edgeguard/cache/slot_list.hpp"

namespace edgeguard::cache {

class Fifo : public Policy {
 public:
  using Policy::Policy;
  void on_insert(Slot s) override { order_.push_back(entries_, s); }
  void on_hit(Slot) override {}
  void on_update(Slot s, uint32_t old_size) override { order_.resize(old_size, entries_[s].size); }
  void on_remove(Slot s) override { order_.unlink(entries_, s); }
  Slot victim() override { return order_.front(); }
  void clear() override { order_.clear(); }

 protected:
  SlotList order_;
};

}  // namespace edgeguard::cache
