#include "edgeguard/cache/tag_index.hpp"

#include <algorithm>

namespace edgeguard::cache {

Status TagIndex::check(const std::vector<std::string_view>& tags) {
  for (std::string_view t : tags)
    if (t.empty() || t.size() > kMaxTagBytes) return Status::invalid_argument;
  size_t distinct = 0;
  for (size_t i = 0; i < tags.size(); ++i)
    if (std::find(tags.begin(), tags.begin() + i, tags[i]) == tags.begin() + i) ++distinct;
  return distinct > kMaxTagsPerEntry ? Status::too_many_tags : Status::ok;
}

uint32_t TagIndex::intern(std::string_view name) {
  auto it = by_name_.find(std::string(name));
  if (it != by_name_.end()) return it->second;
  uint32_t id;
  if (!free_tags_.empty()) {
    id = free_tags_.back();
    free_tags_.pop_back();
  } else {
    id = uint32_t(tags_.size());
    tags_.emplace_back();
  }
  tags_[id].name.assign(name);
  by_name_.emplace(tags_[id].name, id);
  return id;
}

bool TagIndex::has(uint32_t head, uint32_t tag) const {
  for (uint32_t m = head; m != kNil; m = members_[m].next_of_entry)
    if (members_[m].tag == tag) return true;
  return false;
}

void TagIndex::attach(Slot s, uint32_t& head, const std::vector<std::string_view>& tags) {
  for (std::string_view name : tags) {
    const uint32_t tag = intern(name);
    if (has(head, tag)) continue;
    uint32_t m;
    if (!free_members_.empty()) {
      m = free_members_.back();
      free_members_.pop_back();
    } else {
      m = uint32_t(members_.size());
      members_.emplace_back();
    }
    Tag& t = tags_[tag];
    members_[m] = Member{s, tag, kNil, t.head, head};
    if (t.head != kNil) members_[t.head].prev = m;
    t.head = m;
    ++t.members;
    head = m;
  }
}

void TagIndex::detach(uint32_t& head) {
  for (uint32_t m = head; m != kNil;) {
    const Member mem = members_[m];
    Tag& t = tags_[mem.tag];
    if (mem.prev != kNil) members_[mem.prev].next = mem.next; else t.head = mem.next;
    if (mem.next != kNil) members_[mem.next].prev = mem.prev;
    if (--t.members == 0) {
      by_name_.erase(t.name);
      t.name.clear();
      t.name.shrink_to_fit();
      free_tags_.push_back(mem.tag);
    }
    free_members_.push_back(m);
    m = mem.next_of_entry;
  }
  head = kNil;
}

void TagIndex::slots_of(std::string_view tag, std::vector<Slot>& out) const {
  auto it = by_name_.find(std::string(tag));
  if (it == by_name_.end()) return;
  for (uint32_t m = tags_[it->second].head; m != kNil; m = members_[m].next)
    out.push_back(members_[m].slot);
}

void TagIndex::tags_of(uint32_t head, std::vector<std::string_view>& out) const {
  for (uint32_t m = head; m != kNil; m = members_[m].next_of_entry)
    out.push_back(tags_[members_[m].tag].name);
}

size_t TagIndex::memory_bytes() const {
  size_t names = 0;
  for (const Tag& t : tags_) names += t.name.capacity();
  return tags_.capacity() * sizeof(Tag) + members_.capacity() * sizeof(Member) +
         (free_tags_.capacity() + free_members_.capacity()) * sizeof(uint32_t) +
         by_name_.size() * (sizeof(std::string) + 2 * sizeof(void*) + sizeof(uint32_t)) + names * 2;
}

void TagIndex::clear() {
  by_name_.clear();
  tags_.clear();
  free_tags_.clear();
  members_.clear();
  free_members_.clear();
}

}  // namespace edgeguard::cache
