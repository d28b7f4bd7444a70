#pragma once
// What the option readers' tests share: a table of refused texts, each with the option its
// refusal names and the message it gives.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

#include "edgeguard/json/options.hpp"

struct Refusal {
  const char* text;
  const char* option;
  const char* message;
};

// `refused(text)` reads `text` with one job's reader and returns its refusal.
template <class Refused>
void expect_refusals(Refused refused, uint32_t status, std::initializer_list<Refusal> cases) {
  for (const Refusal& c : cases) {
    const edgeguard::json::OptionError e = refused(c.text);
    EXPECT_EQ(e.status, status) << c.text;
    EXPECT_EQ(e.option(), c.option) << c.text;
    EXPECT_EQ(e.message(), c.message) << c.text;
  }
}
