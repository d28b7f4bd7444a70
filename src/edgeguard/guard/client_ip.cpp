#include "edgeguard/guard/client_ip.hpp"

namespace edgeguard::guard {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "[::1]:443" -> "::1", "1.2.3.4:80" -> "1.2.3.4"; a bare IPv6 address keeps its colons.
std::string_view strip_port(std::string_view s) {
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    return close == std::string_view::npos ? std::string_view{} : s.substr(1, close - 1);
  }
  const size_t colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
    return s.substr(0, colon);
  }
  return s;
}

std::string_view usable(std::string_view s) {
  s = strip_port(trim(s));
  return looks_like_ip(s) ? s : std::string_view{"unknown"};
}

}  // namespace

bool looks_like_ip(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  bool colon = false, dot = false;
  for (char c : s) {
    if (c == ':') colon = true;
    else if (c == '.') dot = true;
    else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return colon || dot;
}

std::string_view client_ip(const ClientIpPolicy& policy, std::string_view header, std::string_view remote) {
  switch (policy.source) {
    case ClientIpPolicy::cf_connecting_ip:
      return usable(header.empty() ? remote : header);
    case ClientIpPolicy::forwarded_for: {
      // Walk from the right: entries there were appended by our own proxies.
      std::string_view list = header;
      std::string_view entry;
      for (uint32_t hop = 0; hop < policy.trusted_hops; ++hop) {
        if (list.empty()) break;  // fewer entries than hops: the leftmost is still ours
        const size_t comma = list.rfind(',');
        entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
      }
      return usable(trim(entry).empty() ? remote : entry);
    }
    case ClientIpPolicy::remote:
    default:
      return usable(remote);
  }
}

}  // namespace edgeguard::guard
