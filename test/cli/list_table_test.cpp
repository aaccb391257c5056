// `list`'s table at fixed widths, against golden text: the columns, NAME cut with an
// ellipsis to fit, statuses with their exit codes and signals, uptimes and "ago",
// RESTARTS (0 when the result has none), colour only when asked for.
#include "cli/list_table.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace pp::cli {
namespace {

namespace json = boost::json;

const Millis kNow = *parse_iso("2026-01-02T03:04:05Z");

json::object listed() {
  return json::parse(R"({"processes":[
    {"pid":4242,"label":"npm run dev in /home/me/projects/website","status":"running","exit_code":null,
     "uptime_s":3723,"end_time":null,"ports":[5173,24678],"rss_bytes":131072000,"restarts":2},
    {"pid":77,"label":"worker","status":"exited","exit_code":3,"uptime_s":null,
     "end_time":"2026-01-02T02:59:05Z","ports":[],"rss_bytes":null,"restarts":0},
    {"pid":123456,"label":"db \u00e9t\u00e9","status":"terminated","exit_code":-15,"uptime_s":null,
     "end_time":"2026-01-01T03:04:05Z","ports":[],"rss_bytes":null},
    {"pid":9,"label":"ok","status":"exited","exit_code":0,"uptime_s":null,
     "end_time":"2026-01-02T03:04:00Z","ports":[],"rss_bytes":null,"restarts":0}
  ]})")
      .as_object();
}

TEST(ListTable, EightyColumnsCutsTheNameToFit) {
  EXPECT_EQ(format_list_table(listed(), {80, false, kNow}),
            "   PID  NAME       STATUS                UPTIME     PORTS       MEM     RESTARTS\n"
            "  4242  npm run \u2026  running               1h02m      5173,24678  125.0M         2\n"
            "    77  worker     exited (3)            5m00s ago  -           -              0\n"
            "123456  db \u00e9t\u00e9     terminated (SIGTERM)  1d00h ago  -           -              0\n"
            "     9  ok         exited (0)            5s ago     -           -              0\n");
}

TEST(ListTable, WideEnoughShowsWholeNamesAndNoMore) {
  EXPECT_EQ(format_list_table(listed(), {120, false, kNow}),
            "   PID  NAME                                      STATUS                UPTIME     PORTS       MEM     RESTARTS\n"
            "  4242  npm run dev in /home/me/projects/website  running               1h02m      5173,24678  125.0M         2\n"
            "    77  worker                                    exited (3)            5m00s ago  -           -              0\n"
            "123456  db \u00e9t\u00e9                                    terminated (SIGTERM)  1d00h ago  -           -              0\n"
            "     9  ok                                        exited (0)            5s ago     -           -              0\n");
}

TEST(ListTable, TooNarrowKeepsEightColumnsOfName) {
  std::string t = format_list_table(listed(), {40, false, kNow});
  EXPECT_NE(t.find("\n  4242  npm run\u2026  running "), std::string::npos) << t;
}

TEST(ListTable, ColourMarksRunningGreenAndFailuresRedOnly) {
  EXPECT_EQ(format_list_table(listed(), {80, true, kNow}),
            "   PID  NAME       STATUS                UPTIME     PORTS       MEM     RESTARTS\n"
            "  4242  npm run \u2026  \x1b[32mrunning\x1b[0m               1h02m      5173,24678  125.0M         2\n"
            "    77  worker     \x1b[31mexited (3)\x1b[0m            5m00s ago  -           -              0\n"
            "123456  db \u00e9t\u00e9     terminated (SIGTERM)  1d00h ago  -           -              0\n"
            "     9  ok         exited (0)            5s ago     -           -              0\n");
}

TEST(ListTable, EmptyTableSaysSo) {
  EXPECT_EQ(format_list_table(json::parse(R"({"processes":[]})").as_object(), {80, true, kNow}),
            "No processes running\n");
}

TEST(ListTable, ShortDurations) {
  EXPECT_EQ(short_duration(0), "0s");
  EXPECT_EQ(short_duration(59), "59s");
  EXPECT_EQ(short_duration(60), "1m00s");
  EXPECT_EQ(short_duration(3599), "59m59s");
  EXPECT_EQ(short_duration(3600), "1h00m");
  EXPECT_EQ(short_duration(86399), "23h59m");
  EXPECT_EQ(short_duration(90000), "1d01h");
}

}  // namespace
}  // namespace pp::cli
