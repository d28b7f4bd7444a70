#pragma once
// Decoding the searched text into code points. Strings from the JSON reader are valid UTF-8;
// anything else still gets a defined answer: a byte that does not start a valid sequence reads
// as U+FFFD, and encoded surrogates (WTF-8, from lone \uD800 escapes) read as themselves, so a
// search over arbitrary bytes never fails and never reads out of bounds.
#include <cstddef>
#include <cstdint>

namespace edgeguard::validate::text {

constexpr uint32_t kNone = UINT32_MAX;  // before the start or after the end of the text
constexpr uint32_t kReplacement = 0xFFFD;

// The code point at `pos` and its length in bytes, or kNone at the end.
inline uint32_t decode(const uint8_t* p, size_t len, size_t pos, size_t* n) {
  if (pos >= len) {
    *n = 0;
    return kNone;
  }
  const uint8_t c = p[pos];
  *n = 1;
  if (c < 0x80) return c;
  const size_t avail = len - pos;
  auto cont = [&](size_t i) { return i < avail && (p[pos + i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *n = 2;
    return (uint32_t(c & 0x1F) << 6) | (p[pos + 1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2) && !(c == 0xE0 && p[pos + 1] < 0xA0)) {
    *n = 3;
    return (uint32_t(c & 0x0F) << 12) | (uint32_t(p[pos + 1] & 0x3F) << 6) | (p[pos + 2] & 0x3F);
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3) && !(c == 0xF0 && p[pos + 1] < 0x90) &&
      !(c == 0xF4 && p[pos + 1] > 0x8F)) {
    *n = 4;
    return (uint32_t(c & 0x07) << 18) | (uint32_t(p[pos + 1] & 0x3F) << 12) |
           (uint32_t(p[pos + 2] & 0x3F) << 6) | (p[pos + 3] & 0x3F);
  }
  return kReplacement;
}

// The code point that ends just before `pos` (only its word-ness is ever asked), or kNone.
inline uint32_t decode_before(const uint8_t* p, size_t pos) {
  if (pos == 0) return kNone;
  const uint8_t c = p[pos - 1];
  return c < 0x80 ? c : kReplacement;
}

}  // namespace edgeguard::validate::text
