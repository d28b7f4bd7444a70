// The official JSON-Schema-Test-Suite (vendored in tests/conformance), run through the C++ API.
// Every required test must pass unless listed in tests/conformance/skip-<draft>.json with a
// reason; a listed test that passes fails this test too, so the list never goes stale.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "edgeguard/validate/validator.hpp"
#include "harness.hpp"

namespace fs = std::filesystem;
using edgeguard::validate::Draft;
using edgeguard::validate::Options;
using edgeguard::validate::SchemaError;
using edgeguard::validate::Validator;
using edgeguard::validate::parse_schema;
using nlohmann::json;

namespace {

const fs::path kSuite = fs::path(EDGEGUARD_TEST_DATA) / "conformance" / "JSON-Schema-Test-Suite";

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const fs::path& p) { return json::parse(read_text(p)); }

// The remote schemas that compile under `draft`, with one another. Every known schema is
// compiled at construction, and some remotes cannot be: another draft's (draft-07 ignores the
// siblings of $ref a 2020-12 remote resolves through), or ones referencing meta-schemas that
// are not built in. A test needing one of those fails to compile, as it would have anyway.
const Validator::Schemas& remotes(Draft draft) {
  static std::map<Draft, Validator::Schemas> by_draft;
  auto [it, added] = by_draft.try_emplace(draft);
  if (!added) return it->second;
  Validator::Schemas pending;
  const fs::path root = kSuite / "remotes";
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".json")
      pending.emplace_back("http://localhost:1234/" + fs::relative(e.path(), root).generic_string(),
                           parse_schema(read_text(e.path())));
  Options options;
  options.draft = draft;
  Validator::Schemas& ok = it->second;
  for (size_t before = SIZE_MAX; before != ok.size();) {  // until a round adds none
    before = ok.size();
    for (auto r = pending.begin(); r != pending.end();) {
      ok.push_back(*r);
      try {
        Validator(parse_schema("true"), options, ok);
        r = pending.erase(r);
      } catch (const SchemaError&) {
        ok.pop_back();
        ++r;
      }
    }
  }
  return ok;
}

struct Outcome {
  int passed = 0, total = 0;
  std::set<std::string> failed;  // "file|group|test"
};

// Runs the files of `dir` (and of its subfolders when `deep`).
Outcome run(const fs::path& dir, Draft draft, bool formats, bool deep) {
  Outcome out;
  std::vector<fs::path> files;
  auto take = [&](const fs::directory_entry& e) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  };
  if (deep) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) take(e);
  } else {
    for (const auto& e : fs::directory_iterator(dir)) take(e);
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string name = fs::relative(file, dir).generic_string();
    for (const json& group : read_json(file)) {
      Options options;
      options.draft = draft;
      options.assert_formats = formats;
      options.eval.all_errors = true;
      std::unique_ptr<Validator> v;
      try {
        v = std::make_unique<Validator>(parse_schema(group["schema"].dump()), options, remotes(draft));
      } catch (const std::exception&) {
        // A schema we cannot compile fails each of its tests.
      }
      for (const json& test : group["tests"]) {
        ++out.total;
        const std::string text = test["data"].dump();
        bool ok = false;
        if (v) {
          try {
            const bool valid = v->validate(reinterpret_cast<const uint8_t*>(text.data()), text.size());
            ok = valid == test["valid"].get<bool>();
            // Errors must render and agree with the verdict.
            const json errors = harness::report_objects(v->errors_report());
            ok = ok && errors.empty() == valid;
          } catch (const std::exception&) {
          }
        }
        if (ok) ++out.passed;
        else out.failed.insert(name + "|" + group["description"].get<std::string>() + "|" +
                               test["description"].get<std::string>());
      }
    }
  }
  return out;
}

void check_required(const char* draft_dir, Draft draft, const char* skip_file, int expected_total) {
  const Outcome o = run(kSuite / "tests" / draft_dir, draft, false, false);
  std::map<std::string, std::string> skipped;
  for (const json& s : read_json(fs::path(EDGEGUARD_TEST_DATA) / "conformance" / skip_file))
    skipped[s["file"].get<std::string>() + "|" + s["group"].get<std::string>() + "|" +
            s["test"].get<std::string>()] = s["reason"];
  for (const std::string& f : o.failed)
    EXPECT_TRUE(skipped.count(f)) << "unexpected failure: " << f;
  for (const auto& [s, reason] : skipped)
    EXPECT_TRUE(o.failed.count(s)) << "listed as skipped but passes: " << s;
  EXPECT_EQ(o.total, expected_total);
  std::printf("[conformance] %s required: %d/%d passed\n", draft_dir, o.passed, o.total);
}

void report_optional(const char* draft_dir, Draft draft) {
  const Outcome all = run(kSuite / "tests" / draft_dir / "optional", draft, true, true);
  const Outcome fmt = run(kSuite / "tests" / draft_dir / "optional" / "format", draft, true, true);
  std::printf("[conformance] %s optional (formats asserted): %d/%d passed; optional/format: %d/%d\n",
              draft_dir, all.passed, all.total, fmt.passed, fmt.total);
  for (const std::string& f : all.failed) std::printf("  optional failure: %s\n", f.c_str());
}

}  // namespace

TEST(Conformance, Draft7Required) { check_required("draft7", Draft::draft7, "skip-draft7.json", 927); }

TEST(Conformance, Draft2020Required) {
  check_required("draft2020-12", Draft::draft2020, "skip-draft2020-12.json", 1299);
}

TEST(Conformance, OptionalReport) {
  report_optional("draft7", Draft::draft7);
  report_optional("draft2020-12", Draft::draft2020);
}
