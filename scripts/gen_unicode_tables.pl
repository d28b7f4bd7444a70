#!/usr/bin/perl
# Writes src/edgeguard/unicode/unicode_tables.cpp from Perl's Unicode database (Unicode::UCD):
# the property data of regex \p{...} escapes and of the IDNA2008 checks of hostname formats, so
# the wasm build carries its own tables (there is no ICU there).
# Tables are delta-encoded LEB128 varints: the same data as plain uint32 arrays at ~1/3 the size.
# Usage: perl scripts/gen_unicode_tables.pl > src/edgeguard/unicode/unicode_tables.cpp
use strict;
use warnings;
use Unicode::UCD qw(prop_invmap prop_invlist prop_value_aliases prop_aliases);

my @gc = qw(Cn Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Zl Zp Cc Cf Cs Co);
my @bidi = qw(L R AL EN ES ET AN CS NSM BN B S WS ON LRE LRO RLE RLO PDF LRI RLI FSI PDI);
my @joining = qw(Non_Joining C D L R T);
# ECMAScript's binary properties (table-binary-unicode-properties), except the bulky and rarely
# used Changes_When_*, Case_Ignorable, Grapheme_* and XID_* (they stay unknown: a clear error).
my @binary = qw(Alphabetic Bidi_Control Bidi_Mirrored Cased Dash Default_Ignorable_Code_Point
  Deprecated Diacritic Emoji Emoji_Component Emoji_Modifier Emoji_Modifier_Base Emoji_Presentation
  Extended_Pictographic Extender Hex_Digit IDS_Binary_Operator IDS_Trinary_Operator ID_Continue
  ID_Start Ideographic Join_Control Logical_Order_Exception Lowercase Math Noncharacter_Code_Point
  Pattern_Syntax Pattern_White_Space Quotation_Mark Radical Regional_Indicator Sentence_Terminal
  Soft_Dotted Terminal_Punctuation Unified_Ideograph Uppercase Variation_Selector White_Space);

sub varint {
  my ($v) = @_;
  my $out = '';
  while (1) {
    my $b = $v & 0x7F;
    $v >>= 7;
    $out .= sprintf('\\x%02x', $v ? ($b | 0x80) : $b);
    last unless $v;
  }
  return $out;
}

sub literal {  # a C string literal split over lines
  my ($bytes) = @_;
  my @chunks = $bytes =~ /((?:\\x[0-9a-f]{2}){1,24})/g;
  return join("\n", map { "    \"$_\"" } @chunks);
}

my $out = '';
sub table {
  my ($name, $count, $bytes) = @_;
  $out .= "static const char k${name}Bytes[] =\n" . literal($bytes) . ";\n";
  $out .= "const Table k$name = {$count, k${name}Bytes, sizeof(k${name}Bytes) - 1};\n\n";
}

# Inversion map -> (delta, value) pairs, merging runs whose value does not change.
sub map_table {
  my ($name, $list, $map, $index) = @_;
  my ($bytes, $prev, $last, $count) = ('', 0, -1, 0);
  for my $i (0 .. $#$list) {
    my $v = $index->($map->[$i]);
    next if $v == $last;
    $bytes .= varint($list->[$i] - $prev) . sprintf('\\x%02x', $v);
    ($prev, $last) = ($list->[$i], $v);
    ++$count;
  }
  table($name, $count, $bytes);
}

sub list_table {
  my ($name, @list) = @_;
  my ($bytes, $prev) = ('', 0);
  for my $b (@list) { $bytes .= varint($b - $prev); $prev = $b; }
  table($name, scalar @list, $bytes);
}

