// Configures a guard with arbitrary bytes as its config document. An accepted document must
// normalize the same way twice, and its route table must answer requests with a route it has
// (or none); a refused one must say why. After every input, a fixed canary guard, built
// fresh, must still route a fixed request to the right route: a config that corrupts shared
// state (or the allocator) shows there. ASan/UBSan catch the rest.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "edgeguard/guard/guard.hpp"
#include "edgeguard/guard/method.hpp"

using namespace edgeguard::guard;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kCanary = R"({"upstreams":{"api":{"origin":"https://api.example"}},
  "routes":[{"name":"brand","method":"GET","path":"/v1/brands/:id","cache":{"ttlMs":1000}},
            {"name":"orders","method":"POST","path":"/v1/orders/*"},{"name":"all","path":"*"}]})";

void check_canary() {
  Guard canary;
  ConfigIssue issue;
  check(canary.configure(kCanary, issue));
  const RouteTable& t = canary.config().table;
  check(t.match(kPost, "/v1/orders/a/b").route == 1);
  const Match m = t.match(kGet, "/v1/brands/acme");
  check(m.route == 0 && m.param_count == 1 && m.params[0].value == "acme");
  check(t.match(kDelete, "/other").route == 2);
}

// A few requests made of the document's own bytes: whatever matches is a route of the table.
void check_matches(const RouteTable& t, std::string_view text) {
  const std::string_view paths[] = {"/", "/v1/a", text.substr(0, 64), text.substr(text.size() / 2)};
  for (std::string_view path : paths) {
    for (uint32_t method : {kGet, kPost, kDelete}) {
      const Match m = t.match(method, path);
      check(m.route == kNoRoute || m.route < t.size());
      check(m.param_count <= kMaxParams);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    Guard guard;
    ConfigIssue issue;
    if (guard.configure(text, issue)) {
      const Config& c = guard.config();
      check(c.routes.size() == c.table.size());
      check_matches(c.table, text);
      Guard again;
      ConfigIssue issue_again;
      check(again.configure(text, issue_again));
      check(to_json(again.config()) == to_json(c));
    } else {
      check(!issue.message.empty());
    }
  }
  check_canary();
  return 0;
}
