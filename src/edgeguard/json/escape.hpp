#pragma once
// Writing JSON text: the one string escaper for every document the core produces (validation
// errors, health reports). Short escapes where JSON has them, \u00XX for other controls.
#include <string>
#include <string_view>

namespace edgeguard::json {

// Appends the contents of a JSON string for `s` (without the surrounding quotes).
inline void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += char(c);
        }
    }
  }
}

// Appends `s` as a quoted JSON string.
inline void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  append_escaped(out, s);
  out += '"';
}

// Appends `s` as one JSON Pointer reference token (RFC 6901): '~' as "~0", '/' as "~1".
inline void append_pointer_token(std::string& out, std::string_view s) {
  for (const char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
}

// The JSON Pointer to member `key` of the value at `path`.
inline std::string pointer_child(std::string_view path, std::string_view key) {
  std::string out(path);
  out += '/';
  append_pointer_token(out, key);
  return out;
}

}  // namespace edgeguard::json
