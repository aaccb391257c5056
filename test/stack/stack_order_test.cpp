// The dependency order, and the errors that make one impossible: cycles,
// unknown and disabled dependencies, and waiting for readiness that cannot come.
#include <gtest/gtest.h>

#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

using Names = std::vector<std::string>;

// A persistproc.yaml from "name: dep1 dep2" lines (each dependency process_started).
std::string yaml_of(const std::vector<std::string>& lines, const std::string& extra = "") {
  std::string y = "processes:\n";
  for (const auto& l : lines) {
    auto colon = l.find(':');
    y += "  " + l.substr(0, colon) + ":\n    command: x\n";
    std::string deps = l.substr(colon + 1);
    if (deps.find_first_not_of(' ') != std::string::npos) y += "    depends_on: [" + deps + "]\n";
  }
  return y + extra;
}

TEST(StackOrder, DependenciesFirstOtherwiseFileOrder) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"web: api, assets", "assets:", "api: db, cache", "db:", "cache: db", "cron:"}));
  EXPECT_EQ(d.load().order, (Names{"assets", "db", "cache", "cron", "api", "web"}));
}

TEST(StackOrder, IndependentProcessesKeepFileOrder) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"c:", "a:", "b:"}));
  EXPECT_EQ(d.load().order, (Names{"c", "a", "b"}));
}

TEST(StackOrder, CycleIsNamed) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"web: api", "api: db", "db: web", "other:"}));
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":2: dependency cycle: web -> api -> db -> web");
}

TEST(StackOrder, CycleBehindAnotherProcessIsNamedWithoutIt) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"front: a", "a: b", "b: a"}));
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":5: dependency cycle: a -> b -> a");
}

TEST(StackOrder, SelfDependencyIsACycle) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"a: a"}));
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":2: dependency cycle: a -> a");
}

TEST(StackOrder, UnknownDependencyIsNamed) {
  StackDir d;
  d.write("persistproc.yaml", "processes:\n  web:\n    command: x\n    depends_on:\n      dbb:\n"
                              "        condition: process_started\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":5: process 'web' depends on 'dbb', which is not defined");
}

TEST(StackOrder, DisabledDependencyIsNamed) {
  StackDir d;
  d.write("persistproc.yaml", "processes:\n  web:\n    command: x\n    depends_on: [db]\n"
                              "  db:\n    command: y\n    disabled: true\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":4: process 'web' depends on 'db', which is disabled");
}

TEST(StackOrder, DisabledProcessesMayDependOnAnything) {
  StackDir d;
  d.write("persistproc.yaml", "processes:\n  web:\n    command: x\n    disabled: true\n    depends_on: [nothing]\n"
                              "  db:\n    command: y\n");
  EXPECT_EQ(d.load().order, (Names{"db"}));
}

TEST(StackOrder, ReadyConditionNeedsAWayToBeReady) {
  StackDir d;
  d.write("persistproc.yaml", "processes:\n  web:\n    command: x\n    depends_on:\n      db:\n"
                              "        condition: process_healthy\n  db:\n    command: y\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() +
                           ":5: process 'web' depends on 'db' being ready, but 'db' has neither ready_log_line nor "
                           "readiness_probe");
}

TEST(StackOrder, DependencyNamedTwiceIsAnError) {
  StackDir d;
  d.write("persistproc.yaml", yaml_of({"web: db, db", "db:"}));
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":4: process 'web' depends on 'db' twice");
}

}  // namespace
}  // namespace pp::stack::test
