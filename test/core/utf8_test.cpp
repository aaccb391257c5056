// Making arbitrary bytes valid UTF-8 (U+FFFD for invalid input), and finding the
// longest prefix that does not end in a cut-short character.
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace pp {
namespace {

const std::string kFFFD = "\xEF\xBF\xBD";

std::string fixed(std::string_view in) {
  std::string out;
  append_valid_utf8(out, in);
  return out;
}

// A strict RFC 3629 validator, written independently of the code under test.
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

// `out` is prefix, then one or more U+FFFD, then suffix (how many replacement characters
// an invalid sequence becomes is the implementation's choice; that it vanishes is not).
::testing::AssertionResult replaced(const std::string& out, const std::string& prefix, const std::string& suffix) {
  if (out.size() < prefix.size() + suffix.size() + kFFFD.size() || out.compare(0, prefix.size(), prefix) != 0 ||
      out.compare(out.size() - suffix.size(), suffix.size(), suffix) != 0)
    return ::testing::AssertionFailure() << "bad frame around the replacement";
  std::string mid = out.substr(prefix.size(), out.size() - prefix.size() - suffix.size());
  for (std::size_t i = 0; i < mid.size(); i += kFFFD.size())
    if (mid.compare(i, kFFFD.size(), kFFFD) != 0) return ::testing::AssertionFailure() << "middle is not all U+FFFD";
  if (mid.size() > 4 * kFFFD.size()) return ::testing::AssertionFailure() << "more U+FFFD than input bytes";
  return ::testing::AssertionSuccess();
}

std::string encode(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return s;
}

// ---- valid input is kept ----

TEST(AppendValidUtf8, AsciiIsUnchanged) {
  EXPECT_EQ(fixed("hello, world! 0123 ~\t\r"), "hello, world! 0123 ~\t\r");
  EXPECT_EQ(fixed(""), "");
}

TEST(AppendValidUtf8, EmbeddedNulIsValid) {
  const std::string s("a\0b", 3);
  EXPECT_EQ(fixed(s), s);
}

TEST(AppendValidUtf8, MultibyteCharactersAreKept) {
  for (const char* s : {"héllo wörld", "日本語", "emoji 😀 🎉", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                        "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(fixed(s), s) << s;
  }
}

TEST(AppendValidUtf8, ReplacementCharacterItselfIsKept) { EXPECT_EQ(fixed("a" + kFFFD + "b"), "a" + kFFFD + "b"); }

TEST(AppendValidUtf8, AppendsToWhatIsAlreadyThere) {
  std::string out = "prefix:";
  append_valid_utf8(out, "é");
  append_valid_utf8(out, "\xFF");
  EXPECT_EQ(out, "prefix:é" + kFFFD);
}

TEST(AppendValidUtf8, EveryCodePointRoundTrips) {
  std::string all;
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 61)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    all += encode(cp);
  }
  all += encode(0x10FFFF);
  ASSERT_TRUE(is_valid_utf8(all));
  EXPECT_EQ(fixed(all), all);
}

// ---- invalid bytes ----

TEST(AppendValidUtf8, LoneContinuationByteIsReplaced) {
  EXPECT_EQ(fixed("\x80"), kFFFD);
  EXPECT_EQ(fixed("a\x80z"), "a" + kFFFD + "z");
  EXPECT_EQ(fixed("a\xBFz"), "a" + kFFFD + "z");
}

TEST(AppendValidUtf8, BytesThatNeverOccurAreReplacedOneEach) {
  EXPECT_EQ(fixed("\xFF"), kFFFD);
  EXPECT_EQ(fixed("a\xFEz"), "a" + kFFFD + "z");
  EXPECT_EQ(fixed("\xFF\xFF"), kFFFD + kFFFD);
  EXPECT_EQ(fixed("\xF8x\xFCy\xF5z"), kFFFD + "x" + kFFFD + "y" + kFFFD + "z");
}

TEST(AppendValidUtf8, StrayContinuationAfterValidCharacterIsReplaced) {
  EXPECT_TRUE(replaced(fixed("é\x80z"), "é", "z"));
}

TEST(AppendValidUtf8, OverlongEncodingsAreReplaced) {
  EXPECT_TRUE(replaced(fixed("a\xC0\xAFz"), "a", "z"));          // '/' in two bytes
  EXPECT_TRUE(replaced(fixed("a\xC1\xBFz"), "a", "z"));          // 0x7F in two bytes
  EXPECT_TRUE(replaced(fixed("a\xE0\x80\xAFz"), "a", "z"));      // '/' in three bytes
  EXPECT_TRUE(replaced(fixed("a\xE0\x9F\xBFz"), "a", "z"));      // U+07FF in three bytes
  EXPECT_TRUE(replaced(fixed("a\xF0\x80\x80\xAFz"), "a", "z"));  // '/' in four bytes
  EXPECT_TRUE(replaced(fixed("a\xF0\x8F\xBF\xBFz"), "a", "z"));  // U+FFFF in four bytes
  EXPECT_TRUE(replaced(fixed("\xC0\x80"), "", ""));             // "modified UTF-8" NUL
}

TEST(AppendValidUtf8, SurrogatesAreReplaced) {
  EXPECT_TRUE(replaced(fixed("a\xED\xA0\x80z"), "a", "z"));  // U+D800
  EXPECT_TRUE(replaced(fixed("a\xED\xBF\xBFz"), "a", "z"));  // U+DFFF
  EXPECT_TRUE(replaced(fixed("\xED\xA0\xBD\xED\xB8\x80"), "", ""));  // CESU-8 pair
}

TEST(AppendValidUtf8, CodePointsAboveMaxAreReplaced) {
  EXPECT_TRUE(replaced(fixed("a\xF4\x90\x80\x80z"), "a", "z"));  // U+110000
  EXPECT_TRUE(replaced(fixed("a\xF7\xBF\xBF\xBFz"), "a", "z"));
}

TEST(AppendValidUtf8, TruncatedSequenceBecomesOneReplacement) {
  EXPECT_EQ(fixed("\xC3"), kFFFD);
  EXPECT_EQ(fixed("a\xC3"), "a" + kFFFD);
  EXPECT_EQ(fixed("\xE2\x82"), kFFFD);
  EXPECT_EQ(fixed("\xE2\x82z"), kFFFD + "z");
  EXPECT_EQ(fixed("\xF0\x9F\x98"), kFFFD);
  EXPECT_EQ(fixed("\xF0\x9F\x98 z"), kFFFD + " z");
}

TEST(AppendValidUtf8, TruncatedSequenceFollowedByValidCharacterKeepsIt) {
  EXPECT_EQ(fixed("\xE2\x82\xE2\x82\xAC"), kFFFD + "€");
  EXPECT_EQ(fixed("\xC3é"), kFFFD + "é");
  EXPECT_EQ(fixed("\xF0\x9F😀"), kFFFD + "😀");
}

TEST(AppendValidUtf8, ValidTextAroundInvalidBytesIsKept) {
  EXPECT_EQ(fixed("日本\xFF語"), "日本" + kFFFD + "語");
  EXPECT_EQ(fixed("\xFFok\xFF"), kFFFD + "ok" + kFFFD);
}

TEST(AppendValidUtf8, LongAsciiRunsAroundOtherBytesAtEveryOffset) {
  // ASCII is skipped eight bytes at a time: what follows it must be found at any offset.
  for (std::size_t p = 0; p <= 24; ++p) {
    std::string before(p, 'a'), after(24 - p, 'b');
    EXPECT_EQ(fixed(before + "\xFF" + after), before + kFFFD + after) << p;
    EXPECT_EQ(fixed(before + "\xC3\xA9" + after), before + "\xC3\xA9" + after) << p;
    EXPECT_EQ(fixed(before + "\xE2\x82"), before + kFFFD) << p;  // cut short at the end
  }
}

TEST(AppendValidUtf8, OutputIsAlwaysValidForRandomBytes) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> len(0, 40), byte(0, 255), pick(0, 3);
  for (int n = 0; n < 3000; ++n) {
    std::string in;
    int l = len(rng);
    for (int k = 0; k < l; ++k) {
      // Bias towards the interesting bytes: leads, continuations and ASCII.
      int p = pick(rng);
      int b = p == 0 ? 0x80 + byte(rng) % 0x40 : p == 1 ? 0xC0 + byte(rng) % 0x40 : p == 2 ? 'a' + byte(rng) % 26 : byte(rng);
      in.push_back(static_cast<char>(b));
    }
    std::string out = fixed(in);
    ASSERT_TRUE(is_valid_utf8(out)) << "input #" << n;
    if (is_valid_utf8(in)) {
      ASSERT_EQ(out, in) << "valid input #" << n << " was changed";
    } else {
      ASSERT_NE(out.find(kFFFD), std::string::npos) << "invalid input #" << n << " has no U+FFFD";
    }
    // ASCII bytes are never swallowed by a replacement.
    std::size_t ascii_in = 0, ascii_out = 0;
    for (char c : in) ascii_in += static_cast<unsigned char>(c) < 0x80;
    for (char c : out) ascii_out += static_cast<unsigned char>(c) < 0x80;
    ASSERT_EQ(ascii_out, ascii_in) << "input #" << n;
  }
}

