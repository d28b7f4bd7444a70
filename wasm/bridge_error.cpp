// The last failure of an export, kept in fixed buffers: recording it never allocates, so it
// cannot fail when memory ran out, which is one of the things it reports (the buffers are zeroed
// memory: no bytes in the module). A schema path or a gateway config's JSON pointer has no bound
// of its own: the modules that report them keep a longer text whole in a string, cut to the
// buffer only when memory ran out; the resilience module's option names and messages fit.
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

char option_text[4096];
char message_text[4096];
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

#if defined(EG_FEATURE_VALIDATOR) || defined(EG_FEATURE_GATEWAY)
#define EG_LONG_TEXTS
std::string option_long, message_long;

// `text` in `buffer`, or whole in `spill` when it is longer (cut to the buffer when memory ran out).
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
#endif

}  // namespace

uint32_t report_error(ErrorCode code, std::string_view option, std::string_view message) {
  last.code = uint32_t(code);
#ifdef EG_LONG_TEXTS
  last.option = keep(option_text, option_long, option);
  last.message = keep(message_text, message_long, message);
#else
  copy(option_text, sizeof option_text, option);
  copy(message_text, sizeof message_text, message);
#endif
  return last.code;
}

EG_EXPORT const LastError* eg_last_error() { return &last; }
