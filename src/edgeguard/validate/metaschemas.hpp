#pragma once
// The draft-07 and 2020-12 meta-schemas, built in so `$ref` to them resolves without I/O.
#include <string_view>

namespace edgeguard::validate {

// The meta-schema text for a URI without fragment, or an empty view.
std::string_view metaschema(std::string_view uri);

}  // namespace edgeguard::validate
