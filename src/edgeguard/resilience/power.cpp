#include "edgeguard/resilience/power.hpp"

namespace edgeguard::resilience {

namespace {

// A double-double: hi + lo, |lo| at most half an ulp of hi.
struct Dd {
  double hi, lo;
};

// Veltkamp's split: a == hi + lo exactly, each with at most 26 significant bits.
void split(double a, double& hi, double& lo) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  hi = c - (c - a);
  lo = a - hi;
}

// Dekker's product: a * b == p.hi + p.lo exactly (no fma in wasm's MVP instructions).
Dd two_product(double a, double b) {
  double ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  const double p = a * b;
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

Dd multiply(Dd x, Dd y) {
  Dd p = two_product(x.hi, y.hi);
  p.lo += x.hi * y.lo + x.lo * y.hi;
  const double s = p.hi + p.lo;
  return {s, p.lo - (s - p.hi)};
}

}  // namespace

double power(double base, uint32_t n) {
  Dd result{1, 0}, square{base, 0};
  // Every product below is of two factors at most kPowerCeiling, so at most its square: nothing
  // overflows (an overflow makes Dekker's product inf - inf, NaN). For base >= 1, a factor past
  // the ceiling makes every later result past it too.
  constexpr double kPast = kPowerCeiling * kPowerCeiling;
  for (;;) {
    if (n & 1) {
      if (square.hi > kPowerCeiling) return kPast;
      result = multiply(result, square);
      if (result.hi > kPowerCeiling) return kPast;
    }
    n >>= 1;
    if (n == 0) return result.hi + result.lo;
    if (square.hi > kPowerCeiling) return kPast;  // a later factor is its square, or more
    square = multiply(square, square);
  }
}

}  // namespace edgeguard::resilience
