// Every way a YAML stack file can be wrong gives one error naming the file, the
// line and the key by its path.
#include <gtest/gtest.h>

#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

// Writes `text` as persistproc.yaml in a fresh directory and returns the error
// with the file's path cut off its front ("<path>:").
std::string error_of(const std::string& text) {
  StackDir d;
  d.write("persistproc.yaml", text);
  std::string e = d.error();
  std::string prefix = d.file("persistproc.yaml").string() + ":";
  EXPECT_EQ(e.rfind(prefix, 0), 0u) << e;
  return e.substr(std::min(prefix.size(), e.size()));
}

TEST(StackYamlErrors, UnknownKeysNameTheKeyAndLine) {
  EXPECT_EQ(error_of("processes:\n  web:\n    comand: x\n"), "3: unknown key 'comand' in processes.web");
  EXPECT_EQ(error_of("proceses:\n  web:\n    command: x\n"), "1: unknown key 'proceses' at the top level");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    availability:\n      restart: always\n      retries: 3\n"),
            "6: unknown key 'retries' in processes.web.availability");
  EXPECT_EQ(error_of("processes:\n  a:\n    command: x\n  web:\n    command: x\n    depends_on:\n      a:\n"
                     "        conditon: process_started\n"),
            "8: unknown key 'conditon' in processes.web.depends_on.a");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get:\n        port: 1\n"
                     "        verb: GET\n"),
            "7: unknown key 'verb' in processes.web.readiness_probe.http_get");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      exec:\n        command: x\n"
                     "        shell: sh\n"),
            "7: unknown key 'shell' in processes.web.readiness_probe.exec");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    shutdown:\n      grace: 3\n"),
            "5: unknown key 'grace' in processes.web.shutdown");
  EXPECT_EQ(error_of("shell:\n  shell_command: sh\n  shell_args: -c\nprocesses:\n  a:\n    command: x\n"),
            "3: unknown key 'shell_args' in shell");
}

TEST(StackYamlErrors, WrongTypesNameTheKeyAndLine) {
  EXPECT_EQ(error_of("processes:\n  - web\n"), "2: processes must be a map, not a list");
  EXPECT_EQ(error_of("- a\n- b\n"), "1: the file must be a map, not a list");
  EXPECT_EQ(error_of("processes:\n  web: run it\n"), "2: processes.web must be a map, not a string");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: [a, b]\n"),
            "3: processes.web.command must be a string, not a list");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    environment: A=1\n"),
            "4: processes.web.environment must be a map or a list of KEY=VALUE, not a string");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    environment:\n      - A\n"),
            "5: processes.web.environment entry 'A' must be KEY=VALUE");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    environment:\n      - =1\n"),
            "5: '' in processes.web.environment is not a variable name (empty, or holds '=')");
  EXPECT_EQ(error_of("environment:\n  A: [1]\nprocesses:\n  web:\n    command: x\n"),
            "2: environment.A must be a string, not a list");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    depends_on: db\n"),
            "4: processes.web.depends_on must be a map of name: {condition: ...}, not a string");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    availability: [always]\n"),
            "4: processes.web.availability must be a map, not a list");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    tty: maybe\n"),
            "4: processes.web.tty must be true or false, not 'maybe'");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    disabled: {}\n"),
            "4: processes.web.disabled must be true or false, not a map");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    entrypoint: sh\n"),
            "4: processes.web sets both command and entrypoint: keep one");
  EXPECT_EQ(error_of("processes:\n  web:\n    entrypoint: sh\n"),
            "3: processes.web.entrypoint must be a list of at least one word, not a string");
  EXPECT_EQ(error_of("processes:\n  web:\n    entrypoint: []\n"),
            "3: processes.web.entrypoint must be a list of at least one word, not an empty list");
  EXPECT_EQ(error_of("name: [a]\nprocesses:\n  web:\n    command: x\n"), "1: name must be a string, not a list");
  EXPECT_EQ(error_of("processes:\n  ? [a, b]\n  : {command: x}\n"), "2: a key of processes must be a string, not a list");
}

