// The environment table: a bad PERSISTPROC_* value is named in the message, an
// unset or good one passes, and the token has no check (it is free-form).
#include "core/env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace pp::env {
namespace {

// Sets (or with nullptr unsets) one variable for the test's duration, restoring what was there.
class Scoped {
 public:
  Scoped(Var v, const char* value) : name_(name(v)), old_(get(v)) {
    value ? ::setenv(name_, value, 1) : ::unsetenv(name_);
  }
  ~Scoped() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class Env : public ::testing::Test {
 protected:
  void SetUp() override {
    for (Var v : {Var::port, Var::format, Var::data_dir, Var::no_auth, Var::max_log_size, Var::log_retention})
      cleared_.push_back(std::make_unique<Scoped>(v, nullptr));
  }
  std::vector<std::unique_ptr<Scoped>> cleared_;
};

TEST_F(Env, UnsetOrGoodValuesPass) {
  EXPECT_EQ(check_all(), "");
  Scoped port(Var::port, "0"), format(Var::format, "json"), size(Var::max_log_size, "64M");
  Scoped age(Var::log_retention, "7d"), no_auth(Var::no_auth, ""), token(Var::token, "");
  EXPECT_EQ(check_all(), "");
  EXPECT_EQ(get(Var::port), "0");
  EXPECT_EQ(get(Var::token), "");
  EXPECT_EQ(get_nonempty(Var::token), std::nullopt);
}

TEST_F(Env, ABadValueIsNamed) {
  {
    Scoped port(Var::port, "65536");
    EXPECT_EQ(check_all(), "PERSISTPROC_PORT='65536' is not a port number (0-65535)");
  }
  {
    Scoped dir(Var::data_dir, "");
    EXPECT_EQ(check_all(), "PERSISTPROC_DATA_DIR is set but empty");
  }
  {
    Scoped no_auth(Var::no_auth, "yes");
    EXPECT_EQ(check_all(), "PERSISTPROC_NO_AUTH='yes' must be 1 or 0");
  }
  Scoped age(Var::log_retention, "forever");
  EXPECT_EQ(check_all(), "PERSISTPROC_LOG_RETENTION='forever' is not a duration (try 7d, 12h, 30m or days)");
}

}  // namespace
}  // namespace pp::env
