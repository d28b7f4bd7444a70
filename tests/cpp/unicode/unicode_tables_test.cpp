#include "edgeguard/unicode/unicode_tables.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace edgeguard::validate::tables {
namespace {

uint8_t gc_index(const char* name) {
  for (uint8_t i = 0; i < 30; ++i) {
    if (std::strcmp(kGeneralCategories[i], name) == 0) return i;
  }
  return 255;
}

TEST(UnicodeTables, GeneralCategoryLookups) {
  const PropertyMap gc(kGeneralCategory);
  EXPECT_EQ(gc.at('A'), gc_index("Lu"));
  EXPECT_EQ(gc.at('a'), gc_index("Ll"));
  EXPECT_EQ(gc.at('0'), gc_index("Nd"));
  EXPECT_EQ(gc.at(' '), gc_index("Zs"));
  EXPECT_EQ(gc.at(0x0300), gc_index("Mn"));
  EXPECT_EQ(gc.at(0x4E08), gc_index("Lo"));
  EXPECT_EQ(gc.at(0x0378), gc_index("Cn"));
  EXPECT_EQ(gc.at(0x10FFFF), gc_index("Cn"));
  EXPECT_EQ(gc.at(0x10FFFD), gc_index("Co"));
}

TEST(UnicodeTables, MapSetsAndPointLookupsAgree) {
  const PropertyMap gc(kGeneralCategory);
  const CharSet upper = map_set(kGeneralCategory, [](uint8_t v) { return v == 1; });
  for (uint32_t cp = 0; cp < 0x3000; ++cp) ASSERT_EQ(upper.contains(cp), gc.at(cp) == 1) << cp;
}

TEST(UnicodeTables, ScriptsBidiJoiningVirama) {
  const PropertyMap script(kScript);
  EXPECT_STREQ(kScriptNames[script.at(0x03B1)], "Greek");
  EXPECT_STREQ(kScriptNames[script.at(0x05D0)], "Hebrew");
  EXPECT_STREQ(kScriptNames[script.at('a')], "Latin");
  EXPECT_STREQ(kScriptNames[script.at(0x0378)], "Unknown");
  const PropertyMap bidi(kBidiClass);
  EXPECT_EQ(bidi.at('a'), 0);       // L
  EXPECT_EQ(bidi.at(0x05D0), 1);    // R
  EXPECT_EQ(bidi.at(0x0627), 2);    // AL
  EXPECT_EQ(bidi.at('0'), 3);       // EN
  EXPECT_EQ(bidi.at(0x0660), 6);    // AN
  EXPECT_EQ(bidi.at(0x0300), 8);    // NSM
  const PropertyMap joining(kJoiningType);
  EXPECT_EQ(joining.at(0x0628), 2);  // BEH: dual joining
  EXPECT_EQ(joining.at(0x0627), 4);  // ALEF: right joining
  EXPECT_EQ(joining.at(0x064B), 5);  // FATHATAN: transparent
  EXPECT_EQ(joining.at('a'), 0);
  const CharSet virama = inversion_set(kVirama);
  EXPECT_TRUE(virama.contains(0x094D));
  EXPECT_FALSE(virama.contains(0x0915));
}

TEST(UnicodeTables, IdnaPvalidDerivation) {
  const CharSet pvalid = inversion_set(kIdnaPvalid);
  EXPECT_TRUE(pvalid.contains('a'));
  EXPECT_TRUE(pvalid.contains(0x00E9));   // é
  EXPECT_TRUE(pvalid.contains(0xC2E4));   // Hangul syllable
  EXPECT_FALSE(pvalid.contains('A'));     // unstable under case folding
  EXPECT_FALSE(pvalid.contains(0x212A));  // KELVIN SIGN
  EXPECT_FALSE(pvalid.contains(0xFF21));  // fullwidth A: unstable under NFKC
  EXPECT_FALSE(pvalid.contains(0x1100));  // old Hangul jamo
  EXPECT_FALSE(pvalid.contains(0x20D0));  // combining marks for symbols
  EXPECT_FALSE(pvalid.contains(0x00AD));  // default ignorable
  EXPECT_FALSE(pvalid.contains('!'));
}

TEST(UnicodeTables, BinaryPropertiesAreInversionLists) {
  ASSERT_GT(kBinaryPropertyCount, 0u);
  for (size_t i = 0; i < kBinaryPropertyCount; ++i) {
    const CharSet s = inversion_set(kBinaryProperties[i].boundaries);
    EXPECT_EQ(s.ranges().size() * 2, kBinaryProperties[i].boundaries.count) << kBinaryProperties[i].name;
  }
}

}  // namespace
}  // namespace edgeguard::validate::tables