TEST(StackYamlErrors, BadNumbersNameTheKeyAndLine) {
  auto avail = [](const std::string& body) {
    return error_of("processes:\n  web:\n    command: x\n    availability:\n      " + body + "\n");
  };
  EXPECT_EQ(avail("max_restarts: -1"),
            "5: processes.web.availability.max_restarts must be a non-negative integer, not '-1'");
  EXPECT_EQ(avail("max_restarts: 2.5"),
            "5: processes.web.availability.max_restarts must be a non-negative integer, not '2.5'");
  EXPECT_EQ(avail("max_restarts: 99999999999"),
            "5: processes.web.availability.max_restarts must be a non-negative integer, not '99999999999'");
  EXPECT_EQ(avail("backoff_seconds: -1"),
            "5: processes.web.availability.backoff_seconds must be a non-negative number, not '-1'");
  EXPECT_EQ(avail("backoff_seconds: soon"),
            "5: processes.web.availability.backoff_seconds must be a non-negative number, not 'soon'");
  EXPECT_EQ(avail("backoff_seconds: .nan"),
            "5: processes.web.availability.backoff_seconds must be a non-negative number, not '.nan'");
  auto probe = [](const std::string& body) {
    return error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get: {port: 80}\n      " +
                    body + "\n");
  };
  EXPECT_EQ(probe("period_seconds: 0"),
            "6: processes.web.readiness_probe.period_seconds must be a positive integer, not '0'");
  EXPECT_EQ(probe("timeout_seconds: -5"),
            "6: processes.web.readiness_probe.timeout_seconds must be a positive integer, not '-5'");
  EXPECT_EQ(probe("initial_delay_seconds: -1"),
            "6: processes.web.readiness_probe.initial_delay_seconds must be a non-negative integer, not '-1'");
  EXPECT_EQ(probe("failure_threshold: [3]"),
            "6: processes.web.readiness_probe.failure_threshold must be a positive integer, not a list");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get: {port: 70000}\n"),
            "5: processes.web.readiness_probe.http_get.port must be an integer from 1 to 65535, not '70000'");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    shutdown:\n      timeout_seconds: -2\n"),
            "5: processes.web.shutdown.timeout_seconds must be a non-negative integer, not '-2'");
}

TEST(StackYamlErrors, BadValuesNameTheKeyAndLine) {
  EXPECT_EQ(error_of("processes:\n  a:\n    command: x\n  web:\n    command: x\n    depends_on:\n      a:\n"
                     "        condition: process_up\n"),
            "8: processes.web.depends_on.a.condition 'process_up' is not a condition: process_started, process_ready "
            "(or process_healthy, process_log_ready), process_completed or process_completed_successfully");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    availability:\n      restart: sometimes\n"),
            "5: processes.web.availability.restart 'sometimes' is not a policy: no, on_failure (or on-failure), always");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    availability:\n      restart: exit_on_failure\n"),
            "5: processes.web.availability.restart 'exit_on_failure' is not a policy: no, on_failure (or on-failure), "
            "always");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    shutdown:\n      signal: TERMINATE\n"),
            "5: processes.web.shutdown.signal 'TERMINATE' is not a signal (a name like TERM or INT, or 1 to 64)");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    shutdown:\n      signal: 99\n"),
            "5: processes.web.shutdown.signal '99' is not a signal (a name like TERM or INT, or 1 to 64)");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get:\n        port: 80\n"
                     "        scheme: https\n"),
            "7: processes.web.readiness_probe.http_get.scheme 'https' is not supported: probes speak plain http");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get:\n        port: 80\n"
                     "        path: health\n"),
            "7: processes.web.readiness_probe.http_get.path must start with '/', not 'health'");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      http_get: {host: h}\n"),
            "5: processes.web.readiness_probe.http_get needs a port");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      period_seconds: 1\n"),
            "5: processes.web.readiness_probe needs exec or http_get");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    readiness_probe:\n      exec: {command: a}\n"
                     "      http_get: {port: 1}\n"),
            "6: processes.web.readiness_probe sets both exec and http_get: keep one");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    ready_log_line: up\n    readiness_probe:\n"
                     "      exec: {command: a}\n"),
            "6: processes.web sets both ready_log_line and readiness_probe: keep one");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    tty: true\n    is_tty: true\n"),
            "5: processes.web sets both tty and is_tty: keep one");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: '  '\n"), "3: processes.web.command is empty");
  EXPECT_EQ(error_of("processes:\n  web:\n    working_dir: /tmp\n"), "2: processes.web needs a command");
  EXPECT_EQ(error_of("processes:\n  web:\n"), "2: processes.web needs a command");
  EXPECT_EQ(error_of("processes:\n  a/b:\n    command: x\n"),
            "2: process name 'a/b' may not hold '/', blanks or control characters");
  EXPECT_EQ(error_of("processes: {}\n"), "1: processes is empty");
}

