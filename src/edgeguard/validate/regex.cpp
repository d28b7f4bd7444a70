#include "edgeguard/validate/regex.hpp"

#include <utility>
#include <vector>

#include "edgeguard/validate/regex_compiler.hpp"
#include "edgeguard/validate/regex_parser.hpp"
#include "edgeguard/validate/regex_text.hpp"

namespace edgeguard::validate {

using regex_nfa::Inst;
using regex_nfa::Op;

// The compiled program plus the scratch state of the NFA simulation, allocated once at compile
// time so a search never allocates. Searching mutates the scratch: a Regex is not meant to be
// searched from two threads at once (the wasm build is single-threaded).
struct Regex::Program {
  regex_nfa::Program code;

  // Sparse set of instruction indexes (Briggs & Torczon): O(1) insert, clear and membership.
  struct ThreadList {
    std::vector<uint32_t> dense;
    std::vector<uint32_t> sparse;
    uint32_t size = 0;
    void init(size_t n) {
      dense.assign(n, 0);
      sparse.assign(n, 0);
    }
    bool contains(uint32_t pc) const { return sparse[pc] < size && dense[sparse[pc]] == pc; }
    void insert(uint32_t pc) {
      sparse[pc] = size;
      dense[size++] = pc;
    }
  };
  mutable ThreadList lists[2];
  mutable std::vector<uint32_t> stack;

  explicit Program(regex_nfa::Program c) : code(std::move(c)) {
    const size_t n = code.insts.size();
    lists[0].init(n);
    lists[1].init(n);
    stack.resize(n);
  }

  bool search(std::string_view text) const;

 private:
  // Follows the empty transitions from `pc` at a position between `prev` and `next` (kNone at
  // the ends); returns true if the match instruction is reached.
  bool add(ThreadList& list, uint32_t pc, uint32_t prev, uint32_t next) const;
  bool search_literal(std::string_view text) const;
};

namespace {

bool is_word(uint32_t cp) {
  return cp < 128 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10 || cp == '_');
}

}  // namespace

bool Regex::Program::add(ThreadList& list, uint32_t pc, uint32_t prev, uint32_t next) const {
  if (list.contains(pc)) return false;
  size_t top = 0;
  list.insert(pc);
  stack[top++] = pc;
  auto push = [&](uint32_t target) {
    if (!list.contains(target)) {
      list.insert(target);
      stack[top++] = target;
    }
  };
  while (top > 0) {
    const Inst& in = code.insts[stack[--top]];
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
        if (prev == text::kNone) push(uint32_t(&in - code.insts.data()) + 1);
        break;
      case Op::text_end:
        if (next == text::kNone) push(uint32_t(&in - code.insts.data()) + 1);
        break;
      case Op::word_boundary:
      case Op::not_word_boundary: {
        const bool boundary = is_word(prev) != is_word(next);
        if (boundary == (in.op == Op::word_boundary)) push(uint32_t(&in - code.insts.data()) + 1);
        break;
      }
    }
  }
  return false;
}

bool Regex::Program::search_literal(std::string_view text) const {
  const std::string& lit = code.literal;
  if (code.anchored && code.literal_at_end) return text == lit;
  if (code.anchored) return text.substr(0, lit.size()) == lit;
  if (code.literal_at_end) {
    return text.size() >= lit.size() && text.substr(text.size() - lit.size()) == lit;
  }
  return text.find(lit) != std::string_view::npos;
}

bool Regex::Program::search(std::string_view text) const {
  if (code.literal_only) return search_literal(text);
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  const size_t len = text.size();
  ThreadList* clist = &lists[0];
  ThreadList* nlist = &lists[1];
  clist->size = 0;
  size_t pos = 0;
  uint32_t prev = text::kNone;
  size_t next_len = 0;
  uint32_t next = text::decode(data, len, 0, &next_len);
  for (;;) {
    if (clist->size == 0) {
      if (code.anchored && pos > 0) return false;
      // No thread alive: skip straight to the next place a match can start.
      if (!code.prefix.empty()) {
        const size_t found = text.find(code.prefix, pos);
        if (found == std::string_view::npos) return false;
        if (found != pos) {
          pos = found;
          prev = code.word_asserts ? text::decode_before(data, pos) : 0;
          next = text::decode(data, len, pos, &next_len);
        }
      }
    }
    if ((!code.anchored || pos == 0) && add(*clist, code.start, prev, next)) return true;
    if (next == text::kNone) return false;
    const size_t after = pos + next_len;
    size_t after_len = 0;
    const uint32_t after_cp = text::decode(data, len, after, &after_len);
    nlist->size = 0;
    for (uint32_t i = 0; i < clist->size; ++i) {
      const uint32_t pc = clist->dense[i];
      const Inst& in = code.insts[pc];
      if (in.op == Op::set && code.sets[in.x].contains(next) && add(*nlist, pc + 1, next, after_cp)) {
        return true;
      }
    }
    std::swap(clist, nlist);
    prev = next;
    pos = after;
    next = after_cp;
    next_len = after_len;
  }
}

Regex Regex::compile(std::string_view pattern) {
  Regex re;
  regex_ast::ParseResult parsed = regex_ast::parse(pattern);
  if (!parsed.ok()) {
    re.error_ = std::move(parsed.error);
    return re;
  }
  regex_nfa::Program code;
  std::string error = regex_nfa::compile(parsed.ast, &code);
  if (!error.empty()) {
    re.error_ = std::move(error);
    return re;
  }
  re.program_ = std::make_shared<const Program>(std::move(code));
  return re;
}

bool Regex::search(std::string_view utf8) const { return program_ != nullptr && program_->search(utf8); }

}  // namespace edgeguard::validate
