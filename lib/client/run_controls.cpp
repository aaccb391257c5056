#include "client/run_controls.hpp"

#include <boost/asio/co_spawn.hpp>
#include <chrono>

namespace pp::client {

namespace asio = boost::asio;

RunControls::RunControls(asio::any_io_executor ex, Endpoint endpoint, Inbox& inbox)
    : ex_(ex), endpoint_(std::move(endpoint)), inbox_(inbox), pump_ended_(ex) {}

RunControls::~RunControls() = default;

void RunControls::input(std::string_view bytes) {
  input_.append(bytes);
  // call() catches what a call throws; anything else that ends the pump goes to
  // the inbox as a failure of the run, like every coroutine of run's.
  if (!pumping_ && !closing_) {
    pumping_ = true;
    asio::co_spawn(ex_, pump(), [this](std::exception_ptr e) {
      if (!e) return;
      pumping_ = false;
      pump_ended_.notify();
      ToInbox{&inbox_}(e);
    });
  }
}

void RunControls::resize(WindowSize size) {
  resize_ = size;
  input("");
}

void RunControls::signal(std::string name) {
  signal_ = std::move(name);
  input("");
}

asio::awaitable<std::string> RunControls::call(json::object args) {
  args["pid"] = pid_;
  std::string error;
  try {
    if (!client_) {
      auto client = std::make_unique<McpClient>(ex_, endpoint_);
      co_await client->open();
      client_ = std::move(client);
    }
    json::object r = co_await client_->call_tool("ctrl", std::move(args));
    if (auto* e = r.if_contains("error"); e && e->is_string()) error = std::string(e->as_string());
  } catch (const std::exception& e) {
    client_.reset();  // opened again for the next call
    error = e.what();
  }
  co_return error;
}

asio::awaitable<void> RunControls::pump() {
  while (!input_.empty() || resize_ || signal_) {
    if (!input_.empty()) {
      json::object args{{"action", "input"}, {"text", std::move(input_)}};
      input_.clear();
      std::string error = co_await call(std::move(args));
      inbox_.post(InputSent{std::move(error)});
    } else if (signal_) {
      json::object args{{"action", "signal"}, {"signal", std::move(*signal_)}};
      signal_.reset();
      if (std::string error = co_await call(std::move(args)); !error.empty())
        inbox_.post(InputSent{"Ctrl+C not passed on: " + error});
    } else {
      json::object args{{"action", "resize"}, {"columns", resize_->columns}, {"rows", resize_->rows}};
      resize_.reset();
      co_await call(std::move(args));  // a refused resize changes nothing worth a word
    }
  }
  pumping_ = false;
  pump_ended_.notify();
}

asio::awaitable<void> RunControls::close() {
  closing_ = true;
  // A failure bound: a call has its own timeout too.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (pumping_ && std::chrono::steady_clock::now() < deadline) co_await pump_ended_.wait_until(deadline);
  if (pumping_) co_return;  // the call under way still uses the client
  if (client_) co_await client_->close();
  client_.reset();
}

}  // namespace pp::client
