#include <algorithm>

#include "edgeguard/unicode/unicode_tables.hpp"

namespace edgeguard::validate::tables {

CharSet inversion_set(const Table& table) {
  std::vector<CodeRange> ranges;
  TableReader reader(table, false);
  uint32_t lo = 0, hi = 0;
  uint8_t unused = 0;
  while (reader.next(&lo, &unused)) {
    ranges.push_back({lo, reader.next(&hi, &unused) ? hi - 1 : kMaxCodePoint});
  }
  return CharSet::from_ranges(std::move(ranges));
}

PropertyMap::PropertyMap(const Table& table) {
  starts_.reserve(table.count);
  values_.reserve(table.count);
  TableReader reader(table, true);
  uint32_t start = 0;
  uint8_t value = 0;
  while (reader.next(&start, &value)) {
    starts_.push_back(start);
    values_.push_back(value);
  }
}

uint8_t PropertyMap::at(uint32_t cp) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), cp);
  return it == starts_.begin() ? 0 : values_[size_t(it - starts_.begin()) - 1];
}

}  // namespace edgeguard::validate::tables
