#pragma once
// W-TinyLFU, after Caffeine: new entries enter a small LRU window (1% of each bound); entries
// leaving the window become candidates for the main area, a segmented LRU (probation 20%,
// protected 80%). When the cache is full, a candidate is admitted only if the frequency sketch
// says it is used more often than the probation victim it would replace. Recency bursts are
// absorbed by the window, one-hit wonders and scans never displace the popular keys.
// Two departures from Caffeine, both for the cost of a hit (see tinylfu.cpp): an entry counts its
// own uses until it leaves, and the main area's LRU order is kept lazily, CLOCK-style.
#include <cstdint>

#include "edgeguard/cache/frequency_sketch.hpp"
#include "edgeguard/cache/policy.hpp"
#include "edgeguard/cache/slot_list.hpp"

namespace edgeguard::cache {

class TinyLfu final : public Policy {
 public:
  TinyLfu(std::vector<Entry>& entries, Bounds bounds, uint32_t seed);
  void reserve(Slot s) override;
  void on_insert(Slot s) override;
  void on_hit(Slot s) override;
  void on_hits(const Slot* slots, size_t n) override;
  void on_update(Slot s, uint32_t old_size) override;
  void on_remove(Slot s) override;
  Slot victim() override;
  void clear() override;
  size_t memory_bytes() const override { return sketch_.memory_bytes() + uses_.capacity(); }

  // For tests: which region a resident slot is in, and the sketch.
  enum Region : uint8_t { window = 0, probation = 1, protected_ = 2 };
  static Region region_of(const Entry& e) { return Region(e.region); }
  const FrequencySketch& sketch() const { return sketch_; }
  // The admission estimate of a resident slot: the sketch's plus the uses it holds back.
  uint32_t frequency(Slot s) const;

 private:
  SlotList& list(Slot s) { return regions_[entries_[s].region]; }
  bool take_mark(Slot s);
  void promote(Slot s);
  void place(Slot s, Region r);
  void unlink(Slot s);
  void spill_window();
  void spill_protected();
  bool admit(Slot candidate, Slot victim);
  // Counts a use of resident slot `s` in its byte `u`; 1 if the use is held for the sketch.
  uint8_t use(uint8_t& u, Slot s);
  void halve_uses();
  uint32_t next_random();
  uint64_t live() const { return regions_[0].count() + regions_[1].count() + regions_[2].count(); }

  Bounds window_max_;
  Bounds protected_max_;
  uint64_t sketch_limit_;
  SlotList regions_[3];
  Slot candidate_ = kNil;  // oldest entry that left the window since the last insert or update
  FrequencySketch sketch_;
  std::vector<uint8_t> uses_;  // by slot, see tinylfu.cpp
  uint32_t rng_;
};

}  // namespace edgeguard::cache
