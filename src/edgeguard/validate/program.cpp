#include "edgeguard/validate/program.hpp"

#include <cstring>

namespace edgeguard::validate {

uint64_t hash_name(std::string_view s) {
  // Eight bytes a step: property names are short, so this is one or two multiplications.
  uint64_t h = s.size() * 0x9e3779b97f4a7c15ULL;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < s.size(); ++k) tail |= uint64_t(uint8_t(s[i + k])) << (8 * k);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

uint32_t NameTable::find(std::string_view name) const {
  if (slots_.empty()) return kNone;
  const uint64_t h = hash_name(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t s = slots_[i];
    if (s == 0) return kNone;
    if (hashes_[s - 1] == h && names_[s - 1] == name) return s - 1;
  }
}

uint32_t NameTable::add(std::string_view name) {
  if (const uint32_t found = find(name); found != kNone) return found;
  names_.emplace_back(name);
  hashes_.push_back(hash_name(name));
  if (names_.size() * 2 > slots_.size()) {
    rehash();
  } else {
    const size_t mask = slots_.size() - 1;
    size_t i = hashes_.back() & mask;
    while (slots_[i]) i = (i + 1) & mask;
    slots_[i] = uint32_t(names_.size());
  }
  return uint32_t(names_.size() - 1);
}

void NameTable::rehash() {
  size_t n = 8;
  while (n < names_.size() * 2) n *= 2;
  slots_.assign(n, 0);
  for (uint32_t o = 0; o < names_.size(); ++o) {
    size_t i = hashes_[o] & (n - 1);
    while (slots_[i]) i = (i + 1) & (n - 1);
    slots_[i] = o + 1;
  }
}

}  // namespace edgeguard::validate
