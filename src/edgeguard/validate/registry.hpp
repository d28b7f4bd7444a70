#pragma once
// A registry of schemas shared by many validators: adding a schema stores its text; a schema is
// parsed and compiled when a validator first reaches it ($ref by $ref), once per set of compile
// options, into one program every validator of the registry reads. Memory: the stored texts,
// plus what was reached (parsed documents and their compiled nodes), plus at most
// kMaxAnonymousSchemas schemas given whole, until the registry goes.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "edgeguard/validate/compiler.hpp"

namespace edgeguard::validate {

// A schema added under an id the registry already holds.
class DuplicateSchema : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// An id the registry holds no schema for.
class UnknownSchema : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A schema given whole (no $id) past kMaxAnonymousSchemas: the shared program would keep it.
class RegistryFull : public std::length_error {
 public:
  using std::length_error::length_error;
};

// Distinct schemas without $id one registry compiles, per set of compile options (the same
// schema again is compiled once). Their nodes stay in the shared program until the registry
// goes, however many validators were made and disposed: past this, RegistryFull.
constexpr size_t kMaxAnonymousSchemas = 1024;

class Registry {
 public:
  // The program compiled for one set of compile options, and its compiler. Its node indexes
  // stay valid while the registry lives: a failed compile rolls back only what it added.
  class Compiled {
   public:
    Compiled(const Registry& registry, CompileOptions options);
    Compiled(const Compiled&) = delete;
    Compiled& operator=(const Compiled&) = delete;
    // The root node of the schema stored (or registered) as `id`, compiled on first use.
    // Throws UnknownSchema, or SchemaError.
    uint32_t compile(const std::string& id);
    // The root node of a schema given whole (not stored), compiled once per distinct text.
    // Throws RegistryFull past kMaxAnonymousSchemas, or SchemaError.
    uint32_t compile(const json::Value& schema);
    const Program& program() const { return program_; }
    bool has(const std::string& uri) const { return compiler_.has(uri); }
    // Entries of the index of nested resources, and ids waiting for it (for its bound's test).
    size_t index_size() const { return nested_.size() + defines_.size() + pending_.size(); }

   private:
    friend class Registry;
    bool load(Compiler& compiler, const std::string& uri, bool everything);
    void index_pending();
    void index(const std::string& id, const std::string& text);
    // Drops what it knows of stored schema `id`, just added and dropped again.
    void forget(const std::string& id);
    const Registry& registry_;
    CompileOptions options_;
    Program program_;
    Compiler compiler_;
    std::unordered_map<std::string, uint32_t> roots_;      // by normalized id
    std::unordered_map<std::string, uint32_t> anonymous_;  // by schema text
    // For a URI no stored schema is stored as: the stored schemas that define a resource
    // nested in them under it, each parsed once to know (not kept), so a $ref to nothing
    // parses nothing. (A set: the first that loads wins, in id order.)
    std::map<std::string, std::set<std::string>> nested_;
    std::unordered_map<std::string, std::vector<std::string>> defines_;  // id -> its URIs in nested_
    std::vector<std::string> pending_;  // ids stored since, not indexed yet
  };

  // Stores `text` (a schema's JSON text, parsed only when reached) under `id` (its $id; the
  // fragment, if any, is dropped); says whether it was new (the same schema again is not).
  // Throws SchemaError for an empty id, DuplicateSchema for another schema under a held one.
  bool add(const std::string& id, std::string text);
  // Adds `schema` under `id` and compiles it: a schema that fails to compile is not kept (when
  // it was new), so no other validator reaches it. Returns its root node.
  uint32_t add_compiled(const std::string& id, const json::Value& schema, Compiled& compiled);
  bool holds(const std::string& id) const;
  size_t size() const { return texts_.size(); }
  // The compiled program for `options`, made on first use.
  Compiled& compiled(CompileOptions options);
  // Schema texts parsed so far (loading, indexing and comparing stored schemas).
  size_t parses() const { return parses_; }

 private:
  json::Value parse(const std::string& text) const;
  std::map<std::string, std::string> texts_;  // normalized id (without fragment) -> schema text
  std::map<std::pair<Draft, bool>, std::unique_ptr<Compiled>> compiled_;
  mutable size_t parses_ = 0;
};

}  // namespace edgeguard::validate
