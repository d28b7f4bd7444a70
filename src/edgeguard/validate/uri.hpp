#pragma once
// RFC 3986 reference resolution for `$id` and `$ref` (no I/O: URIs only name schemas).
#include <string>
#include <string_view>

namespace edgeguard::validate {

// Resolves `ref` against `base`; both may be relative (an empty base keeps `ref` as is).
std::string resolve_uri(std::string_view base, std::string_view ref);

// The URI without its fragment, and the fragment without '#' (empty when absent).
std::string_view uri_without_fragment(std::string_view uri);
std::string_view uri_fragment(std::string_view uri);

// Decodes %XX escapes (JSON pointers in fragments are percent-encoded).
std::string percent_decode(std::string_view s);

}  // namespace edgeguard::validate
