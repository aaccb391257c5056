// How `up` shows a stack (client/stack_lines.hpp): names padded and coloured in
// order, stamps and [SYSTEM] lines dropped, escaped output given back, and a
// line per lifecycle event.
#include <gtest/gtest.h>

#include "client/stack_lines.hpp"

namespace pp::client {
namespace {

namespace json = boost::json;

TEST(StackLines, PrefixesOutputWithThePaddedNameAndDropsTheStamp) {
  StackLines l({"db", "web", "worker"}, false);
  EXPECT_EQ(l.output("db", "2026-12-01T10:00:00.000Z listening"), "db     | listening");
  EXPECT_EQ(l.output("worker", "2026-12-01T10:00:00.000Z "), "worker | ");
  EXPECT_EQ(l.output("web", "2026-12-01T10:00:00.000Z [SYSTEM] Process exited with code 0"), std::nullopt);
  EXPECT_EQ(l.output("web", "2026-12-01T10:00:00.000Z \\[SYSTEM] Process exited with code 0"),
            "web    | [SYSTEM] Process exited with code 0")
      << "a process's own look-alike line is output";
}

TEST(StackLines, ColoursEachNameInTurn) {
  StackLines l({"a", "b", "c", "d", "e", "f", "g"}, true);
  EXPECT_EQ(l.output("a", "2026-12-01T10:00:00.000Z x"), "\033[36ma | \033[0mx");
  EXPECT_EQ(l.output("b", "2026-12-01T10:00:00.000Z x"), "\033[33mb | \033[0mx");
  EXPECT_EQ(l.output("g", "2026-12-01T10:00:00.000Z x"), "\033[36mg | \033[0mx") << "the seventh starts again";
}

TEST(StackLines, SaysWhatEachLifecycleEventMeans) {
  StackLines l({"api"}, false);
  auto line = [&](json::object e) { return l.lifecycle("api", e).value_or("(none)"); };
  EXPECT_EQ(line({{"event", "started"}, {"pid", 12}}), "api | started (PID 12)");
  EXPECT_EQ(line({{"event", "ready"}, {"pid", 12}, {"ready_ms", 812}}), "api | ready after 812 ms");
  EXPECT_EQ(line({{"event", "exited"}, {"status", "exited"}, {"exit_code", 3}}), "api | exited with code 3");
  EXPECT_EQ(line({{"event", "exited"}, {"status", "terminated"}, {"exit_code", -15}}), "api | stopped");
  EXPECT_EQ(line({{"event", "exited"}, {"status", "exited"}, {"exit_code", 1}, {"next_restart_in_s", 2.0}}),
            "api | exited with code 1; its restart policy restarts it in 2 s");
  EXPECT_EQ(line({{"event", "restarted"}, {"pid", 13}, {"reason", "policy"}}),
            "api | restarted by its restart policy (PID 13)");
  EXPECT_EQ(line({{"event", "restarted"}, {"pid", 13}, {"reason", "request"}}), "api | restarted (PID 13)");
  EXPECT_EQ(line({{"event", "restart_failed"}, {"error", "no such file"}}), "api | not restarted: no such file");
  EXPECT_EQ(line({{"event", "something new"}}), "(none)");
}

}  // namespace
}  // namespace pp::client
