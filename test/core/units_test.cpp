// Command-line sizes and durations: `--max-log-size 64M`, `--log-retention 7d`.
#include "core/units.hpp"

#include <gtest/gtest.h>

namespace pp {
namespace {

using namespace std::chrono_literals;

TEST(ParseByteSize, PlainBytes) {
  EXPECT_EQ(parse_byte_size("0"), 0u);
  EXPECT_EQ(parse_byte_size("1"), 1u);
  EXPECT_EQ(parse_byte_size("1048576"), 1048576u);
}

TEST(ParseByteSize, SuffixesAreBinary) {
  EXPECT_EQ(parse_byte_size("4K"), 4096u);
  EXPECT_EQ(parse_byte_size("64M"), 64u << 20);
  EXPECT_EQ(parse_byte_size("2G"), 2ull << 30);
  EXPECT_EQ(parse_byte_size("64m"), 64u << 20);
  EXPECT_EQ(parse_byte_size("64MB"), 64u << 20);
  EXPECT_EQ(parse_byte_size("64MiB"), 64u << 20);
  EXPECT_EQ(parse_byte_size("1kib"), 1024u);
}

TEST(ParseByteSize, RejectsNonsense) {
  for (const char* bad : {"", "M", "-1", "+5", "1.5M", "10T", "10 M", " 10", "10M ", "10MM", "10Mi", "10MiBs", "abc",
                          "0x10", "1e6", "99999999999999999999", "5000000000G"})
    EXPECT_FALSE(parse_byte_size(bad)) << bad;
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(parse_duration("7d"), std::chrono::seconds(7 * 86400));
  EXPECT_EQ(parse_duration("12h"), 12h);
  EXPECT_EQ(parse_duration("30m"), 30min);
  EXPECT_EQ(parse_duration("45s"), 45s);
  EXPECT_EQ(parse_duration("0"), 0s);
}

TEST(ParseDuration, APlainNumberIsDays) { EXPECT_EQ(parse_duration("3"), std::chrono::seconds(3 * 86400)); }

TEST(ParseDuration, RejectsNonsense) {
  for (const char* bad : {"", "d", "-1d", "1.5d", "7D", "7 d", "7dd", "7days", "1w", "3x", "99999999999999999999",
                          "100000d"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
}

// The flag and its environment variable refuse a value in the same words.
TEST(UnitProblems, QuoteTheValueAndShowWhatWouldDo) {
  EXPECT_EQ(byte_size_problem("64M"), "");
  EXPECT_EQ(byte_size_problem("huge"), "'huge' is not a size (try 64M, 512K, 1G or bytes)");
  EXPECT_EQ(duration_problem("7d"), "");
  EXPECT_EQ(duration_problem("forever"), "'forever' is not a duration (try 7d, 12h, 30m or days)");
}

}  // namespace
}  // namespace pp