// ---- valid_utf8_prefix ----

TEST(ValidUtf8Prefix, ValidTextIsWhole) {
  for (std::string_view s : {"", "plain ascii, longer than eight bytes", "héllo", "日本語", "emoji 😀"})
    EXPECT_EQ(valid_utf8_prefix(s), s.size()) << s;
}

TEST(ValidUtf8Prefix, EndsWhereTheFirstInvalidSequenceBegins) {
  for (std::size_t p = 0; p <= 24; ++p) {  // ASCII is skipped eight bytes at a time
    std::string before(p, 'a');
    EXPECT_EQ(valid_utf8_prefix(before + "\xFFz"), p) << p;
    EXPECT_EQ(valid_utf8_prefix(before + "é\x80z"), p + 2) << p;
    EXPECT_EQ(valid_utf8_prefix(before + "\xE2\x82"), p) << p;  // cut short at the end
  }
}

TEST(ValidUtf8Prefix, AgreesWithTheRepairForRandomBytes) {
  std::mt19937 rng(6789);
  std::uniform_int_distribution<int> len(0, 40), byte(0, 255);
  for (int n = 0; n < 3000; ++n) {
    std::string in;
    for (int k = len(rng); k > 0; --k) in.push_back(static_cast<char>(n % 2 ? 'a' + byte(rng) % 26 : byte(rng)));
    std::size_t ok = valid_utf8_prefix(in);
    ASSERT_TRUE(is_valid_utf8(std::string_view(in).substr(0, ok))) << "input #" << n;
    ASSERT_EQ(ok == in.size(), is_valid_utf8(in)) << "input #" << n;
    ASSERT_EQ(fixed(in).compare(0, ok, in, 0, ok), 0) << "input #" << n;
  }
}

