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
// Entry::freq holds, in its low nibble, the uses not yet handed to the sketch, and kUsed: used
// since the entry was last placed at the back of its list.
constexpr uint8_t kHeld = 0x0F;
constexpr uint8_t kUsed = 0x10;
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
  entries_[s].freq &= kHeld;
  regions_[r].push_back(entries_, s);
}

bool TinyLfu::take_mark(Slot s) {
  if ((entries_[s].freq & kUsed) == 0) return false;
  entries_[s].freq &= kHeld;
  return true;
}

void TinyLfu::promote(Slot s) {
  unlink(s);
  place(s, protected_);
  spill_protected();
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
    if (take_mark(s)) {
      p.move_to_back(entries_, s);
      continue;
    }
    unlink(s);
    place(s, probation);
  }
}

void TinyLfu::on_insert(Slot s) {
  candidate_ = kNil;
  place(s, window);
  grow_sketch();
  if (sketch_.increment(entries_[s].hash)) halve_uses();
  spill_window();
}

// The window stays an exact LRU (it is small, and a new entry keeps its time there); in the main
// area a hit only marks the entry, and the move it would have made happens when the entry next
// comes up at the front of its list: a probation entry is promoted (victim), a protected one
// goes round again (spill_protected). This is CLOCK's second chance standing in for LRU order,
// the "lazy promotion" of Yang et al., "FIFO can be Better than LRU" (HotOS 2023): a hit then
// touches only its own entry, where a move touched both neighbours and the list's tail: get()
// hits measured 0.68x lru-cache with the moves, 0.82-0.9x without. Hit ratio against the eager
// moves: -0.01 to +0.24 points on bench/cache.bench.js's six traces; on four others, -0.52
// (popularity that shifts over time), -0.30 (a loop over 1.2x the capacity), -0.01, +0.19.
void TinyLfu::on_hit(Slot s) {
  count_use(s);
  if (entries_[s].region == window) regions_[window].move_to_back(entries_, s);
}

// The base class's loop, with on_hit called directly rather than through the vtable.
void TinyLfu::on_hits(const Slot* slots, size_t n) {
  for (size_t i = 0; i < n; ++i) on_hit(slots[i]);
}

// A resident entry's uses are counted in the entry itself, on the line the hit touches anyway,
// and reach the sketch when the entry leaves (on_remove); its estimate is the sum of both. A
// hit then costs no sketch access (a cache miss in a table of 16-32 bytes per key). The uses
// still advance the sketch's sample period as they happen, and are halved with it, so aging is
// as if they had been added at once; up to 15 are kept, the counters' own limit.
void TinyLfu::count_use(Slot s) {
  Entry& e = entries_[s];
  if ((e.freq & kHeld) < 15) {
    ++e.freq;
    if (sketch_.record(1)) halve_uses();
  }
  e.freq |= kUsed;
}

void TinyLfu::halve_uses() {
  for (Entry& e : entries_) e.freq = uint8_t((e.freq & kUsed) | (e.freq & kHeld) >> 1);
}

uint32_t TinyLfu::frequency(Slot s) const {
  const Entry& e = entries_[s];
  return std::min<uint32_t>(15, sketch_.frequency(e.hash) + (e.freq & kHeld));
}

void TinyLfu::on_update(Slot s, uint32_t old_size) {
  candidate_ = kNil;
  list(s).resize(old_size, entries_[s].size);
  on_hit(s);
  spill_window();
  spill_protected();
}

void TinyLfu::on_remove(Slot s) {
  sketch_.add(entries_[s].hash, entries_[s].freq & kHeld);
  entries_[s].freq = 0;
  unlink(s);
}

Slot TinyLfu::victim() {
  // Probation entries used since they got there are promoted now, as their hits would have
  // done. (Candidates are unused: they left the window in this very call, and place() clears
  // the mark.)
  for (Slot f = regions_[probation].front(); f != kNil && take_mark(f); f = regions_[probation].front())
    promote(f);
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
  const uint32_t victim_freq = frequency(victim);
  const uint32_t candidate_freq = frequency(candidate);
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
