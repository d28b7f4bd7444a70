#pragma once
// Growth ahead of use, so that the calls that fill a vector afterwards cannot fail: the cache's
// removal paths never allocate, and its inserts allocate before they change anything.
#include <algorithm>
#include <cstddef>

namespace edgeguard::cache {

// Ensures v can hold n elements, doubling its capacity (amortised O(1) per element, as
// push_back's growth). Throws std::bad_alloc or std::length_error, changing nothing, when it
// cannot.
template <class V>
void make_room(V& v, size_t n) {
  if (v.capacity() < n) v.reserve(std::max(n, 2 * v.capacity()));
}

}  // namespace edgeguard::cache
