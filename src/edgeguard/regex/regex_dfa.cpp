#include "edgeguard/regex/regex_dfa.hpp"

#include <algorithm>

#include "edgeguard/regex/regex_text.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

// Above this many classes only the ASCII ones get table columns, and the transitions on other
// classes go to a direct-mapped cache (big \p{...} unions would otherwise make every state
// kilobytes wide).
constexpr size_t kMaxColumns = 256;
constexpr size_t kSlots = 1024;

size_t slot_of(int32_t state, uint32_t cls) { return (uint32_t(state) * 0x9E3779B1u ^ cls * 0x85EBCA77u) % kSlots; }
constexpr size_t kStateOverhead = 96;  // bytes of bookkeeping per state, for the budget

}  // namespace

size_t DfaMatcher::StateKeyHash::operator()(const std::vector<uint32_t>& pcs) const {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint32_t pc : pcs) h = (h ^ pc) * 0x100000001b3ULL;
  return size_t(h ^ (h >> 32));
}

DfaMatcher::DfaMatcher(const Program& program, size_t budget) : program_(program), budget_(budget) {
  const size_t n = program.insts.size();
  seen_.init(n);
  stack_.resize(n);

  std::vector<uint32_t> bounds = {0};
  for (const Inst& in : program.insts) {
    if (in.op != Op::set) continue;
    for (const CodeRange& r : program.sets[in.x].ranges()) {
      bounds.push_back(r.lo);
      if (r.hi < kMaxCodePoint) bounds.push_back(r.hi + 1);
    }
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  class_starts_ = std::move(bounds);
  for (uint32_t c = 0; c < 128; ++c) ascii_class_[c] = uint16_t(class_of(c));
  columns_ = class_starts_.size() <= kMaxColumns ? uint32_t(class_starts_.size()) : uint32_t(ascii_class_[127]) + 1;
  if (columns_ < class_starts_.size()) {
    slots_.assign(kSlots, Slot{});
    budget_ = budget_ > sizeof(Slot) * kSlots ? budget_ - sizeof(Slot) * kSlots : 0;
  }

  seeds_ = {program.start};
  closure(seeds_, false, false, &restart_);
}

uint32_t DfaMatcher::class_of(uint32_t cp) const {
  return uint32_t(std::upper_bound(class_starts_.begin(), class_starts_.end(), cp) - class_starts_.begin()) - 1;
}

void DfaMatcher::closure(const std::vector<uint32_t>& seeds, bool at_start, bool at_end,
                         std::vector<uint32_t>* out) const {
  seen_.clear();
  out->clear();
  size_t top = 0;
  auto push = [&](uint32_t pc) {
    if (!seen_.contains(pc)) {
      seen_.insert(pc);
      stack_[top++] = pc;
    }
  };
  for (uint32_t pc : seeds) push(pc);
  while (top > 0) {
    const uint32_t pc = stack_[--top];
    const Inst& in = program_.insts[pc];
    switch (in.op) {
      case Op::match:
      case Op::set:
        out->push_back(pc);
        break;
      case Op::split:
        push(in.y);
        push(in.x);
        break;
      case Op::jump:
        push(in.x);
        break;
      case Op::text_start:
        if (at_start) push(pc + 1);
        break;
      case Op::text_end:
        if (at_end) {
          push(pc + 1);
        } else {
          out->push_back(pc);  // decided when the text ends
        }
        break;
      case Op::word_boundary:
      case Op::not_word_boundary:
        break;  // never compiled into a DFA (see supports())
    }
  }
  std::sort(out->begin(), out->end());
}

int32_t DfaMatcher::intern(const std::vector<uint32_t>& pcs) const {
  const auto it = index_.find(pcs);
  if (it != index_.end()) return it->second;
  const size_t cost = kStateOverhead + pcs.size() * sizeof(uint32_t) * 2 + columns_ * sizeof(int32_t);
  if (used_ + cost > budget_ && !states_.empty()) flush();
  used_ += cost;
  const auto id = int32_t(states_.size());
  states_.push_back(pcs);
  next_.resize(next_.size() + columns_, kUnknown);
  end_accept_.push_back(-1);
  uint8_t flags = 0;
  for (uint32_t pc : pcs) {
    if (program_.insts[pc].op == Op::match) flags |= kMatch;
  }
  if (pcs.empty()) flags |= kDead;
  if (!program_.anchored && !program_.prefix.empty() && pcs == restart_) flags |= kSkip;
  flags_.push_back(flags);
  index_.emplace(pcs, id);
  return id;
}

void DfaMatcher::flush() const {
  states_.clear();
  next_.clear();
  end_accept_.clear();
  flags_.clear();
  initial_ = kUnknown;
  index_.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{});
  used_ = 0;
  ++flushes_;
}

