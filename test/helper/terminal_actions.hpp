// pp_test_helper's actions about terminals and input (see child_main.cpp):
//   isatty    print "isatty XYZ", X/Y/Z 1 or 0 for stdin/stdout/stderr being a terminal
//   winsize   print "winsize COLSxROWS" of the terminal on stdout
//   winch     from now on, print "winsize COLSxROWS" on every SIGWINCH
//   readline  print "read: LINE" for each line of stdin; at end of input print "eof" and go on
//   keys      stdin in raw mode when it is a terminal (as vite or jest do for their keys); for
//             each byte read print "key XX <CLOCK_MONOTONIC in ns>" (XX: hex); at end print "eof"
#pragma once
#include <string>

namespace pp::test {

// Runs `verb` if it is one of the above; false if it is not.
bool terminal_action(const std::string& verb);

}  // namespace pp::test
