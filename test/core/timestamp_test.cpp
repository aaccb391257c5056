// Log time stamps: formatting (ISO-8601 UTC, milliseconds, Z) and parsing of time filters.
#include "core/timestamp.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace pp {
namespace {

constexpr Millis kExample = 1751812221123;   // 2025-07-06T14:30:21.123Z
constexpr Millis kDay = 86400000;

// ---- format_iso_ms ----

TEST(FormatIsoMs, Epoch) { EXPECT_EQ(format_iso_ms(0), "1970-01-01T00:00:00.000Z"); }

TEST(FormatIsoMs, SpecExample) { EXPECT_EQ(format_iso_ms(kExample), "2025-07-06T14:30:21.123Z"); }

TEST(FormatIsoMs, MillisecondsAreZeroPadded) {
  EXPECT_EQ(format_iso_ms(1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(format_iso_ms(10), "1970-01-01T00:00:00.010Z");
  EXPECT_EQ(format_iso_ms(999), "1970-01-01T00:00:00.999Z");
  EXPECT_EQ(format_iso_ms(1000), "1970-01-01T00:00:01.000Z");
}

TEST(FormatIsoMs, LeapDays) {
  EXPECT_EQ(format_iso_ms(1709251199999), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(format_iso_ms(1709251199999 + 1), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_ms(951825600000), "2000-02-29T12:00:00.000Z");
}

TEST(FormatIsoMs, YearAndCenturyBoundaries) {
  EXPECT_EQ(format_iso_ms(946684799999), "1999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso_ms(946684800000), "2000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_ms(2147483648000), "2038-01-19T03:14:08.000Z") << "past the 32-bit time_t limit";
}

TEST(FormatIsoMs, NegativeMillisAreBeforeTheEpoch) {
  EXPECT_EQ(format_iso_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso_ms(-999), "1969-12-31T23:59:59.001Z");
  EXPECT_EQ(format_iso_ms(-1000), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_iso_ms(-1001), "1969-12-31T23:59:58.999Z");
  EXPECT_EQ(format_iso_ms(-kDay), "1969-12-31T00:00:00.000Z");
}

TEST(FormatIsoMs, AlwaysStampLenCharacters) {
  for (Millis t : {Millis{0}, Millis{1}, kExample, Millis{-1}, Millis{253402300799999} /* 9999-12-31 */}) {
    EXPECT_EQ(format_iso_ms(t).size(), kStampLen) << t;
  }
  EXPECT_EQ(format_iso_ms(253402300799999), "9999-12-31T23:59:59.999Z");
}

// ---- parse_iso: accepted forms ----

TEST(ParseIso, FullStampWithZ) { EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123Z"), kExample); }

TEST(ParseIso, NoZoneMeansUtc) { EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123"), kExample); }

TEST(ParseIso, PositiveOffsetWithColon) { EXPECT_EQ(parse_iso("2025-07-06T16:30:21.123+02:00"), kExample); }

TEST(ParseIso, NegativeOffsetWithoutColon) { EXPECT_EQ(parse_iso("2025-07-06T09:00:21.123-0530"), kExample); }

TEST(ParseIso, OffsetHoursOnly) { EXPECT_EQ(parse_iso("2025-07-06T16:30:21.123+02"), kExample); }

TEST(ParseIso, ZeroOffsetEqualsZ) {
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123+00:00"), kExample);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123-00:00"), kExample);
}

TEST(ParseIso, OffsetCrossesTheDateLine) {
  EXPECT_EQ(parse_iso("2025-07-07T01:30:21.123+11:00"), kExample);
  EXPECT_EQ(parse_iso("2025-07-05T23:30:21.123-15:00"), kExample);
}

TEST(ParseIso, FractionOfOneToNineDigits) {
  const Millis base = kExample - 123;  // 2025-07-06T14:30:21.000Z
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.1Z"), base + 100);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.12Z"), base + 120);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.1230Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.12300Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123000Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.1230000Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.12300000Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123000000Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.123456789Z"), base + 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.000000001"), base);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21.5+00:00"), base + 500);
}

TEST(ParseIso, WithoutFractionOrSeconds) {
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21Z"), kExample - 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30:21"), kExample - 123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30"), kExample - 21123);
  EXPECT_EQ(parse_iso("2025-07-06T14:30Z"), kExample - 21123);
}

TEST(ParseIso, DateOnlyIsMidnightUtc) {
  EXPECT_EQ(parse_iso("2025-07-06"), 1751760000000);
  EXPECT_EQ(parse_iso("1970-01-01"), 0);
}

TEST(ParseIso, SpaceSeparatorIsLikeT) {
  EXPECT_EQ(parse_iso("2025-07-06 14:30:21.123"), kExample);
  EXPECT_EQ(parse_iso("2025-07-06 14:30:21.123Z"), kExample);
}

TEST(ParseIso, LeapDaysAccepted) {
  EXPECT_EQ(parse_iso("2024-02-29T23:59:59.999Z"), 1709251199999);
  EXPECT_EQ(parse_iso("2000-02-29T12:00:00Z"), 951825600000);
}

TEST(ParseIso, EndOfDayEdges) {
  EXPECT_EQ(parse_iso("2025-07-06T23:59:59.999Z"), 1751760000000 + kDay - 1);
  EXPECT_EQ(parse_iso("2025-07-06T00:00:00.000Z"), 1751760000000);
}

