#include "cache/allocation_failure.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <new>

namespace {
bool armed = false;
bool refused_any = false;
size_t left = 0;
}  // namespace

// Replaces the global allocation functions for this test binary (the array and nothrow forms
// of the library call these).
void* operator new(std::size_t n) {
  if (armed) {
    if (left == 0) {
      refused_any = true;
      throw std::bad_alloc();
    }
    --left;
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace edgeguard::cache::testing {

FailAllocations::FailAllocations(size_t allowed) {
  left = allowed;
  refused_any = false;
  armed = true;
}
FailAllocations::~FailAllocations() { armed = false; }
bool FailAllocations::refused() const { return refused_any; }

}  // namespace edgeguard::cache::testing

namespace {

using edgeguard::cache::testing::FailAllocations;

TEST(FailAllocations, RefusesEveryAllocationAfterTheAllowedOnes) {
  bool refused = false;
  std::unique_ptr<int> first, second;
  {
    FailAllocations f(1);
    first = std::make_unique<int>(1);
    try {
      second = std::make_unique<int>(2);
    } catch (const std::bad_alloc&) {
      refused = f.refused();
    }
  }
  EXPECT_TRUE(first && !second && refused);
  EXPECT_NE(std::make_unique<int>(3), nullptr);  // disarmed again
}

}  // namespace
