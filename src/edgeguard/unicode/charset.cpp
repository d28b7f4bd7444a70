#include "edgeguard/unicode/charset.hpp"

#include <algorithm>
#include <utility>

namespace edgeguard::validate {

CharSet CharSet::range(uint32_t lo, uint32_t hi) {
  CharSet s;
  s.add(lo, hi);
  return s;
}

CharSet CharSet::from_ranges(std::vector<CodeRange> ranges) {
  CharSet s;
  s.ranges_ = std::move(ranges);
  s.normalize();
  return s;
}

void CharSet::add(uint32_t lo, uint32_t hi) {
  if (lo > hi) return;
  ranges_.push_back({lo, std::min(hi, kMaxCodePoint)});
  normalize();
}

void CharSet::add(const CharSet& other) {
  ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
  normalize();
}

CharSet CharSet::negated() const {
  CharSet out;
  uint32_t next = 0;
  for (const CodeRange& r : ranges_) {
    if (r.lo > next) out.ranges_.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= kMaxCodePoint) out.ranges_.push_back({next, kMaxCodePoint});
  out.normalize();
  return out;
}

bool CharSet::contains_slow(uint32_t cp) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), cp,
                             [](uint32_t v, const CodeRange& r) { return v < r.lo; });
  return it != ranges_.begin() && cp <= std::prev(it)->hi;
}

bool CharSet::operator==(const CharSet& o) const {
  return ranges_.size() == o.ranges_.size() &&
         std::equal(ranges_.begin(), ranges_.end(), o.ranges_.begin(),
                    [](const CodeRange& a, const CodeRange& b) { return a.lo == b.lo && a.hi == b.hi; });
}

void CharSet::normalize() {
  std::sort(ranges_.begin(), ranges_.end(),
            [](const CodeRange& a, const CodeRange& b) { return a.lo < b.lo; });
  size_t out = 0;
  for (const CodeRange& r : ranges_) {
    if (out > 0 && r.lo <= uint64_t(ranges_[out - 1].hi) + 1) {
      ranges_[out - 1].hi = std::max(ranges_[out - 1].hi, r.hi);
    } else {
      ranges_[out++] = r;
    }
  }
  ranges_.resize(out);
  ascii_[0] = ascii_[1] = 0;
  for (const CodeRange& r : ranges_) {
    if (r.lo >= 128) break;
    for (uint32_t c = r.lo; c <= std::min<uint32_t>(r.hi, 127); ++c) ascii_[c >> 6] |= uint64_t{1} << (c & 63);
  }
}

}  // namespace edgeguard::validate
