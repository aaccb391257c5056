// `--version` and `version`: one line from the version CMake's project() sets, exit 0,
// whatever else is on the command line; the MCP serverInfo carries the same.
#include <gtest/gtest.h>

#include "core/version.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

const std::string kLine = std::string("persistproc ") + kVersion + "\n";

TEST(Version, FlagAndSubcommandPrintTheOneVersion) {
  EXPECT_STREQ(kVersion, PP_PROJECT_VERSION);  // core/version.hpp is written from project(VERSION)
  for (std::vector<std::string> args : {std::vector<std::string>{"--version"},
                                        {"version"},
                                        {"--port", "1", "--version"},
                                        {"version", "--format", "json"}}) {
    args.insert(args.begin(), kBin);
    auto r = run_program(args);
    EXPECT_EQ(r.exit_code, 0) << testing::PrintToString(args) << r.err;
    EXPECT_EQ(r.out, kLine) << testing::PrintToString(args);
    EXPECT_EQ(r.err, "");
  }
}

TEST(Version, VersionTakesNoArguments) {
  auto r = run_program({kBin, "version", "extra"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("extra"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pp::test
