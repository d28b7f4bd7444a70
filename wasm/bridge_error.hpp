#pragma once
// The one error channel of the bridges: an export that fails (a constructor returning 0, a
// restore returning nonzero) first records why here, and js/errors.js's coreError() reads it
// through eg_last_error() and throws the typed error: `code` is the JS error code spelled in
// lower case, `option` names the refused option ("" when none: a refusal that names one is a
// ConfigError) and `message` is the text shown.
#include <cstdint>
#include <string_view>

// seam: errors
enum class ErrorCode : uint32_t {
  ok,
  config_invalid,
  out_of_memory,
  breaker_invalid_snapshot,
  breaker_snapshot_mismatch,
  // A RateLimiter's refused options keep their own codes (README), in limit::Status's order from
  // no_policies (wasm/bridge_limit.cpp maps them by position).
  limit_no_policies,
  limit_too_many_policies,
  limit_bad_algorithm,
  limit_bad_limit,
  limit_bad_window,
  limit_bad_burst,
  limit_bad_block,
  limit_bad_max_keys,
  limit_bad_max_key_bytes,
  limit_log_too_large,
  limit_table_too_large,
  limit_bad_policy,
  limit_out_of_memory,
  cache_out_of_memory,
  // The validator's and its registry's (option: the schema path of a schema_invalid).
  schema_invalid,
  invalid_input,
  schema_not_found,
  schema_duplicate,
  registry_full,
};

// Records the failure; returns its code (never 0 for a failure) for the export to pass on.
uint32_t report_error(ErrorCode code, std::string_view option, std::string_view message);
