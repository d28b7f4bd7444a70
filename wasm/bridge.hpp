#pragma once
// The C ABI between the core and js/. Every export is a plain C function with numeric
// arguments (pointers into linear memory, lengths, ids, now_ms): cheap to call per request,
// unlike embind. Nothing here throws: failures come back as status codes.
#include <emscripten/emscripten.h>

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
