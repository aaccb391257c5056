// Finding the stack file: the names looked for in a directory and their order,
// a file given directly, and what is missing.
#include <gtest/gtest.h>

#include "stack/stack_fixture.hpp"

namespace pp::stack::test {
namespace {

constexpr const char* kYaml = "processes:\n  a:\n    command: x\n";

TEST(StackFile, DirectoryLookupOrder) {
  StackDir d;
  d.write("Procfile", "a: x\n");
  EXPECT_EQ(str(find_stack_file(d.path()).file), str(d.file("Procfile")));
  EXPECT_EQ(find_stack_file(d.path()).format, Format::procfile);
  d.write("process-compose.yml", kYaml);
  EXPECT_EQ(str(find_stack_file(d.path()).file), str(d.file("process-compose.yml")));
  d.write("process-compose.yaml", kYaml);
  EXPECT_EQ(str(find_stack_file(d.path()).file), str(d.file("process-compose.yaml")));
  d.write("persistproc.yml", kYaml);
  EXPECT_EQ(str(find_stack_file(d.path()).file), str(d.file("persistproc.yml")));
  d.write("persistproc.yaml", kYaml);
  FoundFile f = find_stack_file(d.path());
  EXPECT_EQ(str(f.file), str(d.file("persistproc.yaml")));
  EXPECT_EQ(f.format, Format::yaml);
  EXPECT_EQ(f.error, "");
}

TEST(StackFile, FileGivenDirectly) {
  StackDir d;
  d.write("persistproc.yaml", kYaml);
  d.write("stacks/dev.yml", "processes:\n  b:\n    command: y\n");
  StackSpec s = d.load("stacks/dev.yml");
  EXPECT_EQ(str(s.file), str(d.file("stacks/dev.yml")));
  EXPECT_EQ(s.name, "stacks");
  EXPECT_EQ(s.processes[0].name, "b");
}

TEST(StackFile, MissingFiles) {
  StackDir d;
  EXPECT_EQ(d.error(), "no persistproc.yaml, process-compose.yaml (or .yml) or Procfile in " + d.path().string());
  EXPECT_EQ(d.error("nope.yaml"), d.file("nope.yaml").string() + " does not exist");
  EXPECT_EQ(find_stack_file("relative/dir").error, "stack file path 'relative/dir' is not absolute");
}

TEST(StackFile, UnreadableFile) {
  StackDir d;
  std::filesystem::create_directories(d.file("persistproc.yaml"));  // a directory in the file's place
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ": cannot read: it is a directory");
}

TEST(StackFile, BadStackName) {
  StackDir d;
  d.write("persistproc.yaml", std::string("name: a/b\n") + kYaml);
  EXPECT_EQ(d.error(), d.file("persistproc.yaml").string() + ": stack name 'a/b' may not hold '/' or control characters");
  d.write("persistproc.yaml", kYaml);
  EXPECT_EQ(d.error("", LoadOptions{"x/y"}),
            d.file("persistproc.yaml").string() + ": stack name 'x/y' may not hold '/' or control characters");
}

}  // namespace
}  // namespace pp::stack::test
