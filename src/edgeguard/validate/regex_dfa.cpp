#include "edgeguard/validate/regex_dfa.hpp"

#include <algorithm>

#include "edgeguard/validate/regex_text.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

// Above this many classes only the ASCII ones get table columns; other code points are
// stepped directly (big \p{...} unions would otherwise make every state kilobytes wide).
constexpr size_t kMaxColumns = 256;
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
  bool match = false;
  for (uint32_t pc : pcs) match |= program_.insts[pc].op == Op::match;
  has_match_.push_back(match);
  is_restart_.push_back(!program_.anchored && pcs == restart_);
  index_.emplace(pcs, id);
  return id;
}

void DfaMatcher::flush() const {
  states_.clear();
  next_.clear();
  end_accept_.clear();
  has_match_.clear();
  is_restart_.clear();
  index_.clear();
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
  if (cls < columns_ && flushes == flushes_) next_[size_t(state) * columns_ + cls] = target;
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
  seeds_ = {program_.start};
  closure(seeds_, true, false, &pcs_);
  int32_t state = intern(pcs_);
  if (has_match_[size_t(state)]) return true;
  if (len == 0) return accepts_at_end(state, true);
  const std::string& prefix = program_.prefix;
  size_t pos = 0;
  while (pos < len) {
    if (is_restart_[size_t(state)] && !prefix.empty()) {
      // Only the fresh start is alive: skip to where the required prefix occurs.
      const size_t found = text.find(prefix, pos);
      if (found == std::string_view::npos) return false;
      pos = found;
    }
    const uint8_t c = data[pos];
    uint32_t cp = c, cls = 0;
    size_t n = 1;
    if (c < 0x80) {
      cls = ascii_class_[c];
    } else {
      cp = text::decode(data, len, pos, &n);
      cls = class_of(cp);
    }
    int32_t target = cls < columns_ ? next_[size_t(state) * columns_ + cls] : kUnknown;
    if (target == kUnknown) target = step(state, cp, cls);
    state = target;
    pos += n;
    if (has_match_[size_t(state)]) return true;
    if (states_[size_t(state)].empty()) return false;  // dead: anchored and nothing alive
  }
  return accepts_at_end(state, false);
}

}  // namespace edgeguard::validate::regex_nfa
