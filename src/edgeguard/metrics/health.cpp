#include "edgeguard/metrics/health.hpp"

#include "edgeguard/json/escape.hpp"

namespace edgeguard::metrics {

const char* health_name(Health h) {
  static constexpr const char* kNames[] = {"pass", "warn", "fail"};
  return kNames[size_t(h)];
}

Health overall(const std::vector<Check>& checks) {
  Health worst = Health::pass;
  for (const Check& c : checks) {
    const Health h = c.status == Health::fail && !c.critical ? Health::warn : c.status;
    if (h > worst) worst = h;
  }
  return worst;
}

namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  json::append_quoted(out, value);
}

}  // namespace

void format_health(std::string& out, std::string_view service, std::string_view version,
                   std::string_view time, const std::vector<Check>& checks) {
  out += "{\"status\":\"";
  out += health_name(overall(checks));
  out += '"';
  field(out, "version", version);
  field(out, "serviceId", service);
  out += ",\"checks\":{";
  for (size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    if (i) out += ',';
    json::append_quoted(out, c.name);
    out += ":[{\"componentType\":";
    json::append_quoted(out, c.component_type);
    out += ",\"observedValue\":";
    out += c.observed.empty() ? "null" : c.observed;
    if (!c.unit.empty()) field(out, "observedUnit", c.unit);
    field(out, "status", health_name(c.status));
    field(out, "time", time);
    if (!c.output.empty()) field(out, "output", c.output);
    out += "}]";
  }
  out += "}}";
}

}  // namespace edgeguard::metrics
