#pragma once
// What bridge_validate.cpp shares with bridge_registry.cpp: validators made from a registry
// answer through the same C ABI, statuses and out struct (js/validator.js reads them).
#include <cstdint>
#include <functional>
#include <string>

#include "edgeguard/validate/validator.hpp"

// Runs `fn`, turning every C++ exception into a status in the out struct and its reason in the
// error channel (bridge_error.hpp).
uint32_t validate_guarded(const std::function<uint32_t()>& fn);
// Leaves kValid (with no text) in the out struct; returns it.
uint32_t validate_ok();
// Member `key` of a call's config object. Throws std::invalid_argument when it has none.
const edgeguard::json::Value& config_member(const edgeguard::json::Value& config, const char* key);
// A config's string `value` named `what`. Throws std::invalid_argument for another value.
const std::string& config_string(const edgeguard::json::Value& value, const char* what);
