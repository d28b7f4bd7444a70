// The last failure of an export. A text that fits its fixed buffer is kept there, so recording
// out-of-memory never allocates; a longer one (a gateway config's JSON pointer, a schema path)
// is kept whole in a string, or cut to the buffer when memory ran out.
#include "bridge_error.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "bridge.hpp"

namespace {

struct LastError {
  uint32_t code;
  const char* option;
  const char* message;
};
// seam: errors
enum class ErrorWord : uint32_t { code, option, message, count };
static_assert(EG_SLOT(LastError, code, uint32_t, ErrorWord::code) &&
                  EG_SLOT(LastError, option, uint32_t, ErrorWord::option) &&
                  EG_SLOT(LastError, message, uint32_t, ErrorWord::message) &&
                  sizeof(LastError) == 4 * size_t(ErrorWord::count),
              "js/errors.js reads LastError by ErrorWord");

char option_text[64];
char message_text[256];
std::string option_long, message_long;
LastError last{0, option_text, message_text};

// A copy cut to the buffer, NUL-terminated, never inside a UTF-8 sequence.
void copy(char* out, size_t cap, std::string_view text) {
  size_t n = std::min(text.size(), cap - 1);
  if (n < text.size()) {
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  }
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

}  // namespace

namespace {

template <size_t N>
const char* keep(char (&buffer)[N], std::string& spill, std::string_view text) {
  if (text.size() >= N) {
    try {
      spill.assign(text.data(), text.size());
      return spill.c_str();
    } catch (const std::bad_alloc&) {
    }
  }
  copy(buffer, N, text);
  return buffer;
}

}  // namespace

uint32_t report_error(ErrorCode code, std::string_view option, std::string_view message) {
  last.code = uint32_t(code);
  last.option = keep(option_text, option_long, option);
  last.message = keep(message_text, message_long, message);
  return last.code;
}

EG_EXPORT const LastError* eg_last_error() { return &last; }
