#pragma once
// A count-min sketch of 4-bit counters with periodic aging, after Caffeine's FrequencySketch:
// it estimates how often a key hash was seen recently, including keys that are not cached,
// which is what TinyLFU's admission needs. Each 64-bit word holds sixteen counters; a key uses
// four counters in a pair of adjacent words; its estimate is their minimum.
// After 10 x capacity increments every counter is halved, so old popularity fades.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgeguard::cache {

class FrequencySketch {
 public:
  // Sizes the table for `capacity` distinct keys (two words each, rounded up to a power of two)
  // and resets all counters. Memory is 8 bytes per word. Throws std::bad_alloc, changing
  // nothing, when the table cannot be allocated.
  void ensure_capacity(uint64_t capacity);
  // Words in the table, and the key count it was sized for.
  uint64_t capacity() const { return table_.size(); }
  uint64_t keys() const { return keys_; }

  // Counts one use of the key; true when that ended the sample period and halved every counter
  // (a caller that keeps counts of its own halves them too).
  bool increment(uint32_t hash);
  // Adds `n` uses that were already counted through record(), saturating at 15.
  void add(uint32_t hash, uint32_t n);
  // Counts `n` uses toward the sample period whose counter updates the caller defers to add();
  // true when the period ended (every counter halved).
  bool record(uint64_t n) {
    if (table_.empty()) return false;
    size_ += n;
    if (size_ < sample_size_) return false;
    halve();
    return true;
  }
  // 0..15
  uint32_t frequency(uint32_t hash) const;

  size_t memory_bytes() const { return table_.capacity() * sizeof(uint64_t); }
  // Increments since the last halving; for tests of the aging period.
  uint64_t samples() const { return size_; }
  uint64_t sample_size() const { return sample_size_; }

 private:
  struct Counters {
    size_t word;     // the first of the pair
    uint64_t mask0;  // the low bit of each of the key's nibbles in either word
    uint64_t mask1;
  };
  Counters counters(uint32_t hash) const;
  bool step(const Counters& c);
  void halve();

  std::vector<uint64_t> table_;
  uint64_t pair_mask_ = 0;
  uint64_t keys_ = 0;
  uint64_t sample_size_ = 0;
  uint64_t size_ = 0;
};

}  // namespace edgeguard::cache
