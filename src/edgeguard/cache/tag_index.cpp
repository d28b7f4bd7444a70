#include "edgeguard/cache/tag_index.hpp"

#include <algorithm>
#include <cstring>

#include "edgeguard/cache/room.hpp"
#include "edgeguard/hash/hash.hpp"

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
  grow_table(named_ + n);
}

uint32_t TagIndex::hash_of(std::string_view name) const noexcept {
  return hash::hash_key(reinterpret_cast<const uint8_t*>(name.data()), name.size(), seed_);
}

size_t TagIndex::probe(uint32_t hash, std::string_view name) const noexcept {
  const size_t mask = table_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint32_t id = table_[i];
    if (id == kNil || (tags_[id].hash == hash && tags_[id].view() == name)) return i;
  }
}

// Keeps the table at most half full, so probes stay short and always reach an empty slot.
void TagIndex::grow_table(size_t names) {
  size_t size = 16;
  while (size < 2 * names) size *= 2;
  if (size <= table_.size()) return;
  std::vector<uint32_t> grown(size, kNil);
  for (const uint32_t id : table_) {
    if (id == kNil) continue;
    size_t i = tags_[id].hash & (size - 1);
    while (grown[i] != kNil) i = (i + 1) & (size - 1);
    grown[i] = id;
  }
  table_.swap(grown);
}

// Backward-shift deletion: the names after the hole that may move into it do, so no probe
// stops early at it and no tombstones accumulate.
void TagIndex::unlist(uint32_t id) noexcept {
  const size_t mask = table_.size() - 1;
  size_t hole = probe(tags_[id].hash, tags_[id].view());
  for (size_t i = (hole + 1) & mask; table_[i] != kNil; i = (i + 1) & mask) {
    const size_t home = tags_[table_[i]].hash & mask;
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      table_[hole] = table_[i];
      hole = i;
    }
  }
  table_[hole] = kNil;
  --named_;
}

uint32_t TagIndex::find(std::string_view name) const noexcept {
  return table_.empty() ? kNil : table_[probe(hash_of(name), name)];
}

uint32_t TagIndex::intern(std::string_view name) {
  if (2 * (named_ + 1) > table_.size()) grow_table(named_ + 1);  // reserve() has made the room
  const uint32_t hash = hash_of(name);
  const size_t slot = probe(hash, name);
  if (table_[slot] != kNil) return table_[slot];
  std::unique_ptr<char[]> copy(new char[name.size()]);
  std::memcpy(copy.get(), name.data(), name.size());
  const uint32_t id = take(tags_, free_tags_, &Tag::head);
  Tag& t = tags_[id];
  t.name = std::move(copy);
  t.length = uint32_t(name.size());
  t.head = kNil;
  t.hash = hash;
  table_[slot] = id;
  ++named_;
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
      unlist(mem.tag);
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
         table_.capacity() * sizeof(uint32_t) + name_bytes_;
}

void TagIndex::clear() noexcept {
  std::fill(table_.begin(), table_.end(), kNil);
  named_ = 0;
  tags_.clear();
  free_tags_ = kNil;
  members_.clear();
  free_members_ = kNil;
  name_bytes_ = 0;
}

}  // namespace edgeguard::cache
