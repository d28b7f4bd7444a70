#include "edgeguard/regex/regex_compiler.hpp"

#include <algorithm>
#include <string>

#include "edgeguard/json/utf8.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

using regex_ast::Ast;
using regex_ast::flatten;
using regex_ast::Kind;
using regex_ast::kInfinite;
using regex_ast::Node;

constexpr uint64_t kTooBig = kMaxInstructions + 1;

uint64_t capped(uint64_t v) { return std::min(v, kTooBig); }

// Instructions emit() will produce for node `id`, saturating just above the limit.
uint64_t size_of(const Ast& ast, uint32_t id) {
  const Node& n = ast.nodes[id];
  switch (n.kind) {
    case Kind::empty:
      return 0;
    case Kind::concat:
    case Kind::alt: {
      uint64_t total = n.kind == Kind::alt ? 2 * (n.kids.size() - 1) : 0;
      for (uint32_t kid : n.kids) total = capped(total + size_of(ast, kid));
      return total;
    }
    case Kind::group:
      return size_of(ast, n.kids[0]);
    case Kind::repeat: {
      const uint64_t s = size_of(ast, n.kids[0]);
      const uint64_t fixed = capped(uint64_t(n.min) * s);
      if (n.max == kInfinite) return capped(fixed + (n.min == 0 ? s + 2 : 1));
      return capped(fixed + capped(uint64_t(n.max - n.min) * (s + 1)));
    }
    default:
      return 1;
  }
}

class Emitter {
 public:
  explicit Emitter(const Ast& ast, Program* p) : ast_(ast), p_(p) {}

  void emit(uint32_t id) {
    const Node& n = ast_.nodes[id];
    switch (n.kind) {
      case Kind::empty:
        break;
      case Kind::set:
        add(Op::set, n.index);
        break;
      case Kind::concat:
        for (uint32_t kid : n.kids) emit(kid);
        break;
      case Kind::alt: {
        std::vector<uint32_t> exits;
        for (size_t i = 0; i + 1 < n.kids.size(); ++i) {
          const uint32_t split = add(Op::split, here() + 1);
          emit(n.kids[i]);
          exits.push_back(add(Op::jump));
          p_->insts[split].y = here();
        }
        emit(n.kids.back());
        for (uint32_t e : exits) p_->insts[e].x = here();
        break;
      }
      case Kind::group:
        emit(n.kids[0]);
        break;
      case Kind::repeat:
        repeat(n);
        break;
      case Kind::line_start:
        add(Op::text_start);
        break;
      case Kind::line_end:
        add(Op::text_end);
        break;
      case Kind::word_boundary:
        add(Op::word_boundary);
        p_->word_asserts = true;
        break;
      case Kind::not_word_boundary:
        add(Op::not_word_boundary);
        p_->word_asserts = true;
        break;
      case Kind::backref:
      case Kind::lookaround:
        break;  // refused before emission
    }
  }

 private:
  uint32_t here() const { return uint32_t(p_->insts.size()); }
  uint32_t add(Op op, uint32_t x = 0, uint32_t y = 0) {
    p_->insts.push_back({op, x, y});
    return here() - 1;
  }

  // Greedy and lazy quantifiers accept the same strings, and only acceptance is asked for,
  // so both compile alike.
  void repeat(const Node& n) {
    const uint32_t kid = n.kids[0];
    if (n.max == kInfinite) {
      if (n.min == 0) {  // L: split body, out; body; jump L
        const uint32_t loop = add(Op::split, here() + 1);
        emit(kid);
        add(Op::jump, loop);
        p_->insts[loop].y = here();
        return;
      }
      for (uint32_t i = 1; i < n.min; ++i) emit(kid);
      const uint32_t body = here();  // L: body; split L, out
      emit(kid);
      add(Op::split, body, here() + 1);
      return;
    }
    for (uint32_t i = 0; i < n.min; ++i) emit(kid);
    std::vector<uint32_t> skips;
    for (uint32_t i = n.min; i < n.max; ++i) {
      skips.push_back(add(Op::split, here() + 1));
      emit(kid);
    }
    for (uint32_t s : skips) p_->insts[s].y = here();
  }

  const Ast& ast_;
  Program* p_;
};

// Fast paths: an anchor at the start, a literal prefix, or a pattern that is only a literal.
void analyse(const Ast& ast, Program* p) {
  std::vector<uint32_t> items;
  flatten(ast, ast.root, &items);
  // The code point item `i` must be, or -1. Surrogates cannot be written as UTF-8, so they end
  // literals.
  auto literal_at = [&](size_t i) -> int64_t {
    const Node& n = ast.nodes[items[i]];
    if (n.kind != Kind::set) return -1;
    const int64_t cp = ast.sets[n.index].only();
    return cp >= 0xD800 && cp <= 0xDFFF ? -1 : cp;
  };
  size_t i = 0;
  if (i < items.size() && ast.nodes[items[i]].kind == Kind::line_start) {
    p->anchored = true;
    ++i;
  }
  for (; i < items.size() && literal_at(i) >= 0; ++i)
    json::append_utf8(p->prefix, uint32_t(literal_at(i)));
  const bool at_end = i + 1 == items.size() && ast.nodes[items[i]].kind == Kind::line_end;
  if (i == items.size() || at_end) {
    p->literal_only = true;
    p->literal_at_end = at_end;
    p->literal = p->prefix;
    return;
  }
  // The longest literal run after the prefix: every match contains it.
  std::string run;
  for (; i < items.size(); ++i) {
    if (literal_at(i) >= 0) {
      json::append_utf8(run, uint32_t(literal_at(i)));
      if (run.size() > p->required.size()) p->required = run;
    } else {
      run.clear();
    }
  }
}

// Whether a node of `kind` is part of the pattern rooted at `id` (an Ast may also hold nodes
// that another root uses).
bool reaches(const Ast& ast, uint32_t id, Kind kind) {
  const Node& n = ast.nodes[id];
  if (n.kind == kind) return true;
  for (uint32_t kid : n.kids) {
    if (reaches(ast, kid, kind)) return true;
  }
  return false;
}

}  // namespace

std::string compile(const Ast& ast, Program* out) {
  if (ast.has_backref && reaches(ast, ast.root, Kind::backref)) {
    return "backreferences are not supported: they cannot be matched in linear time";
  }
  if (ast.has_lookaround && reaches(ast, ast.root, Kind::lookaround)) {
    return "lookahead and lookbehind are only supported right after a leading ^ (lookahead) or "
           "right before a trailing $ (lookbehind): elsewhere they cannot be matched in linear time";
  }
  const uint64_t size = size_of(ast, ast.root);
  if (size > kMaxInstructions) {
    return "pattern too large: it expands to more than " + std::to_string(kMaxInstructions) + " states";
  }
  *out = Program{};
  out->sets = ast.sets;
  out->insts.reserve(size + 1);
  Emitter(ast, out).emit(ast.root);
  out->insts.push_back({Op::match, 0, 0});
  analyse(ast, out);
  return {};
}

}  // namespace edgeguard::validate::regex_nfa
