#include "edgeguard/format/format_uri.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate::formats {
namespace {

TEST(FormatUri, AbsoluteUris) {
  for (const char* ok : {"https://example.com", "https://user:pw@example.com:8443/a/b?c=d#e",
                         "urn:isbn:0451450523", "mailto:a@b.c", "file:///etc/hosts", "http://[::1]:80/",
                         "http://[v7.fe:80]/", "s+c.h-e://x", "http://h/%2F"}) {
    EXPECT_TRUE(is_uri(ok)) << ok;
  }
  for (const char* bad : {"", "example.com", "/path", "1a:b", "http://a b", "http://[::1", "http://h:port",
                          "http://h/%zz", "http://h/\xc3\xa9", "http://a@b@c/", "http://[fe80::1%25eth0]/"}) {
    EXPECT_FALSE(is_uri(bad)) << bad;
  }
}

TEST(FormatUri, References) {
  for (const char* ok : {"", "a", "./a:b", "../x?y#z", "//host", "?q", "#f", "/a/b"}) {
    EXPECT_TRUE(is_uri_reference(ok)) << ok;
  }
  for (const char* bad : {"a:b c", "a:b:c d", "x:y#a#b", "\\\\share", "1:b"}) {
    EXPECT_FALSE(is_uri_reference(bad)) << bad;
  }
}

TEST(FormatUri, IrisAllowUnicode) {
  EXPECT_TRUE(is_iri("https://b\xc3\xbc" "cher.example/\xc3\xa9t\xc3\xa9?q=\xf3\xb0\x80\x80"));  // private use in query
  EXPECT_FALSE(is_iri("https://example/\xf3\xb0\x80\x80"));  // ... but not in the path
  EXPECT_FALSE(is_iri("https://example/\xef\xbf\xbf"));      // U+FFFF is not ucschar
  EXPECT_TRUE(is_iri_reference("\xc3\xa9t\xc3\xa9"));
  EXPECT_FALSE(is_iri_reference("\xff"));
}

TEST(FormatUri, Templates) {
  for (const char* ok : {"", "/x", "{a}", "{+a}", "{#a,b}", "{a:3}", "{a*}", "{a.b_c%20}", "x{?a,b}y{&c}",
                         "{a:9999}"}) {
    EXPECT_TRUE(is_uri_template(ok)) << ok;
  }
  for (const char* bad : {"{", "}", "{}", "{a", "{a:0}", "{a:10000}", "{a..b}", "{a,}", "{.}", "a b", "{a b}",
                          "%zz", "{a:}"}) {
    EXPECT_FALSE(is_uri_template(bad)) << bad;
  }
}

}  // namespace
}  // namespace edgeguard::validate::formats
