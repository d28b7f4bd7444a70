#pragma once
// The C ABI between the core and js/. Every export is a plain C function with numeric
// arguments (pointers into linear memory, lengths, ids, now_ms): cheap to call per request,
// unlike embind. Nothing here throws: failures come back as status codes.
#include <emscripten/emscripten.h>

#define EG_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
