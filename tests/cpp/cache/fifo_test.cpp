#include "edgeguard/cache/fifo.hpp"

#include "cache/table_helpers.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::TableHarness;

namespace {

TEST(Fifo, EvictsInInsertionOrderIgnoringHits) {
  TableHarness h(PolicyKind::fifo, 3);
  h.set(1), h.set(2), h.set(3);
  EXPECT_TRUE(h.get(1));
  h.set(4);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{2, 3, 4}));
  h.set(2, 1);  // an update keeps the original position
  h.set(5);
  EXPECT_EQ(h.keys(), (std::vector<uint32_t>{3, 4, 5}));
}

}  // namespace
