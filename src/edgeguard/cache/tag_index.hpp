#pragma once
// Which entries carry which tag, for invalidate({ tag }). Exact (tags are compared as bytes,
// not hashes), O(entries with the tag) to invalidate, O(tags of the entry) to drop an entry.
// Bounded: each entry has at most kMaxTagsPerEntry tags of at most kMaxTagBytes bytes, and a
// tag is forgotten when its last entry leaves.
// Out of memory: only reserve and attach allocate (after reserve, only a new tag's name); a
// failed attach undoes itself. Lookups and detach never allocate: the names are looked up as
// string_views, and freed tags and members are kept in lists threaded through themselves.
// Names are found through an open-addressing table of tag ids under a seeded hash (the
// cache's seed): apps build tags from request data (a user's or a product's id), and with an
// unseeded hash whoever picks them could make every lookup walk one long run of collisions.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
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

  explicit TagIndex(uint64_t seed = 0) : seed_(seed) {}

  // Checks tags before anything changes: empty or too long -> invalid_argument; more than
  // kMaxTagsPerEntry distinct tags -> too_many_tags.
  static Status check(const std::vector<std::string_view>& tags);
  // Makes room for an attach of `n` tags, their names' places in the table included; throws
  // std::bad_alloc (changing nothing) when it cannot.
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

  size_t tag_count() const { return named_; }
  size_t memory_bytes() const;
  void clear() noexcept;

 private:
  struct Tag {
    std::unique_ptr<char[]> name;
    uint32_t length = 0;
    uint32_t head = kNil;  // first member; the next free tag while unused
    uint32_t members = 0;
    uint32_t hash = 0;  // of the name: the table's probes and its growth compare it first
    std::string_view view() const { return {name.get(), length}; }
  };
  struct Member {
    Slot slot = kNil;
    uint32_t tag = kNil;
    uint32_t prev = kNil;  // neighbours among the tag's members
    uint32_t next = kNil;  // the next free member while unused
    uint32_t next_of_entry = kNil;
  };
  uint32_t hash_of(std::string_view name) const noexcept;
  // The table's slot holding the id of `name` (whose hash is `hash`), or the empty slot where
  // it would go.
  size_t probe(uint32_t hash, std::string_view name) const noexcept;
  void grow_table(size_t names);
  void unlist(uint32_t id) noexcept;
  uint32_t intern(std::string_view name);
  void free_tag(uint32_t id) noexcept;
  bool has(uint32_t head, uint32_t tag) const;

  uint64_t seed_;
  std::vector<uint32_t> table_;  // tag ids by name, kNil where empty; a power of two, at most half full
  size_t named_ = 0;
  std::vector<Tag> tags_;
  uint32_t free_tags_ = kNil;
  std::vector<Member> members_;
  uint32_t free_members_ = kNil;
  size_t name_bytes_ = 0;
};

}  // namespace edgeguard::cache