TEST(ParseIso, BeforeTheEpochIsNegative) {
  EXPECT_EQ(parse_iso("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(parse_iso("1969-12-31"), -kDay);
}

// ---- parse_iso: rejected forms ----

TEST(ParseIso, RejectsEmptyAndGarbage) {
  for (const char* s : {"", " ", "garbage", "now", "1751812221123", "T14:30:21Z", "Z"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << "[" << s << "]";
  }
}

TEST(ParseIso, RejectsOutOfRangeDates) {
  for (const char* s : {"2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32", "2025-02-30", "2025-02-29",
                        "1900-02-29", "2025-04-31", "2025-06-31", "2025-09-31", "2025-11-31"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << s;
  }
}

TEST(ParseIso, RejectsOutOfRangeTimes) {
  for (const char* s : {"2025-07-06T24:00:00Z", "2025-07-06T25:00", "2025-07-06T14:60", "2025-07-06T14:30:61",
                        "2025-07-06T14:30:99Z"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << s;
  }
}

TEST(ParseIso, RejectsMalformedFields) {
  for (const char* s : {"2025-7-06", "2025-07-6", "25-07-06", "2025/07/06", "20250706", "2025-07-06T",
                        "2025-07-06T14", "2025-07-06T1:30", "2025-07-06T14:3", "2025-07-06T14:30:2",
                        "2025-07-06T14:30:21.", "2025-07-06T14:30:21.Z", "2025-07-06T14:30:21,", "2025-07-06X14:30",
                        "2025-07-06T14:30:21.12a", "2025-07-06  14:30"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << s;
  }
}

TEST(ParseIso, RejectsMalformedOffsets) {
  for (const char* s : {"2025-07-06T14:30:21+", "2025-07-06T14:30:21+2", "2025-07-06T14:30:21+2:00",
                        "2025-07-06T14:30:21+02:0", "2025-07-06T14:30:21+02:", "2025-07-06T14:30:21+24:00",
                        "2025-07-06T14:30:21+02:60", "2025-07-06T14:30:21+020", "2025-07-06T14:30:21ZZ",
                        "2025-07-06T14:30:21Z+02:00"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << s;
  }
}

TEST(ParseIso, RejectsTrailingJunk) {
  for (const char* s : {"2025-07-06T14:30:21.123Z ", "2025-07-06T14:30:21.123Zx", "2025-07-06T14:30:21.123 x",
                        "2025-07-06x", "2025-07-06T14:30:21+02:00:00", " 2025-07-06"}) {
    EXPECT_EQ(parse_iso(s), std::nullopt) << "[" << s << "]";
  }
}

// ---- round trip ----

TEST(TimestampRoundTrip, FormatThenParseGivesTheSameMillis) {
  const std::vector<Millis> values = {0,           1,           999,           1000,           kExample,
                                      1709251199999, 951825600000, 946684799999, 2147483648000, 253402300799999,
                                      -1,          -1000,       -1001,         -kDay,          1234567890123};
  for (Millis t : values) {
    EXPECT_EQ(parse_iso(format_iso_ms(t)), t) << format_iso_ms(t);
  }
}

TEST(TimestampRoundTrip, EveryMillisecondOfASecondAndEveryDayOfALeapYear) {
  const Millis second = kExample - 123;
  for (Millis ms = 0; ms < 1000; ++ms) ASSERT_EQ(parse_iso(format_iso_ms(second + ms)), second + ms);
  const Millis jan1_2024 = 1704067200000;
  for (int d = 0; d < 366; ++d) {
    Millis t = jan1_2024 + d * kDay + 45296789;  // 12:34:56.789 each day
    ASSERT_EQ(parse_iso(format_iso_ms(t)), t) << format_iso_ms(t);
  }
  EXPECT_EQ(format_iso_ms(jan1_2024 + 366 * kDay), "2025-01-01T00:00:00.000Z");
}

// ---- parse_line_stamp ----

TEST(ParseLineStamp, ReadsTheStampAtTheStartOfALogLine) {
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z listening on :5173"), kExample);
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z listening on :5173\n"), kExample);
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z [SYSTEM] started"), kExample);
}

TEST(ParseLineStamp, StampWithEmptyText) {
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z "), kExample);
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z"), kExample);
}

TEST(ParseLineStamp, TextThatLooksLikeAStampDoesNotConfuseIt) {
  EXPECT_EQ(parse_line_stamp("2025-07-06T14:30:21.123Z 1999-01-01T00:00:00.000Z"), kExample);
}

TEST(ParseLineStamp, NoStampGivesNothing) {
  for (const char* s : {"", "\n", "hello world", "[SYSTEM] started", "2025-07-06T14:30:21.12Z short",
                        "2025-07-06T14:30:21.123 no zone", "2025-07-06T14:30:21+0000 offset form",
                        "2025-13-06T14:30:21.123Z bad month", "2025-07-06T14:30:21.123", "xxxx-07-06T14:30:21.123Z x"}) {
    EXPECT_EQ(parse_line_stamp(s), std::nullopt) << "[" << s << "]";
  }
}

TEST(ParseLineStamp, FormattedStampsParseBack) {
  for (Millis t : {Millis{0}, kExample, Millis{1709251199999}}) {
    EXPECT_EQ(parse_line_stamp(format_iso_ms(t) + " text\n"), t);
  }
}

}  // namespace
}  // namespace pp
