// The completion scripts: each loads in its shell without error and completes
// `persistproc ou<TAB>` to `output`, the choices of --stream and --format, and a
// TARGET to the server's labels and pids (nothing, and no error, without a server).
// bash's function is called with COMP_WORDS set; zsh's with `words` and CURRENT and
// compadd standing in for the completion system's; fish answers `complete -C`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

namespace pp::test {
namespace {

bool have(const std::string& program) {
  return run_program({"sh", "-c", "command -v " + program}).exit_code == 0;
}

class Completions : public ::testing::Test {
 protected:
  // The script `persistproc completions <shell>` prints, in a file; the one the build
  // wrote for installing must be the same.
  std::string script(const std::string& shell, const std::string& built_name) {
    auto r = run_program({kBin, "completions", shell});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(std::string(PP_BUILD_DIR) + "/share/" + built_name), r.out) << shell;
    std::string path = dir.path() + "/" + built_name;
    std::ofstream(path) << r.out;
    return path;
  }
  // The binary's folder first in PATH (the scripts call `persistproc list`), the server's port.
  std::map<std::string, std::string> env(int port) const {
    std::string bin_dir = std::filesystem::path(kBin).parent_path();
    return {{"PATH", bin_dir + ":" + std::getenv("PATH")}, {"PERSISTPROC_PORT", std::to_string(port)},
            {"PERSISTPROC_DATA_DIR", data_dir}, {"PERSISTPROC_FORMAT", ""}};
  }
  TempDir dir;
  std::string data_dir = dir.path();
};

const char* kBashComplete = R"(
complete -p persistproc >/dev/null || exit 9
c() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _persistproc; printf '%s\n' "${COMPREPLY[@]}"; }
)";

TEST_F(Completions, BashLoadsAndCompletes) {
  std::string path = script("bash", "persistproc.bash");
  auto r = run_program({"bash", "-c", "source <(" + kBin + " completions bash) && complete -p persistproc"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "complete -F _persistproc persistproc\n");
  EXPECT_EQ(r.err, "");
  r = run_program({"bash", "-c", "source " + path + kBashComplete +
                                     "c persistproc ou; echo -; c persistproc output --stream ''; echo -;"
                                     " c persistproc --format ''; echo -; c persistproc logs --fo; echo -;"
                                     " c persistproc completions ''; echo -; c persistproc ctrl ''"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "output\n-\nstdout\nstderr\ncombined\n-\ntext\njson\n-\n--follow\n--format\n-\nbash\nzsh\nfish\n-\n"
            "start\nstop\nrestart\ninput\n");
}

TEST_F(Completions, BashOffersTheServersLabelsAndPidsAndNothingWithoutOne) {
  std::string path = script("bash", "persistproc.bash");
  Server s{{"-q"}};
  data_dir = s.data_dir();
  auto started = s.cli({"start", "--format", "json", "--label", "web server", kHelper, "pause"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string pid = started.out.substr(started.out.find("\"pid\":") + 6);
  pid = pid.substr(0, pid.find_first_not_of("0123456789"));
  auto r = run_program({"bash", "-c", "source " + path + kBashComplete + "c persistproc stop ''; echo -; c persistproc output w"},
                       env(s.port()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, pid + "\nweb\\ server\n-\nweb\\ server\n");
  r = run_program({"bash", "-c", "source " + path + kBashComplete + "c persistproc stop ''"}, env(1));  // nobody on port 1
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "\n");  // printf of no words
  EXPECT_EQ(r.err, "");
}

TEST_F(Completions, ZshLoadsAndCompletes) {
  if (!have("zsh")) GTEST_SKIP() << "zsh is not installed (scripts/common.sh installs it)";
  std::string path = script("zsh", "_persistproc");
  auto r = run_program({"zsh", "-c", "autoload -U compinit; compinit; source " + path + " && print ${_comps[persistproc]}"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "_persistproc\n");
  EXPECT_EQ(r.err, "");
  const std::string calls = R"(
compadd() { local w; for w in "${@:2}"; do [[ $w == ${words[CURRENT]}* ]] && print -r -- $w; done }
c() { words=("$@"); CURRENT=$#; _persistproc }
c persistproc ou; print -r -- -; c persistproc output --stream ''; print -r -- -; c persistproc --format j
)";
  r = run_program({"zsh", "-c", "autoload -U compinit; compinit; source " + path + calls});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "output\n-\nstdout\nstderr\ncombined\n-\njson\n");
}

TEST_F(Completions, FishLoadsAndCompletes) {
  if (!have("fish")) GTEST_SKIP() << "fish is not installed (scripts/common.sh installs it)";
  std::string path = script("fish", "persistproc.fish");
  auto r = run_program({"fish", "-n", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_program({"fish", "-c", "source " + path + "; complete -C 'persistproc ou'; echo -;"
                                     " complete -C 'persistproc output --stream '; echo -;"
                                     " complete -C 'persistproc --format '"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("output\t")) << r.out;
  EXPECT_NE(r.out.find("-\ncombined\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nstdout\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-\njson\t"), std::string::npos) << r.out;
}

TEST_F(Completions, AnUnknownOrMissingShellIsAUsageError) {
  auto r = run_program({kBin, "completions", "tcsh"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tcsh"), std::string::npos) << r.err;
  r = run_program({kBin, "completions"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a shell: bash, zsh or fish"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pp::test
