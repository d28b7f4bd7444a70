#include "edgeguard/cache/lru.hpp"

#include "cache/table_helpers.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::TableHarness;

namespace {

TEST(Lru, EvictsTheLeastRecentlyUsed) {
  TableHarness h(PolicyKind::lru, 3);
  h.set(1), h.set(2), h.set(3);
  EXPECT_TRUE(h.get(1));
  h.set(4);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 3, 4}));
  h.set(3, 1);  // an update is a use
  h.set(5);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{3, 4, 5}));
  h.set(6), h.set(7);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{5, 6, 7}));
}

TEST(Lru, EvictsAsManyAsTheByteBoundNeeds) {
  TableHarness h(PolicyKind::lru, kUnbounded, 10);
  h.set(1, 3), h.set(2, 3), h.set(3, 3);
  EXPECT_TRUE(h.get(1));
  h.set(4, 7);  // needs 7 of 10: keeps only the most recent (1) besides 4
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(h.table.bytes(), 10u);
}

}  // namespace
