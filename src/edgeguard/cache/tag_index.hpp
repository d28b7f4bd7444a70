#pragma once
// Which entries carry which tag, for invalidate({ tag }). Exact (tags are compared as bytes,
// not hashes), O(entries with the tag) to invalidate, O(tags of the entry) to drop an entry.
// Bounded: each entry has at most kMaxTagsPerEntry tags of at most kMaxTagBytes bytes, and a
// tag is forgotten when its last entry leaves.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edgeguard/cache/entry.hpp"
#include "edgeguard/cache/status.hpp"

namespace edgeguard::cache {

class TagIndex {
 public:
  static constexpr size_t kMaxTagsPerEntry = 32;
  static constexpr size_t kMaxTagBytes = 1024;

  // Checks tags before anything changes: empty or too long -> invalid_argument; more than
  // kMaxTagsPerEntry distinct tags -> too_many_tags.
  static Status check(const std::vector<std::string_view>& tags);
  // Gives the entry at `s` (which has no tags: head == kNil) the checked tags; repeats count once.
  void attach(Slot s, uint32_t& head, const std::vector<std::string_view>& tags);
  void detach(uint32_t& head);

  void slots_of(std::string_view tag, std::vector<Slot>& out) const;
  void tags_of(uint32_t head, std::vector<std::string_view>& out) const;

  size_t tag_count() const { return by_name_.size(); }
  size_t memory_bytes() const;
  void clear();

 private:
  struct Tag {
    std::string name;
    uint32_t head = kNil;  // first member
    uint32_t members = 0;
  };
  struct Member {
    Slot slot = kNil;
    uint32_t tag = kNil;
    uint32_t prev = kNil;  // neighbours among the tag's members
    uint32_t next = kNil;
    uint32_t next_of_entry = kNil;
  };
  uint32_t intern(std::string_view name);
  bool has(uint32_t head, uint32_t tag) const;

  std::unordered_map<std::string, uint32_t> by_name_;
  std::vector<Tag> tags_;
  std::vector<uint32_t> free_tags_;
  std::vector<Member> members_;
  std::vector<uint32_t> free_members_;
};

}  // namespace edgeguard::cache
