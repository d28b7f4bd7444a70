#pragma once
// A JSON reader's options, as js/json.js sends them (JSON text): {"maxBytes","maxDepth"}, both
// optional. The defaults (status.hpp) and the ranges are here, so js/ checks only their types.
#include <cstddef>
#include <cstdint>

#include "edgeguard/json/options.hpp"
#include "edgeguard/json/status.hpp"

namespace edgeguard::json {

// The largest limits a reader takes: a length a JS string or buffer copied into linear memory
// can have, and a depth no document needs.
// seam: json
constexpr uint32_t kMaxReaderBytes = 0x7fffffff;
// seam: json
constexpr uint32_t kMaxReaderDepth = 1u << 20;

// What a refused options text's OptionError::status is.
enum class LimitsStatus : uint32_t { ok, invalid, out_of_memory };

// On success `out` holds the limits asked for, defaults where none was given.
OptionError read_limits_options(const char* text, size_t len, Limits& out) noexcept;

}  // namespace edgeguard::json
