#pragma once
// Routes are compiled once into segment lists; matching a request walks the path once per
// candidate route with string_view comparisons: no regex and no allocation per request.
//
// Pattern syntax: `/v1/brands/:id` (a `:name` segment matches one non-empty segment),
// `/static/*/logo` (a `*` segment matches one segment), `/files/*` (a final `*` matches the
// rest of the path, zero or more segments), `*` alone (every path). A trailing slash is
// ignored on both sides. Routes are tried in the order given: the first match wins.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeguard::guard {

struct Segment {
  enum Kind : uint8_t { literal, param, one, rest } kind;
  std::string text;  // the literal, or the parameter's name
};

struct CompiledRoute {
  uint32_t methods = 0;   // Method bits
  int32_t upstream = -1;  // index into Config::upstreams
  std::vector<Segment> segments;
};

struct Param {
  std::string_view name;
  std::string_view value;  // a view into the matched path
};

constexpr uint32_t kNoRoute = UINT32_MAX;
constexpr uint32_t kMaxParams = 16;

struct Match {
  uint32_t route = kNoRoute;
  uint32_t param_count = 0;
  Param params[kMaxParams];
  bool method_mismatch = false;  // some route matched the path but not the method (-> 405)
};

class RouteTable {
 public:
  // Compiles `pattern`; on a bad pattern returns false and sets `error` (a static message).
  static bool compile(std::string_view pattern, std::vector<Segment>& out, const char*& error);

  void add(CompiledRoute route);
  size_t size() const { return routes_.size(); }
  const CompiledRoute& route(size_t i) const { return routes_[i]; }

  // `upstream` >= 0 only considers routes of that upstream (guard.fetch with absolute URLs).
  Match match(uint32_t method, std::string_view path, int32_t upstream = -1) const;

 private:
  std::vector<CompiledRoute> routes_;
  // Routes indexed by their first segment when it is a literal, sorted by that literal, so a
  // request only tries the routes that can match its first segment, plus the ones starting with
  // a parameter or wildcard (`wild_`). Both lists are in route order: merged, first match wins.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> by_first_;
  std::vector<uint32_t> wild_;
};

}  // namespace edgeguard::guard
