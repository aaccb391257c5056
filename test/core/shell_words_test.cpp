// POSIX shell word splitting (no expansions) and the quoting that inverts it.
#include "core/shell_words.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pp {
namespace {

using Words = std::vector<std::string>;

// Splits and expects success.
Words split_ok(std::string_view text) {
  SplitResult r = shell_split(text);
  EXPECT_EQ(r.error, "") << "input: [" << text << "]";
  return r.words;
}

bool split_fails(std::string_view text) { return !shell_split(text).error.empty(); }

// ---- plain words and separators ----

TEST(ShellSplit, EmptyAndBlankTextGiveNoWords) {
  EXPECT_EQ(split_ok(""), Words{});
  EXPECT_EQ(split_ok("   "), Words{});
  EXPECT_EQ(split_ok(" \t\n "), Words{});
}

TEST(ShellSplit, SpacesSeparateWords) { EXPECT_EQ(split_ok("npm run dev"), (Words{"npm", "run", "dev"})); }

TEST(ShellSplit, RunsOfWhitespaceAndLeadingTrailingBlanksAreIgnored) {
  EXPECT_EQ(split_ok("  ls    -la   /tmp  "), (Words{"ls", "-la", "/tmp"}));
}

TEST(ShellSplit, TabsAndNewlinesSeparateWords) {
  EXPECT_EQ(split_ok("a\tb\nc"), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_ok("\ta \n\t b\n"), (Words{"a", "b"}));
}

TEST(ShellSplit, NoExpansionsDollarAndGlobStayLiteral) {
  EXPECT_EQ(split_ok("echo $HOME *.txt ~ `ls`"), (Words{"echo", "$HOME", "*.txt", "~", "`ls`"}));
}

TEST(ShellSplit, NonAsciiBytesArePartOfWords) {
  EXPECT_EQ(split_ok("echo héllo 日本語 😀"), (Words{"echo", "héllo", "日本語", "😀"}));
}

// ---- single quotes ----

TEST(ShellSplit, SingleQuotesKeepWhitespaceInOneWord) {
  EXPECT_EQ(split_ok("echo 'a b\tc'"), (Words{"echo", "a b\tc"}));
}

TEST(ShellSplit, SingleQuotesAreFullyLiteral) {
  EXPECT_EQ(split_ok(R"('a\b"c$d`e`')"), (Words{R"(a\b"c$d`e`)"}));
  EXPECT_EQ(split_ok(R"('\')"), (Words{"\\"}));
  EXPECT_EQ(split_ok("'line1\nline2'"), (Words{"line1\nline2"}));
  EXPECT_EQ(split_ok("'a\\\nb'"), (Words{"a\\\nb"})) << "backslash-newline is literal inside single quotes";
}

TEST(ShellSplit, SingleQuoteInsideWordViaCloseEscapeReopen) {
  EXPECT_EQ(split_ok(R"('it'\''s')"), (Words{"it's"}));
}

// ---- double quotes ----

TEST(ShellSplit, DoubleQuotesKeepWhitespaceInOneWord) {
  EXPECT_EQ(split_ok(R"(echo "a b  c")"), (Words{"echo", "a b  c"}));
}

TEST(ShellSplit, DoubleQuotesHonourTheFourEscapes) {
  EXPECT_EQ(split_ok(R"("a\\b")"), (Words{R"(a\b)"}));
  EXPECT_EQ(split_ok(R"("say \"hi\"")"), (Words{R"(say "hi")"}));
  EXPECT_EQ(split_ok(R"("\$HOME")"), (Words{"$HOME"}));
  EXPECT_EQ(split_ok(R"("\`ls\`")"), (Words{"`ls`"}));
}

TEST(ShellSplit, DoubleQuotesKeepOtherBackslashesLiterally) {
  EXPECT_EQ(split_ok(R"("a\b")"), (Words{R"(a\b)"}));
  EXPECT_EQ(split_ok(R"("\n\t\'")"), (Words{R"(\n\t\')"}));
  EXPECT_EQ(split_ok(R"("C:\Users\me")"), (Words{R"(C:\Users\me)"}));
}

TEST(ShellSplit, DoubleQuotesKeepDollarAndSingleQuoteLiterally) {
  EXPECT_EQ(split_ok(R"("$HOME it's")"), (Words{"$HOME it's"}));
}

TEST(ShellSplit, BackslashNewlineVanishesInsideDoubleQuotes) {
  EXPECT_EQ(split_ok("\"ab\\\ncd\""), (Words{"abcd"}));
}

TEST(ShellSplit, NewlineInsideDoubleQuotesIsKept) { EXPECT_EQ(split_ok("\"a\nb\""), (Words{"a\nb"})); }

// ---- unquoted backslash ----

TEST(ShellSplit, UnquotedBackslashQuotesTheNextCharacter) {
  EXPECT_EQ(split_ok(R"(a\ b)"), (Words{"a b"}));
  EXPECT_EQ(split_ok(R"(\'x\")"), (Words{R"('x")"}));
  EXPECT_EQ(split_ok(R"(\\)"), (Words{"\\"}));
  EXPECT_EQ(split_ok(R"(\n)"), (Words{"n"}));
  EXPECT_EQ(split_ok(R"(\$HOME)"), (Words{"$HOME"}));
  EXPECT_EQ(split_ok("a\\\tb"), (Words{"a\tb"}));
}

TEST(ShellSplit, UnquotedBackslashNewlineJoinsTheLine) {
  EXPECT_EQ(split_ok("ab\\\ncd"), (Words{"abcd"}));
  EXPECT_EQ(split_ok("ab \\\n cd"), (Words{"ab", "cd"}));
}

TEST(ShellSplit, BackslashNewlineAloneMakesNoWord) { EXPECT_EQ(split_ok("a \\\n b"), (Words{"a", "b"})); }

// ---- word concatenation and empty words ----

TEST(ShellSplit, AdjacentQuotedAndUnquotedPiecesFormOneWord) {
  EXPECT_EQ(split_ok(R"(a'b'"c")"), (Words{"abc"}));
  EXPECT_EQ(split_ok(R"(--name="my app"'!' x)"), (Words{"--name=my app!", "x"}));
  EXPECT_EQ(split_ok(R"('a'\ "b")"), (Words{"a b"}));
}

TEST(ShellSplit, EmptyQuotesMakeEmptyWords) {
  EXPECT_EQ(split_ok("''"), (Words{""}));
  EXPECT_EQ(split_ok(R"("")"), (Words{""}));
  EXPECT_EQ(split_ok(R"(a '' "" b)"), (Words{"a", "", "", "b"}));
}

TEST(ShellSplit, EmptyQuotesNextToTextAddNothing) {
  EXPECT_EQ(split_ok(R"(a''b "")"), (Words{"ab", ""}));
}

// ---- errors ----

TEST(ShellSplit, UnterminatedSingleQuoteIsAnError) {
  EXPECT_TRUE(split_fails("'abc"));
  EXPECT_TRUE(split_fails("echo 'a b"));
  EXPECT_TRUE(split_fails("'"));
}

TEST(ShellSplit, UnterminatedDoubleQuoteIsAnError) {
  EXPECT_TRUE(split_fails("\"abc"));
  EXPECT_TRUE(split_fails(R"("abc\")")) << "the escaped quote does not close";
  EXPECT_TRUE(split_fails(R"("abc\)"));
  EXPECT_TRUE(split_fails("\""));
}

TEST(ShellSplit, TrailingBackslashIsAnError) {
  EXPECT_TRUE(split_fails("abc\\"));
  EXPECT_TRUE(split_fails("\\"));
  EXPECT_TRUE(split_fails("echo a \\"));
}

TEST(ShellSplit, QuotesOfTheOtherKindDoNotTerminate) {
  EXPECT_TRUE(split_fails(R"('abc")"));
  EXPECT_TRUE(split_fails(R"("abc')"));
}

// ---- quoting ----

TEST(ShellQuote, PlainWordsAreLeftAsTheyAre) {
  EXPECT_EQ(shell_quote("ls"), "ls");
  EXPECT_EQ(shell_quote("/usr/bin/env"), "/usr/bin/env");
  EXPECT_EQ(shell_quote("--port=8080"), "--port=8080");
}

TEST(ShellQuote, EmptyWordIsQuoted) {
  EXPECT_FALSE(shell_quote("").empty());
  EXPECT_EQ(split_ok(shell_quote("")), (Words{""}));
}

const Words& tricky_words() {
  static const Words w = {
      "",          " ",        "a b",        "  lead and trail  ", "it's",      "'",          "''",
      "\"",        R"(say "hi")", "$HOME",    "${X:-y}",            "`ls`",      "$(rm -rf /)", "\\",
      "\\\\",      R"(a\nb)",   "trail\\",    "tab\there",          "new\nline", "cr\rhere",   "back\\\nslash-newline",
      "héllo wörld", "日本語",  "emoji 😀",    "-v",                 "--flag=x y", "a=b",        "~",
      "*",         "?",         "[abc]",      "!",                  "#comment",  "semi;colon", "pipe|x",
      "&",         "(sub)",     "<in >out",   "{a,b}",              "%",         "\xff\xfe",   "mixed 'single' \"double\" $dollar \\back",
  };
  return w;
}

TEST(ShellQuote, EachTrickyWordSurvivesQuoteThenSplit) {
  for (const auto& w : tricky_words()) {
    SplitResult r = shell_split(shell_quote(w));
    EXPECT_EQ(r.error, "") << "word: [" << w << "] quoted: [" << shell_quote(w) << "]";
    EXPECT_EQ(r.words, Words{w}) << "quoted: [" << shell_quote(w) << "]";
  }
}

TEST(ShellJoin, JoinThenSplitGivesTheWordsBack) {
  const Words& v = tricky_words();
  SplitResult r = shell_split(shell_join(v));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.words, v);
}

TEST(ShellJoin, JoinThenSplitForSmallVectors) {
  const std::vector<Words> cases = {
      {},
      {""},
      {"", ""},
      {"echo", "a b"},
      {"sh", "-c", "echo \"$1\" 'x'", "--", "arg with spaces"},
      {"python3", "-c", "print('hi')\nprint(\"there\")"},
  };
  for (const auto& v : cases) {
    SplitResult r = shell_split(shell_join(v));
    EXPECT_EQ(r.error, "") << "joined: [" << shell_join(v) << "]";
    EXPECT_EQ(r.words, v) << "joined: [" << shell_join(v) << "]";
  }
}

TEST(ShellJoin, PlainWordsAreJoinedWithSingleSpaces) {
  EXPECT_EQ(shell_join({"npm", "run", "dev"}), "npm run dev");
  EXPECT_EQ(shell_join({}), "");
}

}  // namespace
}  // namespace pp
