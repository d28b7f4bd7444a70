#include "edgeguard/cache/slot_list.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::cache;

namespace {

std::vector<Slot> walk(const SlotList& l, const std::vector<Entry>& e) {
  std::vector<Slot> out;
  for (Slot s = l.front(); s != kNil; s = e[s].next) out.push_back(s);
  std::vector<Slot> back;
  for (Slot s = l.back(); s != kNil; s = e[s].prev) back.insert(back.begin(), s);
  EXPECT_EQ(out, back) << "prev and next links disagree";
  return out;
}

TEST(SlotList, MovesFromAnyPositionToTheBackKeepingCountAndBytes) {
  std::vector<Entry> e(4);
  for (Slot s = 0; s < 4; ++s) e[s].size = 10 * (s + 1);
  SlotList l;
  for (Slot s = 0; s < 4; ++s) l.push_back(e, s);
  EXPECT_EQ(l.count(), 4u);
  EXPECT_EQ(l.bytes(), 100u);
  l.move_to_back(e, 0);  // head
  EXPECT_EQ(walk(l, e), (std::vector<Slot>{1, 2, 3, 0}));
  l.move_to_back(e, 2);  // middle
  EXPECT_EQ(walk(l, e), (std::vector<Slot>{1, 3, 0, 2}));
  l.move_to_back(e, 2);  // already the tail
  EXPECT_EQ(walk(l, e), (std::vector<Slot>{1, 3, 0, 2}));
  EXPECT_EQ(l.count(), 4u);
  EXPECT_EQ(l.bytes(), 100u);
  l.unlink(e, 3);
  EXPECT_EQ(walk(l, e), (std::vector<Slot>{1, 0, 2}));
  EXPECT_EQ(l.bytes(), 60u);
  l.resize(10, 15);  // slot 0 grew in place
  EXPECT_EQ(l.bytes(), 65u);
}

TEST(SlotList, SingleEntry) {
  std::vector<Entry> e(1);
  SlotList l;
  l.push_back(e, 0);
  l.move_to_back(e, 0);
  EXPECT_EQ(walk(l, e), (std::vector<Slot>{0}));
  l.unlink(e, 0);
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.back(), kNil);
}

}  // namespace
