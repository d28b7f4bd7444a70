#include "edgeguard/validate/tape.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "edgeguard/json/exact_number.hpp"
#include "edgeguard/json/number.hpp"
#include "edgeguard/json/unescape.hpp"
#include "edgeguard/validate/number_text.hpp"

namespace edgeguard::validate {

json::Error Tape::build(json::Reader& reader, const uint8_t* data, size_t len) {
  nodes_.clear();
  open_.clear();
  count_ = 0;
  data_ = data;
  size_ = len;
  view_ = nullptr;
  size_nodes_ = 0;
  if (len > UINT32_MAX) return {json::Status::too_large, 0, "payload exceeds 4 GiB"};
  const json::Error e = reader.read(data, len, *this);
  view_ = nodes_.data();
  size_nodes_ = uint32_t(nodes_.size());
  return e;
}

std::string_view Tape::text(uint32_t i) const {
  const Node& n = view_[i];
  const char* base = reinterpret_cast<const char*>(data_);
  switch (n.kind) {
    case Kind::object:
    case Kind::array:
      return {base + n.pos, size_t(n.end - n.pos)};
    case Kind::string:
    case Kind::key:
      return {base + n.pos - 1, size_t(n.len) + 2};
    default:
      return {base + n.pos, n.len};
  }
}

void Tape::key(const uint8_t* p, size_t n, bool escaped) {
  const uint32_t i = uint32_t(nodes_.size());
  nodes_.push_back({Kind::key, uint8_t(escaped), uint32_t(p - data_), uint32_t(n), i + 1, 0});
}

void Tape::open(Kind k, const uint8_t* p) {
  scalar(k, false, p, 0);
  open_.push_back({uint32_t(nodes_.size() - 1), count_});
  count_ = 0;
}

void Tape::close(const uint8_t* p) {
  const Open o = open_.back();
  open_.pop_back();
  Node& n = nodes_[o.node];
  n.len = count_;
  n.next = uint32_t(nodes_.size());
  n.end = uint32_t(p - data_) + 1;
  count_ = o.count;
}

std::string_view Tape::decoded(uint32_t i, std::string& scratch) const {
  json::unescape(raw(i), scratch);
  return scratch;
}

namespace {

double binary(const uint8_t* p) {
  double d;
  std::memcpy(&d, p, sizeof d);
  return d;
}

}  // namespace

std::string_view Tape::number_text(uint32_t i, std::string& scratch) const {
  if (!is_binary(i)) return raw(i);
  js_number_text(binary(data_ + view_[i].pos), scratch);
  return scratch;
}

double Tape::number(uint32_t i) const {
  if (is_binary(i)) return binary(data_ + view_[i].pos);
  bool exact;
  const double v = approx_number(i, exact);
  if (exact) return v;
  return json::exact_value(raw(i));
}

// Up to 15 significant digits and a power of ten up to 22 are exact in a double, so one
// operation rounds correctly (Clinger's fast path). Up to 19 digits the result is within two
// ulps: good enough to decide comparisons that are not that close, far cheaper than exact_value
// (big integers).
double Tape::approx_number(uint32_t i, bool& exact) const {
  if (is_binary(i)) {
    exact = true;
    return binary(data_ + view_[i].pos);
  }
  const std::string_view r = raw(i);
  const json::Decimal d = json::split_number(r);
  if (!d.fast()) {
    exact = true;
    return json::exact_value(r);
  }
  exact = d.exact();
  return json::fast_value(d);
}

// Exact on the decimal text, so 1.0, 1e2 and 1.5e400 are integers whatever a double can hold.
bool Tape::is_integer(uint32_t i) const {
  if (is_binary(i)) {  // the shortest text of a double has a fraction exactly when it does
    const double d = binary(data_ + view_[i].pos);
    return std::trunc(d) == d;
  }
  if (view_[i].flag) return true;
  const std::string_view r = raw(i);
  size_t k = r[0] == '-', frac_digits = 0, last_nonzero_frac = 0;
  bool nonzero = false;
  while (k < r.size() && r[k] >= '0' && r[k] <= '9') nonzero |= r[k++] != '0';
  if (k < r.size() && r[k] == '.') {
    for (++k; k < r.size() && r[k] >= '0' && r[k] <= '9'; ++k) {
      ++frac_digits;
      if (r[k] != '0') {
        last_nonzero_frac = frac_digits;
        nonzero = true;
      }
    }
  }
  if (!nonzero) return true;
  long exp = 0;
  if (k < r.size()) {  // exponent
    ++k;
    bool neg = false;
    if (r[k] == '+' || r[k] == '-') neg = r[k++] == '-';
    for (; k < r.size(); ++k) exp = exp > 100000 ? exp : exp * 10 + (r[k] - '0');
    if (neg) exp = -exp;
  }
  if (exp >= 0) return long(last_nonzero_frac) <= exp;
  // A negative exponent: the integer digits must end in enough zeros.
  size_t int_end = r[0] == '-';
  while (int_end < r.size() && r[int_end] >= '0' && r[int_end] <= '9') ++int_end;
  if (last_nonzero_frac) return false;
  long zeros = 0;
  for (size_t z = int_end; z > size_t(r[0] == '-') && r[z - 1] == '0'; --z) ++zeros;
  return zeros >= -exp;
}

namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return mix(h);
}

}  // namespace

