#include "edgeguard/limit/key_table.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "edgeguard/limit/hash.hpp"

namespace edgeguard::limit {

namespace {
constexpr uint32_t kFirstCapacity = 256;
size_t slots_for(size_t capacity) { return capacity + capacity / 3 + 1; }
}  // namespace

KeyTable::KeyTable(uint32_t max_keys, uint32_t state_words, uint64_t seed)
    : max_keys_(max_keys), words_(state_words), seed_(seed) {
  slots_.assign(slots_for(std::min(max_keys_, kFirstCapacity)), Slot{0, npos});
}

KeyTable::~KeyTable() {
  for (uint32_t id = oldest_; id != npos; id = entries_[id].newer) {
    if (entries_[id].len > kInlineKey) delete[] entries_[id].key.heap;
  }
}

uint32_t KeyTable::hash(const uint8_t* key, uint32_t len) const { return hash_key(key, len, seed_); }

uint32_t KeyTable::find(const uint8_t* key, uint32_t len, uint32_t hash) const {
  for (uint32_t i = home(hash);; i = next(i)) {
    const Slot s = slots_[i];
    if (s.id == npos) return npos;
    if (s.hash != hash) continue;
    const Entry& e = entries_[s.id];
    if (e.len == len && std::memcmp(bytes_of(e), key, len) == 0) return s.id;
  }
}

uint32_t KeyTable::insert(const uint8_t* key, uint32_t len, uint32_t hash) {
  if (free_ == npos && used_ == entries_.size() && !grow()) return npos;
  uint8_t* heap = nullptr;
  if (len > kInlineKey) {
    heap = new (std::nothrow) uint8_t[len];
    if (!heap) return npos;
    heap_key_bytes_ += len;
  }
  uint32_t id;
  if (free_ != npos) {
    id = free_;
    free_ = entries_[id].newer;
  } else {
    id = used_++;
  }
  Entry& e = entries_[id];
  e.len = len;
  if (heap) {
    std::memcpy(heap, key, len);
    e.key.heap = heap;
  } else if (len > 0) {
    std::memcpy(e.key.bytes, key, len);
  }
  std::fill_n(state(id), words_, 0.0);
  place(hash, id);
  link_newest(id);
  ++size_;
  return id;
}

void KeyTable::erase(uint32_t id) {
  Entry& e = entries_[id];
  uint32_t i = home(hash(bytes_of(e), e.len));
  while (slots_[i].id != id) i = next(i);
  // Backward-shift deletion: pull later members of the probe run into the hole unless their
  // home lies cyclically in (hole, j], so no tombstones accumulate.
  for (uint32_t j = next(i);; j = next(j)) {
    const Slot s = slots_[j];
    if (s.id == npos) break;
    const uint32_t k = home(s.hash);
    const bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (!stays) {
      slots_[i] = s;
      i = j;
    }
  }
  slots_[i].id = npos;
  unlink(id);
  if (e.len > kInlineKey) {
    delete[] e.key.heap;
    heap_key_bytes_ -= e.len;
  }
  e.newer = free_;
  free_ = id;
  --size_;
}

void KeyTable::touch(uint32_t id) {
  if (id == newest_) return;
  unlink(id);
  link_newest(id);
}

std::string_view KeyTable::key(uint32_t id) const {
  const Entry& e = entries_[id];
  return {reinterpret_cast<const char*>(bytes_of(e)), e.len};
}

size_t KeyTable::memory_bytes() const {
  return sizeof(*this) + entries_.capacity() * sizeof(Entry) +
         states_.capacity() * sizeof(double) + slots_.capacity() * sizeof(Slot) + heap_key_bytes_;
}

bool KeyTable::grow() {
  const size_t capacity = entries_.size();
  if (capacity >= max_keys_) return false;
  const size_t target = std::min<size_t>(max_keys_, std::max<size_t>(kFirstCapacity, capacity * 2));
  try {
    // Exact sizes (reserve, not doubling push_back): the memory per key stays as documented.
    std::vector<Entry> entries;
    entries.reserve(target);
    entries.assign(entries_.begin(), entries_.end());
    entries.resize(target);
    std::vector<double> states;
    states.reserve(target * words_);
    states.assign(states_.begin(), states_.end());
    states.resize(target * words_);
    if (slots_.size() < slots_for(target)) rebuild_index(slots_for(target));
    entries_.swap(entries);
    states_.swap(states);
  } catch (const std::bad_alloc&) {
    return false;
  }
  return true;
}

void KeyTable::rebuild_index(size_t slot_count) {
  std::vector<Slot> old(slot_count, Slot{0, npos});
  old.swap(slots_);
  for (const Slot& s : old) {
    if (s.id != npos) place(s.hash, s.id);
  }
}

void KeyTable::place(uint32_t hash, uint32_t id) {
  uint32_t i = home(hash);
  while (slots_[i].id != npos) i = next(i);
  slots_[i] = Slot{hash, id};
}

void KeyTable::unlink(uint32_t id) {
  Entry& e = entries_[id];
  (e.older == npos ? oldest_ : entries_[e.older].newer) = e.newer;
  (e.newer == npos ? newest_ : entries_[e.newer].older) = e.older;
}

void KeyTable::link_newest(uint32_t id) {
  Entry& e = entries_[id];
  e.older = newest_;
  e.newer = npos;
  (newest_ == npos ? oldest_ : entries_[newest_].newer) = id;
  newest_ = id;
}

}  // namespace edgeguard::limit
