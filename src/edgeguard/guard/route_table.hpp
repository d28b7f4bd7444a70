#pragma once
// Routes are compiled once into segment lists and merged into a trie of segments; matching a
// request walks the trie along its path (a literal child and the parameter child at each level),
// so its cost depends on the path and the routes sharing its prefixes, not on the number of
// routes: no regex and no allocation per request.
//
// Pattern syntax: `/v1/brands/:id` (a `:name` segment matches one non-empty segment),
// `/static/*/logo` (a `*` segment matches one segment), `/files/*` (a final `*` matches the
// rest of the path, zero or more segments), `*` alone (every path). A trailing slash is
// ignored on both sides. Routes are tried in the order given: the first match wins.
#include <cstdint>
#include <functional>
#include <map>
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
// match()'s `upstream` that considers every upstream's routes.
// seam: guard
constexpr int32_t kAnyUpstream = -1;
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
  Match match(uint32_t method, std::string_view path, int32_t upstream = kAnyUpstream) const;

 private:
  // One node per distinct prefix of patterns, where a prefix is a list of literals and
  // "one segment" steps (`:name` and a middle `*` match alike). Route lists are in route order.
  struct Node {
    std::map<std::string, uint32_t, std::less<>> literals;  // child node by segment text
    uint32_t one = 0;                                       // child for any one segment; 0: none
    std::vector<uint32_t> ends;                             // routes whose pattern ends here
    std::vector<uint32_t> rests;                            // routes ending here with a final `*`
  };

  // Updates `best` and `m.method_mismatch` from the routes of `list` (in route order).
  void pick(const std::vector<uint32_t>& list, uint32_t method, int32_t upstream, uint32_t& best, Match& m) const;

  std::vector<CompiledRoute> routes_;
  std::vector<Node> nodes_{1};  // nodes_[0] is the root (no node has the root as its child)
};

}  // namespace edgeguard::guard
