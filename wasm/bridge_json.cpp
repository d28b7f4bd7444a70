#include <new>

#include "bridge.hpp"
#include "edgeguard/json/reader.hpp"

using edgeguard::json::Error;
using edgeguard::json::Limits;
using edgeguard::json::Reader;
using edgeguard::json::Status;

namespace {

// Filled by the last failed check; js/json.js reads it by these 32-bit slots.
struct CheckResult {
  uint32_t status;
  uint32_t offset;
  uint32_t line;
  uint32_t column;
  const char* message;
} result;
// seam: json
enum class CheckWord : uint32_t { status, offset, line, column, message, count };
static_assert(EG_SLOT(CheckResult, status, uint32_t, CheckWord::status) &&
                  EG_SLOT(CheckResult, offset, uint32_t, CheckWord::offset) &&
                  EG_SLOT(CheckResult, line, uint32_t, CheckWord::line) &&
                  EG_SLOT(CheckResult, column, uint32_t, CheckWord::column) &&
                  EG_SLOT(CheckResult, message, uint32_t, CheckWord::message) &&
                  sizeof(CheckResult) == 4 * size_t(CheckWord::count),
              "js/json.js reads CheckResult by CheckWord");

}  // namespace

EG_EXPORT const CheckResult* eg_json_result() { return &result; }

EG_EXPORT Reader* eg_json_reader_new(uint32_t max_bytes, uint32_t max_depth) {
  return new (std::nothrow) Reader(Limits{max_bytes, max_depth});
}

EG_EXPORT void eg_json_reader_free(Reader* reader) { delete reader; }

// A null `data` is an error (bridge.hpp), reported as malformed input, never read as "".
EG_EXPORT uint32_t eg_json_reader_check(Reader* reader, const uint8_t* data, uint32_t len) {
  const Error e = data ? reader->check(data, len) : Error{Status::malformed, 0, "no input bytes (a null pointer)"};
  result.status = uint32_t(e.status);
  if (e) {
    const auto loc = edgeguard::json::locate(data, data ? len : 0, e.offset);
    result.offset = uint32_t(e.offset);
    result.line = loc.line;
    result.column = loc.column;
    result.message = e.message;
  }
  return result.status;
}