int32_t DfaMatcher::step(int32_t state, uint32_t cp, uint32_t cls) const {
  seeds_.clear();
  for (uint32_t pc : states_[size_t(state)]) {
    const Inst& in = program_.insts[pc];
    if (in.op == Op::set && program_.sets[in.x].contains(cp)) seeds_.push_back(pc + 1);
  }
  if (!program_.anchored) seeds_.insert(seeds_.end(), restart_.begin(), restart_.end());
  closure(seeds_, false, false, &pcs_);
  const size_t flushes = flushes_;
  const int32_t target = intern(pcs_);
  if (flushes == flushes_) {
    if (cls < columns_) {
      next_[size_t(state) * columns_ + cls] = target;
    } else {
      slots_[slot_of(state, cls)] = {state, cls, target};
    }
  }
  return target;
}

bool DfaMatcher::accepts_at_end(int32_t state, bool at_start) const {
  int8_t& cached = end_accept_[size_t(state)];
  if (!at_start && cached >= 0) return cached == 1;
  seeds_.clear();
  for (uint32_t pc : states_[size_t(state)]) {
    if (program_.insts[pc].op == Op::text_end) seeds_.push_back(pc + 1);
  }
  closure(seeds_, at_start, true, &pcs_);
  bool match = false;
  for (uint32_t pc : pcs_) match |= program_.insts[pc].op == Op::match;
  if (!at_start) cached = match ? 1 : 0;
  return match;
}

bool DfaMatcher::search(std::string_view text) const {
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  const size_t len = text.size();
  if (initial_ == kUnknown) {
    seeds_ = {program_.start};
    closure(seeds_, true, false, &pcs_);
    const int32_t state = intern(pcs_);
    initial_ = state;  // assigned after intern: a flush inside it resets initial_
  }
  int32_t state = initial_;
  if (len == 0) return (flags_[size_t(state)] & kMatch) || accepts_at_end(state, true);
  size_t pos = 0;
  // Acts on a state's flags; returns 1 (match), 0 (no match) or -1 (go on).
  auto settle = [&](uint8_t f) {
    if (f & kMatch) return 1;
    if (f & kDead) return 0;
    if (f & kSkip) {  // only the fresh start is alive: jump to the required prefix
      const size_t found = text.find(program_.prefix, pos);
      if (found == std::string_view::npos) return 0;
      pos = found;
    }
    return -1;
  };
  if (const int r = settle(flags_[size_t(state)]); r >= 0) return r == 1;
  const size_t columns = columns_;
  const int32_t* next = next_.data();
  const uint8_t* flags = flags_.data();
  while (pos < len) {
    const uint8_t c = data[pos];
    int32_t target = kUnknown;
    if (c < 0x80) {
      // The hot path: a cached transition on an ASCII byte is one load and one flag test.
      target = next[size_t(state) * columns + ascii_class_[c]];
      if (target >= 0) {
        state = target;
        ++pos;
        if (flags[size_t(state)] == 0) continue;
        if (const int r = settle(flags[size_t(state)]); r >= 0) return r == 1;
        continue;
      }
    }
    size_t n = 1;
    const uint32_t cp = c < 0x80 ? c : text::decode(data, len, pos, &n);
    const uint32_t cls = c < 0x80 ? ascii_class_[c] : class_of(cp);
    if (cls < columns) {
      target = next[size_t(state) * columns + cls];
    } else if (const Slot& slot = slots_[slot_of(state, cls)]; slot.state == state && slot.cls == cls) {
      target = slot.target;
    }
    if (target == kUnknown) {
      target = step(state, cp, cls);
      next = next_.data();  // the cache may have grown or been flushed
      flags = flags_.data();
    }
    state = target;
    pos += n;
    if (const int r = settle(flags[size_t(state)]); r >= 0) return r == 1;
  }
  return accepts_at_end(state, false);
}

}  // namespace edgeguard::validate::regex_nfa
