#include "bridge.hpp"
#include "edgeguard/version.hpp"

EG_EXPORT const char* eg_version() { return edgeguard::version(); }
