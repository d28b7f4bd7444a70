#pragma once
// Outcome of reading a payload. The numeric values cross the wasm boundary and are mapped to
// stable JS error codes in js/errors.js, so they must never be renumbered.
#include <cstddef>
#include <cstdint>

namespace edgeguard::json {

// seam: json
enum class Status : uint32_t {
  ok = 0,
  malformed = 1,  // PAYLOAD_MALFORMED
  bad_utf8 = 2,   // PAYLOAD_BAD_UTF8
  too_deep = 3,   // PAYLOAD_TOO_DEEP
  too_large = 4,  // PAYLOAD_TOO_LARGE
};

// The limits a reader gets unless told: js/json.js's defaults too.
// seam: json
constexpr uint32_t kDefaultMaxBytes = 1u << 20;
// seam: json
constexpr uint32_t kDefaultMaxDepth = 128;

struct Limits {
  size_t max_bytes = kDefaultMaxBytes;
  uint32_t max_depth = kDefaultMaxDepth;
};

// Where and why reading stopped. `message` is a static string; line and column (1-based,
// column in code points) are only computed on failure, by locate().
struct Error {
  Status status = Status::ok;
  size_t offset = 0;
  const char* message = "";
  explicit operator bool() const { return status != Status::ok; }
};

struct Location {
  uint32_t line = 1;
  uint32_t column = 1;
};

// Line and column of `offset` in `data`, counting code points; only called on the error path.
Location locate(const uint8_t* data, size_t len, size_t offset);

}  // namespace edgeguard::json
