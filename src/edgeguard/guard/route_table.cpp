#include "edgeguard/guard/route_table.hpp"

#include <algorithm>

namespace edgeguard::guard {

namespace {

constexpr size_t kMaxSegments = 64;

// Splits the next segment off `path` (which starts after a '/'); false when none is left.
bool next_segment(std::string_view& path, std::string_view& segment) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return false;
  const size_t slash = path.find('/');
  segment = path.substr(0, slash);
  path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  return true;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool matches(const CompiledRoute& route, std::string_view path, Match& m) {
  m.param_count = 0;
  std::string_view segment;
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.kind == Segment::rest) return true;
    if (!next_segment(path, segment)) return false;
    switch (s.kind) {
      case Segment::literal:
        if (segment != s.text) return false;
        break;
      case Segment::param:
        if (m.param_count < kMaxParams) m.params[m.param_count++] = Param{s.text, segment};
        break;
      default:
        break;
    }
  }
  return !next_segment(path, segment);
}

}  // namespace

bool RouteTable::compile(std::string_view pattern, std::vector<Segment>& out, const char*& error) {
  out.clear();
  if (pattern == "*") {
    out.push_back({Segment::rest, ""});
    return true;
  }
  if (pattern.empty() || pattern.front() != '/') {
    error = "must start with '/' (or be '*')";
    return false;
  }
  std::string_view rest = pattern;
  std::string_view segment;
  size_t params = 0;
  while (next_segment(rest, segment)) {
    if (!out.empty() && out.back().kind == Segment::rest) {
      error = "'*' matching the rest of the path must be the last segment";
      return false;
    }
    if (out.size() == kMaxSegments) {
      error = "has more than 64 segments";
      return false;
    }
    if (segment == "*") {
      out.push_back({rest.empty() ? Segment::rest : Segment::one, ""});
    } else if (segment.front() == ':') {
      const std::string_view name = segment.substr(1);
      if (name.empty()) {
        error = "has a ':' parameter without a name";
        return false;
      }
      for (char c : name) {
        if (!name_char(c)) {
          error = "has a parameter name that is not [A-Za-z0-9_]+";
          return false;
        }
      }
      for (const Segment& s : out) {
        if (s.kind == Segment::param && s.text == name) {
          error = "names a parameter twice";
          return false;
        }
      }
      if (++params > kMaxParams) {
        error = "has more than 16 parameters";
        return false;
      }
      out.push_back({Segment::param, std::string(name)});
    } else {
      if (segment.find_first_of("*?#") != std::string_view::npos) {
        error = "has '*', '?' or '#' inside a segment ('*' must be a whole segment)";
        return false;
      }
      out.push_back({Segment::literal, std::string(segment)});
    }
  }
  return true;
}

void RouteTable::add(CompiledRoute route) {
  const auto index = uint32_t(routes_.size());
  uint32_t node = 0;
  for (const Segment& s : route.segments) {
    if (s.kind == Segment::rest) {
      nodes_[node].rests.push_back(index);
      routes_.push_back(std::move(route));
      return;
    }
    uint32_t next = s.kind == Segment::literal ? 0 : nodes_[node].one;
    if (s.kind == Segment::literal) {
      const auto it = nodes_[node].literals.find(s.text);
      if (it != nodes_[node].literals.end()) next = it->second;
    }
    if (next == 0) {
      next = uint32_t(nodes_.size());
      nodes_.emplace_back();  // may move the nodes: index again below
      if (s.kind == Segment::literal) nodes_[node].literals.emplace(s.text, next);
      else nodes_[node].one = next;
    }
    node = next;
  }
  nodes_[node].ends.push_back(index);
  routes_.push_back(std::move(route));
}

void RouteTable::pick(const std::vector<uint32_t>& list, uint32_t method, int32_t upstream, uint32_t& best,
                      Match& m) const {
  for (const uint32_t i : list) {
    if (i >= best) return;
    const CompiledRoute& r = routes_[i];
    if (upstream >= 0 && r.upstream != upstream) continue;
    if ((r.methods & method) == 0) {
      m.method_mismatch = true;
      continue;
    }
    best = i;
    return;
  }
}

Match RouteTable::match(uint32_t method, std::string_view path, int32_t upstream) const {
  Match m;
  uint32_t best = kNoRoute;
  // Each node sits at one depth, and the path has one segment per depth, so a node is reached at
  // most once: the walk is bounded by the trie, and in practice by the path's length.
  struct Step {
    uint32_t node;
    std::string_view rest;
  };
  // Depth-first: each level leaves at most one sibling waiting, and the trie is at most
  // kMaxSegments deep, so the stack never holds more than kMaxSegments + 2 steps.
  Step stack[kMaxSegments + 2];
  size_t top = 0;
  stack[top++] = {0, path};
  while (top > 0) {
    const Step step = stack[--top];
    const Node& node = nodes_[step.node];
    pick(node.rests, method, upstream, best, m);
    std::string_view rest = step.rest;
    std::string_view segment;
    if (!next_segment(rest, segment)) {
      pick(node.ends, method, upstream, best, m);
      continue;
    }
    if (node.one != 0) stack[top++] = {node.one, rest};
    const auto it = node.literals.find(segment);
    if (it != node.literals.end()) stack[top++] = {it->second, rest};
  }
  if (best != kNoRoute && matches(routes_[best], path, m)) {
    m.route = best;
  } else {
    m.param_count = 0;
  }
  return m;
}

}  // namespace edgeguard::guard
