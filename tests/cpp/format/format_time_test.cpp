#include "edgeguard/format/format_time.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate::formats {
namespace {

TEST(FormatTime, Dates) {
  EXPECT_TRUE(is_date("2024-02-29"));
  EXPECT_TRUE(is_date("2000-02-29"));
  EXPECT_FALSE(is_date("1900-02-29"));
  EXPECT_FALSE(is_date("2023-02-29"));
  EXPECT_TRUE(is_date("0000-01-01"));
  EXPECT_FALSE(is_date("2024-04-31"));
  EXPECT_FALSE(is_date("2024-1-01"));
  EXPECT_FALSE(is_date("2024/01/01"));
  EXPECT_FALSE(is_date("2024-01-01T"));
}

TEST(FormatTime, TimesNeedAnOffset) {
  EXPECT_TRUE(is_time("00:00:00Z"));
  EXPECT_TRUE(is_time("23:59:59.999999999+14:00"));
  EXPECT_TRUE(is_time("12:00:00-00:00"));
  EXPECT_FALSE(is_time("12:00:00"));
  EXPECT_FALSE(is_time("12:00:00.Z"));
  EXPECT_FALSE(is_time("12:00Z"));
  EXPECT_FALSE(is_time("12:00:00+0100"));
  EXPECT_FALSE(is_time("12:00:00+01"));
}

TEST(FormatTime, LeapSecondsOnlyAtTheEndOfTheUtcDay) {
  EXPECT_TRUE(is_time("23:59:60Z"));
  EXPECT_TRUE(is_time("00:59:60+01:00"));
  EXPECT_TRUE(is_time("18:29:60-05:30"));
  EXPECT_FALSE(is_time("23:59:60+01:00"));
  EXPECT_FALSE(is_time("12:00:60Z"));
  EXPECT_FALSE(is_time("23:59:61Z"));
}

TEST(FormatTime, DateTimes) {
  EXPECT_TRUE(is_date_time("2024-02-29T12:00:00Z"));
  EXPECT_TRUE(is_date_time("2024-02-29t12:00:00.5z"));
  EXPECT_FALSE(is_date_time("2024-02-29 12:00:00Z"));
  EXPECT_FALSE(is_date_time("2024-02-30T12:00:00Z"));
  EXPECT_FALSE(is_date_time("2024-02-29T"));
}

TEST(FormatTime, Durations) {
  for (const char* ok : {"P1Y", "P1M", "P1D", "P1W", "PT1H", "PT1M", "PT1S", "P1Y2M3DT4H5M6S", "P1DT1S"}) {
    EXPECT_TRUE(is_duration(ok)) << ok;
  }
  for (const char* bad : {"", "P", "PT", "P1", "1D", "P1H", "PT1D", "P1W1D", "P1DT", "PT1H1S",
                          "P1.5D", "P-1D", "p1d", "P1D "}) {
    EXPECT_FALSE(is_duration(bad)) << bad;
  }
}

}  // namespace
}  // namespace edgeguard::validate::formats
