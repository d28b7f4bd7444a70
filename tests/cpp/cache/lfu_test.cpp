#include "edgeguard/cache/lfu.hpp"

#include "cache/table_helpers.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::TableHarness;

namespace {

TEST(Lfu, EvictsTheLeastFrequentlyUsedThenTheLeastRecent) {
  TableHarness h(PolicyKind::lfu, 3);
  h.set(1), h.set(2), h.set(3);
  h.get(1), h.get(1), h.get(2);
  h.set(4);  // 3 has one use
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 2, 4}));
  h.get(4);  // 2 and 4 have two uses, 2 is older
  h.set(5);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 4, 5}));
  h.set(6);  // 5 has one use
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 4, 6}));
}

TEST(Lfu, AgingLetsNewPopularKeysOutliveOldOnes) {
  TableHarness h(PolicyKind::lfu, 16);  // halves every 160 uses
  h.set(100);
  for (int i = 0; i < 100; ++i) h.get(100);  // once popular: count saturates high
  for (uint32_t k = 1; k < 16; ++k) h.set(k);
  // Keys 1..15 become steadily popular while 100 is never read again.
  for (int round = 0; round < 60; ++round)
    for (uint32_t k = 1; k < 16; ++k) h.get(k);
  h.set(200);
  EXPECT_FALSE(h.has(100));
  for (uint32_t k = 1; k < 16; ++k) EXPECT_TRUE(h.has(k)) << k;
}

TEST(Lfu, CountsSaturateWithoutOverflow) {
  TableHarness h(PolicyKind::lfu, 1000);
  h.set(1), h.set(2);
  for (int i = 0; i < 600; ++i) h.get(1);
  EXPECT_EQ(h.table.entry(h.slots[1]).freq, 255);
}

}  // namespace
