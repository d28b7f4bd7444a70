#include "edgeguard/validate/cleaner.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

using edgeguard::validate::EvalOptions;
using edgeguard::validate::Options;
using harness::Check;
using nlohmann::json;

namespace {

Options with(void (*set)(EvalOptions&)) {
  Options o;
  set(o.eval);
  return o;
}

}  // namespace

TEST(Cleaner, UseDefaultsFillsAbsentProperties) {
  Check check(R"({"properties": {"role": {"default": "user"}, "tags": {"default": []},
                  "inner": {"properties": {"on": {"default": true}}}}})",
              with([](EvalOptions& e) { e.use_defaults = true; }));
  const auto out = check(R"({"inner": {}, "tags": ["a"]})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"inner": {"on": true}, "tags": ["a"], "role": "user"})"));
}

TEST(Cleaner, RemoveAdditionalDropsRejectedMembersInsteadOfFailing) {
  const char* schema = R"({"properties": {"a": {}, "n": {"additionalProperties": {"type": "string"},
                           "properties": {"k": {}}}}, "additionalProperties": false})";
  Check additional(schema, with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::additional; }));
  auto out = additional(R"({"a": 1, "x": 2, "n": {"k": 1, "s": "y", "t": 3}})");
  EXPECT_FALSE(out.valid);  // n.t fails its additionalProperties schema: only `false` removes
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"a": 1, "n": {"k": 1, "s": "y", "t": 3}})"));
  Check failing(schema, with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::failing; }));
  out = failing(R"({"a": 1, "x": 2, "n": {"k": 1, "s": "y", "t": 3}})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"a": 1, "n": {"k": 1, "s": "y"}})"));
  Check all(R"({"properties": {"a": {}}})", with([](EvalOptions& e) { e.remove_additional = EvalOptions::Remove::all; }));
  out = all(R"({"a": 1, "b": {"c": 2}})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(out.cleaned, R"({"a":1})");
}

TEST(Cleaner, SanitizesStringsBeforeCheckingThem) {
  Check check(R"({"properties": {
      "name": {"x-sanitize": ["trim", "lowercase"], "maxLength": 3},
      "bio": {"x-sanitize": ["strip-tags", "escape-html"]}}})",
              with([](EvalOptions& e) { e.sanitize = true; }));
  const auto out = check(R"({"name": "  BoB  ", "bio": "<b>Tom</b> & \"Jerry\"<script>x</script>"})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned),
            json::parse(R"({"name": "bob", "bio": "Tom &amp; &quot;Jerry&quot;x"})"));
}

TEST(Cleaner, LeavesFailedBranchesOut) {
  Check check(R"({"anyOf": [{"required": ["x"], "properties": {"d": {"default": 1}}},
                            {"properties": {"e": {"default": 2}}}]})",
              with([](EvalOptions& e) { e.use_defaults = true; }));
  const auto out = check("{}");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(json::parse(out.cleaned), json::parse(R"({"e": 2})"));
}

TEST(Cleaner, SanitizeOrderIsFixed) {
  std::string out;
  edgeguard::validate::sanitize("  <i>A&B</i>  ", 0xF, out);
  EXPECT_EQ(out, "a&amp;b");
}

namespace {

// Whether `s` holds a `<` an HTML parser (or an older, laxer one) could read as opening a tag:
// anything but a space, a digit or `=` after it, or a letter after a removal joined the text.
bool opens_a_tag(const std::string& s) {
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] != '<') continue;
    const char next = k + 1 < s.size() ? s[k + 1] : ' ';
    if (!(next == ' ' || (next >= '\t' && next <= '\r') || (next >= '0' && next <= '9') || next == '='))
      return true;
  }
  return false;
}

std::string strip(const std::string& in) {
  std::string out;
  edgeguard::validate::sanitize(in, edgeguard::validate::kStripTags, out);
  return out;
}

}  // namespace

// Issue 12, item 6: an unclosed tag survived strip-tags; the page's next `>` made it live.
// Vectors after the OWASP XSS filter evasion cheat sheet.
TEST(Cleaner, StripTagsLeavesNoTagOpener) {
  using namespace std::string_literals;
  const std::string corpus[] = {
      "hi <img src=x onerror=alert(1)//",
      "<script>alert(1)</script>",
      "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
      "<IMG SRC=\"javascript:alert('XSS');\">",
      "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
      "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
      "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
      "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
      "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
      "<IMG SRC=\"jav\tascript:alert('XSS');\">",
      "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
      "<IMG SRC=java\0script:alert(\"XSS\")>"s,
      "<scr\0ipt>alert(1)</scr\0ipt>"s,
      "<\0script>alert(1)<\0/script>"s,
      "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
      "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
      "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
      "<<<script>>>alert(1)<<</script>>>",
      "<SCRIPT SRC=http://xss.example/xss.js?< B >",
      "<SCRIPT SRC=//xss.example/.j>",
      "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
      "<iframe src=http://xss.example/scriptlet.html <",
      "<\nimg src=x onerror=alert(1)>",
      "<img\nsrc=x\nonerror=alert(1)\n>",
      "</title><SCRIPT>alert(\"XSS\");</SCRIPT>",
      "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
      "<!-- <script> -->alert(1)<!-- </script> -->",
      "<?xml:namespace prefix=\"t\" ns=\"urn:schemas-microsoft-com:time\"><?import namespace=\"t\">",
      "<!DOCTYPE html><svg/onload=alert(1)>",
      "<svg><script>alert&#40;1&#41;</script>",
      "<a href=\"javascript&colon;alert(1)\">x",
      "<img alt=\">\" src=x onerror=alert(1)>",
      "<%<!--'%><script>alert(1);</script -->",
      "<\xe2\x80\x8bscript>alert(1)</script>",
      "<<img src=x onerror=alert(1)//>",
      "a <",
      "<",
      "<<",
      "<a",
      "</",
      "<!",
      "<?",
      "x <\n<b>y</b>",
  };
  for (const std::string& vector : corpus) {
    const std::string out = strip(vector);
    EXPECT_FALSE(opens_a_tag(out)) << "in: " << vector << "\nout: " << out;
  }
  EXPECT_EQ(strip("hi <img src=x onerror=alert(1)//"), "hi ");
  EXPECT_EQ(strip("<<SCRIPT>alert(\"XSS\");//<</SCRIPT>"), "alert(\"XSS\");//");
  // Text that cannot open a tag stays.
  EXPECT_EQ(strip("a < b, x<=1, <3 and 2 > 1"), "a < b, x<=1, <3 and 2 > 1");
  EXPECT_EQ(strip("<b>bold</b> <i>it</i>"), "bold it");
}

TEST(Cleaner, KeysAreWrittenAsPropertyNamesSanitizedThem) {
  // The check ran on the sanitized key: the cleaned data must hold that key, not the raw one.
  Check check(R"({"propertyNames": {"x-sanitize": "strip-tags", "pattern": "^[a-z]+$"}})",
              with([](EvalOptions& e) { e.sanitize = true; }));
  const auto out = check(R"({"<img src=x onerror=alert(1)>ab": 1})");
  EXPECT_TRUE(out.valid);
  EXPECT_EQ(out.cleaned, R"({"ab":1})");
}
