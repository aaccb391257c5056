// The list and output tools: entries, filters, the server itself, reading logs.
#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class ListOutput : public McpFixture {};

TEST_F(ListOutput, EmptyTableIsExactlyAnEmptyList) {
  EXPECT_EQ(json::serialize(call("list", {})), R"({"processes":[]})");
}

TEST_F(ListOutput, EntryHasEveryFieldWithNullsForWhatDoesNotApply) {
  int pid = start_helper({"pause"});
  auto p = call("list", {}).at("processes").at(0).as_object();
  for (const char* k : {"pid", "command", "working_directory", "status", "label", "start_time", "end_time", "exit_code",
                        "log_stdout", "log_stderr", "log_combined"})
    EXPECT_TRUE(p.contains(k)) << k;
  EXPECT_EQ(p.at("pid"), pid);
  EXPECT_EQ(p.at("command"), (json::array{kHelper, "pause"}));
  EXPECT_EQ(p.at("status"), "running");
  EXPECT_TRUE(p.at("end_time").is_null());
  EXPECT_TRUE(p.at("exit_code").is_null());
  auto start = std::string(p.at("start_time").as_string());
  EXPECT_EQ(start.size(), 24u);
  EXPECT_EQ(start.back(), 'Z');
  EXPECT_TRUE(parse_iso(start));
}

TEST_F(ListOutput, FiltersCombineWithAnd) {
  TempDir other;
  int a = start_helper({"pause"}, {{"label", "alpha"}});
  int b = start_helper({"pause"}, {{"working_directory", other.path()}});
  auto pids = [&](json::object args) {
    std::vector<std::int64_t> out;
    auto result = call("list", std::move(args));
    for (const auto& p : result.at("processes").as_array()) out.push_back(p.at("pid").as_int64());
    return out;
  };
  EXPECT_EQ(pids({{"pid", a}}), std::vector<std::int64_t>{a});
  EXPECT_EQ(pids({{"command_or_label", "alpha"}}), std::vector<std::int64_t>{a});
  EXPECT_EQ(pids({{"command_or_label", shell_join({kHelper, "pause"})}}), (std::vector<std::int64_t>{a, b}));
  EXPECT_EQ(pids({{"working_directory", other.path()}}), std::vector<std::int64_t>{b});
  EXPECT_EQ(pids({{"command_or_label", "alpha"}, {"working_directory", other.path()}}), std::vector<std::int64_t>{});
}

TEST_F(ListOutput, PidZeroDescribesTheServer) {
  auto p = call("list", {{"pid", 0}}).at("processes").at(0).as_object();
  EXPECT_EQ(p.at("pid"), self.pid);
  EXPECT_EQ(p.at("command"), (json::array{"persistproc", "serve"}));
  EXPECT_EQ(p.at("working_directory"), dir.path());
  EXPECT_EQ(p.at("label"), "persistproc-server");
  EXPECT_EQ(p.at("log_combined"), self.log_path);
  auto out = call("output", {{"pid", 0}});
  ASSERT_EQ(out.at("output").as_array().size(), 1u);
  EXPECT_NE(out.at("output").at(0).as_string().find("server log line"), json::string::npos);
}

TEST_F(ListOutput, OutputReadsEachStreamWithStampsAndCounts) {
  int pid = start_helper({"lines:5", "errlines:2", "out:done", "pause"});
  await_output(pid, "done");
  auto out = call("output", {{"pid", pid}, {"stream", "stdout"}, {"lines", 3}});
  auto lines = out.at("output").as_array();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].as_string().ends_with(" line 4\n"));
  EXPECT_TRUE(lines[2].as_string().ends_with(" done\n"));
  EXPECT_TRUE(parse_line_stamp(lines[0].as_string()));
  EXPECT_EQ(out.at("lines_before"), 3);
  EXPECT_EQ(out.at("lines_after"), 0);
  auto err = call("output", {{"pid", pid}, {"stream", "stderr"}});
  EXPECT_EQ(err.at("output").as_array().size(), 2u);
  EXPECT_EQ(err.at("lines_before"), 0);
  // combined: [SYSTEM] start + 5 + 2 + done
  auto all = call("output", {{"command_or_label", shell_join({kHelper, "lines:5", "errlines:2", "out:done", "pause"})}});
  EXPECT_EQ(all.at("output").as_array().size(), 9u);
  EXPECT_TRUE(all.at("error").is_null());
}