TEST(StackYamlErrors, ShellMergeKeysAndListEntries) {
  EXPECT_EQ(error_of("shell:\n  shell_argument: -c\nprocesses:\n  a:\n    command: x\n"), "2: shell needs shell_command");
  EXPECT_EQ(error_of("shell: bash\nprocesses:\n  a:\n    command: x\n"), "1: shell must be a map, not a string");
  EXPECT_EQ(error_of("processes:\n  a:\n    <<: 5\n    command: x\n"),
            "3: a merge key (<<) in processes.a must refer to a map, not a string");
  EXPECT_EQ(error_of("processes:\n  a:\n    entrypoint: [sh, [x]]\n"),
            "3: each word of processes.a.entrypoint must be a string, not a list");
  EXPECT_EQ(error_of("processes:\n  a:\n    entrypoint: ['', x]\n"),
            "3: processes.a.entrypoint starts with an empty program");
  EXPECT_EQ(error_of("processes:\n  a:\n    command: x\n    depends_on:\n      - {b: c}\n"),
            "5: each entry of processes.a.depends_on must be a string, not a map");
  EXPECT_EQ(error_of("processes:\n  a:\n    command: x\n    readiness_probe:\n      http_get: {port: 1, num_port: 2}\n"),
            "5: processes.a.readiness_probe.http_get sets both port and num_port: keep one");
  EXPECT_EQ(error_of("processes:\n  a:\n    command: x\n    env_file: [[a]]\n"),
            "4: each entry of processes.a.env_file must be a string, not a list");
}

TEST(StackYamlErrors, BadRegexIsReportedWithRe2sMessage) {
  std::string e = error_of("processes:\n  web:\n    command: x\n    ready_log_line: 'listening (on'\n");
  EXPECT_EQ(e.rfind("4: processes.web.ready_log_line: invalid regular expression 'listening (on': ", 0), 0u) << e;
  EXPECT_NE(e.find("missing )"), std::string::npos) << e;
  std::string long_one = error_of("processes:\n  web:\n    command: x\n    ready_log_line: '" + std::string(1001, 'a') +
                                  "'\n");
  EXPECT_EQ(long_one, "4: processes.web.ready_log_line: pattern is 1001 characters long; at most 1000 are allowed");
}

TEST(StackYamlErrors, SyntaxErrorsAndDuplicates) {
  std::string flow = error_of("processes:\n  web:\n    command: [x\n");
  EXPECT_EQ(flow.rfind("4: not valid YAML: ", 0), 0u) << flow;
  std::string e = error_of("processes:\n  web:\n    command: x\n   bad indent: y\n");
  EXPECT_EQ(e.rfind("4: not valid YAML: ", 0), 0u) << e;
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n  web:\n    command: y\n"),
            "4: duplicate key 'web' in processes");
  EXPECT_EQ(error_of("processes:\n  web:\n    command: x\n    command: y\n"),
            "4: duplicate key 'command' in processes.web");
}

TEST(StackYamlErrors, EmptyFilesAndMissingProcesses) {
  StackDir d;
  d.write("persistproc.yaml", "");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ": the file is empty: it needs a processes: map");
  d.write("persistproc.yaml", "# only a comment\n\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ": the file is empty: it needs a processes: map");
  d.write("persistproc.yaml", "version: 1\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ": no processes: the file needs a processes: map");
}

TEST(StackYamlErrors, MissingEnvFileNamesItsLine) {
  StackDir d;
  d.write("persistproc.yaml", "processes:\n  web:\n    command: x\n    env_file: .env.web\n");
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ":4: processes.web.env_file: " +
                           d.file(".env.web").string() + " does not exist");
}

}  // namespace
}  // namespace pp::stack::test
