// YAML stack files read whole: a process-compose.yaml using every supported
// key, one with keys persistproc does not support (reported by name), a
// persistproc.yaml, the shell, entrypoints and YAML merge keys.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Argv = std::vector<std::string>;

constexpr const char* kCompose = R"(version: "0.5"
processes:
  db:
    command: "postgres -D ./data"
    working_dir: ./db
    ready_log_line: "ready to accept connections"
    availability:
      restart: on_failure
      max_restarts: 3
      backoff_seconds: 2
    shutdown:
      signal: 2
      timeout_seconds: 20
  api:
    command: ./api --port 8080
    depends_on:
      db:
        condition: process_healthy
      migrate:
        condition: process_completed_successfully
    readiness_probe:
      http_get:
        host: 127.0.0.1
        port: 8080
        path: /health
      initial_delay_seconds: 1
      period_seconds: 2
      timeout_seconds: 3
      failure_threshold: 4
    availability:
      restart: always
    shutdown:
      signal: SIGINT
  migrate:
    command: ./migrate up
    depends_on:
      db:
        condition: process_log_ready
  web:
    command: npm run dev
    working_dir: /srv/web
    is_tty: true
    depends_on:
      api:
        condition: process_started
    readiness_probe:
      exec:
        command: curl -sf localhost:3000
  docs:
    command: mkdocs serve
    disabled: true
)";

TEST(StackYaml, ProcessComposeFileWithEverySupportedKey) {
  StackDir d;
  d.write("process-compose.yaml", kCompose);
  StackSpec s = d.load();
  EXPECT_EQ(s.name, d.path().filename().string());
  EXPECT_EQ(str(s.file), str(d.file("process-compose.yaml")));
  EXPECT_EQ(s.format, Format::yaml);
  ASSERT_EQ(s.processes.size(), 5u);

  const StackProcess& db = *s.find("db");
  EXPECT_EQ(db.command, "postgres -D ./data");
  EXPECT_EQ(db.argv, (Argv{"bash", "-c", "postgres -D ./data"}));
  EXPECT_EQ(str(db.working_dir), str(d.path() / "db"));
  ASSERT_NE(db.ready_log_line, nullptr);
  EXPECT_TRUE(db.ready_log_line->search("LOG:  database system is ready to accept connections"));
  EXPECT_EQ(db.availability.restart, Restart::on_failure);
  EXPECT_EQ(db.availability.max_restarts, 3);
  EXPECT_EQ(db.availability.backoff_seconds, 2.0);
  EXPECT_EQ(db.shutdown.signal, SIGINT);
  EXPECT_EQ(db.shutdown.timeout_seconds, 20);
  EXPECT_EQ(db.line, 3);

  const StackProcess& api = *s.find("api");
  ASSERT_EQ(api.depends_on.size(), 2u);
  EXPECT_EQ(api.depends_on[0].name, "db");
  EXPECT_EQ(api.depends_on[0].condition, Condition::ready);
  EXPECT_EQ(api.depends_on[0].line, 17);
  EXPECT_EQ(api.depends_on[1].condition, Condition::completed_successfully);
  ASSERT_TRUE(api.readiness_probe.has_value());
  ASSERT_TRUE(api.readiness_probe->http_get.has_value());
  EXPECT_FALSE(api.readiness_probe->exec.has_value());
  EXPECT_EQ(api.readiness_probe->http_get->host, "127.0.0.1");
  EXPECT_EQ(api.readiness_probe->http_get->port, 8080);
  EXPECT_EQ(api.readiness_probe->http_get->path, "/health");
  EXPECT_EQ(api.readiness_probe->initial_delay_seconds, 1);
  EXPECT_EQ(api.readiness_probe->period_seconds, 2);
  EXPECT_EQ(api.readiness_probe->timeout_seconds, 3);
  EXPECT_EQ(api.readiness_probe->failure_threshold, 4);
  EXPECT_EQ(api.availability.restart, Restart::always);
  EXPECT_FALSE(api.availability.max_restarts.has_value());  // the supervisor's default
  EXPECT_EQ(api.shutdown.signal, SIGINT);
  EXPECT_FALSE(api.shutdown.timeout_seconds.has_value());
  EXPECT_EQ(str(api.working_dir), str(d.path()));

  EXPECT_EQ(s.find("migrate")->depends_on[0].condition, Condition::ready);

  const StackProcess& web = *s.find("web");
  EXPECT_TRUE(web.tty);
  EXPECT_EQ(str(web.working_dir), str("/srv/web"));
  ASSERT_TRUE(web.readiness_probe && web.readiness_probe->exec);
  EXPECT_EQ(web.readiness_probe->exec->argv, (Argv{"bash", "-c", "curl -sf localhost:3000"}));
  EXPECT_EQ(str(web.readiness_probe->exec->working_dir), str("/srv/web"));
  EXPECT_EQ(web.readiness_probe->period_seconds, 10);  // process-compose's defaults
  EXPECT_EQ(web.readiness_probe->timeout_seconds, 1);
  EXPECT_EQ(web.readiness_probe->failure_threshold, 3);
  EXPECT_EQ(web.readiness_probe->initial_delay_seconds, 0);

  EXPECT_TRUE(s.find("docs")->disabled);
  EXPECT_FALSE(s.find("db")->disabled);
  EXPECT_EQ(s.order, (Argv{"db", "migrate", "api", "web"}));  // docs is disabled

  // Only `version` is unsupported here.
  ASSERT_EQ(s.unsupported.size(), 1u);
  EXPECT_EQ(s.unsupported[0].key, "version");
  EXPECT_EQ(s.unsupported[0].line, 1);
}

