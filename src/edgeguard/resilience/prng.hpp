#pragma once
// xoshiro256** (Blackman & Vigna) seeded through splitmix64: small, fast, and reproducible from
// the caller's seed on every platform, which is what jittered retries need (not secrecy).
#include <cstdint>

namespace edgeguard::resilience {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Prng {
 public:
  explicit Prng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    for (uint64_t& word : s_) word = splitmix64(seed);
  }

  // A generator at a given raw state (never all zero), e.g. to check published test vectors.
  static Prng from_state(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    Prng p;
    p.s_[0] = a;
    p.s_[1] = b;
    p.s_[2] = c;
    p.s_[3] = d;
    return p;
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [lo, hi] (inclusive), lo <= hi.
  uint64_t between(uint64_t lo, uint64_t hi) {
    const uint64_t span = hi - lo + 1;
    if (span == 0) return next();  // the whole 64-bit range
    // Lemire's nearly-divisionless rejection: unbiased for every span.
    __uint128_t m = static_cast<__uint128_t>(next()) * span;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < span) {
      const uint64_t floor = -span % span;
      while (low < floor) {
        m = static_cast<__uint128_t>(next()) * span;
        low = static_cast<uint64_t>(m);
      }
    }
    return lo + static_cast<uint64_t>(m >> 64);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace edgeguard::resilience
