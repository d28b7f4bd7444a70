#include "edgeguard/json/exact_number.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace edgeguard::json {

namespace {

constexpr uint32_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// A non-negative integer of any size: 32-bit limbs, least significant first, none zero at the top.
class Big {
 public:
  explicit Big(uint64_t v) {
    if (v) limbs_.push_back(uint32_t(v));
    if (v >> 32) limbs_.push_back(uint32_t(v >> 32));
  }
  bool zero() const { return limbs_.empty(); }
  int bits() const { return zero() ? 0 : int(limbs_.size()) * 32 - __builtin_clz(limbs_.back()); }

  // *this = *this * f + add
  void mul_add(uint32_t f, uint32_t add) {
    uint64_t carry = add;
    for (uint32_t& l : limbs_) {
      carry += uint64_t(l) * f;
      l = uint32_t(carry);
      carry >>= 32;
    }
    if (carry) limbs_.push_back(uint32_t(carry));
  }
  void mul_pow10(int n) {
    for (; n >= 9; n -= 9) mul_add(1000000000u, 0);
    if (n) mul_add(kPow10[n], 0);
  }
  void shl(int n) {
    if (zero()) return;
    if (const int b = n % 32) {
      uint32_t carry = 0;
      for (uint32_t& l : limbs_) {
        const uint32_t out = l >> (32 - b);
        l = l << b | carry;
        carry = out;
      }
      if (carry) limbs_.push_back(carry);
    }
    limbs_.insert(limbs_.begin(), size_t(n / 32), 0u);
  }
  void shr1() {
    for (size_t k = 0; k < limbs_.size(); ++k)
      limbs_[k] = limbs_[k] >> 1 | (k + 1 < limbs_.size() ? limbs_[k + 1] << 31 : 0);
    trim();
  }
  int compare(const Big& o) const {
    if (limbs_.size() != o.limbs_.size()) return limbs_.size() < o.limbs_.size() ? -1 : 1;
    for (size_t k = limbs_.size(); k-- > 0;)
      if (limbs_[k] != o.limbs_[k]) return limbs_[k] < o.limbs_[k] ? -1 : 1;
    return 0;
  }
  // *this -= o, where o <= *this
  void sub(const Big& o) {
    uint64_t borrow = 0;
    for (size_t k = 0; k < limbs_.size(); ++k) {
      const uint64_t d = uint64_t(limbs_[k]) - (k < o.limbs_.size() ? o.limbs_[k] : 0) - borrow;
      limbs_[k] = uint32_t(d);
      borrow = d >> 63;
    }
    trim();
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;
};

// floor(n / d), which must be below 2^64; n becomes the remainder.
uint64_t divide(Big& n, Big d) {
  uint64_t q = 0;
  d.shl(63);
  for (int bit = 63; bit >= 0; --bit) {
    if (n.compare(d) >= 0) {
      n.sub(d);
      q |= uint64_t{1} << bit;
    }
    d.shr1();
  }
  return q;
}

// digits x 10^e10, plus a little more when `sticky` (nonzero digits were dropped), to the nearest
// double. `count`: how many digits `digits` has.
double to_double(const Big& digits, int count, int e10, bool sticky) {
  if (digits.zero()) return 0;
  const int magnitude = count + e10;  // 10^(magnitude - 1) <= value < 10^magnitude
  if (magnitude > 309) return HUGE_VAL;
  if (magnitude < -323) return 0;  // below 2^-1075, half the least double
  Big n = digits, d(1);
  if (e10 >= 0) n.mul_pow10(e10);
  else d.mul_pow10(-e10);
  const int s = 63 - (n.bits() - d.bits());  // n * 2^s / d is in (2^62, 2^64)
  if (s >= 0) n.shl(s);
  else d.shl(-s);
  const uint64_t q = divide(n, d);  // value = (q + a remainder) * 2^-s
  sticky = sticky || !n.zero();
  const int b = 64 - __builtin_clzll(q);
  const int lead = b - 1 - s;  // 2^lead <= value < 2^(lead + 1)
  // Bits of q below the double's last place: 53 bits kept, fewer for a subnormal.
  const int shift = b - 53 + (lead < -1022 ? -1022 - lead : 0);
  if (shift > 64) return 0;
  const uint64_t m = shift == 64 ? 0 : q >> shift;
  const uint64_t rest = shift == 64 ? q : q & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  const bool up = rest > half || (rest == half && (sticky || (m & 1)));
  return std::ldexp(double(m + up), shift - s);  // exact: at most 53 bits (or infinite)
}

}  // namespace

double exact_value(std::string_view text) {
  // A halfway point between two doubles has at most 767 significant digits: past these, digits
  // only tell whether the value is above the ones kept.
  constexpr int kMaxDigits = 800;
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) ++i;
  Big digits(0);
  int count = 0;
  int64_t e10 = 0;
  bool sticky = false, fraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (count == 0 && c == '0') {  // a leading zero
      if (fraction) --e10;
      continue;
    }
    if (count < kMaxDigits) {
      digits.mul_add(10, uint32_t(c - '0'));
      ++count;
      if (fraction) --e10;
    } else {
      sticky |= c != '0';
      if (!fraction) ++e10;
    }
  }
  if (i < text.size()) {  // e or E
    ++i;
    const bool minus = text[i] == '-';
    if (text[i] == '-' || text[i] == '+') ++i;
    // Saturates where no text could bring it back: leading fraction zeros and digits past the
    // kept ones each move e10 by one, and a text holds fewer than 10^15 of them.
    int64_t e = 0;
    for (; i < text.size(); ++i) e = e < 1000000000000000 ? e * 10 + (text[i] - '0') : e;
    e10 += minus ? -e : e;
  }
  // Past 10^9 either way the value is 0 or infinite, whatever its digits (to_double sees that).
  const int exponent = int(std::clamp<int64_t>(e10, -1000000000, 1000000000));
  const double v = to_double(digits, count, exponent, sticky);
  return negative ? -v : v;
}