TEST(StackYaml, UnsupportedKeysAreReportedOnceByName) {
  StackDir d;
  d.write("process-compose.yaml", R"(version: "0.5"
log_level: debug
log_location: /tmp/pc.log
vars:
  PORT: 1
processes:
  a:
    command: run-a
    log_location: a.log
    namespace: backend
    liveness_probe:
      exec:
        command: "true"
    availability:
      restart: always
      exit_on_end: true
  b:
    command: run-b
    log_location: b.log
    replicas: 2
    is_daemon: true
    shutdown:
      command: stop-b
    readiness_probe:
      success_threshold: 2
      http_get:
        port: 80
        headers:
          X: y
  c:
    command: run-c
    log_location: c.log
    x-notes: extension keys pass silently
x-common: &common
  working_dir: /tmp
)");
  StackSpec s = d.load();
  std::vector<std::string> keys;
  for (const auto& u : s.unsupported) keys.push_back(u.key);
  EXPECT_THAT(keys, ElementsAre("version", "log_level", "log_location", "vars", "log_location", "namespace",
                                "liveness_probe", "availability.exit_on_end", "replicas", "is_daemon",
                                "readiness_probe.success_threshold", "readiness_probe.http_get.headers",
                                "shutdown.command"));
  // The process-level log_location is one entry naming every process that sets it.
  const Unsupported& per_process = s.unsupported[4];
  EXPECT_THAT(per_process.processes, ElementsAre("a", "b", "c"));
  EXPECT_EQ(per_process.line, 9);
  EXPECT_TRUE(s.unsupported[2].processes.empty());  // the top-level one
  auto w = s.warnings();
  ASSERT_EQ(w.size(), keys.size());
  EXPECT_EQ(w[0], d.file("process-compose.yaml").string() +
                      ":1: 'version' is not supported by persistproc and is ignored");
  EXPECT_EQ(w[4], d.file("process-compose.yaml").string() +
                      ":9: 'log_location' is not supported by persistproc and is ignored (set for a, b, c)");
  EXPECT_EQ(s.find("a")->availability.restart, Restart::always);  // the supported keys beside them still count
}

TEST(StackYaml, PersistprocFileWithOwnSpellings) {
  StackDir d;
  d.write("persistproc.yaml", R"(name: shop
environment:
  LOG: debug
processes:
  worker:
    command: ./worker
    tty: yes
    depends_on: [queue]
    availability:
      restart: on-failure
      backoff_seconds: 0.5
      max_restarts: 0
    shutdown:
      signal: term
  queue:
    command: ./queue
    depends_on:
      cache:
  cache:
    command: ./cache
    ready_log_line: 'listening on \d+'
    depends_on:
      queue2:
        condition: process_ready
  queue2:
    command: ./q2
    ready_log_line: up
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.name, "shop");  // name: in the file
  const StackProcess& w = *s.find("worker");
  EXPECT_TRUE(w.tty);
  EXPECT_EQ(w.availability.restart, Restart::on_failure);
  EXPECT_EQ(w.availability.backoff_seconds, 0.5);
  EXPECT_EQ(w.availability.max_restarts, 0);
  EXPECT_EQ(w.shutdown.signal, SIGTERM);
  ASSERT_EQ(w.depends_on.size(), 1u);
  EXPECT_EQ(w.depends_on[0].name, "queue");
  EXPECT_EQ(w.depends_on[0].condition, Condition::started);
  EXPECT_EQ(s.find("queue")->depends_on[0].condition, Condition::started);  // a null condition map
  EXPECT_TRUE(s.find("cache")->ready_log_line->search("listening on 8080"));
  EXPECT_FALSE(s.find("cache")->ready_log_line->search("listening on port"));
  EXPECT_EQ(w.environment.at("LOG"), "debug");
  EXPECT_EQ(s.order, (Argv{"queue2", "cache", "queue", "worker"}));
  EXPECT_TRUE(s.unsupported.empty());
  EXPECT_TRUE(s.warnings().empty());
}