sub index_of {
  my @names = @_;
  my %index = map { $names[$_] => $_ } 0 .. $#names;
  return sub { $index{$_[0]} // die "no value $_[0]" };
}

# Code point sets as bit strings, for the IDNA2008 derivation below.
sub bits_of {
  my $bits = '';
  vec($bits, 0x10FFFF, 1) = 0;
  for my $prop (@_) {
    my @inv = prop_invlist($prop);
    for (my $i = 0; $i < @inv; $i += 2) {
      my $end = $i + 1 < @inv ? $inv[$i + 1] : 0x110000;
      vec($bits, $_, 1) = 1 for $inv[$i] .. $end - 1;
    }
  }
  return $bits;
}

sub bits_to_list {
  my ($bits) = @_;
  my (@list, $in);
  $in = 0;
  for my $cp (0 .. 0x10FFFF) {
    my $v = vec($bits, $cp, 1);
    if ($v != $in) { push @list, $cp; $in = $v; }
  }
  return @list;
}

# RFC 5892 section 2 rules A-I, except the exceptions (F) and the contextual rules (H and
# CONTEXTO), which the checker applies itself: PVALID = LetterDigits minus Unstable,
# IgnorableProperties, IgnorableBlocks and OldHangulJamo.
sub idna_pvalid {
  my $yes = bits_of(map { "gc=$_" } qw(Ll Lu Lo Nd Lm Mn Mc));
  my $no = bits_of(qw(Changes_When_NFKC_Casefolded Default_Ignorable_Code_Point White_Space
                      Noncharacter_Code_Point hst=L hst=V hst=T));
  vec($no, $_, 1) = 1 for (0x20D0 .. 0x20FF, 0x1D100 .. 0x1D24F);
  return bits_to_list($yes & ~$no);
}

my ($gl, $gm) = prop_invmap('General_Category');
map_table('GeneralCategory', $gl, $gm, index_of(@gc));

my ($sl, $sm) = prop_invmap('Script');
my %seen;
my @scripts = grep { !$seen{$_}++ } ('Unknown', sort @$sm);
map_table('Script', $sl, $sm, index_of(@scripts));
my @sc_names = map { my @a = prop_value_aliases('Script', $_); "\"$_\\0$a[0]\"" } @scripts;

# Script_Extensions: a value byte below the script count is one script; above, it indexes a list
# of scripts (only ~100 runs have several).
my ($xl, $xm) = prop_invmap('Script_Extensions');
my %sc_index = map { $scripts[$_] => $_ } 0 .. $#scripts;
my (@lists, %list_id);
my @xvalues = map {
  if (ref $_) {
    my $key = join(',', map { $sc_index{$_} // die "scx $_" } @$_);
    $list_id{$key} //= do { push @lists, $key; scalar(@scripts) + $#lists };
  } else {
    $sc_index{$_} // die "scx $_";
  }
} @$xm;
die "too many Script_Extensions values" if @scripts + @lists > 256;
map_table('ScriptExtensions', $xl, \@xvalues, sub { $_[0] });
my @list_literals = map { '"' . join('', map { sprintf('\\x%02x', $_) } split /,/) . '"' } @lists;

my $props = '';
for my $i (0 .. $#binary) {
  list_table("Binary$i", prop_invlist($binary[$i]));
  my ($alias) = prop_aliases($binary[$i]);
  $props .= "    {\"$binary[$i]\", \"$alias\", kBinary$i},\n";
}

my ($bl, $bm) = prop_invmap('Bidi_Class');
map_table('BidiClass', $bl, $bm, index_of(@bidi));
my ($jl, $jm) = prop_invmap('Joining_Type');
map_table('JoiningType', $jl, $jm, index_of(@joining));
list_table('Virama', prop_invlist('Canonical_Combining_Class=Virama'));
list_table('IdnaPvalid', idna_pvalid());

print "// Generated by scripts/gen_unicode_tables.pl from Unicode ", Unicode::UCD::UnicodeVersion(),
      "; do not edit.\n";
print "#include \"edgeguard/unicode/unicode_tables.hpp\"\n\nnamespace edgeguard::validate::tables {\n\n";
print "const char* const kGeneralCategories[] = {", join(', ', map { "\"$_\"" } @gc), "};\n";
print "const char* const kScriptNames[] = {\n", join(",\n", map { "    $_" } @sc_names), "};\n";
print "const size_t kScriptCount = ", scalar(@scripts), ";\n";
print "const char* const kScriptExtensionLists[] = {\n", join(",\n", map { "    $_" } @list_literals), "};\n\n";
print $out;
print "const BinaryProperty kBinaryProperties[] = {\n$props};\n";
print "const size_t kBinaryPropertyCount = ", scalar(@binary), ";\n\n}  // namespace edgeguard::validate::tables\n";
