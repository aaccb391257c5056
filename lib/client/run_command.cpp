#include "client/run_command.hpp"

#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "client/run_machine.hpp"
#include "client/run_output.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

namespace {

// The completion handler of the machine's loop: its exit code, or for an exception
// the message on stderr and exit 1. Either way the run is over: pending waits go.
struct RunEnded {
  boost::asio::io_context* ioc;
  int* exit_code;
  void operator()(std::exception_ptr e, int code) const {
    if (e) note(failure_text(e));
    *exit_code = e ? kExitFailed : code;
    ioc->stop();
  }
};

}  // namespace

int run_command(const RunOptions& opts) {
  if (opts.argv.empty()) {
    note("run needs a PROGRAM");
    return kExitUsage;
  }
  ::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context ioc;
  RunMachine machine(ioc.get_executor(), opts);
  int exit_code = kExitFailed;
  boost::asio::co_spawn(ioc, machine.run(), RunEnded{&ioc, &exit_code});
  ioc.run();
  return exit_code;
}

}  // namespace pp::client
