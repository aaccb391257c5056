// Session table: unguessable ids, idle expiry, a cap that evicts the least recently
// used, but never a session used within the last minute.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "mcp/sessions.hpp"

namespace pp::mcp {
namespace {

TEST(Sessions, IdsAreLongRandomAndDistinct) {
  SessionTable t;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.insert(*t.create("2025-06-18"));
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(ids.begin()->size(), 32u);
}

TEST(Sessions, IdleSessionsExpire) {
  SessionTable t(std::chrono::seconds(0));
  std::string id = *t.create("2025-06-18");
  EXPECT_EQ(t.find(id), nullptr);
  EXPECT_EQ(t.size(), 0u);
}

TEST(Sessions, LiveSessionsStay) {
  SessionTable t(std::chrono::hours(1));
  std::string id = *t.create("2025-06-18");
  ASSERT_NE(t.find(id), nullptr);
  EXPECT_EQ(t.find(id)->protocol_version, "2025-06-18");
  EXPECT_TRUE(t.erase(id));
  EXPECT_EQ(t.find(id), nullptr);
}

TEST(Sessions, FullTableDropsTheLeastRecentlyUsed) {
  SessionTable t(std::chrono::hours(1), 2, std::chrono::seconds(0));  // nothing counts as recent
  std::string a = *t.create("v"), b = *t.create("v");
  ASSERT_NE(t.find(a), nullptr);  // a is now more recent than b
  std::string c = *t.create("v");
  EXPECT_NE(t.find(a), nullptr);
  EXPECT_EQ(t.find(b), nullptr);
  EXPECT_NE(t.find(c), nullptr);
}

TEST(Sessions, AFullTableOfRecentlyUsedSessionsRefusesANewOneAndKeepsThemAll) {
  SessionTable t(std::chrono::hours(1), 3);  // the default: used within a minute is protected
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(*t.create("v"));
  EXPECT_EQ(t.create("v"), nullptr);
  EXPECT_EQ(t.size(), 3u);
  for (const auto& id : ids) EXPECT_NE(t.find(id), nullptr);
}

}  // namespace
}  // namespace pp::mcp
