#include <new>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "edgeguard/json/limits_options.hpp"
#include "edgeguard/json/reader.hpp"

using edgeguard::json::Error;
using edgeguard::json::Limits;
using edgeguard::json::LimitsStatus;
using edgeguard::json::OptionError;
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

// `options` as JSON text (limits_options.hpp); 0, with the reason in the error channel, when they
// are refused or memory ran out.
EG_COLD_EXPORT Reader* eg_json_reader_new(const char* options, uint32_t len) {
  if (!options) {
    report_error(ErrorCode::config_invalid, "", "options are missing");
    return nullptr;
  }
  Limits limits;
  if (const OptionError e = read_limits_options(options, len, limits)) {
    const bool oom = e.status == uint32_t(LimitsStatus::out_of_memory);
    report_error(oom ? ErrorCode::out_of_memory : ErrorCode::config_invalid, e.option(), e.message());
    return nullptr;
  }
  try {
    return new Reader(limits);
  } catch (const std::bad_alloc&) {
    report_error(ErrorCode::out_of_memory, "", "out of memory creating the reader");
    return nullptr;
  }
}

namespace {

// The limits a reader was made with (LimitsWord), which js/json.js holds inputs to before copying.
struct ReaderLimits {
  uint32_t max_bytes;
  uint32_t max_depth;
} limits_out;
// seam: json
enum class LimitsWord : uint32_t { max_bytes, max_depth, count };
static_assert(EG_SLOT(ReaderLimits, max_bytes, uint32_t, LimitsWord::max_bytes) &&
                  EG_SLOT(ReaderLimits, max_depth, uint32_t, LimitsWord::max_depth) &&
                  sizeof(ReaderLimits) == 4 * size_t(LimitsWord::count),
              "js/json.js reads ReaderLimits by LimitsWord");

}  // namespace

EG_EXPORT const ReaderLimits* eg_json_reader_limits(const Reader* reader) {
  limits_out = {uint32_t(reader->limits().max_bytes), reader->limits().max_depth};
  return &limits_out;
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
