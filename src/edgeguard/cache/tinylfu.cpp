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
// uses_[slot]: the uses not yet handed to the sketch (low nibble), whether the entry was used
// since it was last placed at the back of its list, whether it is in the window, and whether
// the slot holds an entry at all.
constexpr uint8_t kHeld = 0x0F;
constexpr uint8_t kUsed = 0x10;
constexpr uint8_t kInWindow = 0x20;
constexpr uint8_t kResident = 0x40;
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

// The sketch grows with the entries (up to the bound), sized before the insert that needs it.
void TinyLfu::reserve(Slot s) {
  if (s >= uses_.size()) uses_.resize(size_t(s) + 1);
  if (live() + 1 > sketch_.keys() && sketch_.keys() < sketch_limit_)
    sketch_.ensure_capacity(std::min(sketch_limit_, sketch_.keys() * 2));
}

void TinyLfu::place(Slot s, Region r) {
  entries_[s].region = r;
  uses_[s] = uint8_t((uses_[s] & (kHeld | kResident)) | (r == window ? kInWindow : 0));
  regions_[r].push_back(entries_, s);
}

bool TinyLfu::take_mark(Slot s) {
  if ((uses_[s] & kUsed) == 0) return false;
  uses_[s] &= uint8_t(~kUsed);
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
  uses_[s] = kResident;
  place(s, window);
  if (sketch_.increment(entries_[s].hash)) halve_uses();
  spill_window();
}

// The window stays an exact LRU (it is small, and a new entry keeps its time there); in the main
// area a hit only marks the entry, and the move it would have made happens when the entry next
// comes up at the front of its list: a probation entry is promoted (victim), a protected one
// goes round again (spill_protected). This is CLOCK's second chance standing in for LRU order,
// the "lazy promotion" of Yang et al., "FIFO can be Better than LRU" (HotOS 2023).
// Hit ratio against the eager moves: -0.01 to +0.24 points on bench/cache.bench.js's six
// traces; on four others, -0.49 (popularity that shifts over time), -0.38 (a loop over 1.2x the
// capacity), +0.01, +0.18.
//
// A main-area hit then touches one byte in uses_ (a byte per slot: 10 KB for 10,000 entries,
// where the entries take 200 KB) instead of the entry, its two neighbours and the list's tail.
// The hit's count stays in that byte too, and reaches the sketch when the entry leaves
// (on_remove): the estimate is the sum of both. The uses still advance the sketch's sample
// period when they are applied (a read batch's at its end), and are halved with it, so aging is
// as if they had been added at once; up to 15 are kept, the counters' own limit. Together these
// took get() hits from 0.68x to about 1.0x lru-cache's in bench/cache.bench.js.
uint8_t TinyLfu::use(uint8_t& u, Slot s) {
  const uint8_t held = (u & kHeld) < 15 ? 1 : 0;
  u = uint8_t((u + held) | kUsed);
  if (u & kInWindow) regions_[window].move_to_back(entries_, s);
  return held;
}

void TinyLfu::on_hit(Slot s) {
  if (use(uses_[s], s) != 0 && sketch_.record(1)) halve_uses();
}

// A batch from the JS side's queue may hold slots that left since. The byte array's bounds are
// kept in locals: stores through uint8_t& may alias anything, and the compiler reloaded them
// after every hit.
void TinyLfu::on_hits(const Slot* slots, size_t n) {
  uint8_t* const uses = uses_.data();
  const size_t slot_count = uses_.size();
  uint64_t held = 0;
  for (size_t i = 0; i < n; ++i) {
    const Slot s = slots[i];
    if (s < slot_count && (uses[s] & kResident) != 0) held += use(uses[s], s);
  }
  if (sketch_.record(held)) halve_uses();
}

void TinyLfu::halve_uses() {
  for (uint8_t& u : uses_) u = uint8_t((u & ~kHeld) | (u & kHeld) >> 1);
}

uint32_t TinyLfu::frequency(Slot s) const {
  return std::min<uint32_t>(15, sketch_.frequency(entries_[s].hash) + (uses_[s] & kHeld));
}

void TinyLfu::on_update(Slot s, uint32_t old_size) {
  candidate_ = kNil;
  list(s).resize(old_size, entries_[s].size);
  on_hit(s);
  spill_window();
  spill_protected();
}

void TinyLfu::on_remove(Slot s) {
  sketch_.add(entries_[s].hash, uses_[s] & kHeld);
  uses_[s] = 0;
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
  std::fill(uses_.begin(), uses_.end(), uint8_t{0});
  candidate_ = kNil;
}

}  // namespace edgeguard::cache
