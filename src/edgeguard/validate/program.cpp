#include "edgeguard/validate/program.hpp"


namespace edgeguard::validate {

namespace {

uint64_t slot_hash(uint64_t prefix, size_t size) {
  uint64_t h = (prefix ^ size * 0x9e3779b97f4a7c15ULL) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

}  // namespace

uint32_t NameTable::find_hashed(std::string_view name, uint64_t prefix) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = slot_hash(prefix, name.size()) & mask;; i = (i + 1) & mask) {
    const uint32_t s = slots_[i];
    if (s == 0) return kNone;
    const Entry& e = entries_[s - 1];
    if (e.prefix == prefix && e.size == name.size() && same_tail(s - 1, name)) return s - 1;
  }
}

uint32_t NameTable::add(std::string_view name) {
  if (const uint32_t found = find(name); found != kNone) return found;
  names_.emplace_back(name);
  entries_.push_back({name_prefix(name), name.size()});
  if (names_.size() > kLinear) rehash();
  return uint32_t(names_.size() - 1);
}

void NameTable::rehash() {
  size_t n = 16;
  while (n < names_.size() * 2) n *= 2;
  if (slots_.size() == n) {
    size_t i = slot_hash(entries_.back().prefix, entries_.back().size) & (n - 1);
    while (slots_[i]) i = (i + 1) & (n - 1);
    slots_[i] = uint32_t(names_.size());
    return;
  }
  slots_.assign(n, 0);
  for (uint32_t o = 0; o < names_.size(); ++o) {
    size_t i = slot_hash(entries_[o].prefix, entries_[o].size) & (n - 1);
    while (slots_[i]) i = (i + 1) & (n - 1);
    slots_[i] = o + 1;
  }
}

}  // namespace edgeguard::validate
