#pragma once
// Schema compiler (cold path): a registry of schema documents (json::Value), base-URI and
// anchor resolution, and the translation of each reachable subschema into a Program node.
#include <deque>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edgeguard/json/value.hpp"
#include "edgeguard/validate/program.hpp"

namespace edgeguard::validate {

// An invalid schema: `path` names where ("#/properties/a/minLength").
class SchemaError : public std::runtime_error {
 public:
  SchemaError(std::string path, const std::string& message)
      : std::runtime_error(message), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A compile target that names no schema: an unknown URI, or a fragment that resolves to nothing.
class UnknownTarget : public SchemaError {
 public:
  using SchemaError::SchemaError;
};

// Reads a schema's (or a configuration's) JSON text, refusing nesting deeper than `max_depth`
// before anything recursive (the compiler) sees it. Throws SchemaError.
json::Value parse_schema(std::string_view text, int max_depth = 256);

struct CompileOptions {
  Draft draft = Draft::draft2020;  // when the schema has no `$schema`
  bool assert_formats = false;
};

class Compiler {
 public:
  Compiler(Program& program, CompileOptions options) : p_(program), options_(options) {}

  // Registers a schema document. `id` names it (its `$id`, if any, also does). Throws SchemaError.
  void add(json::Value schema, const std::string& id);
  // Compiles the schema `uri` names (and whatever it references); returns its node. A fragment
  // selects a subschema as a $ref's does. Throws UnknownTarget, or SchemaError.
  uint32_t compile(const std::string& uri);
  // Compiles a schema given whole, which no id names: "" names it while it compiles (so its own
  // "#..." references resolve in it), then its names (it, its anchors, the resources nested in
  // it) are dropped, so no other compile reaches them; its nodes stay. Call it atomically.
  uint32_t compile_anonymous(json::Value schema);
  // Whether a document or subschema resource is registered as `uri`.
  bool has(const std::string& uri) const;
  // The URIs of the resources (the document and those nested in it) the document registered as
  // `id` defines; none when `id` names no document or a resource another document defines.
  std::vector<std::string> resources_of(const std::string& id) const;

  // Where documents come from that are stored but not yet registered (a Registry's): called
  // with an absolute URI no registered resource has, it may add() documents and says whether
  // `uri` is registered now. `everything`: a last try before "can't resolve", which may add
  // every stored document (a URI can name a resource nested in one). With a source, a resource
  // URI names one schema only: a second one is a SchemaError, never a silent replacement of
  // what other validators compiled.
  using Source = std::function<bool(Compiler&, const std::string& uri, bool everything)>;
  void set_source(Source source) { source_ = std::move(source); }

  // Runs `fn` (calls of add() and compile()) as one step: when it throws, whatever it registered
  // or compiled is undone. A node is cached before its keywords are filled (so recursion finds
  // it); without the undo, a failed fill would leave a node that accepts anything.
  template <class Fn>
  // Steps nest: an inner step that throws undoes only its own changes.
  auto atomically(Fn&& fn) -> decltype(fn()) {
    const Mark mark = this->mark();
    ++steps_;
    try {
      auto result = fn();
      if (--steps_ == 0) undo_.clear();
      return result;
    } catch (...) {
      --steps_;
      rollback(mark);
      throw;
    }
  }

 private:
  struct Info {
    std::string base;  // base URI, without fragment
    std::string path;  // schema path for errors
    Draft draft;
    uint32_t resource;
    bool validation = true;  // false under a meta-schema without the validation vocabulary
    uint32_t depth = 0;      // nesting below the document root
    bool anonymous = false;  // in a schema compile_anonymous() compiles: its names are dropped
    const json::Value* document = nullptr;  // the root of the document it is in
  };
  using Value = json::Value;

  void scan(const Value& s, Info info);
  void scan_children(const Value& s, const Info& info);
  const Value* find_resource(const std::string& uri);
  // A custom meta-schema named by `$schema`, if registered (or stored with the source).
  std::map<std::string, const Value*>::const_iterator find_meta(const std::string& uri);
  std::pair<const Value*, Info> resolve(const std::string& ref, const Info& from,
                                       const std::string& where);
  uint32_t node(const Value& s, const Info& info);
  uint32_t child(const Value& parent, const char* keyword, const Info& info);
  uint32_t child_at(const Value& s, const Info& info, const std::string& suffix);
  Range list(const Value& parent, const char* keyword, const Info& info);
  void fill(uint32_t index, const Value& s, const Info& info);
  void fill_object(uint32_t index, const Value& s, const Info& info);
  void fill_array(uint32_t index, const Value& s, const Info& info);
  void fill_string(uint32_t index, const Value& s, const Info& info);
  void fill_number(uint32_t index, const Value& s, const Info& info);
  struct Mark {
    size_t documents, nodes, objects, arrays, strings_parts, numbers, lists, strings, regexes,
        resources, constants, undo;
    bool dynamic;
  };
  Mark mark() const;
  void reserve_undo();
  static bool hidden(const Info& from, const Info& target);
  void rollback(const Mark& m);
  // Sets `map[key]` to `value` (insert: unless set), remembering how to undo it; `name`: a name
  // in an anonymous schema, undone once it compiled.
  template <class Map, class V>
  void put(Map& map, const typename Map::key_type& key, V value, bool name = false);
  template <class Map, class V>
  void insert(Map& map, const typename Map::key_type& key, V value, bool name = false);
  void add(json::Value schema, const std::string& id, bool anonymous);
  uint32_t constant(const Value& value);
  uint32_t intern(const std::string& s);
  void build_constants();

  Program& p_;
  CompileOptions options_;
  std::deque<Value> documents_;  // stable addresses: info_/compiled_ key on them
  std::unordered_map<const Value*, Info> info_;
  std::unordered_map<const Value*, uint32_t> compiled_;
  std::map<std::string, const Value*> resources_;  // absolute URI -> resource root
  std::map<std::string, const Value*> anchors_;    // URI#name -> subschema
  std::vector<std::vector<std::pair<std::string, const Value*>>> dynamic_anchors_;  // per resource
  std::vector<uint8_t> resource_used_;  // bools (vector<bool> would add its own code: 2 KiB of wasm)
  std::vector<Value> constants_;
  std::unordered_map<std::string, uint32_t> interned_;
  uint32_t depth_ = 0;  // of node() recursion
  struct Undo {
    std::function<void()> fn;
    bool name;  // of an anonymous schema
  };
  std::vector<Undo> undo_;  // of changes since the outermost step began, in order
  int steps_ = 0;           // atomically() calls running
  Source source_;
  size_t built_constants_ = SIZE_MAX;  // constants_ in the program's tape (SIZE_MAX: stale)
};

}  // namespace edgeguard::validate
