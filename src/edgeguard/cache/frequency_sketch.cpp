#include "edgeguard/cache/frequency_sketch.hpp"

#include <algorithm>

namespace edgeguard::cache {

namespace {
constexpr uint64_t kSeeds[4] = {0xc3a5c85c97cb3127ULL, 0xb492b66fbe98f273ULL,
                                0x9ae16a3b2f90404fULL, 0xcbf29ce484222325ULL};
constexpr uint64_t kResetMask = 0x7777777777777777ULL;
constexpr uint64_t kOneMask = 0x1111111111111111ULL;
// Bounds the table at 2^26 words (512 MiB would be absurd for a JS heap's cache anyway).
constexpr uint64_t kMaxWords = uint64_t{1} << 26;

int popcount64(uint64_t x) { return __builtin_popcountll(x); }
}  // namespace

void FrequencySketch::ensure_capacity(uint64_t capacity) {
  const uint64_t wanted = std::min(std::max<uint64_t>(capacity, 16), kMaxWords);
  uint64_t words = 1;
  while (words < wanted) words <<= 1;
  if (words == table_.size()) return;
  table_.assign(words, 0);
  table_.shrink_to_fit();
  mask_ = words - 1;
  sample_size_ = 10 * std::max<uint64_t>(capacity, 16);
  size_ = 0;
}

// The caller's hash may be weak (e.g. a 32-bit string hash); mixing makes the row choice and
// counter offsets independent of its low bits.
uint32_t FrequencySketch::spread(uint32_t x) {
  x = ((x >> 16) ^ x) * 0x45d9f3bU;
  x = ((x >> 16) ^ x) * 0x45d9f3bU;
  return (x >> 16) ^ x;
}

size_t FrequencySketch::index_of(uint32_t hash, int row) const {
  uint64_t h = (uint64_t{hash} + kSeeds[row]) * kSeeds[row];
  h += h >> 32;
  return size_t(h & mask_);
}

bool FrequencySketch::increment_at(size_t word, uint32_t counter) {
  const uint32_t offset = counter << 2;
  const uint64_t mask = uint64_t{0xF} << offset;
  if ((table_[word] & mask) == mask) return false;
  table_[word] += uint64_t{1} << offset;
  return true;
}

void FrequencySketch::increment(uint32_t hash) {
  if (table_.empty()) return;
  const uint32_t h = spread(hash);
  const uint32_t start = (h & 3) << 2;
  bool added = false;
  for (int row = 0; row < 4; ++row) added |= increment_at(index_of(h, row), start + row);
  if (added && ++size_ >= sample_size_) halve();
}

uint32_t FrequencySketch::frequency(uint32_t hash) const {
  if (table_.empty()) return 0;
  const uint32_t h = spread(hash);
  const uint32_t start = (h & 3) << 2;
  uint32_t freq = 15;
  for (int row = 0; row < 4; ++row) {
    const uint32_t shift = (start + row) << 2;
    freq = std::min(freq, uint32_t(table_[index_of(h, row)] >> shift) & 0xF);
  }
  return freq;
}

void FrequencySketch::halve() {
  uint64_t odd = 0;
  for (uint64_t& word : table_) {
    odd += popcount64(word & kOneMask);
    word = (word >> 1) & kResetMask;
  }
  // Each counter that was odd lost half an increment to truncation; a key has four counters.
  const uint64_t half = size_ >> 1, lost = odd >> 2;
  size_ = half > lost ? half - lost : 0;
}

}  // namespace edgeguard::cache
