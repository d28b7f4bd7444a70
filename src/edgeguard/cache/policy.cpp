#include "edgeguard/cache/policy.hpp"

#include "edgeguard/cache/fifo.hpp"
#include "edgeguard/cache/lfu.hpp"
#include "edgeguard/cache/lru.hpp"
#include "edgeguard/cache/tinylfu.hpp"

namespace edgeguard::cache {

std::unique_ptr<Policy> make_policy(PolicyKind kind, std::vector<Entry>& entries, Bounds bounds,
                                    uint32_t seed) {
  switch (kind) {
    case PolicyKind::tinylfu: return std::make_unique<TinyLfu>(entries, bounds, seed);
    case PolicyKind::lru: return std::make_unique<Lru>(entries);
    case PolicyKind::lfu: return std::make_unique<Lfu>(entries, bounds);
    case PolicyKind::fifo: return std::make_unique<Fifo>(entries);
  }
  return nullptr;
}

}  // namespace edgeguard::cache
