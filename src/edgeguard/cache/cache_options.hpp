#pragma once
// A Cache's options, as js/cache.js sends them (JSON text), read into a Config;
// EntryTable::check() owns the ranges, Config the defaults.
#include <cstddef>

#include "edgeguard/cache/entry_table.hpp"
#include "edgeguard/json/options.hpp"

namespace edgeguard::cache {

// {"policy":"tinylfu"|"lru"|"lfu"|"fifo","maxEntries","maxBytes","seed"}, all optional, an
// absent bound unbounded (but not both). A refusal's status is a cache::Status. On success `out`
// passes EntryTable::check().
json::OptionError read_cache_options(const char* text, size_t len, Config& out) noexcept;

}  // namespace edgeguard::cache
