#pragma once
// What the policies touch of a cached entry on every use: the JS side holds the key and the
// value and refers to an entry by its slot. Policies thread their lists through `prev`/`next`.
// Lifetimes, expiry-heap positions and tags live in their own arrays by slot, so this stays at
// 20 bytes and a policy's list walks stay in few cache lines.
#include <cstdint>

namespace edgeguard::cache {

using Slot = uint32_t;
inline constexpr Slot kNil = UINT32_MAX;

struct Entry {
  Slot prev = kNil;       // policy list links
  Slot next = kNil;       // in an unused slot: the next unused one (EntryTable's free list)
  uint32_t hash = 0;      // the key's hash, for the admission filter's frequency estimates
  uint32_t size = 0;      // bytes charged against maxBytes
  uint8_t region = 0;     // policy-specific: TinyLFU region, LFU unused
  uint8_t freq = 0;          // LFU access count (saturating)
  bool live = false;
  // Whether the entry is in the expiry heap / has tags: the untagged, never-expiring entries
  // then leave without a look at either structure.
  uint8_t flags = 0;
};

}  // namespace edgeguard::cache
