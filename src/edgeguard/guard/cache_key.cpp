#include "edgeguard/guard/cache_key.hpp"

#include <algorithm>

namespace edgeguard::guard {

namespace {

constexpr size_t kMaxSortedParams = 64;

// Sorts by name, keeping the order of repeated names (`a=2&a=1` differs from `a=1&a=2`).
void append_sorted_query(std::string_view query, std::string& out) {
  std::string_view params[kMaxSortedParams];
  size_t n = 0;
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view p = rest.substr(0, amp);
    if (!p.empty()) {
      if (n == kMaxSortedParams) {  // too many to sort cheaply: keep the query as given
        out += query;
        return;
      }
      params[n++] = p;
    }
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
  }
  auto name = [](std::string_view p) { return p.substr(0, p.find('=')); };
  std::stable_sort(params, params + n, [&](std::string_view a, std::string_view b) { return name(a) < name(b); });
  for (size_t i = 0; i < n; ++i) {
    if (i) out += '&';
    out += params[i];
  }
}

}  // namespace

void build_cache_key(const KeyParts& parts, const std::vector<std::string>& vary_names, std::string& out) {
  out.clear();
  out += parts.method;
  out += ' ';
  out += parts.path;
  if (!parts.query.empty()) {
    out += '?';
    append_sorted_query(parts.query, out);
  }
  // Header values cannot hold a newline, so "\n" separates fields unambiguously.
  for (size_t i = 0; i < parts.vary_count && i < vary_names.size(); ++i) {
    out += '\n';
    out += vary_names[i];
    out += ':';
    out += parts.vary_values[i];
  }
  if (parts.per_user) {
    out += "\nuser:";
    out += parts.user;
  }
  if (!parts.host.empty()) {
    out += "\nhost:";
    out += parts.host;
  }
}

}  // namespace edgeguard::guard