TEST_F(ListOutput, OutputTimeWindow) {
  int pid = start_helper({"lines:3", "ready", "pause"});
  await_output(pid, "ready");
  auto lines = call("output", {{"pid", pid}}).at("output").as_array();
  ASSERT_EQ(lines.size(), 5u);  // [SYSTEM], 3 lines, ready
  std::string first_stamp(std::string_view(lines[1].as_string()).substr(0, 24));
  std::string last_stamp(std::string_view(lines[4].as_string()).substr(0, 24));
  auto since = call("output", {{"pid", pid}, {"since_time", first_stamp}});
  for (const auto& l : since.at("output").as_array()) EXPECT_GE(std::string(std::string_view(l.as_string()).substr(0, 24)), first_stamp);
  auto before = call("output", {{"pid", pid}, {"before_time", last_stamp}});
  for (const auto& l : before.at("output").as_array()) EXPECT_LT(std::string(std::string_view(l.as_string()).substr(0, 24)), last_stamp);
  EXPECT_EQ(before.at("lines_before").as_int64() + static_cast<std::int64_t>(before.at("output").as_array().size()) +
                before.at("lines_after").as_int64(),
            5);
  // No zone means UTC: the same instant without the Z selects the same lines.
  auto no_z = call("output", {{"pid", pid}, {"since_time", first_stamp.substr(0, 23)}});
  EXPECT_EQ(no_z.at("output"), since.at("output"));
  auto future = call("output", {{"pid", pid}, {"since_time", "2999-01-01T00:00:00Z"}});
  EXPECT_EQ(future.at("output").as_array().size(), 0u);
  EXPECT_EQ(future.at("lines_before"), 5);
}

TEST_F(ListOutput, InvalidUtf8BecomesReplacementCharacter) {
  int pid = start_helper({"hex:61ff62c30a", "out:after", "pause"});
  await_output(pid, "after");
  auto lines = call("output", {{"pid", pid}, {"stream", "stdout"}}).at("output").as_array();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].as_string().ends_with(" a\xEF\xBF\xBD" "b\xEF\xBF\xBD\n"));
}

TEST_F(ListOutput, PartialLineIsWrittenAfterAPause) {
  int pid = start_helper({"partial:Password: ", "pause"});
  await_output(pid, "Password: ");
  auto lines = call("output", {{"pid", pid}, {"stream", "stdout"}}).at("output").as_array();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].as_string().ends_with(" Password: \n"));
}

TEST_F(ListOutput, PartialLastLineIsKeptAtExit) {
  int pid = start_helper({"partial:no newline", "exit:0"});
  await_exit(pid);
  std::string log = combined(pid);
  EXPECT_LT(log.find(" no newline\n"), log.find("[SYSTEM] Process exited"));
}

TEST_F(ListOutput, LongLinesAreSplitAt64KiB) {
  int pid = start_helper({"long:150000", "exit:0"});
  await_exit(pid);
  auto lines = call("output", {{"pid", pid}, {"stream", "stdout"}}).at("output").as_array();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].as_string().size(), 25u + 65536u + 1u);
  EXPECT_EQ(lines[2].as_string().size(), 25u + (150000u - 2 * 65536u) + 1u);
}

TEST_F(ListOutput, LinesAreWholeInCombinedEvenWhenStreamsInterleave) {
  int pid = start_helper({"flood:2000:300", "errlines:2000", "flood:2000:300", "exit:0"});
  await_exit(pid);
  std::string log = combined(pid);
  std::size_t count = 0;
  for (std::size_t start = 0, nl; (nl = log.find('\n', start)) != std::string::npos; start = nl + 1, ++count) {
    std::string_view line(log.data() + start, nl - start);
    ASSERT_TRUE(parse_line_stamp(line)) << line.substr(0, 40);
    std::string_view body = line.substr(25);
    bool ok = body.starts_with("[SYSTEM]") || body.starts_with("line ") || body == std::string(299, 'y');
    ASSERT_TRUE(ok) << body.substr(0, 60);
  }
  EXPECT_EQ(count, 6002u);
}

TEST_F(ListOutput, OutputOfUnknownProcessIsAnErrorResult) {
  auto r = call_raw("output", {{"command_or_label", "ghost"}});
  EXPECT_EQ(r.at("isError"), true);
  auto sc = r.at("structuredContent").as_object();
  EXPECT_EQ(sc.at("output"), json::array{});
  EXPECT_EQ(sc.at("lines_before"), 0);
  EXPECT_EQ(sc.at("lines_after"), 0);
}

}  // namespace
}  // namespace pp::test
