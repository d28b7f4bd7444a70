#include "edgeguard/limit/key_table.hpp"

#include <algorithm>
#include <cstring>
#include <new>


namespace edgeguard::limit {

namespace {
constexpr uint32_t kFirstCapacity = 256;
size_t slots_for(size_t capacity) { return capacity + capacity / 3 + 1; }
}  // namespace

KeyTable::KeyTable(uint32_t max_keys, uint32_t state_words, uint64_t seed)
    : max_keys_(std::min(max_keys, kMaxKeys)), stride_(4 + state_words), seed_(seed) {
  slots_.assign(slots_for(std::min(max_keys_, kFirstCapacity)), kEmpty);
}

KeyTable::~KeyTable() {
  for (uint32_t id = oldest_; id != npos; id = record(id)->newer) {
    if (record(id)->len > kInlineKey) delete[] record(id)->key.heap;
  }
}

uint32_t KeyTable::insert(const uint8_t* key, uint32_t len, uint32_t hash) {
  if (free_ == npos && used_ == capacity_ && !grow()) return npos;
  uint8_t* heap = nullptr;
  if (len > kInlineKey) {
    heap = new (std::nothrow) uint8_t[len];
    if (!heap) return npos;
    heap_key_bytes_ += len;
  }
  uint32_t id;
  if (free_ != npos) {
    id = free_;
    free_ = record(id)->newer;
  } else {
    id = used_++;
  }
  Record& r = *record(id);
  r.len = len;
  r.hash = hash;
  if (heap) {
    std::memcpy(heap, key, len);
    r.key.heap = heap;
  } else if (len > 0) {
    std::memcpy(r.key.bytes, key, len);
  }
  std::fill_n(state(id), stride_ - 4, 0.0);
  place(hash, id);
  link_newest(id);
  ++size_;
  return id;
}

void KeyTable::erase(uint32_t id) {
  Record& r = *record(id);
  uint32_t i = home(r.hash);
  while ((slots_[i] & kIdMask) != id) i = next(i);  // an empty slot never matches: its id bits are kIdMask
  // Backward-shift deletion: pull later members of the probe run into the hole unless their
  // home lies cyclically in (hole, j], so no tombstones accumulate.
  for (uint32_t j = next(i);; j = next(j)) {
    const uint32_t s = slots_[j];
    if (s == kEmpty) break;
    const uint32_t k = home(record(s & kIdMask)->hash);
    const bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (!stays) {
      slots_[i] = s;
      i = j;
    }
  }
  slots_[i] = kEmpty;
  unlink(id);
  if (r.len > kInlineKey) {
    delete[] r.key.heap;
    heap_key_bytes_ -= r.len;
  }
  r.newer = free_;
  free_ = id;
  --size_;
}

std::string_view KeyTable::key(uint32_t id) const {
  const Record& r = *record(id);
  return {reinterpret_cast<const char*>(bytes_of(r)), r.len};
}

size_t KeyTable::memory_bytes() const {
  return sizeof(*this) + size_t(capacity_) * stride_ * sizeof(uint64_t) +
         slots_.capacity() * sizeof(uint32_t) + heap_key_bytes_;
}

bool KeyTable::grow() {
  if (capacity_ >= max_keys_) return false;
  const uint32_t target = std::min(max_keys_, std::max(kFirstCapacity, capacity_ * 2));
  // Exact sizes (no vector doubling): the memory per key stays as documented.
  std::unique_ptr<uint64_t[]> storage(new (std::nothrow) uint64_t[size_t(target) * stride_]);
  if (!storage) return false;
  if (slots_.size() < slots_for(target)) {
    try {
      rebuild_index(slots_for(target));
    } catch (const std::bad_alloc&) {
      return false;
    }
  }
  if (used_ > 0) std::memcpy(storage.get(), storage_.get(), size_t(used_) * stride_ * sizeof(uint64_t));
  storage_.swap(storage);
  capacity_ = target;
  return true;
}

void KeyTable::rebuild_index(size_t slot_count) {
  std::vector<uint32_t> fresh(slot_count, kEmpty);
  slots_.swap(fresh);
  for (uint32_t id = oldest_; id != npos; id = record(id)->newer) place(record(id)->hash, id);
}

void KeyTable::place(uint32_t hash, uint32_t id) {
  uint32_t i = home(hash);
  while (slots_[i] != kEmpty) i = next(i);
  slots_[i] = slot_of(hash, id);
}

}  // namespace edgeguard::limit
