#pragma once
// A single-pass, allocation-free JSON reader (RFC 8259, strict UTF-8) that drives a SAX
// handler. It is iterative (an explicit bit stack, never recursion), so nesting depth costs one
// bit, not a native stack frame: 10,000 nested arrays cannot overflow the wasm stack.
//
// Handler callbacks receive pointers into the input; strings and numbers are reported raw
// (between the quotes; digits as written) and decoded only by the handlers that need them.
#include <cstdint>
#include <cstring>
#include <vector>

#include "edgeguard/json/status.hpp"
#include "edgeguard/json/utf8.hpp"

namespace edgeguard::json {

// Callbacks of a handler that only wants to know whether the text is well-formed.
struct NullHandler {
  void null_value(const uint8_t*) {}
  void bool_value(const uint8_t*, bool) {}
  void number(const uint8_t*, size_t, bool /*integer*/) {}
  void string(const uint8_t*, size_t, bool /*escaped*/) {}
  void key(const uint8_t*, size_t, bool /*escaped*/) {}
  void start_object(const uint8_t*) {}
  void end_object(const uint8_t*) {}
  void start_array(const uint8_t*) {}
  void end_array(const uint8_t*) {}
};

class Reader {
 public:
  explicit Reader(Limits limits = {}) { set_limits(limits); }

  void set_limits(Limits limits) {
    limits_ = limits;
    kinds_.assign(limits.max_depth / 64 + 1, 0);
  }
  const Limits& limits() const { return limits_; }

  template <class Handler>
  Error read(const uint8_t* data, size_t len, Handler& h);

  Error check(const uint8_t* data, size_t len) {
    NullHandler h;
    return read(data, len, h);
  }

 private:
  Limits limits_;
  std::vector<uint64_t> kinds_;  // bit d set: the container at depth d is an object
};

namespace detail {

inline bool is_ws(uint8_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline const uint8_t* skip_ws(const uint8_t* p, const uint8_t* end) {
  while (p < end && *p <= ' ' && is_ws(*p)) ++p;
  return p;
}

// Eight bytes at a time: a mask with the high bit set in each byte that can end or complicate
// a string (quote, backslash, control character or non-ASCII). False positives can only follow
// a true hit in the word, so the lowest set bit marks the first special byte exactly.
inline uint64_t special8(const uint8_t* p) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the first-byte trick needs little endian");
  uint64_t v;
  std::memcpy(&v, p, 8);
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  const uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
  const uint64_t special = ((q - ones) & ~q) | ((b - ones) & ~b) | (v - ones * 0x20) | v;
  return special & high;
}

inline int hex(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline bool hex4(const uint8_t* p, const uint8_t* end, uint32_t& out) {
  if (end - p < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = hex(p[i]);
    if (h < 0) return false;
    out = out << 4 | uint32_t(h);
  }
  return true;
}

// Scans a string body starting after its opening quote. On success `p` points past the
// closing quote. Always inlined into its two callers: most strings and keys are a few bytes,
// and a call with its Error returned through memory cost more than scanning them (-9% of the
// instructions of validating a 0.5 KB form, natively).
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
inline Error scan_string(const uint8_t*& p, const uint8_t* end, const uint8_t* base, bool& escaped) {
  escaped = false;
  for (;;) {
    while (end - p >= 8) {
      const uint64_t mask = special8(p);
      if (mask == 0) {
        p += 8;
        continue;
      }
      p += __builtin_ctzll(mask) >> 3;
      break;
    }
    if (p >= end) return {Status::malformed, size_t(p - base), "unterminated string"};
    const uint8_t c = *p;
    if (c == '"') {
      ++p;
      return {};
    }
    if (c == '\\') {
      escaped = true;
      if (end - p < 2) return {Status::malformed, size_t(end - base), "unterminated string"};
      const uint8_t e = p[1];
      if (e == 'u') {
        uint32_t cp;
        if (!hex4(p + 2, end, cp))
          return {Status::malformed, size_t(p - base), "invalid \\u escape"};
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          return {Status::bad_utf8, size_t(p - base), "lone low surrogate escape"};
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (end - p < 12 || p[6] != '\\' || p[7] != 'u' || !hex4(p + 8, end, lo) ||
              lo < 0xDC00 || lo > 0xDFFF)
            return {Status::bad_utf8, size_t(p - base), "lone high surrogate escape"};
          p += 12;
        } else {
          p += 6;
        }
        continue;
      }
      switch (e) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          continue;
        default:
          return {Status::malformed, size_t(p - base), "invalid escape"};
      }
    }
    if (c < 0x20)
      return {Status::malformed, size_t(p - base), "control character in string"};
    if (c < 0x80) {
      ++p;
      continue;
    }
    const size_t n = utf8_sequence(p, end);
    if (n == 0) return {Status::bad_utf8, size_t(p - base), "invalid UTF-8"};
    p += n;
  }
}

inline bool is_digit(uint8_t c) { return uint8_t(c - '0') < 10; }

// Validates a number starting at `p`; on success `p` points past it.
inline Error scan_number(const uint8_t*& p, const uint8_t* end, const uint8_t* base,
                         bool& integer) {
  integer = true;
  if (*p == '-') ++p;
  if (p >= end) return {Status::malformed, size_t(p - base), "truncated number"};
  if (*p == '0') {
    ++p;
    if (p < end && is_digit(*p))
      return {Status::malformed, size_t(p - base), "leading zeros are not allowed"};
  } else if (is_digit(*p)) {
    while (++p < end && is_digit(*p)) {
    }
  } else {
    return {Status::malformed, size_t(p - base), "expected a digit"};
  }
  if (p < end && *p == '.') {
    integer = false;
    ++p;
    if (p >= end || !is_digit(*p))
      return {Status::malformed, size_t(p - base), "expected a digit after the decimal point"};
    while (++p < end && is_digit(*p)) {
    }
  }
  if (p < end && (*p | 0x20) == 'e') {
    integer = false;
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || !is_digit(*p))
      return {Status::malformed, size_t(p - base), "expected a digit in the exponent"};
    while (++p < end && is_digit(*p)) {
    }
  }
  return {};
}

