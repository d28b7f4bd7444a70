#include "edgeguard/cache/tag_index.hpp"

#include <algorithm>
#include <cstring>

#include "edgeguard/cache/room.hpp"

namespace edgeguard::cache {

namespace {
// An unused element of v (they are listed from `free` through their `link`), or a new one in
// the room reserve() made.
template <class T>
uint32_t take(std::vector<T>& v, uint32_t& free, uint32_t T::*link) noexcept {
  if (free == kNil) {
    v.emplace_back();
    return uint32_t(v.size() - 1);
  }
  const uint32_t i = free;
  free = v[i].*link;
  return i;
}
}  // namespace

Status TagIndex::check(const std::vector<std::string_view>& tags) {
  for (std::string_view t : tags)
    if (t.empty() || t.size() > kMaxTagBytes) return Status::invalid_argument;
  size_t distinct = 0;
  for (size_t i = 0; i < tags.size(); ++i)
    if (std::find(tags.begin(), tags.begin() + i, tags[i]) == tags.begin() + i) ++distinct;
  return distinct > kMaxTagsPerEntry ? Status::too_many_tags : Status::ok;
}

void TagIndex::reserve(size_t n) {
  make_room(members_, members_.size() + n);
  make_room(tags_, tags_.size() + n);
}

uint32_t TagIndex::find(std::string_view name) const noexcept {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? kNil : it->second;
}

uint32_t TagIndex::intern(std::string_view name) {
  if (const uint32_t id = find(name); id != kNil) return id;
  std::unique_ptr<char[]> copy(new char[name.size()]);
  std::memcpy(copy.get(), name.data(), name.size());
  const uint32_t id = take(tags_, free_tags_, &Tag::head);
  Tag& t = tags_[id];
  t.name = std::move(copy);
  t.length = uint32_t(name.size());
  t.head = kNil;
  try {
    by_name_.emplace(t.view(), id);
  } catch (...) {
    free_tag(id);
    throw;
  }
  name_bytes_ += name.size();
  return id;
}

void TagIndex::free_tag(uint32_t id) noexcept {
  Tag& t = tags_[id];
  t.name.reset();
  t.length = 0;
  t.head = free_tags_;
  free_tags_ = id;
}

bool TagIndex::has(uint32_t head, uint32_t tag) const {
  for (uint32_t m = head; m != kNil; m = members_[m].next_of_entry)
    if (members_[m].tag == tag) return true;
  return false;
}

void TagIndex::attach(Slot s, uint32_t& head, const std::vector<std::string_view>& tags) {
  try {
    for (std::string_view name : tags) {
      const uint32_t tag = intern(name);
      if (has(head, tag)) continue;
      const uint32_t m = take(members_, free_members_, &Member::next);
      Tag& t = tags_[tag];
      members_[m] = Member{s, tag, kNil, t.head, head};
      if (t.head != kNil) members_[t.head].prev = m;
      t.head = m;
      ++t.members;
      head = m;
    }
  } catch (...) {
    detach(head);
    throw;
  }
}

void TagIndex::detach(uint32_t& head) noexcept {
  for (uint32_t m = head; m != kNil;) {
    const Member mem = members_[m];
    Tag& t = tags_[mem.tag];
    if (mem.prev != kNil) members_[mem.prev].next = mem.next; else t.head = mem.next;
    if (mem.next != kNil) members_[mem.next].prev = mem.prev;
    if (--t.members == 0) {
      by_name_.erase(t.view());
      name_bytes_ -= t.length;
      free_tag(mem.tag);
    }
    members_[m].next = free_members_;
    free_members_ = m;
    m = mem.next_of_entry;
  }
  head = kNil;
}

void TagIndex::tags_of(uint32_t head, std::vector<std::string_view>& out) const {
  for (uint32_t m = head; m != kNil; m = members_[m].next_of_entry)
    out.push_back(tags_[members_[m].tag].view());
}

size_t TagIndex::memory_bytes() const {
  return tags_.capacity() * sizeof(Tag) + members_.capacity() * sizeof(Member) +
         by_name_.size() * (sizeof(std::string_view) + 2 * sizeof(void*) + sizeof(uint32_t)) +
         name_bytes_;
}

void TagIndex::clear() noexcept {
  by_name_.clear();
  tags_.clear();
  free_tags_ = kNil;
  members_.clear();
  free_members_ = kNil;
  name_bytes_ = 0;
}

}  // namespace edgeguard::cache
