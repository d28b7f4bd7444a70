#pragma once
// RFC 3986 reference resolution for `$id` and `$ref` (no I/O: URIs only name schemas).
#include <string>
#include <string_view>

namespace edgeguard::validate {

// Resolves `ref` against `base`; both may be relative (an empty base keeps `ref` as is).
std::string resolve_uri(std::string_view base, std::string_view ref);

// `uri` with the dot segments of its path removed (RFC 3986 section 5.2.4) when it has a scheme,
// an authority or an absolute path: the one spelling under which ids are registered and looked
// up, so "https://x/a/./b.json" and "https://x/a/c/../b.json" name "https://x/a/b.json". A
// relative path ("../b.json") stays as is: its dot segments mean something once resolved.
std::string normalize_uri(std::string_view uri);

// The URI without its fragment, and the fragment without '#' (empty when absent).
std::string_view uri_without_fragment(std::string_view uri);
std::string_view uri_fragment(std::string_view uri);

// Decodes %XX escapes (JSON pointers in fragments are percent-encoded).
std::string percent_decode(std::string_view s);

}  // namespace edgeguard::validate
