#pragma once
// The options readers of this job (breaker_options, bulkhead_options, retry_options) on the
// shared reader (json/options.hpp), with this job's statuses.
#include "edgeguard/json/options.hpp"
#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

using json::OptionError;
using json::OptionReader;

inline OptionReader option_reader() {
  return OptionReader(uint32_t(Status::invalid_config), uint32_t(Status::out_of_memory));
}

// Refuses what validate() refused: its message starts with the option's path.
inline void refuse(OptionReader& r, const Check& check) {
  if (check) r.refuse(uint32_t(check.status), check.message);
}

}  // namespace edgeguard::resilience
