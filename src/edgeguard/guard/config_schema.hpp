#pragma once
// The configuration document against js/config.schema.json, the contract's one source: the file
// is embedded at build time (CMakeLists.txt) and checked here with the project's validator, so
// config.cpp reads a document of the right shape and checks only what a schema cannot say.
#include <string>
#include <string_view>

namespace edgeguard::guard {

struct ConfigIssue {
  std::string path;     // JSON Pointer into the document ("/routes/2/path")
  std::string message;  // "must start with '/' (or be '*')"
};

// False with `issue` filled when `text` is not JSON or breaks the schema: the deepest failure,
// so the path names the exact value (an unknown member names that member).
bool check_schema(std::string_view text, ConfigIssue& issue);

}  // namespace edgeguard::guard
