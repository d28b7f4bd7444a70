#pragma once
// The C ABI between the core and js/. Every export is a plain C function with numeric
// arguments (pointers into linear memory, lengths, ids, now_ms): cheap to call per request,
// unlike embind. Nothing here throws: failures come back as status codes.
#include <emscripten/emscripten.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#define EG_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
// An export called once per object or per operator action (a constructor, a snapshot, a forced
// state), never per request: built for size, as CMakeLists.txt builds the cold sources. Its
// per-request neighbours in the same file keep EG_WASM_OPT.
#define EG_COLD_EXPORT EG_EXPORT __attribute__((minsize))

// Whether `field` of a struct `T` that js/ reads as an array of `Word`s sits in slot `slot`, an
// enumerator of a slot enum tagged `// seam:` (so js/seam/ names the same slot): static_assert
// it for every field, and the struct's size against the enum's count.
#define EG_SLOT(T, field, Word, slot) (offsetof(T, field) == sizeof(Word) * size_t(slot))

// The one convention for byte arguments (ptr, len): js/core.js's withBytes never passes ptr 0 (it
// refuses an oversized input itself, with a typed error), so a null pointer is never an empty
// text, path or key here: each export answers it with its own error value (a status, -3, or a
// null result that js/core.js turns into CORE_FAILED). The one exception is spelled out where
// it applies: js/cache.js passes (0, 0) for "no tags".

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

// Splits "a\0b\0c" into at most `max` views; returns how many parts there were (callers check it
// is exactly what they expect), or 0 for a null pointer.
inline size_t split(const uint8_t* data, uint32_t len, std::string_view* out, size_t max) {
  if (!data) return 0;
  size_t n = 0;
  for_each_nul_part({reinterpret_cast<const char*>(data), len}, [&](std::string_view part) {
    if (n < max) out[n] = part;
    ++n;
  });
  return n;
}
