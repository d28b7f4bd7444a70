#pragma once
// The C ABI between the core and js/. Every export is a plain C function with numeric
// arguments (pointers into linear memory, lengths, ids, now_ms): cheap to call per request,
// unlike embind. Nothing here throws: failures come back as status codes.
#include <emscripten/emscripten.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#define EG_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE

// Calls f with each part of a list that js/ joined with NUL bytes ("a\0b\0c"); an empty text
// is one empty part.
template <class F>
void for_each_nul_part(std::string_view all, F&& f) {
  for (size_t start = 0;;) {
    const size_t nul = all.find('\0', start);
    f(all.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) return;
    start = nul + 1;
  }
}

// Splits "a\0b\0c" into at most `max` views; returns how many it filled.
inline size_t split(const uint8_t* data, uint32_t len, std::string_view* out, size_t max) {
  size_t n = 0;
  for_each_nul_part({reinterpret_cast<const char*>(data), data ? len : 0}, [&](std::string_view part) {
    if (n < max) out[n++] = part;
  });
  return n;
}
