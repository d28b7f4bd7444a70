#pragma once
// One cached entry's metadata, as the core sees it: the JS side holds the key and the value and
// refers to an entry by its slot. Policies thread their lists through `prev`/`next`.
#include <cstdint>

#include "edgeguard/cache/freshness.hpp"

namespace edgeguard::cache {

using Slot = uint32_t;
inline constexpr Slot kNil = UINT32_MAX;

struct Entry {
  Lifetime life;
  uint32_t hash = 0;      // the key's hash, for the admission filter's frequency estimates
  uint32_t size = 0;      // bytes charged against maxBytes
  Slot prev = kNil;       // policy list links
  Slot next = kNil;
  uint32_t heap_pos = kNil;  // index in the expiry heap; kNil when it never expires
  uint32_t tags = kNil;      // first tag membership (TagIndex)
  uint8_t region = 0;        // policy-specific: TinyLFU region, LFU unused
  uint8_t freq = 0;          // LFU access count (saturating)
  bool live = false;
};

}  // namespace edgeguard::cache
