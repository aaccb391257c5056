// `output --grep` / the `pattern` argument end to end: the last matching lines,
// counts of matches, a clear error for a bad pattern, and server memory that does
// not grow with the log it searches.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "os/proc_stat.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

json::object parsed(const RunResult& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out << r.err;
  return ec ? json::object{} : v.as_object();
}

TEST(Grep, LastMatchesWithCountsOfMatches) {
  Server s{{"-q"}};
  ASSERT_EQ(s.cli({"start", "--wait-for", "^done$", "--label", "app", kHelper, "lines:50", "out:WARN disk at 91%",
                   "lines:3", "out:ERROR disk full", "out:done", "pause"})
                .exit_code,
            0);
  auto r = parsed(s.cli({"output", "--format", "json", "--grep", "(?i)^(warn|error) ", "--lines", "1", "app"}));
  ASSERT_EQ(r.at("output").as_array().size(), 1u) << json::serialize(r);
  EXPECT_TRUE(r.at("output").at(0).as_string().ends_with(" ERROR disk full\n"));
  EXPECT_EQ(r.at("lines_before").as_int64(), 1);
  EXPECT_EQ(r.at("lines_after").as_int64(), 0);
  auto text = s.cli({"output", "--grep", "line 4[0-9]", "app"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(std::count(text.out.begin(), text.out.end(), '\n'), 10) << text.out;
}

TEST(Grep, ABadPatternQuotesRe2) {
  Server s{{"-q"}};
  ASSERT_EQ(s.cli({"start", "--wait-for", "^ready$", "--label", "app", kHelper, "ready", "pause"}).exit_code, 0);
  auto r = s.cli({"output", "--grep", "a)", "app"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: pattern: invalid regular expression 'a)': unexpected ): a).\n");
}

TEST(Grep, SearchingABigLogKeepsServerMemoryFlat) {
  Server s{{"-q"}};
  // 400,000 lines of 100 bytes (40 MB), then one marker the wait sees last.
  ASSERT_EQ(s.cli({"start", "--wait-timeout", "120", "--wait-for", "^the end$", "--label", "big", kHelper,
                   "flood:400000:100", "out:needle here", "out:the end", "pause"})
                .exit_code,
            0);
  std::uint64_t before = rss_bytes({s.pid()});
  auto none = parsed(s.cli({"output", "--format", "json", "--grep", "no such line", "big"}));
  EXPECT_TRUE(none.at("output").as_array().empty());
  auto one = parsed(s.cli({"output", "--format", "json", "--stream", "stdout", "--grep", "needle", "big"}));
  ASSERT_EQ(one.at("output").as_array().size(), 1u);
  auto anchored = parsed(s.cli({"output", "--format", "json", "--grep", "^y+$", "--lines", "5", "big"}));
  EXPECT_EQ(anchored.at("lines_before").as_int64(), 400000 - 5);
  std::uint64_t after = rss_bytes({s.pid()});
  EXPECT_LT(after, before + 8 * 1024 * 1024) << "server RSS grew from " << before << " to " << after;
}

}  // namespace
}  // namespace pp::test