uint64_t Equality::hash(const Tape& t, uint32_t i) {
  const Node& n = t[i];
  switch (n.kind) {
    case Kind::null: return 0x9e3779b97f4a7c15ULL;
    case Kind::boolean: return n.flag ? 0x2545f4914f6cdd1dULL : 0x5851f42d4c957f2dULL;
    case Kind::number: {
      double d = t.number(i);
      if (d == 0) d = 0;  // -0 and 0 are equal
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return mix(bits ^ 0x1234567ULL);
    }
    case Kind::string:
    case Kind::key:
      return hash_bytes(t.str(i, sa_));
    case Kind::array: {
      uint64_t h = 0x7a;
      for (uint32_t c = i + 1; c < n.next; c = t[c].next) h = mix(h * 31 + hash(t, c));
      return h;
    }
    case Kind::object: {
      uint64_t h = 0x6f;  // commutative: member order does not matter
      for (uint32_t c = i + 1; c < n.next; c = t[c + 1].next)
        h += mix(hash(t, c) ^ hash(t, c + 1) * 0x9e3779b97f4a7c15ULL);
      return mix(h);
    }
  }
  return 0;
}

bool Equality::equal(const Tape& a, uint32_t i, const Tape& b, uint32_t j) {
  const Node& x = a[i];
  const Node& y = b[j];
  const bool xs = x.kind == Kind::string || x.kind == Kind::key;
  const bool ys = y.kind == Kind::string || y.kind == Kind::key;
  if (xs || ys) {
    if (!(xs && ys)) return false;
    if (!x.flag && !y.flag) return a.raw(i) == b.raw(j);
    return a.str(i, sa_) == b.str(j, sb_);
  }
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case Kind::null: return true;
    case Kind::boolean: return x.flag == y.flag;
    case Kind::number:
      return (!a.is_binary(i) && !b.is_binary(j) && a.raw(i) == b.raw(j)) || a.number(i) == b.number(j);
    case Kind::array: {
      if (x.len != y.len) return false;
      for (uint32_t c = i + 1, d = j + 1; c < x.next; c = a[c].next, d = b[d].next)
        if (!equal(a, c, b, d)) return false;
      return true;
    }
    case Kind::object: {
      if (x.len != y.len) return false;
      for (uint32_t c = i + 1; c < x.next; c = a[c + 1].next) {
        bool found = false;
        for (uint32_t d = j + 1; d < y.next; d = b[d + 1].next) {
          if (equal(a, c, b, d)) {
            if (!equal(a, c + 1, b, d + 1)) return false;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace edgeguard::validate
