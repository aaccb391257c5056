// A readiness probe's http_get check (docs/stacks.md#readiness): one HTTP/1.0 GET
// of host:port/path; the check passes on a status of 200..399.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "supervise/readiness.hpp"

namespace pp {

// "" when it passed, else why not ("connection refused", "status 500"). Not
// bounded here: the caller cancels it when its timeout is up (ProbeRunner).
boost::asio::awaitable<std::string> http_check(boost::asio::any_io_executor ex, HttpCheck check);

// The status code of an HTTP status line ("HTTP/1.1 200 OK"), or -1.
int http_status(std::string_view status_line);

}  // namespace pp
