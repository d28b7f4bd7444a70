#include "edgeguard/regex/regex_lookaround.hpp"

#include <cstddef>
#include <utility>

namespace edgeguard::validate::regex_ast {
namespace {

// A copy of `base` whose root is the sequence `items` (ids of `base`'s nodes).
Ast sequence(const Ast& base, std::vector<uint32_t> items) {
  Ast out = base;
  Node seq;
  seq.kind = Kind::concat;
  seq.kids = std::move(items);
  out.nodes.push_back(std::move(seq));
  out.root = uint32_t(out.nodes.size() - 1);
  return out;
}

bool is_lookaround(const Ast& ast, uint32_t id, bool behind) {
  const Node& n = ast.nodes[id];
  return n.kind == Kind::lookaround && n.behind == behind;
}

}  // namespace

void split_lookarounds(Ast* ast, std::vector<Condition>* conditions) {
  std::vector<uint32_t> items;
  flatten(*ast, ast->root, &items);
  const size_t before = conditions->size();
  auto take = [&](uint32_t id, std::vector<uint32_t> pattern) {
    Condition c;
    c.negated = ast->nodes[id].negated;
    c.pattern = sequence(*ast, std::move(pattern));
    conditions->push_back(std::move(c));
  };
  const bool at_start = !items.empty() && ast->nodes[items.front()].kind == Kind::line_start;
  const bool at_end = !items.empty() && ast->nodes[items.back()].kind == Kind::line_end;
  size_t begin = 0, end = items.size();
  if (at_start) {
    for (begin = 1; begin < end && is_lookaround(*ast, items[begin], false); ++begin) {
      take(items[begin], {items.front(), ast->nodes[items[begin]].kids[0]});
    }
  }
  if (at_end) {
    for (end = items.size() - 1; end > begin && is_lookaround(*ast, items[end - 1], true); --end) {
      take(items[end - 1], {ast->nodes[items[end - 1]].kids[0], items.back()});
    }
  }
  if (conditions->size() == before) return;
  std::vector<uint32_t> rest;
  if (at_start) rest.push_back(items.front());
  rest.insert(rest.end(), items.begin() + std::ptrdiff_t(begin), items.begin() + std::ptrdiff_t(end));
  if (at_end) rest.push_back(items.back());
  *ast = sequence(*ast, std::move(rest));
}

}  // namespace edgeguard::validate::regex_ast
