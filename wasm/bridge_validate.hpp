#pragma once
// What bridge_validate.cpp shares with bridge_registry.cpp: validators made from a registry
// answer through the same C ABI, statuses and out struct (js/validator.js reads them).
#include <cstdint>
#include <functional>

#include <nlohmann/json.hpp>

#include "edgeguard/validate/validator.hpp"

// Runs `fn`, turning every C++ exception into a status and message in the out struct.
uint32_t validate_guarded(const std::function<uint32_t()>& fn);
// Leaves kValid (with no text) in the out struct; returns it.
uint32_t validate_ok();
// The validator options JSON (js/validator.js) as core options. Throws std::invalid_argument.
edgeguard::validate::Options validate_options(const nlohmann::json& options);
