#pragma once
// A seeded 64-bit hash of a key's bytes (xxHash64-style rounds over 8-byte words), reduced to
// 32 bits for a hash table: the limiter's keys, the cache's tag names. The seed comes from the
// caller, so an attacker who picks keys cannot precompute collisions; the table compares full
// keys anyway, so a collision costs a probe, never a wrong answer.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace edgeguard::hash {

namespace detail {
inline constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
inline constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
inline constexpr uint64_t kP3 = 0x165667B19E3779F9ull;

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline uint64_t round(uint64_t acc, uint64_t word) { return rotl(acc + word * kP2, 31) * kP1; }
}  // namespace detail

// Little-endian loads of n <= 8 bytes without a call to memcpy with a variable length (which in
// wasm is a byte loop): two overlapping fixed-size loads cover the bytes.
inline uint64_t load_tail(const uint8_t* p, size_t n) {
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return uint64_t(lo) | (uint64_t(hi) << 32);
  }
  if (n == 0) return 0;
  return uint64_t(p[0]) | (uint64_t(p[n / 2]) << 8) | (uint64_t(p[n - 1]) << 16);
}

inline uint32_t hash_key(const uint8_t* data, size_t len, uint64_t seed) {
  using namespace detail;
  uint64_t h = seed + kP3 + len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = round(h, w);
  }
  if (i < len) h = round(h, load_tail(data + i, len - i) ^ (uint64_t(len - i) << 59));
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return uint32_t(h);
}

// Key equality for the table's probe, with the same fixed-size loads.
inline bool same_bytes(const uint8_t* a, const uint8_t* b, size_t len) {
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  return load_tail(a + i, len - i) == load_tail(b + i, len - i);
}

}  // namespace edgeguard::hash
