#include "edgeguard/cache/tag_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "cache/allocation_failure.hpp"

using namespace edgeguard::cache;
using edgeguard::cache::testing::FailAllocations;

namespace {

// How many entries carry the tag, and the one that got it last (kNil for none).
std::pair<uint32_t, Slot> members(const TagIndex& t, std::string_view tag) {
  const uint32_t id = t.find(tag);
  if (id == kNil) return {0, kNil};
  return {t.members(id), t.newest(id)};
}

TEST(TagIndex, FindsEntriesByExactTagAndForgetsEmptyTags) {
  TagIndex t;
  uint32_t a = kNil, b = kNil;
  t.reserve(2);
  t.attach(1, a, {"user:1", "list"});
  t.reserve(3);
  t.attach(2, b, {"list", "list", "user:2"});  // the repeat counts once
  EXPECT_EQ(members(t, "list"), std::make_pair(2u, Slot{2}));
  EXPECT_EQ(members(t, "user:1"), std::make_pair(1u, Slot{1}));
  EXPECT_EQ(members(t, "user"), std::make_pair(0u, kNil));
  EXPECT_EQ(t.tag_count(), 3u);
  std::vector<std::string_view> names;
  t.tags_of(b, names);
  EXPECT_EQ(names.size(), 2u);

  t.detach(a);
  EXPECT_EQ(a, kNil);
  EXPECT_EQ(members(t, "list"), std::make_pair(1u, Slot{2}));
  EXPECT_EQ(members(t, "user:1"), std::make_pair(0u, kNil));
  EXPECT_EQ(t.tag_count(), 2u);
  t.detach(b);
  EXPECT_EQ(t.tag_count(), 0u);
}

// Names come and go in every order: the table's deletions (shifting later names back) and its
// growth must keep every live name findable and every gone one absent, whatever the seed.
TEST(TagIndex, FindsEveryLiveNameThroughChurnUnderAnySeed) {
  for (const uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0x9e3779b97f4a7c15}}) {
    TagIndex t(seed);
    std::vector<uint32_t> heads(64, kNil);
    std::vector<std::vector<std::string>> names(64);
    uint64_t rng = seed + 12345;
    const auto next = [&rng] {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;
      return uint32_t(rng >> 33);
    };
    for (int round = 0; round < 3000; ++round) {
      const Slot s = next() % 64;
      t.detach(heads[s]);
      names[s].clear();
      for (uint32_t k = next() % 4; k > 0; --k) names[s].push_back("t" + std::to_string(next() % 300));
      const std::vector<std::string_view> views(names[s].begin(), names[s].end());
      t.reserve(views.size());
      t.attach(s, heads[s], views);
      if (round % 100 != 99) continue;
      std::vector<uint32_t> expected(300, 0);
      for (const auto& slot_names : names) {
        std::vector<std::string> distinct = slot_names;
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        for (const std::string& n : distinct) ++expected[std::stoul(n.substr(1))];
      }
      size_t live = 0;
      for (uint32_t n = 0; n < 300; ++n) {
        ASSERT_EQ(members(t, "t" + std::to_string(n)).first, expected[n]) << "seed " << seed << " t" << n;
        live += expected[n] != 0;
      }
      ASSERT_EQ(t.tag_count(), live);
    }
  }
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
    t.reserve(3);
    t.attach(7, head, {"a", "b", std::to_string(i)});
    t.detach(head);
  }
  const size_t after_warmup = t.memory_bytes();
  for (int i = 100; i < 1000; ++i) {
    t.reserve(3);
    t.attach(7, head, {"a", "b", std::to_string(i)});
    t.detach(head);
  }
  EXPECT_EQ(t.memory_bytes(), after_warmup);
  EXPECT_EQ(t.tag_count(), 0u);
}

TEST(TagIndex, AnAttachThatRunsOutOfMemoryUndoesItselfAndLookupsNeverAllocate) {
  for (size_t allowed = 0;; ++allowed) {
    ASSERT_LT(allowed, 100u);
    TagIndex t;
    uint32_t old = kNil, head = kNil;
    t.reserve(1);
    t.attach(1, old, {"shared"});
    const std::vector<std::string_view> tags{"a", "shared", "b", "c"};
    t.reserve(tags.size());
    bool threw = false;
    std::pair<uint32_t, Slot> shared, a;
    {
      FailAllocations f(allowed);
      try {
        t.attach(2, head, tags);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      shared = members(t, "shared");
      a = members(t, "a");
      t.detach(old);
      EXPECT_FALSE(threw && f.refused() != threw);
    }
    if (threw) {
      EXPECT_EQ(head, kNil);
      EXPECT_EQ(shared, std::make_pair(1u, Slot{1}));
      EXPECT_EQ(a, std::make_pair(0u, kNil));
      EXPECT_EQ(t.tag_count(), 0u);
    } else {
      EXPECT_EQ(shared, std::make_pair(2u, Slot{2}));
      EXPECT_EQ(t.tag_count(), 4u);
      break;
    }
  }
}

}  // namespace
