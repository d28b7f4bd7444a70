#include "edgeguard/cache/tinylfu.hpp"

#include <algorithm>

namespace edgeguard::cache {

namespace {
// Caffeine's split: 1% window, and 80% of the main area protected.
uint64_t share(uint64_t bound, uint64_t percent) {
  if (bound == kUnbounded) return kUnbounded;
  return std::max<uint64_t>(1, bound / 100 * percent + bound % 100 * percent / 100);
}
uint64_t minus(uint64_t a, uint64_t b) { return a == kUnbounded ? kUnbounded : a - b; }
// Candidates at least this frequent may win a tie at random, so an attacker who floods one
// hash cannot pin a victim forever (Caffeine's ADMIT_HASHDOS_THRESHOLD).
constexpr uint32_t kHashFloodThreshold = 6;
constexpr uint64_t kInitialSketch = 64;
}  // namespace

TinyLfu::TinyLfu(std::vector<Entry>& entries, Bounds bounds, uint32_t seed)
    : Policy(entries),
      window_max_{share(bounds.max_entries, 1), share(bounds.max_bytes, 1)},
      protected_max_{share(minus(bounds.max_entries, window_max_.max_entries), 80),
                     share(minus(bounds.max_bytes, window_max_.max_bytes), 80)},
      sketch_limit_(bounds.max_entries),
      rng_(seed | 1) {
  sketch_.ensure_capacity(std::min(kInitialSketch, sketch_limit_));
}

void TinyLfu::grow_sketch() {
  const uint64_t live = regions_[0].count() + regions_[1].count() + regions_[2].count();
  if (live > sketch_.keys() && sketch_.keys() < sketch_limit_)
    sketch_.ensure_capacity(std::min(sketch_limit_, sketch_.keys() * 2));
}

void TinyLfu::place(Slot s, Region r) {
  entries_[s].region = r;
  regions_[r].push_back(entries_, s);
}

void TinyLfu::unlink(Slot s) {
  if (s == candidate_) candidate_ = entries_[s].next;
  list(s).unlink(entries_, s);
}

void TinyLfu::spill_window() {
  SlotList& w = regions_[window];
  while (!w.empty() && window_max_.exceeded_by(w.count(), w.bytes())) {
    const Slot s = w.front();
    unlink(s);
    place(s, probation);
    if (candidate_ == kNil) candidate_ = s;
  }
}

void TinyLfu::spill_protected() {
  SlotList& p = regions_[protected_];
  while (p.count() > 1 && protected_max_.exceeded_by(p.count(), p.bytes())) {
    const Slot s = p.front();
    unlink(s);
    place(s, probation);
  }
}

void TinyLfu::on_insert(Slot s) {
  candidate_ = kNil;
  place(s, window);
  grow_sketch();
  sketch_.increment(entries_[s].hash);
  spill_window();
}

void TinyLfu::on_hit(Slot s) {
  sketch_.increment(entries_[s].hash);
  reorder(s);
}

// Sketch increments commute with the list moves (admission only reads the sketch on insert),
// so a batch does them in a loop of their own: independent cache misses overlap there instead
// of waiting on each list move.
void TinyLfu::on_hits(const Slot* slots, size_t n) {
  for (size_t i = 0; i < n; ++i) sketch_.increment(entries_[slots[i]].hash);
  for (size_t i = 0; i < n; ++i) reorder(slots[i]);
}

void TinyLfu::reorder(Slot s) {
  switch (region_of(entries_[s])) {
    case window:
      regions_[window].move_to_back(entries_, s);
      break;
    case probation:
      unlink(s);
      place(s, protected_);
      spill_protected();
      break;
    case protected_:
      regions_[protected_].move_to_back(entries_, s);
      break;
  }
}

void TinyLfu::on_update(Slot s, uint32_t old_size) {
  candidate_ = kNil;
  list(s).resize(old_size, entries_[s].size);
  on_hit(s);
  spill_window();
  spill_protected();
}

void TinyLfu::on_remove(Slot s) { unlink(s); }

Slot TinyLfu::victim() {
  const Slot v = regions_[probation].front();
  if (v == kNil) {
    const Slot p = regions_[protected_].front();
    return p != kNil ? p : regions_[window].front();
  }
  const Slot c = candidate_;
  if (c == kNil || c == v) return v;  // nothing new to weigh against the victim
  if (admit(c, v)) return v;
  return c;
}

bool TinyLfu::admit(Slot candidate, Slot victim) {
  const uint32_t victim_freq = sketch_.frequency(entries_[victim].hash);
  const uint32_t candidate_freq = sketch_.frequency(entries_[candidate].hash);
  if (candidate_freq > victim_freq) return true;
  if (candidate_freq < kHashFloodThreshold) return false;
  return (next_random() & 127) == 0;
}

uint32_t TinyLfu::next_random() {
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 17;
  rng_ ^= rng_ << 5;
  return rng_;
}

void TinyLfu::clear() {
  for (SlotList& r : regions_) r.clear();
  candidate_ = kNil;
}

}  // namespace edgeguard::cache
