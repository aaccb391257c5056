// `list`'s table from the real binary: fitted to COLUMNS, else the terminal's width,
// else 80; plain on a pipe and with NO_COLOR, coloured in a terminal. The golden
// text is compared cell by cell with the pids, times and memory masked (they differ
// from run to run); the widths are checked exactly: every row ends in the
// right-aligned RESTARTS column, so every row is as wide as the table.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "support/pty_process.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

const std::string kLongLabel =
    "a long label that has to be cut to fit in the table even at one hundred and twenty columns wide";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string t = std::regex_replace(text, std::regex("\r\n"), "\n");
  for (std::size_t start = 0, nl; (nl = t.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(t.substr(start, nl - start));
  return out;
}

std::size_t columns_of(const std::string& s) {
  std::string plain = std::regex_replace(s, std::regex("\x1b\\[[0-9;]*m"), "");
  std::size_t n = 0;
  for (char c : plain) n += (c & 0xC0) != 0x80;
  return n;
}

// The cells of a row (split at runs of two spaces or more), masked: pid, time, memory.
std::string masked(const std::string& row) {
  std::string plain = std::regex_replace(row, std::regex("\x1b\\[[0-9;]*m"), "");
  std::vector<std::string> cells;
  static const std::regex gap(" {2,}");
  std::sregex_token_iterator it(plain.begin(), plain.end(), gap, -1), end;
  for (; it != end; ++it) {
    std::string cell = it->str();
    cell.erase(0, cell.find_first_not_of(' '));  // a right-aligned PID's one space of padding
    if (!cell.empty()) cells.push_back(cell);
  }
  if (cells.size() != 7) return plain;
  if (cells[0] != "PID") {
    cells[0] = "<pid>";
    cells[3] = std::regex_replace(cells[3], std::regex("^[0-9dhms]+"), "<t>");
    if (cells[5] != "-") cells[5] = "<mem>";
  }
  std::string out;
  for (const auto& c : cells) out += (out.empty() ? "" : " | ") + c;
  return out;
}

class ListTableEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(s.cli({"start", "--label", "web", kHelper, "pause"}).exit_code, 0);
    auto r = s.cli({"start", "--format", "json", "--label", kLongLabel, kHelper, "exit:3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(await_file_contains(std::string(json::parse(r.out).at("log_combined").as_string()),
                                    "[SYSTEM] Process exited with code 3"));
  }
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra) const {
    std::map<std::string, std::string> e = {{"PERSISTPROC_PORT", std::to_string(s.port())},
                                            {"PERSISTPROC_DATA_DIR", s.data_dir()},
                                            {"PERSISTPROC_FORMAT", ""},
                                            {"COLUMNS", ""},
                                            {"NO_COLOR", ""}};
    for (auto& [k, v] : extra) e[k] = v;
    return e;
  }
  // The table, every row `width` columns wide; the rows masked.
  std::vector<std::string> checked(const std::string& out, std::size_t width) {
    std::vector<std::string> rows;
    for (const auto& line : lines_of(out)) {
      EXPECT_EQ(columns_of(line), width) << line;
      rows.push_back(masked(line));
    }
    return rows;
  }
  std::vector<std::string> golden(std::size_t name_width) const {
    return {"PID | NAME | STATUS | UPTIME | PORTS | MEM | RESTARTS", "<pid> | web | running | <t> | - | <mem> | 0",
            "<pid> | " + kLongLabel.substr(0, name_width - 1) + "\u2026 | exited (3) | <t> ago | - | - | 0"};
  }
  // NAME's width in a row: what is left between the PID and STATUS columns.
  static std::size_t name_width(const std::string& header) {
    std::size_t name = header.find("NAME"), status = header.find("STATUS");
    return status - name - 2;
  }
  Server s{{"-q"}};
};

TEST_F(ListTableEndToEnd, FitsColumnsOnAPipeWithoutColour) {
  auto r = run_program({kBin, "list"}, env({{"COLUMNS", "80"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  auto rows = checked(r.out, 80);
  EXPECT_EQ(rows, golden(name_width(lines_of(r.out).at(0)))) << r.out;
  r = run_program({kBin, "list"}, env({{"COLUMNS", "100"}}));
  checked(r.out, 100);
}

TEST_F(ListTableEndToEnd, EightyColumnsWhenNotATerminal) {
  auto r = run_program({kBin, "ls"}, env({}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(checked(r.out, 80), golden(name_width(lines_of(r.out).at(0)))) << r.out;
}

TEST_F(ListTableEndToEnd, TheTerminalsWidthAndColourInATerminal) {
  PtyProcess p({kBin, "list"}, env({}));  // a 120-column terminal
  ASSERT_EQ(p.wait_exit(), 0) << p.transcript();
  const std::string& t = p.transcript();
  EXPECT_NE(t.find("\x1b[32mrunning\x1b[0m"), std::string::npos) << t;
  EXPECT_NE(t.find("\x1b[31mexited (3)\x1b[0m"), std::string::npos) << t;
  EXPECT_EQ(checked(t, 120), golden(name_width(lines_of(t).at(0)))) << t;
}

TEST_F(ListTableEndToEnd, NoColourWithNoColorAndColumnsBeatsTheTerminal) {
  PtyProcess p({kBin, "list"}, env({{"NO_COLOR", "1"}, {"COLUMNS", "90"}}));
  ASSERT_EQ(p.wait_exit(), 0) << p.transcript();
  EXPECT_EQ(p.transcript().find('\x1b'), std::string::npos) << p.transcript();
  EXPECT_EQ(checked(p.transcript(), 90), golden(name_width(lines_of(p.transcript()).at(0))));
}

TEST_F(ListTableEndToEnd, LongFormKeepsTheParagraphs) {
  for (const char* flag : {"-l", "--long"}) {
    auto r = run_program({kBin, "list", flag}, env({}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(": web (running)\n  Command: " + kHelper + " pause\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(": " + kLongLabel + " (exited)\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  Exit code: 3\n"), std::string::npos) << r.out;
  }
}

TEST_F(ListTableEndToEnd, JsonIsUnchanged) {
  auto r = run_program({kBin, "list", "--format", "json"}, env({{"COLUMNS", "80"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto procs = json::parse(r.out).at("processes").as_array();
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(procs[1].at("label"), json::value(kLongLabel));  // whole, not cut
  EXPECT_EQ(procs[1].at("exit_code"), 3);
}

}  // namespace
}  // namespace pp::test
