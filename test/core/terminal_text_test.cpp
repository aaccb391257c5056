// The terminal-text stripper (docs/logs.md#terminal-text), including hostile input.
#include "core/terminal_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <string>

namespace pp {
namespace {

// Feeds `chunks` one after another, then flushes; returns the clean text.
std::string clean(std::initializer_list<std::string_view> chunks) {
  TerminalText t;
  std::string out;
  for (auto c : chunks) t.feed(c, out);
  t.flush(out);
  EXPECT_FALSE(t.has_partial());
  return out;
}

// Every way of cutting `raw` in two gives the same text as feeding it whole.
void expect_split_invariant(const std::string& raw) {
  std::string whole = clean({raw});
  for (std::size_t i = 0; i <= raw.size(); ++i)
    EXPECT_EQ(clean({std::string_view(raw).substr(0, i), std::string_view(raw).substr(i)}), whole) << "cut at " << i;
}

TEST(TerminalText, PlainLinesPassThrough) {
  EXPECT_EQ(clean({"one\ntwo\n"}), "one\ntwo\n");
  EXPECT_EQ(clean({"tab\there\n"}), "tab\there\n");
  EXPECT_EQ(clean({"no newline"}), "no newline\n");
  EXPECT_EQ(clean({"\n\n"}), "\n\n");
  EXPECT_EQ(clean({"gr\xC3\xBC\xC3\x9F\n"}), "gr\xC3\xBC\xC3\x9F\n");
}

TEST(TerminalText, ColoursAndOtherCsiAreRemoved) {
  EXPECT_EQ(clean({"\x1b[1;31mred\x1b[0m and \x1b[38;5;208morange\x1b[m\n"}), "red and orange\n");
  EXPECT_EQ(clean({"\x1b[2J\x1b[H\x1b[?25lscreen\x1b[?25h\n"}), "screen\n");
}

TEST(TerminalText, OscEndsAtBelOrSt) {
  EXPECT_EQ(clean({"\x1b]0;title\x07text\n"}), "text\n");
  EXPECT_EQ(clean({"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n"}), "link\n");
  EXPECT_EQ(clean({"\x1bPdcs data\x1b\\after\n"}), "after\n");
}

TEST(TerminalText, OtherEscapeSequencesAreRemoved) {
  EXPECT_EQ(clean({"\x1b(Bcharset\x1b" "7saved\x1b" "8\x1b=\n"}), "charsetsaved\n");
}

TEST(TerminalText, CarriageReturnKeepsTheFinalContent) {
  EXPECT_EQ(clean({"10%\r50%\r100%\n"}), "100%\n");
  EXPECT_EQ(clean({"done\r\n"}), "done\n");
  EXPECT_EQ(clean({"spin |\r\x1b[Kspin /\r\x1b[2Kfinished\n"}), "finished\n");
  EXPECT_EQ(clean({"partial\r"}), "partial\n");
}

TEST(TerminalText, BackspacesApply) {
  EXPECT_EQ(clean({"abc\b\bX\n"}), "aX\n");
  EXPECT_EQ(clean({"typo\b \b\b \bo\n"}), "tyo\n");
  EXPECT_EQ(clean({"\b\bstart\n"}), "start\n");
  EXPECT_EQ(clean({"\xC3\xBC\bu\n"}), "u\n");  // a whole UTF-8 character goes
}

TEST(TerminalText, OtherControlsAreDropped) { EXPECT_EQ(clean({"be\x07l\x0el\x7f\n"}), "bell\n"); }

TEST(TerminalText, SequencesSplitAcrossChunks) {
  EXPECT_EQ(clean({"\x1b", "[3", "1m", "red\x1b[", "0m\n"}), "red\n");
  EXPECT_EQ(clean({"\x1b]0;ti", "tle\x1b", "\\text\n"}), "text\n");
  expect_split_invariant("a\x1b[1;32mgreen\x1b[0m\x1b]0;t\x07 b\r c\b\x1b]8;;u\x1b\\d\n\xC3\xBC\n");
}

TEST(TerminalText, LoneAndUnterminatedSequences) {
  EXPECT_EQ(clean({"text\x1b"}), "text\n");       // a lone ESC at the end
  EXPECT_EQ(clean({"\x1b\x1b[31mx\n"}), "x\n");   // ESC ESC
  EXPECT_EQ(clean({"\x1b[31"}), "");              // cut in the middle
  EXPECT_EQ(clean({"\x1b]0;never ends\nnext line\n"}), "\nnext line\n");  // a newline ends it
  EXPECT_EQ(clean({"\x1b[12\n34m\n"}), "\n\n");   // a control inside CSI still acts
}

TEST(TerminalText, AMegabyteOscCostsNothing) {
  std::string osc = "\x1b]0;" + std::string(1 << 20, 'x');
  TerminalText t;
  std::string out;
  for (std::size_t i = 0; i < osc.size(); i += 4096) t.feed(std::string_view(osc).substr(i, 4096), out);
  EXPECT_EQ(out, "");
  EXPECT_FALSE(t.has_partial());
  t.feed("\x07visible\n", out);
  EXPECT_EQ(out, "visible\n");
}

TEST(TerminalText, LongLinesArePiecedWithoutSplittingCharacters) {
  std::string line;
  while (line.size() < TerminalText::kMaxLine + 10) line += "\xC3\xBC";
  std::string out = clean({line + "\n"});
  auto nl = out.find('\n');
  ASSERT_NE(nl, std::string::npos);
  EXPECT_LE(nl, TerminalText::kMaxLine);
  EXPECT_EQ(nl % 2, 0u);
  EXPECT_EQ(out.size(), line.size() + 2);
}

TEST(TerminalText, ALineWithACarriageReturnIsBeingRedrawnUntilItEnds) {
  TerminalText t;
  std::string out;
  t.feed("Proceed? ", out);
  EXPECT_TRUE(t.has_partial());
  EXPECT_FALSE(t.redrawing());
  t.feed("\r", out);
  EXPECT_TRUE(t.redrawing());
  t.feed("\r 40% ####", out);
  EXPECT_TRUE(t.redrawing());
  t.feed("\n", out);
  EXPECT_FALSE(t.redrawing());
  EXPECT_EQ(out, " 40% ####\n");
}

TEST(TerminalText, PlainTextRunsAreCutLikeSingleBytes) {
  // The bulk path near the 64 KiB cut gives the same pieces as byte by byte.
  std::string line(TerminalText::kMaxLine - 3, 'a');
  line += "\xc3\xa9\xc3\xa9" "bbbb\n";
  TerminalText whole, bytewise;
  std::string a, b;
  whole.feed(line, a);
  for (char c : line) bytewise.feed({&c, 1}, b);
  EXPECT_EQ(a, b);
}

TEST(TerminalText, LinearOnHostileInput) {
  // Many carriage returns, backspaces and sequences: done in well under a second.
  std::string bad;
  for (int i = 0; i < 200000; ++i) bad += "xxxxxxxx\r\b\x1b[1;2;3;4;5;6;7;8;9m\x1b]0;\x1b";
  auto t0 = std::chrono::steady_clock::now();
  std::string out = clean({bad});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_LE(out.size(), 16u);
}

}  // namespace
}  // namespace pp
