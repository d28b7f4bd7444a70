#include "edgeguard/cache/tag_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace edgeguard::cache;

namespace {

std::vector<Slot> slots_of(const TagIndex& t, std::string_view tag) {
  std::vector<Slot> out;
  t.slots_of(tag, out);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TagIndex, FindsEntriesByExactTagAndForgetsEmptyTags) {
  TagIndex t;
  uint32_t a = kNil, b = kNil;
  t.attach(1, a, {"user:1", "list"});
  t.attach(2, b, {"list", "list", "user:2"});  // the repeat counts once
  EXPECT_EQ(slots_of(t, "list"), (std::vector<Slot>{1, 2}));
  EXPECT_EQ(slots_of(t, "user:1"), (std::vector<Slot>{1}));
  EXPECT_TRUE(slots_of(t, "user").empty());
  EXPECT_EQ(t.tag_count(), 3u);
  std::vector<std::string_view> names;
  t.tags_of(b, names);
  EXPECT_EQ(names.size(), 2u);

  t.detach(a);
  EXPECT_EQ(a, kNil);
  EXPECT_EQ(slots_of(t, "list"), (std::vector<Slot>{2}));
  EXPECT_TRUE(slots_of(t, "user:1").empty());
  EXPECT_EQ(t.tag_count(), 2u);
  t.detach(b);
  EXPECT_EQ(t.tag_count(), 0u);
}

TEST(TagIndex, ChecksTagsBeforeAnythingChanges) {
  EXPECT_EQ(TagIndex::check({"a", "b"}), Status::ok);
  EXPECT_EQ(TagIndex::check({""}), Status::invalid_argument);
  const std::string long_tag(TagIndex::kMaxTagBytes + 1, 'x');
  EXPECT_EQ(TagIndex::check({long_tag}), Status::invalid_argument);
  std::vector<std::string> many;
  for (size_t i = 0; i <= TagIndex::kMaxTagsPerEntry; ++i) many.push_back("t" + std::to_string(i));
  std::vector<std::string_view> views(many.begin(), many.end());
  EXPECT_EQ(TagIndex::check(views), Status::too_many_tags);
  views.pop_back();
  views.push_back("t0");  // a repeat is not one more tag
  EXPECT_EQ(TagIndex::check(views), Status::ok);
}

TEST(TagIndex, ReusesStorageSoChurnDoesNotGrowIt) {
  TagIndex t;
  uint32_t head = kNil;
  for (int i = 0; i < 100; ++i) {
    t.attach(7, head, {"a", "b", std::to_string(i)});
    t.detach(head);
  }
  const size_t after_warmup = t.memory_bytes();
  for (int i = 100; i < 1000; ++i) {
    t.attach(7, head, {"a", "b", std::to_string(i)});
    t.detach(head);
  }
  EXPECT_EQ(t.memory_bytes(), after_warmup);
  EXPECT_EQ(t.tag_count(), 0u);
}

}  // namespace
