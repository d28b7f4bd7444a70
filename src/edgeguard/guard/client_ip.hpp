#pragma once
// Which address a request comes from, trusting only what the deployment says it can trust:
// otherwise a client picks its own rate-limit key by sending a header.
#include <cstdint>
#include <string_view>

namespace edgeguard::guard {

struct ClientIpPolicy {
  // `cf_connecting_ip`: Cloudflare sets CF-Connecting-IP and strips a client's own.
  // `forwarded_for`: X-Forwarded-For, where the last `trusted_hops` entries were appended by
  // proxies we run; the client is the `trusted_hops`-th address from the right.
  // `remote`: the connection's peer address only (Node behind nothing).
  enum Source : uint8_t { cf_connecting_ip, forwarded_for, remote } source = cf_connecting_ip;
  uint32_t trusted_hops = 1;
};

// The client's address, or "unknown" when the trusted source is absent or not an IP address.
// `header` is the value of the policy's header (empty when absent); `remote` the peer address
// the runtime reports (empty when it reports none). Ports and IPv6 brackets are removed.
std::string_view client_ip(const ClientIpPolicy& policy, std::string_view header, std::string_view remote);

// An IPv4 or IPv6 literal (loosely: the right characters and length), after trimming.
bool looks_like_ip(std::string_view s);

}  // namespace edgeguard::guard