inline bool literal(const uint8_t* p, const uint8_t* end, const char* word, size_t n) {
  return size_t(end - p) >= n && std::memcmp(p, word, n) == 0;
}

}  // namespace detail

template <class Handler>
Error Reader::read(const uint8_t* data, size_t len, Handler& h) {
  using namespace detail;
  if (len > limits_.max_bytes)
    return {Status::too_large, limits_.max_bytes, "payload exceeds maxBytes"};
  const uint8_t* const base = data;
  const uint8_t* const end = data + len;
  const uint8_t* p = data;
  uint32_t depth = 0;
  auto at = [&](const uint8_t* q) { return size_t(q - base); };
  auto is_object = [&]() { return (kinds_[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1; };

  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    return {Status::malformed, 0, "byte order mark is not allowed"};

value:
  p = skip_ws(p, end);
  if (p >= end) return {Status::malformed, at(p), "unexpected end of input"};
  switch (*p) {
    case '{':
    case '[': {
      if (depth >= limits_.max_depth)
        return {Status::too_deep, at(p), "nesting exceeds maxDepth"};
      const bool object = *p == '{';
      uint64_t& word = kinds_[depth >> 6];
      const uint64_t bit = uint64_t{1} << (depth & 63);
      word = object ? (word | bit) : (word & ~bit);
      ++depth;
      if (object) h.start_object(p); else h.start_array(p);
      p = skip_ws(p + 1, end);
      if (p < end && *p == (object ? '}' : ']')) {
        if (object) h.end_object(p); else h.end_array(p);
        ++p;
        --depth;
        goto after_value;
      }
      if (object) goto key;
      goto value;
    }
    case '"': {
      const uint8_t* s = ++p;
      bool escaped;
      if (Error e = scan_string(p, end, base, escaped)) return e;
      h.string(s, size_t(p - s - 1), escaped);
      goto after_value;
    }
    case 't':
      if (!literal(p, end, "true", 4)) return {Status::malformed, at(p), "invalid literal"};
      h.bool_value(p, true);
      p += 4;
      goto after_value;
    case 'f':
      if (!literal(p, end, "false", 5)) return {Status::malformed, at(p), "invalid literal"};
      h.bool_value(p, false);
      p += 5;
      goto after_value;
    case 'n':
      if (!literal(p, end, "null", 4)) return {Status::malformed, at(p), "invalid literal"};
      h.null_value(p);
      p += 4;
      goto after_value;
    default: {
      if (*p != '-' && !is_digit(*p)) return {Status::malformed, at(p), "unexpected character"};
      const uint8_t* s = p;
      bool integer;
      if (Error e = scan_number(p, end, base, integer)) return e;
      h.number(s, size_t(p - s), integer);
      goto after_value;
    }
  }

key:
  // p is at the first non-space byte after '{' or ','.
  if (p >= end) return {Status::malformed, at(p), "unexpected end of input"};
  if (*p != '"') return {Status::malformed, at(p), "expected a string key"};
  {
    const uint8_t* s = ++p;
    bool escaped;
    if (Error e = scan_string(p, end, base, escaped)) return e;
    h.key(s, size_t(p - s - 1), escaped);
  }
  p = skip_ws(p, end);
  if (p >= end) return {Status::malformed, at(p), "unexpected end of input"};
  if (*p != ':') return {Status::malformed, at(p), "expected ':'"};
  ++p;
  goto value;

after_value:
  p = skip_ws(p, end);
  if (depth == 0) {
    if (p != end) return {Status::malformed, at(p), "unexpected data after the document"};
    return {};
  }
  if (p >= end) return {Status::malformed, at(p), "unexpected end of input"};
  if (is_object()) {
    if (*p == ',') {
      p = skip_ws(p + 1, end);
      goto key;
    }
    if (*p != '}') return {Status::malformed, at(p), "expected ',' or '}'"};
    h.end_object(p);
  } else {
    if (*p == ',') {
      ++p;
      goto value;
    }
    if (*p != ']') return {Status::malformed, at(p), "expected ',' or ']'"};
    h.end_array(p);
  }
  ++p;
  --depth;
  goto after_value;
}

}  // namespace edgeguard::json
