#include "edgeguard/resilience/bulkhead_options.hpp"

namespace edgeguard::resilience {

OptionError read_bulkhead_options(const char* text, size_t len, BulkheadConfig& out) noexcept {
  OptionReader r = option_reader();
  if (!r.parse(text, len)) return r.error();
  BulkheadConfig c;
  r.integer(OptionReader::root(), "maxConcurrent", c.max_concurrent);
  r.integer(OptionReader::root(), "maxQueue", c.max_queue);
  refuse(r, validate(c));
  if (!r.failed()) out = c;
  return r.error();
}

}  // namespace edgeguard::resilience