TEST(ValidUtf8Prefix, FindsWhatFollowsAsciiAtEveryOffsetOfItsWideSteps) {
  // ASCII is skipped sixteen, then eight bytes at a time: what follows a run of
  // it must be found at any offset, in the first step or a later one.
  for (std::size_t p = 0; p <= 56; ++p) {
    std::string before(p, 'a'), after(p % 19, 'b');
    EXPECT_EQ(valid_utf8_prefix(before + "\xFF" + after), p) << p;
    EXPECT_EQ(valid_utf8_prefix(before + "\xC3\xA9" + after), p + 2 + after.size()) << p;
    EXPECT_EQ(valid_utf8_prefix(before + "\xE2\x82\xAC\x80" + after), p + 3) << p;  // a stray continuation
    EXPECT_EQ(valid_utf8_prefix(before + "\xF0\x9F\x98"), p) << p;                 // cut short at the end
  }
}

// Where the first invalid sequence begins, found one character at a time by the
// independent validator above: the reference for the word-at-a-time scan.
std::size_t reference_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = 0;
    for (std::size_t k = 1; k <= 4 && i + k <= s.size() && !n; ++k)
      if (is_valid_utf8(s.substr(i, k))) n = k;
    if (!n) break;
    i += n;
  }
  return i;
}

