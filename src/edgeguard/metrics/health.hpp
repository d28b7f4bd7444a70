#pragma once
// The health document (application/health+json, draft-inadarei-api-health-check): an overall
// status and a list of checks, each with a component, an observed value and its own status.
#include <string>
#include <string_view>
#include <vector>

namespace edgeguard::metrics {

enum class Health : uint8_t { pass = 0, warn = 1, fail = 2 };

struct Check {
  std::string name;            // key in "checks", e.g. "upstream:api"
  std::string component_type;  // "http", "cache", "rate-limiter"
  std::string observed;        // a JSON value, already serialized ("\"open\"", "12")
  std::string unit;            // observedUnit, omitted when empty
  Health status = Health::pass;
  std::string output;          // omitted when empty
  bool critical = false;       // a failing critical check fails the whole service
};

// The overall status: the worst check, except that a failing check that is not critical
// only makes the service "warn" (an upstream down while others serve, or stale serves).
Health overall(const std::vector<Check>& checks);

// Writes the document; `time` is an RFC 3339 timestamp given by the caller (the core reads no clock).
void format_health(std::string& out, std::string_view service, std::string_view version,
                   std::string_view time, const std::vector<Check>& checks);

const char* health_name(Health h);

}  // namespace edgeguard::metrics
