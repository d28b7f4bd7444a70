#pragma once
// Reading JSON strings: the one decoder of escapes, for the validator's tape (per document: inline)
// and for json::Value.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "edgeguard/json/utf8.hpp"

namespace edgeguard::json {

namespace detail {

inline uint32_t hex4_unchecked(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    v = v << 4 | uint32_t(c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

}  // namespace detail

// The contents of a well-formed string body (Reader checked it), escapes decoded, into `out`.
inline void unescape(std::string_view raw, std::string& out) {
  out.clear();
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const char* q = static_cast<const char*>(std::memchr(p, '\\', size_t(end - p)));
    if (!q) q = end;
    out.append(p, size_t(q - p));
    if (q == end) break;
    const char e = q[1];
    p = q + 2;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        uint32_t cp = detail::hex4_unchecked(p);
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // the reader guarantees a low surrogate follows
          cp = 0x10000 + ((cp - 0xD800) << 10) + (detail::hex4_unchecked(p + 2) - 0xDC00);
          p += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out += e;  // '"', '\\', '/'
    }
  }
}

}  // namespace edgeguard::json
