#include "edgeguard/cache/cache_options.hpp"

#include <gtest/gtest.h>

#include <string>

#include "option_refusals.hpp"

using namespace edgeguard::cache;
using edgeguard::json::OptionError;

namespace {

Config read(const std::string& text) {
  Config c;
  const OptionError e = read_cache_options(text.data(), text.size(), c);
  EXPECT_FALSE(e) << text << ": " << e.message();
  return c;
}

OptionError refused(const std::string& text) {
  Config c;
  c.seed = 7;
  const OptionError e = read_cache_options(text.data(), text.size(), c);
  EXPECT_EQ(e.status, uint32_t(Status::invalid_config)) << text;
  EXPECT_EQ(c.seed, 7u) << text << ": a refused text leaves the config alone";
  return e;
}

TEST(CacheOptions, DefaultsAreTheConfigs) {
  const Config c = read(R"({"maxEntries":10})");
  EXPECT_EQ(c.policy, PolicyKind::tinylfu);
  EXPECT_EQ(c.bounds.max_entries, 10u);
  EXPECT_EQ(c.bounds.max_bytes, kUnbounded) << "an absent bound is unbounded";
  EXPECT_EQ(c.seed, 0u);
  EXPECT_EQ(read(R"({"maxBytes":100})").bounds.max_entries, kUnbounded);
}

TEST(CacheOptions, ReadsEveryOption) {
  const Config c = read(R"({"policy":"fifo","maxEntries":2147483647,"maxBytes":9007199254740991,"seed":4294967295})");
  EXPECT_EQ(c.policy, PolicyKind::fifo);
  EXPECT_EQ(c.bounds.max_entries, 2147483647u);
  EXPECT_EQ(c.bounds.max_bytes, 9007199254740991u);
  EXPECT_EQ(c.seed, 4294967295u);
  EXPECT_EQ(read(R"({"maxEntries":1,"policy":"lru"})").policy, PolicyKind::lru);
  EXPECT_EQ(read(R"({"maxEntries":1,"policy":"lfu"})").policy, PolicyKind::lfu);
}

TEST(CacheOptions, RefusesEachRangeNamingItsOption) {
  expect_refusals(refused, uint32_t(Status::invalid_config), {
      {"{}", "maxEntries", "option maxEntries or maxBytes (or both) must be given: nothing may grow without a bound"},
      {R"({"maxEntries":0})", "maxEntries", "option maxEntries must be an integer from 1 to 2147483647 (or Infinity)"},
      {R"({"maxEntries":1.5})", "maxEntries", "option maxEntries must be an integer from 1 to 2147483647 (or Infinity)"},
      {R"({"maxEntries":2147483648})", "maxEntries",
       "option maxEntries must be an integer from 1 to 2147483647 (or Infinity)"},
      {R"({"maxEntries":null})", "maxEntries", "option maxEntries must be an integer from 1 to 2147483647 (or Infinity)"},
      {R"({"maxBytes":0})", "maxBytes", "option maxBytes must be an integer from 1 to 9007199254740991 (or Infinity)"},
      {R"({"maxBytes":"10"})", "maxBytes", "option maxBytes must be an integer from 1 to 9007199254740991 (or Infinity)"},
      {R"({"maxBytes":9007199254740992})", "maxBytes",
       "option maxBytes must be an integer from 1 to 9007199254740991 (or Infinity)"},
      {R"({"maxEntries":10,"policy":"arc"})", "policy", "option policy must be one of tinylfu, lru, lfu, fifo"},
      {R"({"maxEntries":10,"seed":-1})", "seed", "option seed must be an integer from 0 to 4294967295"},
      {R"({"maxEntries":10,"seed":4294967296})", "seed", "option seed must be an integer from 0 to 4294967295"},
      {"[]", "options", "options must be a well-formed JSON object"},
  });
}

}  // namespace