TEST(ValidUtf8Prefix, AgreesWithACharacterAtATimeScanOnLongMostlyAsciiText) {
  std::mt19937 rng(2468);
  std::uniform_int_distribution<int> len(0, 120), pos(0, 119), byte(0x80, 0xFF), count(0, 3);
  const std::string chars[] = {"é", "€", "😀", "\xF4\x90\x80\x80", "\xED\xA0\x80", "\xC0\xAF"};
  for (int n = 0; n < 5000; ++n) {
    std::string in(static_cast<std::size_t>(len(rng)), 'x');
    for (int k = count(rng); k > 0; --k) {  // a few non-ASCII bytes or characters anywhere
      std::size_t at = in.empty() ? 0 : static_cast<std::size_t>(pos(rng)) % in.size();
      if (n % 2)
        in.insert(at, 1, static_cast<char>(byte(rng)));
      else
        in.insert(at, chars[static_cast<std::size_t>(byte(rng)) % std::size(chars)]);
    }
    ASSERT_EQ(valid_utf8_prefix(in), reference_prefix(in)) << "input #" << n;
  }
}

// ---- complete_prefix_len ----

TEST(CompletePrefixLen, EmptyIsZero) { EXPECT_EQ(complete_prefix_len(""), 0u); }

TEST(CompletePrefixLen, CompleteTextIsWhole) {
  EXPECT_EQ(complete_prefix_len("abc"), 3u);
  EXPECT_EQ(complete_prefix_len("abé"), 4u);
  EXPECT_EQ(complete_prefix_len("a€"), 4u);
  EXPECT_EQ(complete_prefix_len("a😀"), 5u);
  EXPECT_EQ(complete_prefix_len("😀"), 4u);
}

TEST(CompletePrefixLen, CutShortCharacterAtTheEndIsLeftOut) {
  EXPECT_EQ(complete_prefix_len("ab\xC3"), 2u);
  EXPECT_EQ(complete_prefix_len("a\xE2"), 1u);
  EXPECT_EQ(complete_prefix_len("a\xE2\x82"), 1u);
  EXPECT_EQ(complete_prefix_len("a\xF0"), 1u);
  EXPECT_EQ(complete_prefix_len("a\xF0\x9F"), 1u);
  EXPECT_EQ(complete_prefix_len("a\xF0\x9F\x98"), 1u);
  EXPECT_EQ(complete_prefix_len("日本\xE8\xAA"), 6u);
}

TEST(CompletePrefixLen, NeverZeroForNonEmptyText) {
  EXPECT_EQ(complete_prefix_len("\xC3"), 1u);
  EXPECT_EQ(complete_prefix_len("\xE2\x82"), 2u);
  EXPECT_EQ(complete_prefix_len("\xF0\x9F\x98"), 3u);
  EXPECT_EQ(complete_prefix_len("\x80"), 1u);
}

TEST(CompletePrefixLen, EveryCutOfAMultibyteTextEndsOnACharacterBoundary) {
  const std::string text = "aé€😀日本語z🎉";
  for (std::size_t n = 1; n <= text.size(); ++n) {
    std::string_view cut(text.data(), n);
    std::size_t len = complete_prefix_len(cut);
    ASSERT_GE(len, 1u);
    ASSERT_LE(len, n);
    EXPECT_GE(len + 3, n) << "at most a cut-short character (<= 3 bytes) is left out";
    EXPECT_TRUE(is_valid_utf8(cut.substr(0, len))) << "cut at " << n << " gives " << len;
    if (is_valid_utf8(cut)) {
      EXPECT_EQ(len, n) << "a complete prefix is kept whole";
    }
  }
}

}  // namespace
}  // namespace pp
