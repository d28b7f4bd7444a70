#include "edgeguard/cache/lfu.hpp"

#include <algorithm>

namespace edgeguard::cache {

Lfu::Lfu(std::vector<Entry>& entries, Bounds bounds)
    : Policy(entries),
      period_floor_(bounds.max_entries == kUnbounded ? 16 : std::max<uint64_t>(bounds.max_entries, 16)) {}

void Lfu::on_insert(Slot s) {
  entries_[s].freq = 1;
  buckets_[1].push_back(entries_, s);
  min_ = 1;
  newest_ = s;
  ++live_;
  count_use();
}

void Lfu::on_hit(Slot s) {
  newest_ = kNil;
  Entry& e = entries_[s];
  if (e.freq < 255) {
    buckets_[e.freq].unlink(entries_, s);
    if (e.freq == min_ && buckets_[e.freq].empty()) ++min_;
    ++e.freq;
    buckets_[e.freq].push_back(entries_, s);
  } else {
    buckets_[255].move_to_back(entries_, s);
  }
  count_use();
}

void Lfu::on_update(Slot s, uint32_t old_size) {
  buckets_[entries_[s].freq].resize(old_size, entries_[s].size);
  on_hit(s);
}

void Lfu::on_remove(Slot s) {
  buckets_[entries_[s].freq].unlink(entries_, s);
  if (s == newest_) newest_ = kNil;
  --live_;
}

// A newcomer has the lowest count of all, so plain LFU would evict every new key at once;
// the victim is the least used among the others (the newcomer only when it is alone).
Slot Lfu::victim() {
  while (min_ < 255 && buckets_[min_].empty()) ++min_;
  for (uint32_t f = min_; f < 256; ++f) {
    for (Slot s = buckets_[f].front(); s != kNil; s = entries_[s].next)
      if (s != newest_) return s;
  }
  return newest_;
}

void Lfu::clear() {
  for (SlotList& b : buckets_) b.clear();
  min_ = 1;
  newest_ = kNil;
  uses_ = live_ = 0;
}

void Lfu::count_use() {
  // The aging period follows the configured capacity, or the live count when only bytes bound.
  if (++uses_ >= 10 * std::max(period_floor_, live_)) halve();
}

// Rebuilds the buckets with halved counts (at least 1). Entries keep their relative recency
// within each source bucket; O(n) once per 10 x capacity uses, so O(1) amortised.
void Lfu::halve() {
  uses_ = 0;
  std::array<SlotList, 256> old = buckets_;
  for (SlotList& b : buckets_) b.clear();
  for (uint32_t f = 1; f < 256; ++f) {
    for (Slot s = old[f].front(); s != kNil;) {
      const Slot next = entries_[s].next;
      const uint8_t halved = uint8_t(std::max<uint32_t>(f / 2, 1));
      entries_[s].freq = halved;
      buckets_[halved].push_back(entries_, s);
      s = next;
    }
  }
  min_ = 1;
}

}  // namespace edgeguard::cache
