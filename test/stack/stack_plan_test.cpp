// A stack's plan (stack/member_spec.hpp): the ProcessSpec each member gets from
// the file, and members from a state file put back in dependency order.
#include <gtest/gtest.h>
#include <signal.h>

#include "stack/member_spec.hpp"
#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

ProcessSpec member(const std::string& name, std::vector<std::string> deps) {
  ProcessSpec s;
  s.member.stack = "s";
  s.member.name = name;
  for (auto& d : deps) s.member.depends_on.push_back({d, "process_started"});
  return s;
}

std::vector<std::string> names(const StackPlan& p) {
  std::vector<std::string> out;
  for (const auto& m : p.members) out.push_back(m.member.name);
  return out;
}

TEST(StackPlan, EachMemberGetsItsLabelPolicyReadinessAndShutdown) {
  StackDir d;
  d.write("shop/persistproc.yaml", R"(processes:
  db:
    command: postgres -D data
    ready_log_line: ready to accept
    shutdown:
      signal: INT
      timeout_seconds: 20
    availability:
      restart: on_failure
      max_restarts: 3
      backoff_seconds: 2
  web:
    command: npm run dev
    environment:
      PORT: "5173"
    depends_on:
      db:
        condition: process_healthy
)");
  StackPlan p = plan_of(d.load("shop/persistproc.yaml"));
  EXPECT_EQ(p.name, "shop");
  ASSERT_EQ(names(p), (std::vector<std::string>{"db", "web"}));
  const ProcessSpec& db = p.members[0];
  EXPECT_EQ(db.label, "shop/db");
  EXPECT_EQ(db.command, (std::vector<std::string>{"bash", "-c", "postgres -D data"}));
  EXPECT_EQ(db.cwd, str(d.file("shop")));
  ASSERT_TRUE(db.ready.log_line);
  EXPECT_TRUE(db.ready.log_line->search("LOG: ready to accept connections"));
  EXPECT_EQ(db.stop_signal, SIGINT);
  EXPECT_EQ(db.stop_grace, std::chrono::milliseconds(20000));
  EXPECT_EQ(db.restart.mode, RestartPolicy::Mode::on_failure);
  EXPECT_EQ(db.restart.max_restarts, 3);
  EXPECT_EQ(db.restart.backoff, std::chrono::milliseconds(2000));
  const ProcessSpec& web = p.members[1];
  EXPECT_EQ(web.env.at("PORT"), "5173");
  ASSERT_EQ(web.member.depends_on.size(), 1u);
  EXPECT_EQ(web.member.depends_on[0].name, "db");
  EXPECT_EQ(web.member.depends_on[0].condition, "process_ready");
  EXPECT_EQ(web.stop_signal, SIGTERM);
  EXPECT_FALSE(web.stop_grace);
  EXPECT_EQ(web.restart.mode, RestartPolicy::Mode::no);
}

TEST(StackPlan, MembersFromAStateFileComeBackInDependencyOrder) {
  auto p = plan_from("s", {member("web", {"api"}), member("api", {"db"}), member("db", {}), member("css", {})});
  EXPECT_EQ(names(p), (std::vector<std::string>{"db", "css", "api", "web"}));
}

TEST(StackPlan, ADependencyOnAMissingMemberOrACycleIsDropped) {
  auto p = plan_from("s", {member("web", {"gone"}), member("a", {"b"}), member("b", {"a"})});
  ASSERT_EQ(names(p).size(), 3u);
  EXPECT_EQ(p.members[0].member.name, "web");
  EXPECT_TRUE(p.members[0].member.depends_on.empty());
  // One of the cycle goes first without its dependency; the other keeps its own.
  EXPECT_TRUE(p.members[1].member.depends_on.empty());
  EXPECT_EQ(p.members[2].member.depends_on.size(), 1u);
}

}  // namespace
}  // namespace pp::stack::test
