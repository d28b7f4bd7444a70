#include "edgeguard/resilience/bulkhead_options.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace edgeguard::resilience;

namespace {

OptionError read(const std::string& text, BulkheadConfig& c) { return read_bulkhead_options(text.data(), text.size(), c); }

TEST(BulkheadOptions, ReadsBothOptionsOverTheDefaults) {
  BulkheadConfig c;
  ASSERT_FALSE(read("{}", c));
  EXPECT_EQ(c.max_concurrent, BulkheadConfig{}.max_concurrent);
  EXPECT_EQ(c.max_queue, BulkheadConfig{}.max_queue);
  ASSERT_FALSE(read(R"({"maxConcurrent":3,"maxQueue":7})", c));
  EXPECT_EQ(c.max_concurrent, 3u);
  EXPECT_EQ(c.max_queue, 7u);
}

TEST(BulkheadOptions, RefusesOutOfRangeAndWronglyTypedValues) {
  BulkheadConfig c;
  c.max_queue = 9;
  OptionError e = read(R"({"maxConcurrent":0})", c);
  EXPECT_EQ(e.option(), "maxConcurrent");
  EXPECT_EQ(e.message(), "option maxConcurrent must be an integer from 1 to 1000000");
  e = read(R"({"maxQueue":"2"})", c);
  EXPECT_EQ(e.option(), "maxQueue");
  EXPECT_EQ(e.message(), R"(option maxQueue must be an integer from 0 to 1000000)");
  e = read(R"({"maxQueue":1000001})", c);
  EXPECT_EQ(e.status, uint32_t(Status::invalid_config));
  EXPECT_EQ(c.max_queue, 9u) << "a refused text leaves the config alone";
}

}  // namespace
