#include "edgeguard/resilience/bulkhead_options.hpp"

namespace edgeguard::resilience {

OptionError read_bulkhead_options(const char* text, size_t len, BulkheadConfig& out) noexcept {
  OptionReader r;
  if (!r.parse(text, len)) return r.error();
  BulkheadConfig c;
  r.integer(OptionReader::root(), "maxConcurrent", c.max_concurrent);
  r.integer(OptionReader::root(), "maxQueue", c.max_queue);
  r.refuse(validate(c));
  if (!r.failed()) out = c;
  return r.error();
}

}  // namespace edgeguard::resilience