uint64_t round_to_digits(double x, int count, int& exponent) {
  static constexpr uint64_t kPow10_64[] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
                                           10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
                                           100000000000ull, 1000000000000ull, 10000000000000ull,
                                           100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                           100000000000000000ull};
  int k;
  const uint64_t m = uint64_t(std::ldexp(std::frexp(x, &k), 53));  // x = m * 2^(k - 53)
  k -= 53;
  // floor(log10(x)) or one less: 0.30102999 is just below log10(2).
  int p = int(std::floor((k + 63 - __builtin_clzll(m)) * 0.30102999));
  for (;;) {
    const int t = p - count + 1;  // x / 10^t has `count` digits before the point
    Big n(m), d(1);
    if (k >= 0) n.shl(k);
    else d.shl(-k);
    if (t >= 0) d.mul_pow10(t);
    else n.mul_pow10(-t);
    uint64_t q = divide(n, d);  // below 10^(count + 1)
    if (q >= kPow10_64[count]) {  // p was one low
      ++p;
      continue;
    }
    n.shl(1);
    const int c = n.compare(d);  // the remainder against half of d
    if (c > 0 || (c == 0 && (q & 1))) ++q;
    if (q == kPow10_64[count]) {  // 99.95 -> 100.0
      q = kPow10_64[count - 1];
      ++p;
    }
    exponent = p;
    return q;
  }
}

namespace {

// `x` correctly rounded to `count` significant digits (ties to even).
ShortestDigits rounded(double x, int count) {
  ShortestDigits r{{}, count, 0};
  uint64_t q = round_to_digits(x, count, r.exponent);
  for (int k = count; k-- > 0; q /= 10) r.digits[k] = char('0' + q % 10);
  return r;
}

bool reads_back(const ShortestDigits& r, double x) {
  std::string text(r.digits, size_t(r.count));
  text += 'e';
  text += std::to_string(r.exponent - r.count + 1);
  return exact_value(text) == x;
}

// The next decimal of as many digits above `r` (up) or below it.
ShortestDigits neighbour(ShortestDigits r, bool up) {
  int k = r.count - 1;
  const char wrap = up ? '9' : '0';
  for (; k >= 0 && r.digits[k] == wrap; --k) r.digits[k] = up ? '0' : '9';
  if (up) {
    if (k < 0) {  // 99..9 + 1 = 100..0, a place higher
      r.digits[0] = '1';
      ++r.exponent;
    } else {
      ++r.digits[k];
    }
  } else if (--r.digits[k] == '0' && k == 0) {  // 10..0 - 1: the finer grid a place lower
    for (int j = 0; j < r.count; ++j) r.digits[j] = '9';
    --r.exponent;
  }
  return r;
}

ShortestDigits without_trailing_zeros(ShortestDigits r) {
  while (r.count > 1 && r.digits[r.count - 1] == '0') --r.count;
  return r;
}

}  // namespace

// The rounding to a number of digits is the nearest; when it does not read back, only its
// neighbour on the other side of `x` may (the interval reading back as `x` holds `x` and is
// lopsided at powers of two, where the rounding can fall on its short side). 17 digits always
// read back.
ShortestDigits shortest_digits(double x) {
  // Any decimal of up to 15 digits survives a round trip through a normal double (DBL_DIG):
  // when one reads back as `x`, it is the rounding to 15 digits with zeros after it.
  for (int count = x >= 2.2250738585072014e-308 ? 15 : 1;; ++count) {
    const ShortestDigits r = rounded(x, count);
    if (count == 17 || reads_back(r, x)) return without_trailing_zeros(r);
    for (const bool up : {true, false}) {
      const ShortestDigits n = neighbour(r, up);
      if (reads_back(n, x)) return without_trailing_zeros(n);
    }
  }
}

}  // namespace edgeguard::json
