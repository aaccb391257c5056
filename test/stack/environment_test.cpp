// A process's environment: the `.env` beside the file, the top-level
// environment, env_file(s) and its own environment, in that order of
// precedence (later wins); and the `.env` syntax.
#include <gtest/gtest.h>

#include "stack/dotenv.hpp"
#include "stack/stack_error.hpp"
#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

TEST(StackEnvironment, PrecedenceDotenvTopLevelEnvFileProcess) {
  StackDir d;
  d.write(".env", "A=dotenv\nB=dotenv\nC=dotenv\nD=dotenv\nONLY_DOTENV=1\n");
  d.write("svc/.env.web", "B=env_file\nC=env_file\nD=env_file\n");  // relative to working_dir
  d.write("svc/.env.local", "C=env_file2\n");
  d.write("persistproc.yaml", R"(environment:
  A: top
  B: top
processes:
  web:
    command: x
    working_dir: svc
    env_file: [.env.web, .env.local]
    environment:
      - D=process
  plain:
    command: y
)");
  StackSpec s = d.load();
  const auto& web = s.find("web")->environment;
  EXPECT_EQ(web.at("A"), "top");          // top-level over .env
  EXPECT_EQ(web.at("B"), "env_file");     // env_file over top-level
  EXPECT_EQ(web.at("C"), "env_file2");    // a later env_file over an earlier one
  EXPECT_EQ(web.at("D"), "process");      // the process's own over all
  EXPECT_EQ(web.at("ONLY_DOTENV"), "1");
  const auto& plain = s.find("plain")->environment;
  EXPECT_EQ(plain.at("A"), "top");
  EXPECT_EQ(plain.at("C"), "dotenv");
  EXPECT_EQ(plain.count("PORT"), 0u);  // PORT is the Procfile's only
}

TEST(StackEnvironment, EnvFileAsOneStringAndMapEnvironment) {
  StackDir d;
  d.write("conf/web.env", "export URL=\"http://x\"\n");
  d.write("process-compose.yaml", R"(processes:
  web:
    command: x
    env_file: conf/web.env
    environment:
      EMPTY:
      NUM: 5
      FLAG: true
)");
  auto env = d.load().processes[0].environment;  // a copy: the spec is a temporary
  EXPECT_EQ(env.at("URL"), "http://x");
  EXPECT_EQ(env.at("EMPTY"), "");
  EXPECT_EQ(env.at("NUM"), "5");
  EXPECT_EQ(env.at("FLAG"), "true");
}

TEST(StackEnvironment, DotenvIsBesideTheFileNotTheWorkingDir) {
  StackDir d;
  d.write("app/.env", "WHERE=file\n");
  d.write("app/sub/.env", "WHERE=working_dir\n");
  d.write("app/persistproc.yaml", "processes:\n  a:\n    command: x\n    working_dir: sub\n");
  EXPECT_EQ(d.load("app").processes[0].environment.at("WHERE"), "file");
}

TEST(StackEnvironment, DotenvCanBeDisabledPerProcess) {
  StackDir d;
  d.write(".env", "SECRET=1\n");
  d.write("persistproc.yaml", R"(environment: [TOP=1]
processes:
  a:
    command: x
    is_dotenv_disabled: true
  b:
    command: y
)");
  StackSpec s = d.load();
  EXPECT_EQ(s.find("a")->environment.count("SECRET"), 0u);
  EXPECT_EQ(s.find("a")->environment.at("TOP"), "1");  // the file's own environment still counts
  EXPECT_EQ(s.find("b")->environment.at("SECRET"), "1");
}

TEST(StackEnvironment, BadDotenvIsAnErrorWithItsLine) {
  StackDir d;
  d.write(".env", "A=1\n\nnot a variable\n");
  d.write("persistproc.yaml", "processes:\n  a:\n    command: x\n");
  EXPECT_EQ(d.error(), d.file(".env").string() + ":3: expected KEY=VALUE, not 'not a variable'");
}

EnvMap parse(std::string_view text) { return parse_dotenv(text, "/x/.env"); }

std::string parse_error(std::string_view text) {
  try {
    parse(text);
  } catch (const StackError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Dotenv, Syntax) {
  EnvMap env = parse(
      "# comment\n"
      "\n"
      "PLAIN=value\n"
      "SPACED = spaced value  \n"
      "export EXPORTED=yes\n"
      "COMMENTED=abc # a comment\n"
      "HASH=a#b\n"
      "SINGLE='it is $HOME \\n'\n"
      "DOUBLE=\"line1\\nline2 \\\"q\\\" \\$HOME \\x\"  # trailing comment\n"
      "EMPTY=\n"
      "QUOTED_EMPTY=\"\"\n"
      "CRLF=1\r\n"
      "dotted.name=ok\n"
      "PLAIN=second wins\n");
  EXPECT_EQ(env.at("PLAIN"), "second wins");
  EXPECT_EQ(env.at("SPACED"), "spaced value");
  EXPECT_EQ(env.at("EXPORTED"), "yes");
  EXPECT_EQ(env.at("COMMENTED"), "abc");
  EXPECT_EQ(env.at("HASH"), "a#b");
  EXPECT_EQ(env.at("SINGLE"), "it is $HOME \\n");
  EXPECT_EQ(env.at("DOUBLE"), "line1\nline2 \"q\" $HOME \\x");
  EXPECT_EQ(env.at("EMPTY"), "");
  EXPECT_EQ(env.at("QUOTED_EMPTY"), "");
  EXPECT_EQ(env.at("CRLF"), "1");
  EXPECT_EQ(env.at("dotted.name"), "ok");
  EXPECT_EQ(env.size(), 11u);
  EXPECT_EQ(parse_error("SINGLE='it''s'\n"), "/x/.env:1: unexpected text after the closing ' quote");
  EXPECT_EQ(parse("S='a $B \\n'").at("S"), "a $B \\n");  // single quotes: literal
}

TEST(Dotenv, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error("A=1\nB\n"), "/x/.env:2: expected KEY=VALUE, not 'B'");
  EXPECT_EQ(parse_error("1A=1\n"), "/x/.env:1: '1A' is not a variable name (letters, digits, '_', '.')");
  EXPECT_EQ(parse_error("=1\n"), "/x/.env:1: '' is not a variable name (letters, digits, '_', '.')");
  EXPECT_EQ(parse_error("A=\"open\n"), "/x/.env:1: unterminated \" quote (a value is one line)");
  EXPECT_EQ(parse_error("A='open\n"), "/x/.env:1: unterminated ' quote (a value is one line)");
  EXPECT_EQ(parse_error("A=\"x\" y\n"), "/x/.env:1: unexpected text after the closing \" quote");
}

}  // namespace
}  // namespace pp::stack::test
