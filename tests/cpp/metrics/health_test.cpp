#include "edgeguard/metrics/health.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace edgeguard::metrics;

TEST(Health, DocumentIsValidJsonWithEscapes) {
  std::vector<Check> checks = {
      {"upstream:\"a\"", "http", "\"closed\"", "", Health::pass, "", false},
      {"cache", "datastore", "3", "entries", Health::warn, "line\nbreak", false},
  };
  std::string out;
  format_health(out, "svc", "1.0", "2026-01-01T00:00:00Z", checks);
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["status"], "warn");
  EXPECT_EQ(doc["serviceId"], "svc");
  EXPECT_EQ(doc["checks"]["upstream:\"a\""][0]["observedValue"], "closed");
  EXPECT_EQ(doc["checks"]["cache"][0]["observedValue"], 3);
  EXPECT_EQ(doc["checks"]["cache"][0]["output"], "line\nbreak");
  EXPECT_EQ(doc["checks"]["cache"][0]["time"], "2026-01-01T00:00:00Z");
  EXPECT_FALSE(doc["checks"]["upstream:\"a\""][0].contains("observedUnit"));
}

TEST(Health, OverallIsTheWorstCheckButOnlyCriticalFailuresFail) {
  EXPECT_EQ(overall({}), Health::pass);
  EXPECT_EQ(overall({{"a", "", "", "", Health::fail, "", false}}), Health::warn);
  EXPECT_EQ(overall({{"a", "", "", "", Health::fail, "", true}}), Health::fail);
  EXPECT_EQ(overall({{"a", "", "", "", Health::warn, "", false}, {"b", "", "", "", Health::pass, "", true}}),
            Health::warn);
}
