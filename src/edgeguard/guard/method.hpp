#pragma once
// HTTP methods as bits, so a route's allowed methods are one mask and matching is one AND.
#include <cstdint>
#include <string_view>

namespace edgeguard::guard {

// seam: guard
enum Method : uint32_t {
  kGet = 1u << 0,
  kHead = 1u << 1,
  kPost = 1u << 2,
  kPut = 1u << 3,
  kPatch = 1u << 4,
  kDelete = 1u << 5,
  kOptions = 1u << 6,
  kAnyMethod = 0x7fu,
};

// Method names are case-sensitive (RFC 9110 section 9.1); unknown ones give 0.
inline uint32_t method_bit(std::string_view name) {
  constexpr std::string_view names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (uint32_t i = 0; i < 7; ++i) {
    if (names[i] == name) return 1u << i;
  }
  return 0;
}

}  // namespace edgeguard::guard
