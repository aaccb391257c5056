// A list of callbacks that all hear about one kind of event, in the order they
// were added; adding one never replaces another.
#pragma once
#include <functional>
#include <utility>
#include <vector>

namespace pp {

template <class... Args>
class Listeners {
 public:
  void add(std::function<void(Args...)> f) { fns_.push_back(std::move(f)); }
  void operator()(const Args&... args) const {
    for (const auto& f : fns_) f(args...);
  }

 private:
  std::vector<std::function<void(Args...)>> fns_;
};

}  // namespace pp
