#pragma once
// The key a response is cached under: method, path, the query with its parameters sorted (so
// `?a=1&b=2` and `?b=2&a=1` share an entry), the values of the request headers the route
// varies on, for per-user routes the user key, so nothing is ever served across users, and the
// host the request named: the gateway tells the upstream (X-Forwarded-Host), whose answer may
// be built from it, so one host's answer is never served to another's clients.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeguard::guard {

struct KeyParts {
  std::string_view method;
  std::string_view path;
  std::string_view query;  // without the '?'
  // Values of the route's vary headers, in the route's order (empty when absent).
  const std::string_view* vary_values = nullptr;
  size_t vary_count = 0;
  bool per_user = false;
  std::string_view user;  // only read when per_user
  std::string_view host;  // empty: not part of the key
};

// Writes the key into `out` (cleared first; its capacity is reused across calls).
void build_cache_key(const KeyParts& parts, const std::vector<std::string>& vary_names, std::string& out);

}  // namespace edgeguard::guard
