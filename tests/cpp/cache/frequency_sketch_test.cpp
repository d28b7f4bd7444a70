#include "edgeguard/cache/frequency_sketch.hpp"

#include <gtest/gtest.h>

using edgeguard::cache::FrequencySketch;

namespace {

TEST(FrequencySketch, SizesToAPowerOfTwoWithAFloor) {
  FrequencySketch s;
  s.ensure_capacity(1000);
  EXPECT_EQ(s.capacity(), 2048u);
  EXPECT_EQ(s.sample_size(), 10000u);
  s.ensure_capacity(3);  // sized for at least 16 keys
  EXPECT_EQ(s.keys(), 16u);
  EXPECT_EQ(s.capacity(), 32u);
  EXPECT_EQ(s.memory_bytes(), 32u * 8);
}

TEST(FrequencySketch, CountsAndSaturatesAtFifteen) {
  FrequencySketch s;
  s.ensure_capacity(512);
  EXPECT_EQ(s.frequency(42), 0u);
  for (int i = 1; i <= 20; ++i) {
    s.increment(42);
    EXPECT_EQ(s.frequency(42), uint32_t(i < 15 ? i : 15)) << i;
  }
}

TEST(FrequencySketch, NeverUnderestimatesAndRarelyConfusesKeys) {
  FrequencySketch s;
  s.ensure_capacity(4096);
  // Key k is seen k % 8 times; a count-min sketch only errs upwards.
  for (uint32_t k = 0; k < 2000; ++k)
    for (uint32_t i = 0; i < k % 8; ++i) s.increment(k * 2654435761u);
  int exact = 0;
  for (uint32_t k = 0; k < 2000; ++k) {
    const uint32_t f = s.frequency(k * 2654435761u);
    EXPECT_GE(f, k % 8);
    exact += f == k % 8;
  }
  EXPECT_GT(exact, 1900);
}

TEST(FrequencySketch, HalvesAllCountersAfterTheSamplePeriod) {
  FrequencySketch s;
  s.ensure_capacity(16);  // sample size 160
  for (int i = 0; i < 12; ++i) s.increment(7);
  EXPECT_EQ(s.frequency(7), 12u);
  // Other keys fill the period; key 7's counters are halved once when it ends.
  uint32_t k = 1000;
  uint64_t before;
  do {
    before = s.samples();
    s.increment(k++);
  } while (s.samples() > before && k < 2000);
  EXPECT_LT(k, 1200u);
  EXPECT_LE(s.frequency(7), 8u);
  EXPECT_GE(s.frequency(7), 6u);
}

TEST(FrequencySketch, AddedUsesSaturateAndRecordedOnesEndThePeriod) {
  FrequencySketch s;
  s.ensure_capacity(512);
  s.add(42, 9);
  EXPECT_EQ(s.frequency(42), 9u);
  EXPECT_EQ(s.samples(), 0u);  // added uses were counted by record()
  s.add(42, 9);
  EXPECT_EQ(s.frequency(42), 15u);
  EXPECT_FALSE(s.record(s.sample_size() - 1));
  EXPECT_EQ(s.frequency(42), 15u);
  EXPECT_TRUE(s.record(1));
  EXPECT_EQ(s.frequency(42), 7u);
  EXPECT_LT(s.samples(), s.sample_size() / 2 + 1);
}

TEST(FrequencySketch, IncrementSaysWhenItEndedThePeriod) {
  FrequencySketch s;
  s.ensure_capacity(16);  // sample size 160
  int halvings = 0;
  for (uint32_t k = 0; k < 161; ++k) halvings += s.increment(k * 2654435761u);
  EXPECT_EQ(halvings, 1);
}

TEST(FrequencySketch, GrowingResetsCounts) {
  FrequencySketch s;
  s.ensure_capacity(16);
  s.increment(1);
  s.ensure_capacity(16);  // same size: kept
  EXPECT_EQ(s.frequency(1), 1u);
  s.ensure_capacity(64);
  EXPECT_EQ(s.capacity(), 128u);
  EXPECT_EQ(s.frequency(1), 0u);
}

}  // namespace
