#pragma once
// RFC 3339 dates and times (section 5.6) and durations (appendix A), as JSON Schema defines
// the "date-time", "date", "time" and "duration" formats.
#include <string_view>

namespace edgeguard::validate::formats {

bool is_date(std::string_view s);
bool is_time(std::string_view s);
bool is_date_time(std::string_view s);
bool is_duration(std::string_view s);

}  // namespace edgeguard::validate::formats
