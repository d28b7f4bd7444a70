#include "edgeguard/cache/expiry_heap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

using namespace edgeguard::cache;

namespace {

TEST(ExpiryHeap, PopsInDeadlineOrderAndSkipsNeverExpiring) {
  std::vector<Lifetime> e(6);
  ExpiryHeap heap(e);
  const double ttls[] = {50, 10, std::numeric_limits<double>::infinity(), 30, 20, 40};
  for (Slot s = 0; s < 6; ++s) {
    e[s] = Lifetime{0, ttls[s], 0, 0};
    heap.reserve(s);
    heap.update(s);
  }
  EXPECT_EQ(heap.size(), 5u);
  EXPECT_FALSE(heap.contains(2));
  std::vector<Slot> order;
  while (!heap.empty()) {
    order.push_back(heap.top());
    heap.remove(heap.top());
  }
  EXPECT_EQ(order, (std::vector<Slot>{1, 4, 3, 5, 0}));
}

TEST(ExpiryHeap, KeepsOrderUnderRandomUpdatesAndRemovals) {
  std::mt19937 rng(7);
  std::vector<Lifetime> e(200);
  ExpiryHeap heap(e);
  std::vector<bool> in(200, false);
  for (int step = 0; step < 5000; ++step) {
    const Slot s = rng() % 200;
    if (rng() % 3 == 0) {
      heap.remove(s);
      in[s] = false;
    } else {
      e[s] = Lifetime{double(rng() % 1000), double(rng() % 1000), 0, 0};
      heap.reserve(s);
      heap.update(s);
      in[s] = true;
    }
  }
  double last = -1;
  size_t n = 0;
  while (!heap.empty()) {
    const Slot s = heap.top();
    ASSERT_TRUE(in[s]);
    ASSERT_GE(e[s].deadline(), last);
    last = e[s].deadline();
    heap.remove(s);
    in[s] = false;
    ++n;
  }
  EXPECT_EQ(std::count(in.begin(), in.end(), true), 0);
  EXPECT_GT(n, 0u);
}

TEST(ExpiryHeap, AnUpdateToNeverExpiringLeavesTheHeap) {
  std::vector<Lifetime> e(2);
  ExpiryHeap heap(e);
  e[0] = Lifetime{0, 5, 0, 0};
  heap.reserve(0);
  heap.update(0);
  EXPECT_TRUE(heap.contains(0));
  e[0].ttl = std::numeric_limits<double>::infinity();
  heap.update(0);
  EXPECT_TRUE(heap.empty());
  EXPECT_FALSE(heap.contains(0));
}

}  // namespace
