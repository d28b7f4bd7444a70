#pragma once
// Which entries carry which tag, for invalidate({ tag }). Exact (tags are compared as bytes,
// not hashes), O(entries with the tag) to invalidate, O(tags of the entry) to drop an entry.
// Bounded: each entry has at most kMaxTagsPerEntry tags of at most kMaxTagBytes bytes, and a
// tag is forgotten when its last entry leaves.
// Out of memory: only attach allocates (after reserve, only a new tag's name and its place in
// the name map); a failed attach undoes itself. Lookups and detach never allocate: the names
// are looked up as string_views, and freed tags and members are kept in lists threaded
// through themselves.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edgeguard/cache/entry.hpp"
#include "edgeguard/cache/status.hpp"

namespace edgeguard::cache {

class TagIndex {
 public:
  // seam: cache
  static constexpr size_t kMaxTagsPerEntry = 32;
  // seam: cache
  static constexpr size_t kMaxTagBytes = 1024;

  // Checks tags before anything changes: empty or too long -> invalid_argument; more than
  // kMaxTagsPerEntry distinct tags -> too_many_tags.
  static Status check(const std::vector<std::string_view>& tags);
  // Makes room for an attach of `n` tags; throws std::bad_alloc (changing nothing) when it cannot.
  void reserve(size_t n);
  // Gives the entry at `s` (which has no tags: head == kNil) the checked tags; repeats count
  // once. After reserve(tags.size()). Throws std::bad_alloc when a new tag cannot be stored;
  // the entry then has no tags, as before.
  void attach(Slot s, uint32_t& head, const std::vector<std::string_view>& tags);
  void detach(uint32_t& head) noexcept;

  // The tag's id, or kNil when no entry carries it.
  uint32_t find(std::string_view name) const noexcept;
  // How many entries carry the tag `id`, and the one that got it last.
  uint32_t members(uint32_t id) const { return tags_[id].members; }
  Slot newest(uint32_t id) const { return members_[tags_[id].head].slot; }
  void tags_of(uint32_t head, std::vector<std::string_view>& out) const;

  size_t tag_count() const { return by_name_.size(); }
  size_t memory_bytes() const;
  void clear() noexcept;

 private:
  struct Tag {
    std::unique_ptr<char[]> name;  // does not move when tags_ grows: by_name_ keys view it
    uint32_t length = 0;
    uint32_t head = kNil;  // first member; the next free tag while unused
    uint32_t members = 0;
    std::string_view view() const { return {name.get(), length}; }
  };
  struct Member {
    Slot slot = kNil;
    uint32_t tag = kNil;
    uint32_t prev = kNil;  // neighbours among the tag's members
    uint32_t next = kNil;  // the next free member while unused
    uint32_t next_of_entry = kNil;
  };
  uint32_t intern(std::string_view name);
  void free_tag(uint32_t id) noexcept;
  bool has(uint32_t head, uint32_t tag) const;

  std::unordered_map<std::string_view, uint32_t> by_name_;
  std::vector<Tag> tags_;
  uint32_t free_tags_ = kNil;
  std::vector<Member> members_;
  uint32_t free_members_ = kNil;
  size_t name_bytes_ = 0;
};

}  // namespace edgeguard::cache
