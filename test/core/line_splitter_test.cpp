// Turning a byte stream into whole, valid-UTF-8 lines (docs/logs.md#lines).
#include "core/line_splitter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "core/utf8.hpp"

namespace pp {
namespace {

using Lines = std::vector<std::string>;
const std::string kFFFD = "\xEF\xBF\xBD";

// Collects what the splitter emits.
struct Collector {
  Lines lines;
  LineSplitter::Sink sink() {
    return [this](std::string_view l) { lines.emplace_back(l); };
  }
};

// Feeds `chunks` one after another, then flushes; returns every emitted line.
Lines split(std::initializer_list<std::string_view> chunks, std::size_t max_line = LineSplitter::kMaxLine) {
  LineSplitter s(max_line);
  Collector c;
  for (auto ch : chunks) s.feed(ch, c.sink());
  s.flush(c.sink());
  EXPECT_FALSE(s.has_partial());
  return c.lines;
}

// Feeds `bytes` in pieces of `step` bytes (the last may be shorter), then flushes.
Lines split_in_steps(std::string_view bytes, std::size_t step, std::size_t max_line) {
  LineSplitter s(max_line);
  Collector c;
  for (std::size_t i = 0; i < bytes.size(); i += step) s.feed(bytes.substr(i, step), c.sink());
  s.flush(c.sink());
  return c.lines;
}

// ---- whole lines ----

TEST(LineSplitter, OneLine) { EXPECT_EQ(split({"hello\n"}), Lines{"hello"}); }

TEST(LineSplitter, SeveralLinesInOneChunk) { EXPECT_EQ(split({"a\nbb\nccc\n"}), (Lines{"a", "bb", "ccc"})); }

TEST(LineSplitter, LinesAcrossChunkBoundaries) {
  EXPECT_EQ(split({"hel", "lo\nwor", "ld\n"}), (Lines{"hello", "world"}));
  EXPECT_EQ(split({"a", "", "b", "\n", "\nc\n"}), (Lines{"ab", "", "c"}));
}

TEST(LineSplitter, NewlineIsNotPartOfTheLine) {
  for (const auto& l : split({"x\ny\n\n"})) EXPECT_EQ(l.find('\n'), std::string::npos);
}

TEST(LineSplitter, EmptyLinesAreLines) {
  EXPECT_EQ(split({"\n"}), Lines{""});
  EXPECT_EQ(split({"\n\n\n"}), (Lines{"", "", ""}));
  EXPECT_EQ(split({"a\n\nb\n"}), (Lines{"a", "", "b"}));
}

TEST(LineSplitter, AValidLineIsHandedOnAsTheBytesFedNotACopy) {
  const std::string chunk = "first line\nsecond \xC3\xA9\n";
  LineSplitter s;
  std::vector<const char*> at;
  s.feed(chunk, [&](std::string_view l) { at.push_back(l.data()); });
  EXPECT_EQ(at, (std::vector<const char*>{chunk.data(), chunk.data() + 11}));
}

TEST(LineSplitter, NothingFedNothingEmitted) {
  EXPECT_EQ(split({}), Lines{});
  EXPECT_EQ(split({""}), Lines{});
}

// ---- partial lines ----

TEST(LineSplitter, PartialLineIsHeldUntilFlush) {
  LineSplitter s(16);
  Collector c;
  s.feed("done\nprompt> ", c.sink());
  EXPECT_EQ(c.lines, Lines{"done"});
  EXPECT_TRUE(s.has_partial());
  s.flush(c.sink());
  EXPECT_EQ(c.lines, (Lines{"done", "prompt> "}));
  EXPECT_FALSE(s.has_partial());
}

TEST(LineSplitter, FlushWithNothingHeldEmitsNothing) {
  LineSplitter s;
  Collector c;
  s.flush(c.sink());
  s.feed("a\n", c.sink());
  EXPECT_FALSE(s.has_partial());
  s.flush(c.sink());
  EXPECT_EQ(c.lines, Lines{"a"});
}

TEST(LineSplitter, PartialLineIsCompletedByLaterBytes) {
  LineSplitter s;
  Collector c;
  s.feed("Name: ", c.sink());
  EXPECT_TRUE(c.lines.empty());
  s.feed("Ada\n", c.sink());
  EXPECT_EQ(c.lines, Lines{"Name: Ada"});
  EXPECT_FALSE(s.has_partial());
}

TEST(LineSplitter, FlushThenFeedStartsAFreshLine) {
  LineSplitter s;
  Collector c;
  s.feed("? ", c.sink());
  s.flush(c.sink());
  s.feed("yes\n", c.sink());
  EXPECT_EQ(c.lines, (Lines{"? ", "yes"}));
}

// ---- line endings ----

TEST(LineSplitter, CrlfIsStripped) { EXPECT_EQ(split({"a\r\nb\r\n\r\n"}), (Lines{"a", "b", ""})); }

TEST(LineSplitter, CrlfSplitAcrossChunksIsStripped) { EXPECT_EQ(split({"a\r", "\nb\r", "\n"}), (Lines{"a", "b"})); }

TEST(LineSplitter, OnlyTheCarriageReturnBeforeTheNewlineGoesWhereverTheChunkEnds) {
  EXPECT_EQ(split({"a\r\r\n"}), Lines{"a\r"});
  EXPECT_EQ(split({"a\r", "\r\n"}), Lines{"a\r"});
  EXPECT_EQ(split({"a\r\r", "\n"}), Lines{"a\r"});
}

TEST(LineSplitter, CarriageReturnInsideALineIsContent) {
  EXPECT_EQ(split({"10%\r50%\r100%\n"}), Lines{"10%\r50%\r100%"});
}

// ---- over-long lines ----

TEST(LineSplitter, LineOfExactlyMaxLineIsOneLine) { EXPECT_EQ(split({"abcd\n"}, 4), Lines{"abcd"}); }

TEST(LineSplitter, LongerLineIsSplitAtMaxLine) {
  EXPECT_EQ(split({"abcde\n"}, 4), (Lines{"abcd", "e"}));
  EXPECT_EQ(split({"abcdefghij\n"}, 4), (Lines{"abcd", "efgh", "ij"}));
}

TEST(LineSplitter, LineOfAMultipleOfMaxLineGivesNoEmptyTail) {
  EXPECT_EQ(split({"abcdefgh\nz\n"}, 4), (Lines{"abcd", "efgh", "z"}));
}

TEST(LineSplitter, OverLongPiecesAreEmittedBeforeTheNewlineArrives) {
  LineSplitter s(4);
  Collector c;
  s.feed("abcdefghij", c.sink());
  EXPECT_EQ(c.lines, (Lines{"abcd", "efgh"}));
  EXPECT_TRUE(s.has_partial());
  s.flush(c.sink());
  EXPECT_EQ(c.lines, (Lines{"abcd", "efgh", "ij"}));
}

TEST(LineSplitter, OverLongLineAcrossManyChunks) {
  EXPECT_EQ(split({"ab", "cde", "fghi", "j", "k\nl\n"}, 4), (Lines{"abcd", "efgh", "ijk", "l"}));
}

TEST(LineSplitter, PartialLineOfExactlyMaxLineThenNewline) {
  EXPECT_EQ(split({"abcd", "\n"}, 4), Lines{"abcd"});
  EXPECT_EQ(split({"abcd", "e\n"}, 4), (Lines{"abcd", "e"}));
}

TEST(LineSplitter, CrlfAfterALineOfExactlyMaxLineAddsNoEmptyLine) {
  // "abcd" is not longer than max_line; "\r\n" is its line ending, not content.
  EXPECT_EQ(split({"abcd\r\n"}, 4), Lines{"abcd"});
  EXPECT_EQ(split({"abcd\r\nxy\r\n"}, 4), (Lines{"abcd", "xy"}));
}

TEST(LineSplitter, CarriageReturnAtASplitPointIsKept) {
  // A bare CR inside an over-long line is content; splitting must not drop it.
  Lines got = split({"abc\rdefg\n"}, 4);
  std::string joined;
  for (const auto& l : got) joined += l;
  EXPECT_EQ(joined, "abc\rdefg");
}

// ---- UTF-8 ----

TEST(LineSplitter, MultibyteCharacterIsNeverCutAtASplit) {
  EXPECT_EQ(split({"abc€\n"}, 4), (Lines{"abc", "€"}));
  EXPECT_EQ(split({"ab😀cd\n"}, 4), (Lines{"ab", "😀", "cd"}));
  EXPECT_EQ(split({"aé\n"}, 2), (Lines{"a", "é"}));
}

TEST(LineSplitter, SplitPiecesAreWholeCharactersForEveryMaxLine) {
  const std::string text = "aé€😀日本語z🎉ü𝄞x";
  for (std::size_t max_line = 4; max_line <= 20; ++max_line) {
    for (std::size_t step : {std::size_t{1}, std::size_t{3}, text.size() + 1}) {
      Lines got = split_in_steps(text + "\n", step, max_line);
      std::string joined;
      for (const auto& l : got) {
        EXPECT_LE(l.size(), max_line) << "max_line " << max_line;
        EXPECT_EQ(l.find(kFFFD), std::string::npos) << "a character was cut: max_line " << max_line << " step " << step;
        joined += l;
      }
      EXPECT_EQ(joined, text) << "max_line " << max_line << " step " << step;
    }
  }
}

TEST(LineSplitter, InvalidUtf8IsReplaced) {
  EXPECT_EQ(split({"a\xFF" "b\n"}), Lines{"a" + kFFFD + "b"});
  EXPECT_EQ(split({"\x80\n"}), Lines{kFFFD});
  EXPECT_EQ(split({"end\xC3"}), Lines{"end" + kFFFD}) << "a truncated character in a flushed partial line";
}

TEST(LineSplitter, CharacterSplitAcrossFeedsIsNotReplaced) {
  EXPECT_EQ(split({"\xE2\x82", "\xAC\n"}), Lines{"€"});
  EXPECT_EQ(split({"\xF0", "\x9F", "\x98", "\x80\n"}), Lines{"😀"});
}

TEST(LineSplitter, EmittedLinesHaveNoNewlineAndAreValidUtf8) {
  Lines got = split({"ok\xC0\xAF\nbad\xED\xA0\x80x\n\xFE\xFF\n"});
  ASSERT_EQ(got.size(), 3u);
  for (const auto& l : got) {
    EXPECT_EQ(l.find('\n'), std::string::npos);
    EXPECT_NE(l.find(kFFFD), std::string::npos) << l;
  }
  EXPECT_EQ(got[0].substr(0, 2), "ok");
  EXPECT_EQ(got[1].substr(0, 3), "bad");
  EXPECT_EQ(got[1].back(), 'x');
}

TEST(LineSplitter, ALineAfterAnInvalidOneInTheSameChunkIsJudgedOnItsOwn) {
  // One chunk is checked in one pass up to its first invalid byte; the lines
  // around that byte are each what they would be alone.
  EXPECT_EQ(split({"ok\nbad\xFF\nfine é\n\xA9stray\nlast\n"}),
            (Lines{"ok", "bad" + kFFFD, "fine é", kFFFD + "stray", "last"}));
  EXPECT_EQ(split({"a\n\xE2\x82\nb\n"}), (Lines{"a", kFFFD, "b"})) << "a character cut short by a newline";
}

TEST(LineSplitter, AChunkThatBeginsWithTheRestOfACharacterOfTheLastOne) {
  EXPECT_EQ(split({"x\xC3", "\xA9y\nz\n"}), (Lines{"xéy", "z"}));
  EXPECT_EQ(split({"x\n", "\xA9y\nz\n"}), (Lines{"x", kFFFD + "y", "z"})) << "no character began before it";
}

// ---- chunking does not matter ----

TEST(LineSplitter, ByteAtATimeGivesTheSameLinesAsOneChunk) {
  const std::string input =
      "plain\n\n"
      "crlf line\r\n"
      "bare\rcr\n"
      "over-long line with é and 😀 inside it\n"
      "exactly8\n"
      "nine char\n"
      "bad \xFF byte and cut \xE2\x82 char\n"
      "日本語のテキスト\n"
      "tail without newline é";
  const std::size_t max_line = 8;
  Lines whole = split_in_steps(input, input.size(), max_line);
  ASSERT_GT(whole.size(), 10u);
  for (std::size_t step = 1; step <= 9; ++step)
    EXPECT_EQ(split_in_steps(input, step, max_line), whole) << "step " << step;
  EXPECT_EQ(whole[0], "plain");
  EXPECT_EQ(whole[1], "");
  EXPECT_EQ(whole[2], "crlf lin");
  EXPECT_EQ(whole[3], "e");
}

TEST(LineSplitter, ByteAtATimeAtDefaultSize) {
  std::string input;
  for (int i = 0; i < 50; ++i) input += "line " + std::to_string(i) + (i % 3 ? "\n" : "\r\n");
  input += "partial";
  Lines whole = split_in_steps(input, input.size(), LineSplitter::kMaxLine);
  ASSERT_EQ(whole.size(), 51u);
  EXPECT_EQ(whole[0], "line 0");
  EXPECT_EQ(whole[50], "partial");
  EXPECT_EQ(split_in_steps(input, 1, LineSplitter::kMaxLine), whole);
}

TEST(LineSplitter, RandomChunksAgreeWithRepairingEachLineOnItsOwn) {
  // The reference: cut the whole stream at its newlines, drop a '\r' before one,
  // and repair each line alone. Chunks of random sizes cut characters, "\r\n"
  // and invalid sequences anywhere.
  std::mt19937 rng(97531);
  const std::string pieces[] = {"abc", "hello world ", "\n", "\r\n", "\r", "é", "€", "😀", "\xFF", "\x80",
                                "\xE2\x82", "\xED\xA0\x80", "\xF0\x9F", "0123456789abcdef0123456789"};
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1), count(0, 60), step(1, 70);
  for (int n = 0; n < 2000; ++n) {
    std::string in;
    for (std::size_t k = count(rng); k > 0; --k) in += pieces[pick(rng)];
    in += "\n";
    Lines want;
    std::size_t from = 0;
    for (std::size_t nl = in.find('\n'); nl != std::string::npos; from = nl + 1, nl = in.find('\n', from)) {
      std::string_view line(in.data() + from, nl - from);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      want.emplace_back();
      append_valid_utf8(want.back(), line);
    }
    LineSplitter s;
    Collector c;
    for (std::size_t i = 0; i < in.size();) {
      std::size_t len = std::min(step(rng), in.size() - i);
      s.feed(std::string_view(in).substr(i, len), c.sink());
      i += len;
    }
    ASSERT_FALSE(s.has_partial());
    ASSERT_EQ(c.lines, want) << "input #" << n;
  }
}

// ---- default 64 KiB limit ----

TEST(LineSplitter, DefaultLimitIs64KiB) {
  EXPECT_EQ(LineSplitter::kMaxLine, 65536u);
  const std::string full(65536, 'x');
  EXPECT_EQ(split({full + "\n"}), Lines{full});
  EXPECT_EQ(split({full + "yz\n"}), (Lines{full, "yz"}));
  const std::string twice(2 * 65536, 'q');
  const std::string half(65536, 'q');
  EXPECT_EQ(split({twice + "\n"}), (Lines{half, half}));
}

TEST(LineSplitter, DefaultLimitDoesNotCutACharacter) {
  const std::string head(65535, 'x');
  Lines got = split({head + "é tail\n"});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], head);
  EXPECT_EQ(got[1], "é tail");
}

}  // namespace
}  // namespace pp
