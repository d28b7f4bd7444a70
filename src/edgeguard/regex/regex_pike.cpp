#include "edgeguard/regex/regex_pike.hpp"

#include <utility>

#include "edgeguard/regex/regex_text.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

bool is_word(uint32_t cp) {
  return cp < 128 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10 || cp == '_');
}

}  // namespace

PikeMatcher::PikeMatcher(const Program& program) : program_(program) {
  const size_t n = program.insts.size();
  sets_[0].init(n);
  sets_[1].init(n);
  stack_.resize(n);
}

bool PikeMatcher::add(StateSet& set, uint32_t pc, uint32_t prev, uint32_t next) const {
  if (set.contains(pc)) return false;
  size_t top = 0;
  auto push = [&](uint32_t target) {
    if (!set.contains(target)) {
      set.insert(target);
      stack_[top++] = target;
    }
  };
  push(pc);
  while (top > 0) {
    const uint32_t at = stack_[--top];
    const Inst& in = program_.insts[at];
    switch (in.op) {
      case Op::match:
        return true;
      case Op::set:
        break;
      case Op::split:
        push(in.y);
        push(in.x);
        break;
      case Op::jump:
        push(in.x);
        break;
      case Op::text_start:
        if (prev == text::kNone) push(at + 1);
        break;
      case Op::text_end:
        if (next == text::kNone) push(at + 1);
        break;
      case Op::word_boundary:
      case Op::not_word_boundary:
        if ((is_word(prev) != is_word(next)) == (in.op == Op::word_boundary)) push(at + 1);
        break;
    }
  }
  return false;
}

bool PikeMatcher::search(std::string_view text) const {
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  const size_t len = text.size();
  const Program& p = program_;
  StateSet* current = &sets_[0];
  StateSet* next_set = &sets_[1];
  current->clear();
  size_t pos = 0;
  uint32_t prev = text::kNone;
  size_t next_len = 0;
  uint32_t next = text::decode(data, len, 0, &next_len);
  for (;;) {
    if (current->size() == 0) {
      if (p.anchored && pos > 0) return false;
      // No state alive: skip straight to the next place a match can start.
      if (!p.prefix.empty()) {
        const size_t found = text.find(p.prefix, pos);
        if (found == std::string_view::npos) return false;
        if (found != pos) {
          pos = found;
          prev = text::decode_before(data, pos);
          next = text::decode(data, len, pos, &next_len);
        }
      }
    }
    if ((!p.anchored || pos == 0) && add(*current, p.start, prev, next)) return true;
    if (next == text::kNone) return false;
    const size_t after = pos + next_len;
    size_t after_len = 0;
    const uint32_t after_cp = text::decode(data, len, after, &after_len);
    next_set->clear();
    for (uint32_t i = 0; i < current->size(); ++i) {
      const uint32_t pc = (*current)[i];
      const Inst& in = p.insts[pc];
      if (in.op == Op::set && p.sets[in.x].contains(next) && add(*next_set, pc + 1, next, after_cp)) {
        return true;
      }
    }
    std::swap(current, next_set);
    prev = next;
    pos = after;
    next = after_cp;
    next_len = after_len;
  }
}

}  // namespace edgeguard::validate::regex_nfa
