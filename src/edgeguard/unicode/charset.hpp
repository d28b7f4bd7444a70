#pragma once
// A set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges, with an
// ASCII bitmap so the common case is one bit test instead of a binary search.
#include <cstdint>
#include <vector>

namespace edgeguard::validate {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

struct CodeRange {
  uint32_t lo;
  uint32_t hi;  // inclusive
};

class CharSet {
 public:
  CharSet() = default;
  static CharSet single(uint32_t cp) { return range(cp, cp); }
  static CharSet range(uint32_t lo, uint32_t hi);
  // Any ranges, in any order, overlapping or not.
  static CharSet from_ranges(std::vector<CodeRange> ranges);

  void add(uint32_t lo, uint32_t hi);
  void add(const CharSet& other);
  CharSet negated() const;

  bool contains(uint32_t cp) const {
    if (cp < 128) return (ascii_[cp >> 6] >> (cp & 63)) & 1;
    return contains_slow(cp);
  }
  bool empty() const { return ranges_.empty(); }
  // The one code point of a singleton set, or -1.
  int64_t only() const {
    return ranges_.size() == 1 && ranges_[0].lo == ranges_[0].hi ? int64_t(ranges_[0].lo) : -1;
  }
  const std::vector<CodeRange>& ranges() const { return ranges_; }
  bool operator==(const CharSet& o) const;

 private:
  bool contains_slow(uint32_t cp) const;
  void normalize();

  std::vector<CodeRange> ranges_;
  uint64_t ascii_[2] = {0, 0};
};

}  // namespace edgeguard::validate
