#pragma once
// The one error channel of the bridges: an export that fails (a constructor returning 0, a
// restore returning nonzero) first records why here, and js/errors.js's coreError() reads it
// through eg_last_error() and throws the typed error: `code` is the JS error code spelled in
// lower case, `option` names the refused option ("" when none) and `message` is the text shown.
#include <cstdint>
#include <string_view>

// seam: errors
enum class ErrorCode : uint32_t {
  ok,
  config_invalid,
  out_of_memory,
  breaker_invalid_snapshot,
  breaker_snapshot_mismatch,
};

// Records the failure; returns its code (never 0 for a failure) for the export to pass on.
uint32_t report_error(ErrorCode code, std::string_view option, std::string_view message);
