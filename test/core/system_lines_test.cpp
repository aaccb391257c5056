// The [SYSTEM] lines: what the server writes is what `run` reads back.
#include <gtest/gtest.h>

#include "core/system_lines.hpp"

namespace pp {
namespace {

std::string sys(const std::string& text) { return std::string(kSystemTag) + text; }

TEST(SystemLines, StartedIsRecognised) {
  auto e = parse_system_text(sys(started_text(12, "npm run dev", "/x")));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, SystemEvent::started);
}

TEST(SystemLines, ExitCodesAndSignalsRoundTrip) {
  for (int code : {0, 1, 3, 255, -9, -15}) {
    for (bool restarting : {false, true}) {
      auto e = parse_system_text(sys(exit_text(code, restarting)));
      ASSERT_TRUE(e) << code;
      EXPECT_EQ(e->kind, SystemEvent::exited);
      EXPECT_EQ(e->exit_code, code);
      EXPECT_EQ(e->restarting, restarting);
    }
  }
  EXPECT_EQ(exit_text(3, false), "Process exited with code 3");
  EXPECT_EQ(exit_text(-15, false), "Process terminated by signal 15 (exit code -15)");
}

TEST(SystemLines, RestartedCarriesPidAndLogPathEvenWithSpaces) {
  auto e = parse_system_text(sys(restarted_text(4242, "/data dir/process_logs/4242.x.combined")));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, SystemEvent::restarted);
  EXPECT_EQ(e->new_pid, 4242);
  EXPECT_EQ(e->path, "/data dir/process_logs/4242.x.combined");
}

TEST(SystemLines, RestartFailedCarriesTheError) {
  auto e = parse_system_text(sys(restart_failed_text("Command not found: x")));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, SystemEvent::restart_failed);
  EXPECT_EQ(e->error, "Command not found: x");
}

TEST(SystemLines, OrdinaryAndMalformedLinesAreNotEvents) {
  EXPECT_FALSE(parse_system_text("hello"));
  EXPECT_FALSE(parse_system_text("[SYSTEM]"));
  EXPECT_FALSE(parse_system_text("[SYSTEM] something else"));
  EXPECT_FALSE(parse_system_text("[SYSTEM] Process exited with code x"));
  EXPECT_FALSE(parse_system_text(" [SYSTEM] Process exited with code 1"));
  EXPECT_FALSE(parse_system_text("[SYSTEM] Restarted as PID 12 without log"));
}

}  // namespace
}  // namespace pp