TEST(StackYaml, NameOptionOverridesFileAndDirectory) {
  StackDir d;
  d.write("persistproc.yaml", "name: shop\nprocesses:\n  a:\n    command: x\n");
  EXPECT_EQ(d.load("", LoadOptions{"other"}).name, "other");
  d.write("sub/persistproc.yaml", "processes:\n  a:\n    command: x\n");
  EXPECT_EQ(d.load("sub").name, "sub");
  EXPECT_EQ(d.load("sub/persistproc.yaml").name, "sub");
}

TEST(StackYaml, ShellKeyChangesHowCommandsRun) {
  StackDir d;
  d.write("process-compose.yml", R"(shell:
  shell_command: zsh
  shell_argument: -ec
processes:
  a:
    command: echo $HOME
    readiness_probe:
      exec:
        command: test -f ready
        working_dir: sub
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.processes[0].argv, (Argv{"zsh", "-ec", "echo $HOME"}));
  EXPECT_EQ(s.processes[0].readiness_probe->exec->argv, (Argv{"zsh", "-ec", "test -f ready"}));
  EXPECT_EQ(str(s.processes[0].readiness_probe->exec->working_dir), str(d.path() / "sub"));
}

TEST(StackYaml, ProbePortSpellings) {
  StackDir d;
  d.write("process-compose.yaml", R"(shell:
  shell_command: sh
  elevated_shell_command: sudo
processes:
  a:
    command: x
    readiness_probe:
      http_get: {num_port: 8080}
  b:
    command: y
    readiness_probe:
      http_get: {port: "8081", host: localhost, scheme: http}
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.find("a")->argv, (Argv{"sh", "-c", "x"}));  // shell_argument defaults to -c
  EXPECT_EQ(s.find("a")->readiness_probe->http_get->port, 8080);
  EXPECT_EQ(s.find("b")->readiness_probe->http_get->port, 8081);
  EXPECT_EQ(s.find("b")->readiness_probe->http_get->host, "localhost");
  ASSERT_EQ(s.unsupported.size(), 1u);
  EXPECT_EQ(s.unsupported[0].key, "shell.elevated_shell_command");
}

TEST(StackYaml, EntrypointIsTheArgvAsGiven) {
  StackDir d;
  d.write("persistproc.yaml", R"(processes:
  a:
    entrypoint: ["python3", "-m", "http.server", "8000"]
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.processes[0].argv, (Argv{"python3", "-m", "http.server", "8000"}));
  EXPECT_EQ(s.processes[0].command, "python3 -m http.server 8000");
}

TEST(StackYaml, MergeKeysAddWhatIsNotSetExplicitly) {
  StackDir d;
  d.write("persistproc.yaml", R"(x-defaults: &defaults
  working_dir: ./svc
  availability:
    restart: always
processes:
  a:
    <<: *defaults
    command: run-a
  b:
    <<: *defaults
    command: run-b
    working_dir: ./other
)");
  StackSpec s = d.load();
  EXPECT_EQ(str(s.find("a")->working_dir), str(d.path() / "svc"));
  EXPECT_EQ(s.find("a")->availability.restart, Restart::always);
  EXPECT_EQ(str(s.find("b")->working_dir), str(d.path() / "other"));
  EXPECT_EQ(s.find("b")->availability.restart, Restart::always);
}

TEST(StackYaml, WorkingDirIsNormalizedAgainstTheFile) {
  StackDir d;
  d.write("app/persistproc.yaml", R"(processes:
  a:
    command: x
    working_dir: ../lib/./b/
  b:
    command: x
    working_dir: /abs/path/
)");
  StackSpec s = d.load("app");
  EXPECT_EQ(str(s.find("a")->working_dir), str(d.path() / "lib" / "b"));
  EXPECT_EQ(str(s.find("b")->working_dir), str("/abs/path"));
}

TEST(StackYaml, ConditionAndRestartSpellings) {
  StackDir d;
  d.write("persistproc.yaml", R"(processes:
  a:
    command: x
    ready_log_line: up
    availability: {restart: "no"}
  b:
    command: x
    availability: {restart: no}
    depends_on:
      a: {condition: process_ready}
      c: {condition: process_completed}
  c:
    command: x
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.find("a")->availability.restart, Restart::no);
  EXPECT_EQ(s.find("b")->availability.restart, Restart::no);
  EXPECT_EQ(s.find("b")->depends_on[0].condition, Condition::ready);
  EXPECT_EQ(s.find("b")->depends_on[1].condition, Condition::completed);
  EXPECT_STREQ(to_string(Condition::completed_successfully), "process_completed_successfully");
  EXPECT_STREQ(to_string(Restart::on_failure), "on-failure");
}

}  // namespace
}  // namespace pp::stack::test
