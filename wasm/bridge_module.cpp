// Which module this is, and of which release, so that js/core.js can tell a wasm file from
// another module's, or another version's, before any class uses it: the glues map exports by
// minified names, and another build's wasm would give each of them an unrelated function. Every
// module links this file; its CMake target names its features (EG_FEATURE_<NAME>).
#include <cstdint>

#include "bridge.hpp"
#include "edgeguard/version.hpp"

namespace {

// seam: modules
enum class Feature : uint32_t { resilience = 1u << 0, validator = 1u << 1, gateway = 1u << 2 };

}  // namespace

EG_EXPORT uint32_t eg_module_features() {
  uint32_t features = 0;
#ifdef EG_FEATURE_RESILIENCE
  features |= uint32_t(Feature::resilience);
#endif
#ifdef EG_FEATURE_VALIDATOR
  features |= uint32_t(Feature::validator);
#endif
#ifdef EG_FEATURE_GATEWAY
  features |= uint32_t(Feature::gateway);
#endif
  return features;
}

EG_EXPORT const char* eg_version() { return edgeguard::version(); }
