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
  const auto& first = route.segments.empty() ? Segment{Segment::literal, ""} : route.segments.front();
  if (first.kind != Segment::literal) {
    wild_.push_back(index);
  } else {
    auto it = std::lower_bound(by_first_.begin(), by_first_.end(), first.text,
                               [](const auto& entry, const std::string& key) { return entry.first < key; });
    if (it == by_first_.end() || it->first != first.text) it = by_first_.insert(it, {first.text, {}});
    it->second.push_back(index);
  }
  routes_.push_back(std::move(route));
}

Match RouteTable::match(uint32_t method, std::string_view path, int32_t upstream) const {
  Match m;
  std::string_view rest = path;
  std::string_view first;
  if (!next_segment(rest, first)) first = {};  // "/": only routes with no literal first segment
  static const std::vector<uint32_t> kNone;
  const std::vector<uint32_t>* literal = &kNone;
  const auto it = std::lower_bound(by_first_.begin(), by_first_.end(), first,
                                   [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it != by_first_.end() && it->first == first) literal = &it->second;
  size_t a = 0, b = 0;
  while (a < literal->size() || b < wild_.size()) {
    const bool take_literal = b == wild_.size() || (a < literal->size() && (*literal)[a] < wild_[b]);
    const uint32_t i = take_literal ? (*literal)[a++] : wild_[b++];
    const CompiledRoute& r = routes_[i];
    if (upstream >= 0 && r.upstream != upstream) continue;
    if (!matches(r, path, m)) continue;
    if ((r.methods & method) == 0) {
      m.method_mismatch = true;
      continue;
    }
    m.route = i;
    return m;
  }
  m.param_count = 0;
  return m;
}

}  // namespace edgeguard::guard
