// Procfiles: `name: command` lines, PORT per process as foreman sets it, the
// `.env` beside the file, and every malformed line named.
#include <gtest/gtest.h>

#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

using Argv = std::vector<std::string>;

TEST(Procfile, ProcessesWithPortAndDotenv) {
  StackDir d;
  d.write(".env", "DATABASE_URL=postgres://localhost/dev\n");
  d.write("Procfile", "# the app\n"
                      "web: bundle exec rails s -p $PORT\n"
                      "\n"
                      "worker:   bundle exec sidekiq  \n"
                      "  css: npx tailwindcss --watch\n"
                      "release: ./bin/migrate && echo done: ok\n");
  StackSpec s = d.load();
  EXPECT_EQ(s.format, Format::procfile);
  EXPECT_EQ(str(s.file), str(d.file("Procfile")));
  EXPECT_EQ(s.name, d.path().filename().string());
  ASSERT_EQ(s.processes.size(), 4u);
  const StackProcess& web = s.processes[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.command, "bundle exec rails s -p $PORT");
  EXPECT_EQ(web.argv, (Argv{"/bin/sh", "-c", "bundle exec rails s -p $PORT"}));  // the shell expands $PORT
  EXPECT_EQ(str(web.working_dir), str(d.path()));
  EXPECT_EQ(web.line, 2);
  EXPECT_EQ(web.environment.at("PORT"), "5000");
  EXPECT_EQ(web.environment.at("DATABASE_URL"), "postgres://localhost/dev");
  EXPECT_EQ(s.processes[1].name, "worker");
  EXPECT_EQ(s.processes[1].command, "bundle exec sidekiq");
  EXPECT_EQ(s.processes[1].environment.at("PORT"), "5100");
  EXPECT_EQ(s.processes[2].name, "css");
  EXPECT_EQ(s.processes[2].environment.at("PORT"), "5200");
  EXPECT_EQ(s.processes[3].command, "./bin/migrate && echo done: ok");  // only the first colon separates
  EXPECT_EQ(s.processes[3].environment.at("PORT"), "5300");
  for (const auto& p : s.processes) {
    EXPECT_TRUE(p.depends_on.empty());
    EXPECT_EQ(p.availability.restart, Restart::no);
    EXPECT_FALSE(p.has_readiness());
  }
  EXPECT_EQ(s.order, (Argv{"web", "worker", "css", "release"}));  // all at once, in file order
  EXPECT_TRUE(s.unsupported.empty());
}

TEST(Procfile, DotenvPortIsTheBase) {
  StackDir d;
  d.write(".env", "PORT=3000\n");
  d.write("Procfile", "a: x\nb: y\n");
  StackSpec s = d.load();
  EXPECT_EQ(s.processes[0].environment.at("PORT"), "3000");
  EXPECT_EQ(s.processes[1].environment.at("PORT"), "3100");
  d.write(".env", "PORT=not-a-port\n");
  EXPECT_EQ(d.load().processes[0].environment.at("PORT"), "5000");
}

TEST(Procfile, AnyNotYamlFileNameIsAProcfile) {
  StackDir d;
  d.write("Procfile.dev", "web: ./dev\r\n");
  StackSpec s = d.load("Procfile.dev");
  EXPECT_EQ(s.format, Format::procfile);
  EXPECT_EQ(s.processes[0].command, "./dev");
}

TEST(Procfile, ErrorsNameTheLine) {
  StackDir d;
  auto error_of = [&](const std::string& text) {
    d.write("Procfile", text);
    std::string e = d.error();
    std::string prefix = d.file("Procfile").string() + ":";
    EXPECT_EQ(e.rfind(prefix, 0), 0u) << e;
    return e.substr(std::min(prefix.size(), e.size()));
  };
  EXPECT_EQ(error_of("web: x\njust a command\n"), "2: expected 'name: command', not 'just a command'");
  EXPECT_EQ(error_of("web:\n"), "1: process 'web' has no command");
  EXPECT_EQ(error_of(": x\n"), "1: a process name is empty");
  EXPECT_EQ(error_of("my web: x\n"), "1: process name 'my web' may not hold '/', blanks or control characters");
  EXPECT_EQ(error_of("web: x\n\nweb: y\n"), "3: process 'web' is defined twice (also on line 1)");
  EXPECT_EQ(error_of(""), " the file is empty: it needs a 'name: command' line");
  EXPECT_EQ(error_of("# nothing\n\n"), " the file is empty: it needs a 'name: command' line");
}

TEST(Procfile, PortPast65535IsAnError) {
  StackDir d;
  d.write(".env", "PORT=65500\n");
  d.write("Procfile", "a: x\nb: y\n");
  EXPECT_EQ(d.error(), d.file("Procfile").string() + ":2: process 'b' would get PORT 65600, past 65535");
}

}  // namespace
}  // namespace pp::stack::test
