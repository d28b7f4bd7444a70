#pragma once
// Internet names and addresses: "ipv4", "ipv6" (RFC 4291 text form, no zone), "hostname"
// (RFC 1123, A-labels checked as IDNA2008), "idn-hostname" (RFC 5890), "email" (RFC 5321
// Mailbox) and "idn-email" (RFC 6531).
#include <string_view>

namespace edgeguard::validate::formats {

bool is_ipv4(std::string_view s);
bool is_ipv6(std::string_view s);
bool is_hostname(std::string_view s);
bool is_idn_hostname(std::string_view s);
bool is_email(std::string_view s);
bool is_idn_email(std::string_view s);

}  // namespace edgeguard::validate::formats
