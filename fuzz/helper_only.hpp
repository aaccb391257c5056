// What fuzz_mcp_start may start: only the test helper program, with the actions
// the fuzzer chose from a safe part of its mini-language (test/helper/child_main.cpp).
#pragma once
#include <string>
#include <string_view>

namespace pp::fuzz {

// Rewrites a JSON-RPC body (a message or a batch): every ctrl start's
// command_or_label becomes `helper` followed by those of its words that are
// allowed actions (print, exit with a code or a signal, ignore SIGTERM, fork a
// few grandchildren, pause, read stdin...; numbers capped), its working_directory
// `dir`; every ctrl `file` (up, down: a stack file) becomes `dir`, where there is
// none; every wait_timeout over 1 s becomes 1 s, and a wait_for without one gets
// 1 s. Everything else (other actions, wrong types, bodies that are not JSON) is
// left as it is, for the server to judge.
std::string helper_only(std::string_view body, const std::string& helper, const std::string& dir);

}  // namespace pp::fuzz
