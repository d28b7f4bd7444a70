#include "edgeguard/json/limits_options.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string_view>

#include "edgeguard/json/value.hpp"

namespace edgeguard::json {

namespace {

// Read with json::Value, which the validator module links anyway (OptionReader and its Document
// would add 2.7 KiB gzip to it for two numbers).
OptionError refuse(LimitsStatus status, std::string_view option, std::string_view message) {
  OptionError e;
  e.status = uint32_t(status);
  std::memcpy(e.option_text, option.data(), std::min(option.size(), sizeof e.option_text - 1));
  std::memcpy(e.message_text, message.data(), std::min(message.size(), sizeof e.message_text - 1));
  return e;
}

// Member `name` when present: an integer in [min, max]; false when present and not one.
bool limit(const Value& options, const char* name, uint64_t min, uint64_t max, uint64_t& out) {
  const Value* v = options.find(name);
  if (!v) return true;
  if (!v->is_unsigned() || v->number() < double(min) || v->number() > double(max)) return false;
  out = uint64_t(v->number());
  return true;
}

}  // namespace

OptionError read_limits_options(const char* text, size_t len, Limits& out) noexcept {
  try {
    Value options;
    if (parse(std::string_view(text, len), Limits{kMaxOptionsBytes, 8}, options) || !options.is_object()) {
      return refuse(LimitsStatus::invalid, "options", "options must be a well-formed JSON object");
    }
    uint64_t bytes = kDefaultMaxBytes;
    uint64_t depth = kDefaultMaxDepth;
    if (!limit(options, "maxBytes", 0, kMaxReaderBytes, bytes)) {
      return refuse(LimitsStatus::invalid, "maxBytes", "option maxBytes must be an integer from 0 to 2147483647");
    }
    if (!limit(options, "maxDepth", 1, kMaxReaderDepth, depth)) {
      return refuse(LimitsStatus::invalid, "maxDepth", "option maxDepth must be an integer from 1 to 1048576");
    }
    out = Limits{size_t(bytes), uint32_t(depth)};
    return {};
  } catch (const std::bad_alloc&) {
    return refuse(LimitsStatus::out_of_memory, "options", "out of memory reading the options");
  }
}

}  // namespace edgeguard::json
