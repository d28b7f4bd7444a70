#include "edgeguard/validate/program.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace edgeguard::validate;

TEST(NameTable, FindsNamesSharingAnEightBytePrefix) {
  for (int count : {3, 40}) {  // the linear scan and the hashed table
    NameTable t;
    for (int k = 0; k < count; ++k) EXPECT_EQ(t.add("customer_" + std::to_string(k)), uint32_t(k));
    EXPECT_EQ(t.add("customer_1"), 1u);
    EXPECT_EQ(t.add("id"), uint32_t(count));
    EXPECT_EQ(t.add(""), uint32_t(count + 1));
    for (int k = 0; k < count; ++k) EXPECT_EQ(t.find("customer_" + std::to_string(k)), uint32_t(k));
    EXPECT_EQ(t.find("customer_"), kNone);
    EXPECT_EQ(t.find("customer_1x"), kNone);
    EXPECT_EQ(t.find("id"), uint32_t(count));
    EXPECT_EQ(t.find(""), uint32_t(count + 1));
    EXPECT_EQ(t.find(std::string("i\0", 2)), kNone);
    EXPECT_EQ(t.name(2), "customer_2");
  }
}
