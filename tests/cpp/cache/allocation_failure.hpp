#pragma once
// The out-of-memory seam of the cache tests: this binary replaces the global operator new
// (allocation_failure_test.cpp), so while a FailAllocations is alive every allocation after the
// first `allowed` ones throws std::bad_alloc, as a heap that can no longer grow does.
#include <cstddef>

namespace edgeguard::cache::testing {

class FailAllocations {
 public:
  explicit FailAllocations(size_t allowed);
  ~FailAllocations();
  FailAllocations(const FailAllocations&) = delete;
  FailAllocations& operator=(const FailAllocations&) = delete;
  // Whether an allocation was refused so far.
  bool refused() const;
};

}  // namespace edgeguard::cache::testing
