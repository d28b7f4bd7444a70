#include "edgeguard/json/status.hpp"

namespace edgeguard::json {

Location locate(const uint8_t* data, size_t len, size_t offset) {
  Location loc;
  if (offset > len) offset = len;
  for (size_t i = 0; i < offset; ++i) {
    const uint8_t c = data[i];
    if (c == '\n') {
      ++loc.line;
      loc.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++loc.column;
    }
  }
  return loc;
}

}  // namespace edgeguard::json
