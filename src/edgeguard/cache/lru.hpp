#pragma once
// Least recently used: FIFO order where every hit or update moves the entry to the back.
#include "edgeguard/cache/fifo.hpp"

namespace edgeguard::cache {

class Lru final : public Fifo {
 public:
  using Fifo::Fifo;
  void on_hit(Slot s) override { order_.move_to_back(entries_, s); }
  void on_update(Slot s, uint32_t old_size) override {
    Fifo::on_update(s, old_size);
    on_hit(s);
  }
};

}  // namespace edgeguard::cache
