#include "edgeguard/json/number.hpp"

namespace edgeguard::json {

double number_value(std::string_view text) {
  Decimal d = split_number(text);
  if (d.fast()) return fast_value(d);
  // By steps of exact powers of ten: within a few ulps.
  double v = double(d.mantissa);
  int e = d.exponent;
  for (; e > 22; e -= 22) v *= 1e22;
  for (; e < -22; e += 22) v /= 1e22;
  v = e < 0 ? v / kExactPowersOfTen[-e] : v * kExactPowersOfTen[e];
  return d.negative ? -v : v;
}

}  // namespace edgeguard::json
