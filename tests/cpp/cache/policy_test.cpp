#include "edgeguard/cache/policy.hpp"

#include <gtest/gtest.h>

#include "edgeguard/cache/fifo.hpp"
#include "edgeguard/cache/lfu.hpp"
#include "edgeguard/cache/lru.hpp"
#include "edgeguard/cache/tinylfu.hpp"

using namespace edgeguard::cache;

namespace {

// The policy make_policy builds, fed three inserts and one hit on the oldest entry, straight
// through the Policy interface (no entry table), so the kind alone decides the victim.
Slot victim_after_a_hit_on_the_oldest(PolicyKind kind) {
  std::vector<Entry> entries(3);
  const auto p = make_policy(kind, entries, Bounds{3, kUnbounded}, 1);
  for (Slot s = 0; s < 3; ++s) {
    entries[s].live = true;
    p->reserve(s);
    p->on_insert(s);
  }
  p->on_hit(0);
  return p->victim();
}

TEST(MakePolicy, BuildsTheClassEachKindNames) {
  std::vector<Entry> entries;
  const auto lru = make_policy(PolicyKind::lru, entries, {}, 1);
  const auto fifo = make_policy(PolicyKind::fifo, entries, {}, 1);
  EXPECT_NE(dynamic_cast<Lru*>(lru.get()), nullptr);
  // Lru derives from Fifo: a fifo must not be an Lru in disguise.
  EXPECT_NE(dynamic_cast<Fifo*>(fifo.get()), nullptr);
  EXPECT_EQ(dynamic_cast<Lru*>(fifo.get()), nullptr);
  EXPECT_NE(dynamic_cast<Lfu*>(make_policy(PolicyKind::lfu, entries, {}, 1).get()), nullptr);
  EXPECT_NE(dynamic_cast<TinyLfu*>(make_policy(PolicyKind::tinylfu, entries, {}, 1).get()), nullptr);
}

TEST(MakePolicy, TheKindDecidesWhoIsEvicted) {
  EXPECT_EQ(victim_after_a_hit_on_the_oldest(PolicyKind::fifo), 0u);  // hits do not count
  EXPECT_EQ(victim_after_a_hit_on_the_oldest(PolicyKind::lru), 1u);   // the hit renewed 0
  EXPECT_EQ(victim_after_a_hit_on_the_oldest(PolicyKind::lfu), 1u);   // 0 is used twice
}

// The kind crosses the wasm boundary as a number; the entry table refuses one out of range
// before asking, and make_policy's own answer to it is no policy rather than a fall-through.
TEST(MakePolicy, AnUnknownKindYieldsNoPolicy) {
  std::vector<Entry> entries;
  EXPECT_EQ(make_policy(static_cast<PolicyKind>(9), entries, {}, 1), nullptr);
}

}  // namespace
