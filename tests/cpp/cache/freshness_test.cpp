#include "edgeguard/cache/freshness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using edgeguard::cache::Freshness;
using edgeguard::cache::Lifetime;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Freshness, WindowsAreHalfOpenAndStartAtTtl) {
  const Lifetime l{1000, 100, 50, 200};  // stored at 1000, ttl 100, swr 50, sie 200
  EXPECT_EQ(l.classify(1000), Freshness::fresh);
  EXPECT_EQ(l.classify(1099), Freshness::fresh);
  EXPECT_EQ(l.classify(1100), Freshness::stale);  // exactly ttl
  EXPECT_EQ(l.classify(1149), Freshness::stale);
  EXPECT_EQ(l.classify(1150), Freshness::stale_if_error);  // exactly ttl + swr
  EXPECT_EQ(l.classify(1299), Freshness::stale_if_error);
  EXPECT_EQ(l.classify(1300), Freshness::expired);  // exactly ttl + sie
  EXPECT_TRUE(l.usable_on_error(1299));
  EXPECT_FALSE(l.usable_on_error(1300));
  EXPECT_EQ(l.deadline(), 1300);
}

TEST(Freshness, ATimeThatIsNoTimeIsNeverFresh) {
  const Lifetime l{1000, kInf, 50, 200};  // never goes stale on a real clock
  for (double now : {std::nan(""), kInf, -kInf}) {
    EXPECT_EQ(l.classify(now), Freshness::expired) << now;
    EXPECT_FALSE(l.usable_on_error(now)) << now;
  }
}

TEST(Freshness, Rfc5861ExampleServesOnErrorUntilAge1800) {
  // Cache-Control: max-age=600, stale-if-error=1200 (seconds; here in ms x 1000)
  const Lifetime l{0, 600000, 0, 1200000};
  EXPECT_EQ(l.classify(599999), Freshness::fresh);
  EXPECT_EQ(l.classify(600000), Freshness::stale_if_error);
  EXPECT_TRUE(l.usable_on_error(1799999));
  EXPECT_EQ(l.classify(1799999), Freshness::stale_if_error);
  EXPECT_EQ(l.classify(1800000), Freshness::expired);
  EXPECT_FALSE(l.usable_on_error(1800000));
}

TEST(Freshness, SwrLongerThanSieServesStaleUntilTtlPlusSwr) {
  const Lifetime l{0, 10, 30, 5};
  EXPECT_EQ(l.classify(10), Freshness::stale);
  EXPECT_EQ(l.classify(39), Freshness::stale);
  EXPECT_EQ(l.classify(40), Freshness::expired);
  EXPECT_TRUE(l.usable_on_error(14));
  EXPECT_FALSE(l.usable_on_error(15));  // stale-if-error is its own window
  EXPECT_EQ(l.deadline(), 40);
}

TEST(Freshness, ZeroTtlWithoutWindowsIsExpiredAtOnce) {
  const Lifetime l{5, 0, 0, 0};
  EXPECT_EQ(l.classify(5), Freshness::expired);
}

TEST(Freshness, InfiniteTtlNeverExpires) {
  const Lifetime l{0, kInf, 5, 5};
  EXPECT_EQ(l.classify(1e15), Freshness::fresh);
  EXPECT_TRUE(std::isinf(l.deadline()));
}

TEST(Freshness, AgeIsNeverNegativeWhenTheClockGoesBack) {
  const Lifetime l{1000, 100, 0, 0};
  EXPECT_EQ(l.age(900), 0);
  EXPECT_EQ(l.classify(900), Freshness::fresh);
  EXPECT_EQ(l.age(1040.5), 40.5);
}

TEST(Freshness, RejectsNegativeNanAndNonFiniteStoredAt) {
  const double nan = std::nan("");
  EXPECT_TRUE((Lifetime{0, 0, 0, 0}.valid()));
  EXPECT_TRUE((Lifetime{0, kInf, 1e12, 1e12}.valid()));
  EXPECT_FALSE((Lifetime{0, 10, kInf, 0}.valid()));  // stale forever
  EXPECT_FALSE((Lifetime{0, 10, 0, kInf}.valid()));
  EXPECT_FALSE((Lifetime{0, -1, 0, 0}.valid()));
  EXPECT_FALSE((Lifetime{0, 1, -1, 0}.valid()));
  EXPECT_FALSE((Lifetime{0, 1, 0, nan}.valid()));
  EXPECT_FALSE((Lifetime{nan, 1, 0, 0}.valid()));
  EXPECT_FALSE((Lifetime{kInf, 1, 0, 0}.valid()));
}

}  // namespace
