#include "client/follow_command.hpp"

#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "client/follow_machine.hpp"
#include "client/run_output.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

int follow_command(const FollowOptions& opts) {
  ::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context ioc;
  FollowMachine machine(ioc.get_executor(), opts);
  int exit_code = kExitFailed;
  boost::asio::co_spawn(ioc, machine.run(), [&](std::exception_ptr e, int code) {
    if (e) note(failure_text(e));
    exit_code = e ? kExitFailed : code;
    ioc.stop();
  });
  ioc.run();
  return exit_code;
}

}  // namespace pp::client
