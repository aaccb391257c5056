// Restart policies as values: the names a client may give, and what follows an
// exit (docs/architecture.md#restart-policies): none, a restart after a wait that
// doubles up to the cap and starts over after a stable run, or giving up.
#include "supervise/restart_policy.hpp"

#include <gtest/gtest.h>

namespace pp {
namespace {

using Mode = RestartPolicy::Mode;
using std::chrono::milliseconds;

TEST(RestartPolicy, ModesByNameIncludingProcessComposesSpelling) {
  EXPECT_EQ(parse_restart_mode("no"), Mode::no);
  EXPECT_EQ(parse_restart_mode("on-failure"), Mode::on_failure);
  EXPECT_EQ(parse_restart_mode("on_failure"), Mode::on_failure);
  EXPECT_EQ(parse_restart_mode("always"), Mode::always);
  for (const char* bad : {"", "yes", "On-Failure", "unless-stopped", "always "})
    EXPECT_FALSE(parse_restart_mode(bad)) << bad;
  for (Mode m : {Mode::no, Mode::on_failure, Mode::always}) EXPECT_EQ(parse_restart_mode(to_string(m)), m);
}

TEST(RestartPolicy, WhichExitsRestart) {
  RestartSchedule s;
  RestartPolicy no{Mode::no, 5, milliseconds(1000)};
  RestartPolicy on_failure{Mode::on_failure, 5, milliseconds(1000)};
  RestartPolicy always{Mode::always, 5, milliseconds(1000)};
  EXPECT_EQ(decide_restart(no, 1, 0, milliseconds(0), s).kind, RestartDecision::none);
  EXPECT_EQ(decide_restart(on_failure, 0, 0, milliseconds(0), s).kind, RestartDecision::none);
  EXPECT_EQ(decide_restart(on_failure, 3, 0, milliseconds(0), s).kind, RestartDecision::restart);
  EXPECT_EQ(decide_restart(on_failure, -9, 0, milliseconds(0), s).kind, RestartDecision::restart);  // a signal
  EXPECT_EQ(decide_restart(always, 0, 0, milliseconds(0), s).kind, RestartDecision::restart);
}

TEST(RestartPolicy, TheWaitDoublesInAStreakUpToTheCap) {
  RestartSchedule s;  // cap and stable 60 s
  RestartPolicy p{Mode::always, 0, milliseconds(1000)};
  std::vector<long> waits;
  int streak = 0;
  for (int i = 0; i < 9; ++i) {
    auto d = decide_restart(p, 1, streak, milliseconds(10), s);
    ASSERT_EQ(d.kind, RestartDecision::restart);
    EXPECT_EQ(d.streak, streak + 1);
    waits.push_back(static_cast<long>(d.wait.count()));
    streak = d.streak;
  }
  EXPECT_EQ(waits, (std::vector<long>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
  // A streak far beyond any cap does not overflow.
  EXPECT_EQ(decide_restart(p, 1, 1000000, milliseconds(10), s).wait, milliseconds(60000));
}

TEST(RestartPolicy, AStableRunStartsTheStreakOver) {
  RestartSchedule s{milliseconds(60000), milliseconds(60000)};
  RestartPolicy p{Mode::on_failure, 3, milliseconds(500)};
  auto short_run = decide_restart(p, 1, 2, milliseconds(59999), s);
  EXPECT_EQ(short_run.wait, milliseconds(2000));
  EXPECT_EQ(short_run.streak, 3);
  auto long_run = decide_restart(p, 1, 2, milliseconds(60000), s);
  EXPECT_EQ(long_run.wait, milliseconds(500));
  EXPECT_EQ(long_run.streak, 1);
  // Even a streak at the limit: after a stable run the budget is whole again.
  EXPECT_EQ(decide_restart(p, 1, 3, milliseconds(60000), s).kind, RestartDecision::restart);
}

TEST(RestartPolicy, MaxRestartsInARowThenItGivesUpAndZeroMeansNoLimit) {
  RestartSchedule s;
  RestartPolicy p{Mode::always, 2, milliseconds(1000)};
  EXPECT_EQ(decide_restart(p, 1, 0, milliseconds(0), s).kind, RestartDecision::restart);
  EXPECT_EQ(decide_restart(p, 1, 1, milliseconds(0), s).kind, RestartDecision::restart);
  EXPECT_EQ(decide_restart(p, 1, 2, milliseconds(0), s).kind, RestartDecision::exhausted);
  p.max_restarts = 0;
  EXPECT_EQ(decide_restart(p, 1, 500, milliseconds(0), s).kind, RestartDecision::restart);
}

TEST(RestartPolicy, ABackoffAboveTheCapIsKeptAndZeroStaysZero) {
  RestartSchedule s;
  RestartPolicy slow{Mode::always, 0, milliseconds(90000)};
  EXPECT_EQ(decide_restart(slow, 1, 0, milliseconds(0), s).wait, milliseconds(90000));
  EXPECT_EQ(decide_restart(slow, 1, 4, milliseconds(0), s).wait, milliseconds(90000));
  RestartPolicy now{Mode::always, 0, milliseconds(0)};
  EXPECT_EQ(decide_restart(now, 1, 7, milliseconds(0), s).wait, milliseconds(0));
  // The schedule itself is what tests shorten.
  RestartSchedule quick{milliseconds(40), milliseconds(100)};
  RestartPolicy p{Mode::always, 0, milliseconds(10)};
  EXPECT_EQ(decide_restart(p, 1, 5, milliseconds(0), quick).wait, milliseconds(40));
}

}  // namespace
}  // namespace pp
