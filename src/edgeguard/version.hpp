#pragma once
// The version string comes from CMakeLists.txt (project VERSION) and must equal package.json's;
// tests/js/version.test.js checks that the three agree.
namespace edgeguard {
inline constexpr const char* version() { return EDGEGUARD_VERSION; }
}  // namespace edgeguard
