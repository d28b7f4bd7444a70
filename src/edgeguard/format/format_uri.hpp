#pragma once
// URIs (RFC 3986), IRIs (RFC 3987) and URI templates (RFC 6570), checked against their ABNF.
#include <string_view>

namespace edgeguard::validate::formats {

bool is_uri(std::string_view s);
bool is_uri_reference(std::string_view s);
bool is_iri(std::string_view s);
bool is_iri_reference(std::string_view s);
bool is_uri_template(std::string_view s);

}  // namespace edgeguard::validate::formats
