// SPDX-License-Identifier: MIT
// Tests for electron/sync.hpp: sharded_mutex, rw_mutex and semaphore.
// Multi-threaded tests are tagged [threads] (run under TSan in CI, and 50
// times longer by the sync_stress ctest through ELECTRON_STRESS).
#include "electron/sync.hpp"

#include "electron/test.hpp"

#include "child_process.hpp"
#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <limits>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace es = electron::sync;
using namespace std::chrono_literals;

namespace {

using electron::test::stress_scale;

// Polls pred until it holds or `limit` passes; true when it held.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Widens the window between a read and a write of a shared variable, so
// that a lock that does not exclude shows up as lost updates.
void dawdle(int n) {
  volatile int sink = 0;
  for (int i = 0; i < n; ++i) sink = i;
  static_cast<void>(sink);
}

struct no_hash {};

// The rw_mutex word, for tests that need a state no test could reach by
// locking (2^30 - 1 readers) or must see whether a waiter has parked. A
// standard-layout object is pointer-interconvertible with its first member;
// the bit layout is the one docs/sync.md describes.
static_assert(std::is_standard_layout_v<es::rw_mutex> && sizeof(es::rw_mutex) == sizeof(std::atomic<std::uint32_t>));
std::atomic<std::uint32_t>& rw_word(es::rw_mutex& m) { return reinterpret_cast<std::atomic<std::uint32_t>&>(m); }
constexpr std::uint32_t rw_waiting_bit = 1u << 30;
constexpr std::uint32_t rw_max_readers = rw_waiting_bit - 1;

// A hasher that sends every key to the same hash, and counts its calls.
struct constant_hasher {
  std::atomic<int>* calls;
  std::uint64_t operator()(const std::string&) const noexcept {
    calls->fetch_add(1, std::memory_order_relaxed);
    return 42;
  }
};

template <std::size_t N>
concept valid_shard_count = requires {
  typename es::sharded_mutex<N>;
};
template <class M>
concept valid_shard_type = requires {
  typename es::sharded_mutex<8, M>;
};

// A lockable type of the test's own, to plug into sharded_mutex: a
// test-and-set spin lock that counts its acquisitions (in all instances),
// so the test can see that the shards really are of this type.
struct counting_spinlock {
  static inline std::atomic<std::uint64_t> acquisitions{0};
  std::atomic<bool> held{false};
  void lock() noexcept {
    while (held.exchange(true, std::memory_order_acquire)) {
      while (held.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
    acquisitions.fetch_add(1, std::memory_order_relaxed);
  }
  bool try_lock() noexcept {
    if (held.load(std::memory_order_relaxed) || held.exchange(true, std::memory_order_acquire)) return false;
    acquisitions.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  void unlock() noexcept { held.store(false, std::memory_order_release); }
};
// Lockable, but not default-constructible: no shard can be made of it.
struct lock_needs_arg {
  explicit lock_needs_arg(int) {}
  void lock() {}
  bool try_lock() { return true; }
  void unlock() {}
};

}  // namespace

// ---- concepts and signatures ------------------------------------------------
static_assert(es::lockable<std::mutex> && es::lockable<es::rw_mutex> && !es::lockable<int>);
static_assert(es::lockable<es::word_mutex> && !es::shared_lockable<es::word_mutex> && es::lockable<counting_spinlock>);
static_assert(sizeof(es::word_mutex) == 4 && !std::is_copy_constructible_v<es::word_mutex>);
static_assert(std::is_same_v<es::sharded_mutex<>::mutex_type, es::word_mutex>);
static_assert(std::is_same_v<es::sharded_mutex<8, counting_spinlock>::mutex_type, counting_spinlock>);
static_assert(valid_shard_type<es::word_mutex> && valid_shard_type<std::mutex> && valid_shard_type<counting_spinlock> &&
              valid_shard_type<es::rw_mutex>);
static_assert(!valid_shard_type<int> && !valid_shard_type<lock_needs_arg> && !valid_shard_type<es::semaphore>);
// noexcept follows the shard type: std::mutex::lock may throw.
static_assert(!noexcept(std::declval<es::sharded_mutex<8, std::mutex>&>().lock(1)) &&
              !noexcept(std::declval<es::sharded_mutex<8, std::mutex>&>().guard(1)));
static_assert(noexcept(std::declval<es::sharded_mutex<8, counting_spinlock>&>().lock(1)));
static_assert(es::shared_lockable<es::rw_mutex> && es::shared_lockable<std::shared_mutex>);
static_assert(!es::shared_lockable<std::mutex> && !es::shared_lockable<es::semaphore>);
static_assert(electron::hash::hasher<std::hash<std::string>, std::string> &&
              electron::hash::hasher<constant_hasher, std::string>);
static_assert(!electron::hash::hasher<constant_hasher, int> && !electron::hash::hasher<int, std::string>);
static_assert(es::shard_key<int> && es::shard_key<std::uint64_t> && es::shard_key<std::string> &&
              es::shard_key<const void*>);
static_assert(!es::shard_key<no_hash> && !es::shard_key<std::vector<int>>);
static_assert(es::chrono_clock<std::chrono::steady_clock> && es::chrono_clock<std::chrono::system_clock>);
static_assert(!es::chrono_clock<int> && !es::chrono_clock<std::chrono::seconds>);
static_assert(valid_shard_count<1> && valid_shard_count<64> && valid_shard_count<1024>);
static_assert(!valid_shard_count<0> && !valid_shard_count<3> && !valid_shard_count<48>);

static_assert(es::sharded_mutex<>::shard_count == 64 && es::sharded_mutex<8>::shard_count == 8);
static_assert(sizeof(es::sharded_mutex<16>) == 16 * electron::cache_line_size);
static_assert(sizeof(es::rw_mutex) == 4);
static_assert(!std::is_copy_constructible_v<es::rw_mutex> && !std::is_move_constructible_v<es::semaphore>);
static_assert(!std::is_copy_constructible_v<es::sharded_mutex<>::lock_guard>);
static_assert(!std::is_convertible_v<std::ptrdiff_t, es::semaphore>);                                     // explicit
static_assert(es::sharded_mutex<>::shard_of(std::uint64_t{7}) == es::sharded_mutex<>::shard_of_hash(7));  // constexpr

static_assert(noexcept(std::declval<es::sharded_mutex<>&>().lock(1)) && noexcept(
    std::declval<es::sharded_mutex<>&>().unlock(1)) && noexcept(std::declval<es::sharded_mutex<>&>().try_lock(1)));
static_assert(noexcept(std::declval<es::sharded_mutex<>&>().guard(std::uint64_t{
    1})) && noexcept(std::declval<es::sharded_mutex<>&>().lock_shard(0)));
static_assert(noexcept(std::declval<es::sharded_mutex<>&>().lock(
    std::declval<const std::string&>())));  // std::hash<std::string> is noexcept
static_assert(noexcept(std::declval<es::rw_mutex&>().lock()) && noexcept(
    std::declval<es::rw_mutex&>().unlock()) && noexcept(std::declval<es::rw_mutex&>().try_lock()));
static_assert(noexcept(std::declval<es::rw_mutex&>().lock_shared()) && noexcept(
    std::declval<es::rw_mutex&>().unlock_shared()) && noexcept(std::declval<es::rw_mutex&>().try_lock_shared()));
static_assert(noexcept(std::declval<es::semaphore&>().acquire()) && noexcept(
    std::declval<es::semaphore&>().release()) && noexcept(std::declval<es::semaphore&>().try_acquire()));
static_assert(noexcept(std::declval<es::semaphore&>().available()));

// ===========================================================================
// sharded_mutex
// ===========================================================================

TEST_CASE("sharded_mutex: shard_of is deterministic and agrees across key types", "[sync][sharded_mutex]") {
  using sm = es::sharded_mutex<64>;
  for (std::uint64_t k = 0; k < 1000; ++k) {
    CHECK(sm::shard_of(k) < 64);
    CHECK(sm::shard_of(k) == sm::shard_of(k));
    CHECK(sm::shard_of(k) == sm::shard_of_hash(k));
    CHECK(sm::shard_of(static_cast<int>(k)) == sm::shard_of(k));  // integers are used as they are
    CHECK(sm::shard_of(static_cast<std::uint16_t>(k)) == sm::shard_of(k));
  }
  const std::string s = "user:17";
  CHECK(sm::shard_of(s) == sm::shard_of_hash(std::hash<std::string>{}(s)));
  std::atomic<int> calls{0};
  const constant_hasher h{&calls};
  CHECK(sm::shard_of(s, h) == sm::shard_of_hash(42));
  CHECK(sm::shard_of(std::string("other"), h) == sm::shard_of(s, h));
  CHECK(calls == 3);
  CHECK(es::sharded_mutex<1>::shard_of(std::uint64_t{12345}) == 0);
}

TEST_CASE("sharded_mutex: the mix spreads sequential and strided keys over all shards", "[sync][sharded_mutex]") {
  using sm = es::sharded_mutex<64>;
  constexpr int per_shard = 64;
  // Sequential ids, page-strided values (aligned pointers) and strings.
  for (int kind = 0; kind < 3; ++kind) {
    int counts[64] = {};
    for (std::uint64_t i = 0; i < 64 * per_shard; ++i) {
      std::size_t s = 0;
      if (kind == 0) s = sm::shard_of(i);
      if (kind == 1) s = sm::shard_of(i * 4096);
      if (kind == 2) s = sm::shard_of("key-" + std::to_string(i));
      ++counts[s];
    }
    const auto [lo, hi] = std::minmax_element(std::begin(counts), std::end(counts));
    INFO("kind " << kind << ": min " << *lo << ", max " << *hi << ", mean " << per_shard);
    // Binomial(4096, 1/64): mean 64, sd ~7.9. Bounds at about 4 sd.
    CHECK(*lo >= per_shard / 2);
    CHECK(*hi <= per_shard * 3 / 2);
  }
  // Small tables use every shard too.
  int counts8[8] = {};
  for (std::uint64_t i = 0; i < 64; ++i) ++counts8[es::sharded_mutex<8>::shard_of(i)];
  CHECK(*std::min_element(std::begin(counts8), std::end(counts8)) > 0);
}

TEST_CASE("sharded_mutex: try_lock semantics and the guard", "[sync][sharded_mutex][threads]") {
  es::sharded_mutex<64> m;
  const std::uint64_t a = 1;
  std::uint64_t b = 2;
  while (m.shard_of(b) == m.shard_of(a)) ++b;
  std::uint64_t a_twin = 3;  // another key on a's shard
  while (m.shard_of(a_twin) != m.shard_of(a)) ++a_twin;

  auto try_elsewhere = [&m](auto key) {
    bool got = false;
    std::thread t([&] {
      got = m.try_lock(key);
      if (got) m.unlock(key);
    });
    t.join();
    return got;
  };

  REQUIRE(m.try_lock(a));
  CHECK_FALSE(try_elsewhere(a));
  CHECK_FALSE(try_elsewhere(a_twin));  // same shard, same lock
  CHECK(try_elsewhere(b));             // a different shard is free
  m.lock(b);                           // both held at once by this thread
  CHECK_FALSE(try_elsewhere(b));
  m.unlock(a);
  CHECK(try_elsewhere(a));
  CHECK_FALSE(try_elsewhere(b));
  m.unlock(b);
  CHECK(try_elsewhere(b));

  {
    auto g = m.guard(a);
    CHECK(g.shard() == m.shard_of(a));
    CHECK_FALSE(try_elsewhere(a));
    CHECK(try_elsewhere(b));
  }
  CHECK(try_elsewhere(a));  // the guard unlocked

  std::atomic<int> calls{0};
  const constant_hasher h{&calls};
  const std::string k = "anything";
  {
    es::sharded_mutex<64>::lock_guard g(m, k, h);
    CHECK(g.shard() == m.shard_of_hash(42));
    CHECK_FALSE(m.try_lock_shard(g.shard()));
    CHECK_FALSE(m.try_lock(std::string("else"), h));
  }
  CHECK(m.try_lock(k, h));
  m.unlock(k, h);
  {
    auto g = m.guard(k);  // std::hash
    CHECK(g.shard() == m.shard_of(k));
    CHECK_FALSE(try_elsewhere(k));
  }
  CHECK(try_elsewhere(k));
}

// Several threads add to plain (non-atomic) per-key counters under the key's
// lock, with a gap between read and write: any overlap loses an update.
TEMPLATE_TEST_CASE("sharded_mutex: mutual exclusion per key, exact totals", "[sync][sharded_mutex][threads]",
                   es::word_mutex, std::mutex, counting_spinlock) {
  constexpr int threads = 4;
  constexpr int keys = 12;
  const int ops = 10000 * stress_scale();
  es::sharded_mutex<8, TestType> m;  // few shards: keys share them, so shards are contended
  const std::uint64_t acquisitions_before = counting_spinlock::acquisitions.load();
  std::atomic<std::uint64_t> locked{0};  // successful lock, try_lock and guard calls
  std::vector<std::uint64_t> counters(keys, 0);
  std::vector<std::vector<std::uint64_t>> done(threads, std::vector<std::uint64_t>(keys, 0));
  std::latch start(threads);  // all threads run at once
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      start.arrive_and_wait();
      std::mt19937 rng(static_cast<unsigned>(1234 + t));
      for (int i = 0; i < ops; ++i) {
        const int k = static_cast<int>(rng() % keys);
        switch (i % 4) {
          case 0: {
            m.lock(k);
            locked.fetch_add(1, std::memory_order_relaxed);
            const std::uint64_t v = counters[static_cast<std::size_t>(k)];
            dawdle(20);
            counters[static_cast<std::size_t>(k)] = v + 1;
            m.unlock(k);
            break;
          }
          case 1: {
            if (!m.try_lock(k)) continue;
            locked.fetch_add(1, std::memory_order_relaxed);
            ++counters[static_cast<std::size_t>(k)];
            m.unlock(k);
            break;
          }
          default: {
            auto g = m.guard(k);
            locked.fetch_add(1, std::memory_order_relaxed);
            const std::uint64_t v = counters[static_cast<std::size_t>(k)];
            dawdle(20);
            counters[static_cast<std::size_t>(k)] = v + 1;
            break;
          }
        }
        ++done[static_cast<std::size_t>(t)][static_cast<std::size_t>(k)];
      }
    });
  }
  for (auto& t : ts) t.join();
  for (int k = 0; k < keys; ++k) {
    std::uint64_t expected = 0;
    for (int t = 0; t < threads; ++t) expected += done[static_cast<std::size_t>(t)][static_cast<std::size_t>(k)];
    INFO("key " << k);
    CHECK(counters[static_cast<std::size_t>(k)] == expected);
  }
  if constexpr (std::is_same_v<TestType, counting_spinlock>) {
    // Every lock went through the user's type, and nothing else did.
    CHECK(counting_spinlock::acquisitions.load() - acquisitions_before == locked.load());
  }
}

TEST_CASE("word_mutex: standalone, with the standard lock types", "[sync][word_mutex][threads]") {
  es::word_mutex m;
  CHECK(m.try_lock());
  CHECK_FALSE(m.try_lock());
  m.unlock();
  {
    const std::lock_guard<es::word_mutex> g(m);
    CHECK_FALSE(m.try_lock());
  }
  std::unique_lock<es::word_mutex> u(m, std::try_to_lock);
  CHECK(u.owns_lock());
  u.unlock();
  long counter = 0;
  const int per_thread = 20000 * stress_scale();
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        const std::scoped_lock g(m);
        const long v = counter;
        if (i % 64 == 0) dawdle(200);  // long enough that waiters park
        counter = v + 1;
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(counter == 4L * per_thread);
  CHECK(m.try_lock());
  m.unlock();
}

TEST_CASE("sharded_mutex: a waiter sleeps and is woken by unlock", "[sync][sharded_mutex][threads]") {
  es::sharded_mutex<4> m;
  const int rounds = 50 * stress_scale();
  int shared = 0;  // guarded by key 0
  for (int r = 0; r < rounds; ++r) {
    m.lock(0);
    std::atomic<bool> started{false};
    std::thread t([&] {
      started = true;
      m.lock(0);  // spins, then sleeps until the unlock below
      ++shared;
      m.unlock(0);
    });
    while (!started) std::this_thread::yield();
    if (r % 10 == 0) std::this_thread::sleep_for(2ms);  // long enough to be asleep
    ++shared;
    m.unlock(0);
    t.join();
  }
  CHECK(shared == 2 * rounds);
}

#if ELECTRON_ASSERTS_ENABLED
TEST_CASE("sharded_mutex and rw_mutex: unlocking what is not held is caught in debug builds", "[sync][assert]") {
  const auto shard = electron_tests::run_in_child([] {
    es::sharded_mutex<4> m;
    m.unlock(1);
  });
  CHECK(shard.signaled);
  CHECK(shard.signal == SIGABRT);
  const auto writer = electron_tests::run_in_child([] {
    es::rw_mutex m;
    m.unlock();
  });
  CHECK(writer.signaled);
  const auto reader = electron_tests::run_in_child([] {
    es::rw_mutex m;
    m.lock();
    m.unlock_shared();
  });
  CHECK(reader.signaled);
  const auto sem = electron_tests::run_in_child([] {
    es::semaphore s(0);
    s.release(-1);
  });
  CHECK(sem.signaled);
}
#endif

// ===========================================================================
// rw_mutex
// ===========================================================================

TEST_CASE("rw_mutex: try_lock and try_lock_shared semantics", "[sync][rw_mutex]") {
  es::rw_mutex m;
  REQUIRE(m.try_lock());
  CHECK_FALSE(m.try_lock());
  CHECK_FALSE(m.try_lock_shared());
  m.unlock();
  REQUIRE(m.try_lock_shared());
  REQUIRE(m.try_lock_shared());
  CHECK_FALSE(m.try_lock());  // readers inside
  m.unlock_shared();
  CHECK_FALSE(m.try_lock());  // one reader still inside
  m.unlock_shared();
  CHECK(m.try_lock());
  m.unlock();
  m.lock_shared();
  m.lock_shared();
  m.unlock_shared();
  m.unlock_shared();
  m.lock();
  CHECK_FALSE(m.try_lock_shared());
  m.unlock();
  CHECK(m.try_lock_shared());
  m.unlock_shared();
}

// Review finding: at 2^30 - 1 readers another reader's increment carried
// into the waiting bit (a writer could then enter). A full count is now
// "not free": try_lock_shared fails and lock_shared waits for a slot.
TEST_CASE("rw_mutex: a full reader count refuses more readers", "[sync][rw_mutex][threads]") {
  es::rw_mutex m;
  rw_word(m).store(rw_max_readers);  // as if 2^30 - 1 readers held it
  REQUIRE_FALSE(m.try_lock_shared());
  REQUIRE(rw_word(m).load() == rw_max_readers);
  CHECK_FALSE(m.try_lock());
  std::atomic<bool> started{false};
  std::atomic<bool> in{false};
  std::thread reader([&] {
    started = true;
    m.lock_shared();  // waits (spins, then sleeps) for a slot
    in = true;
    m.unlock_shared();
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(in);
  CHECK((rw_word(m).load() & rw_max_readers) == rw_max_readers);
  m.unlock_shared();  // one of the readers leaves: the sleeper is woken
  reader.join();
  CHECK(in);
  CHECK((rw_word(m).load() & rw_max_readers) == rw_max_readers - 1);
  rw_word(m).store(0);  // the pretend readers are gone
  CHECK(m.try_lock());
  m.unlock();
}

// Review finding: after the decrement that let a parked writer in, the last
// reader's unlock_shared made a second read-modify-write of the word, which
// the writer may already have freed. The writer here unlocks and deletes
// the mutex as soon as it gets it (ASan / TSan catch a late access).
TEST_CASE("rw_mutex: a writer may destroy the mutex once the last reader let it in", "[sync][rw_mutex][threads]") {
  const int rounds = 2000 * stress_scale();
  std::atomic<es::rw_mutex*> slot{nullptr};
  std::thread reader([&] {
    for (int r = 0; r < rounds; ++r) {
      es::rw_mutex* m = nullptr;
      for (int spins = 1; (m = slot.exchange(nullptr, std::memory_order_acquire)) == nullptr; ++spins) {
        if (spins % 1024 == 0) std::this_thread::yield();
      }
      // Holds it shared until the writer has announced that it sleeps (the
      // word of a live mutex: the writer deletes it only after we unlock),
      // then unlocks at once, while the writer may still be spinning.
      for (int spins = 1; (rw_word(*m).load(std::memory_order_relaxed) & rw_waiting_bit) == 0; ++spins) {
        if (spins % 1024 == 0) std::this_thread::yield();
      }
      m->unlock_shared();
    }
  });
  for (int r = 0; r < rounds; ++r) {
    auto* m = new es::rw_mutex;
    m->lock_shared();  // on behalf of the reader thread, which unlocks it
    slot.store(m, std::memory_order_release);
    m->lock();  // waits for that reader: spins, sets the waiting bit, sleeps
    m->unlock();
    delete m;
  }
  reader.join();
  SUCCEED();
}

TEST_CASE("rw_mutex: works with the standard lock types", "[sync][rw_mutex]") {
  es::rw_mutex m;
  int value = 0;
  {
    std::unique_lock<es::rw_mutex> w(m);
    value = 1;
    CHECK(w.owns_lock());
    CHECK_FALSE(m.try_lock_shared());
  }
  {
    std::shared_lock<es::rw_mutex> r1(m);
    std::shared_lock<es::rw_mutex> r2(m, std::try_to_lock);
    CHECK(r1.owns_lock());
    CHECK(r2.owns_lock());
    CHECK(value == 1);
    std::unique_lock<es::rw_mutex> w(m, std::try_to_lock);
    CHECK_FALSE(w.owns_lock());
  }
  {
    const std::lock_guard<es::rw_mutex> g(m);
    value = 2;
  }
  {
    es::rw_mutex other;
    const std::scoped_lock both(m, other);  // std::lock's deadlock avoidance uses try_lock
    value = 3;
  }
  std::unique_lock<es::rw_mutex> w(m, std::defer_lock);
  CHECK(w.try_lock());
  w.unlock();
  std::shared_lock<es::rw_mutex> r(m, std::defer_lock);
  CHECK(r.try_lock());
  CHECK(value == 3);
}

TEST_CASE("rw_mutex: readers are inside together", "[sync][rw_mutex][threads]") {
  es::rw_mutex m;
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  auto reader = [&] {
    m.lock_shared();
    const int now = inside.fetch_add(1) + 1;
    int seen = max_inside.load();
    while (seen < now && !max_inside.compare_exchange_weak(seen, now)) {
    }
    // Stay until the other reader is in too (or give up after 10 s).
    eventually([&] { return max_inside.load() >= 2; });
    inside.fetch_sub(1);
    m.unlock_shared();
  };
  std::thread a(reader), b(reader);
  a.join();
  b.join();
  CHECK(max_inside == 2);
}

TEST_CASE("rw_mutex: a writer keeps readers and writers out until it unlocks", "[sync][rw_mutex][threads]") {
  es::rw_mutex m;
  m.lock();
  std::atomic<int> got_in{0};
  std::thread reader([&] {
    m.lock_shared();  // spins, then sleeps
    got_in.fetch_add(1);
    m.unlock_shared();
  });
  std::thread writer([&] {
    m.lock();
    got_in.fetch_add(1);
    m.unlock();
  });
  std::this_thread::sleep_for(20ms);  // both are waiting now, parked
  CHECK(got_in == 0);
  CHECK_FALSE(m.try_lock_shared());
  m.unlock();
  reader.join();
  writer.join();
  CHECK(got_in == 2);
}

TEST_CASE("rw_mutex: a waiting writer does not keep new readers out", "[sync][rw_mutex][threads]") {
  es::rw_mutex m;
  m.lock_shared();  // reader 1
  std::atomic<bool> writer_started{false};
  std::atomic<bool> writer_in{false};
  std::thread writer([&] {
    writer_started = true;
    m.lock();  // waits for the readers (spins, then sleeps)
    writer_in = true;
    m.unlock();
  });
  while (!writer_started) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);  // the writer is now waiting, parked
  CHECK_FALSE(writer_in);
  bool second_reader = false;
  bool third_reader = false;
  std::thread readers([&] {
    second_reader = m.try_lock_shared();  // reader preference: no writer holds it
    m.lock_shared();                      // the blocking path too
    third_reader = true;
    m.unlock_shared();
  });
  readers.join();
  CHECK(second_reader);
  CHECK(third_reader);
  CHECK_FALSE(writer_in);
  m.unlock_shared();  // reader 1 out; reader 2 still in
  std::this_thread::sleep_for(5ms);
  CHECK_FALSE(writer_in);
  if (second_reader) m.unlock_shared();  // the last reader out wakes the writer
  writer.join();
  CHECK(writer_in);
  CHECK(m.try_lock());
  m.unlock();
}

// Writers keep an invariant (all slots equal) that readers check, and count
// their sections in plain variables; atomics count who is inside.
TEST_CASE("rw_mutex: writers exclusive, readers consistent, nothing lost", "[sync][rw_mutex][threads]") {
  constexpr int threads = 4;
  const int ops = 6000 * stress_scale();
  es::rw_mutex m;
  std::uint64_t slots[8] = {};
  std::uint64_t writes = 0;  // guarded by m, exclusive
  std::atomic<int> readers_inside{0};
  std::atomic<int> writers_inside{0};
  std::atomic<int> max_readers{0};
  std::atomic<int> violations{0};
  std::atomic<std::uint64_t> writes_done{0};
  std::atomic<std::uint64_t> reads_done{0};

  auto write_section = [&] {
    if (writers_inside.fetch_add(1) != 0 || readers_inside.load() != 0) violations.fetch_add(1);
    const std::uint64_t v = slots[0] + 1;
    for (auto& s : slots) {
      s = v;
      dawdle(2);
    }
    ++writes;
    writers_inside.fetch_sub(1);
  };
  auto read_section = [&] {
    const int now = readers_inside.fetch_add(1) + 1;
    if (writers_inside.load() != 0) violations.fetch_add(1);
    int seen = max_readers.load();
    while (seen < now && !max_readers.compare_exchange_weak(seen, now)) {
    }
    const std::uint64_t first = slots[0];
    for (const auto& s : slots) {
      if (s != first) violations.fetch_add(1);
      dawdle(2);
    }
    if (writers_inside.load() != 0) violations.fetch_add(1);
    readers_inside.fetch_sub(1);
  };

  std::latch start(threads);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      start.arrive_and_wait();
      std::mt19937 rng(static_cast<unsigned>(99 + t));
      std::uint64_t w = 0, r = 0;
      for (int i = 0; i < ops; ++i) {
        const unsigned x = rng() % 16;
        if (x == 0) {
          m.lock();
          write_section();
          m.unlock();
          ++w;
        } else if (x == 1) {
          if (!m.try_lock()) continue;
          write_section();
          m.unlock();
          ++w;
        } else if (x == 2) {
          const std::unique_lock<es::rw_mutex> g(m);
          write_section();
          ++w;
        } else if (x < 8) {
          m.lock_shared();
          read_section();
          m.unlock_shared();
          ++r;
        } else if (x < 10) {
          if (!m.try_lock_shared()) continue;
          read_section();
          m.unlock_shared();
          ++r;
        } else {
          const std::shared_lock<es::rw_mutex> g(m);
          read_section();
          ++r;
        }
      }
      writes_done += w;
      reads_done += r;
    });
  }
  for (auto& t : ts) t.join();
  CHECK(violations == 0);
  CHECK(writes == writes_done.load());
  CHECK(slots[0] == writes);
  CHECK(reads_done > 0);
  CHECK(m.try_lock());  // left free
  m.unlock();
}

// Writers and readers hand the lock back and forth with sleeps in between,
// so that waiters park; every round must end (no lost wake-up).
TEST_CASE("rw_mutex: parked readers and writers are woken", "[sync][rw_mutex][threads]") {
  const int rounds = 40 * stress_scale();
  es::rw_mutex m;
  int value = 0;
  for (int r = 0; r < rounds; ++r) {
    const bool writer_holds = r % 2 == 0;
    if (writer_holds) {
      m.lock();
    } else {
      m.lock_shared();
    }
    std::atomic<int> in{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 3; ++i) {
      ts.emplace_back([&, i] {
        if (i == 0) {
          m.lock();
          ++value;
          m.unlock();
        } else {
          m.lock_shared();
          m.unlock_shared();
        }
        in.fetch_add(1);
      });
    }
    std::this_thread::sleep_for(r % 8 == 0 ? 3ms : 100us);
    if (writer_holds) {
      ++value;
      m.unlock();
    } else {
      m.unlock_shared();
    }
    for (auto& t : ts) t.join();
    CHECK(in == 3);
  }
  CHECK(value == rounds + rounds / 2);
}

// ===========================================================================
// semaphore
// ===========================================================================

TEST_CASE("semaphore: counts exactly", "[sync][semaphore]") {
  es::semaphore s(0);
  CHECK(s.available() == 0);
  CHECK_FALSE(s.try_acquire());
  s.release(3);
  CHECK(s.available() == 3);
  CHECK(s.try_acquire());
  CHECK(s.try_acquire());
  CHECK(s.try_acquire());
  CHECK_FALSE(s.try_acquire());
  CHECK(s.available() == 0);
  s.release();
  s.acquire();  // does not block: one unit
  CHECK_FALSE(s.try_acquire());
  s.release(0);
  CHECK(s.available() == 0);

  es::semaphore two(2);
  CHECK(two.available() == 2);
  two.acquire();
  CHECK(two.try_acquire_for(1s));  // immediate
  CHECK_FALSE(two.try_acquire());
  two.release(2);
  CHECK(two.try_acquire_until(std::chrono::steady_clock::now() - 1s));  // past deadline, but a unit is there
  CHECK(two.available() == 1);
  CHECK(es::semaphore::max() == (std::ptrdiff_t{1} << 40) - 1);

  es::semaphore full(es::semaphore::max());
  CHECK(full.available() == es::semaphore::max());
  CHECK(full.try_acquire());
  full.release();
  CHECK(full.available() == es::semaphore::max());
}

TEST_CASE("semaphore: timed waits time out", "[sync][semaphore]") {
  es::semaphore s(0);
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(s.try_acquire_for(50ms));
  auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= 45ms);
  CHECK(waited < 5s);

  t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(s.try_acquire_until(std::chrono::system_clock::now() + 30ms));  // another clock
  waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= 25ms);
  CHECK(waited < 5s);

  CHECK_FALSE(s.try_acquire_until(std::chrono::steady_clock::now() - 1s));
  CHECK_FALSE(s.try_acquire_for(0ms));
  CHECK_FALSE(s.try_acquire_for(-5ms));
  CHECK(s.available() == 0);
  s.release();
  CHECK(s.try_acquire_for(0ms));
  CHECK(s.available() == 0);
}

// Review finding: try_acquire_for(nanoseconds::max()) and the like
// overflowed (now + timeout, or the condition variable's conversion of a
// coarse deadline) and returned false at once.
TEST_CASE("semaphore: huge timeouts and far deadlines wait without overflow", "[sync][semaphore][threads]") {
  using namespace std::chrono;
  es::semaphore s(0);
  auto released_later = [&s](auto wait) {
    std::thread t([&s] {
      std::this_thread::sleep_for(50ms);
      s.release();
    });
    const auto t0 = steady_clock::now();
    const bool got = wait();
    const auto waited = steady_clock::now() - t0;
    t.join();
    CHECK(waited >= 40ms);
    CHECK(waited < 10s);
    if (!got) CHECK(s.try_acquire_for(30s));  // take the unit anyway, for the next case
    return got;
  };
  CHECK(released_later([&] { return s.try_acquire_for(nanoseconds::max()); }));
  CHECK(released_later([&] { return s.try_acquire_for(milliseconds::max()); }));
  CHECK(released_later([&] { return s.try_acquire_for(hours::max()); }));
  CHECK(released_later([&] { return s.try_acquire_for(duration<double>(1e30)); }));
  CHECK(released_later([&] { return s.try_acquire_for(duration<double>(std::numeric_limits<double>::infinity())); }));
  CHECK(released_later([&] { return s.try_acquire_until(time_point<steady_clock, seconds>::max()); }));
  CHECK(released_later([&] { return s.try_acquire_until(steady_clock::time_point::max()); }));
  CHECK(released_later([&] { return s.try_acquire_until(system_clock::time_point::max()); }));
  CHECK(released_later([&] { return s.try_acquire_until(time_point<system_clock, hours>::max()); }));
  REQUIRE(s.available() == 0);

  // Past deadlines and non-positive timeouts return false at once...
  const auto t0 = steady_clock::now();
  CHECK_FALSE(s.try_acquire_until(steady_clock::time_point::min()));
  CHECK_FALSE(s.try_acquire_until(time_point<steady_clock, seconds>::min()));
  CHECK_FALSE(s.try_acquire_until(time_point<system_clock, hours>::min()));
  CHECK_FALSE(s.try_acquire_until(steady_clock::now() - 1s));
  CHECK_FALSE(s.try_acquire_for(nanoseconds::min()));
  CHECK_FALSE(s.try_acquire_for(hours::min()));
  CHECK_FALSE(s.try_acquire_for(duration<double>(-1e30)));
  CHECK_FALSE(s.try_acquire_for(duration<double>(std::numeric_limits<double>::quiet_NaN())));
  CHECK(steady_clock::now() - t0 < 1s);
  // ...but take a unit that is there.
  for (int i = 0; i < 6; ++i) s.release();
  CHECK(s.try_acquire_for(0ms));
  CHECK(s.try_acquire_for(nanoseconds::min()));
  CHECK(s.try_acquire_for(duration<double>(std::numeric_limits<double>::quiet_NaN())));
  CHECK(s.try_acquire_until(steady_clock::time_point::min()));
  CHECK(s.try_acquire_until(time_point<system_clock, hours>::min()));
  CHECK(s.try_acquire_until(time_point<steady_clock, seconds>::max()));
  CHECK(s.available() == 0);
}

// Review finding: release() read the waiter count and woke sleepers after
// the fetch-add that handed the unit over, so a thread that acquired the
// unit and destroyed the semaphore ("wait for completion") freed memory the
// releaser was still using. Each way of waiting, each way of releasing;
// ASan or TSan catches a late access.
TEST_CASE("semaphore: the acquirer may destroy it while the releaser returns", "[sync][semaphore][threads]") {
  const int rounds = 25000 * stress_scale();
  std::atomic<es::semaphore*> slot{nullptr};
  std::thread worker([&] {
    for (int r = 0; r < rounds; ++r) {
      es::semaphore* done = nullptr;
      // Spin (yielding now and then): release soon after the acquirer
      // started, while it is still spinning and takes the unit at once.
      for (int spins = 1; (done = slot.exchange(nullptr, std::memory_order_acquire)) == nullptr; ++spins) {
        if (spins % 1024 == 0) std::this_thread::yield();
      }
      if (r % 16 == 5) std::this_thread::sleep_for(100us);  // the acquirer is asleep by now
      done->release(r % 8 == 7 ? 2 : 1);
    }
  });
  bool ok = true;
  for (int r = 0; r < rounds && ok; ++r) {
    auto* done = new es::semaphore(0);
    slot.store(done, std::memory_order_release);
    switch (r % 4) {
      case 0:
        if (r % 8 == 0) {
          ok = done->try_acquire_for(30s);  // a timed sleeper: the releaser's path through the mutex
        } else {
          // Short timed waits that time out: the releaser may see the timed
          // flag, then the waiter leaves and this thread takes the unit
          // without the mutex (the destructor must wait for the releaser).
          while (!done->try_acquire_for(20us)) {
          }
        }
        break;
      case 1:
        for (int spins = 1; !done->try_acquire(); ++spins) {
          if (spins % 1024 == 0) std::this_thread::yield();
        }
        break;
      default:
        done->acquire();  // spins, then sleeps
        break;
    }
    delete done;
  }
  REQUIRE(ok);
  worker.join();
}

TEST_CASE("semaphore: a timed wait returns when a unit arrives", "[sync][semaphore][threads]") {
  es::semaphore s(0);
  const auto t0 = std::chrono::steady_clock::now();
  std::thread t([&] {
    std::this_thread::sleep_for(20ms);
    s.release();
  });
  CHECK(s.try_acquire_for(30s));
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  t.join();
  CHECK(s.available() == 0);
}

// Two threads hand a unit back and forth; some rounds pause first so that the
// other side is asleep when the release comes. A lost wake-up hangs a round.
TEST_CASE("semaphore: producer/consumer ping-pong, no lost wake-ups", "[sync][semaphore][threads]") {
  const int rounds = 3000 * stress_scale();
  es::semaphore ping(0), pong(0);
  std::uint64_t payload = 0;  // handed over by the semaphores, not atomic
  std::thread other([&] {
    for (int i = 0; i < rounds; ++i) {
      ping.acquire();
      payload += 1;
      if (i % 500 == 250) std::this_thread::sleep_for(1ms);
      pong.release();
    }
  });
  bool ok = true;
  for (int i = 0; i < rounds && ok; ++i) {
    if (i % 500 == 0) std::this_thread::sleep_for(1ms);
    ping.release();
    if (i % 2 == 0) {
      pong.acquire();
    } else {
      ok = pong.try_acquire_for(30s);  // fails the test instead of hanging
    }
    if (ok) payload += 1;
  }
  REQUIRE(ok);
  other.join();
  CHECK(payload == 2u * static_cast<std::uint64_t>(rounds));
  CHECK(ping.available() == 0);
  CHECK(pong.available() == 0);
}

TEST_CASE("semaphore: release(n) wakes n waiters", "[sync][semaphore][threads]") {
  constexpr int waiters = 4;
  // Plain acquire() and timed waiters sleep in different places: each kind
  // alone, then both mixed.
  for (const int kind : {0, 1, 2}) {
    INFO("kind " << kind);
    es::semaphore s(0);
    std::atomic<int> through{0};
    std::atomic<int> started{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < waiters; ++i) {
      ts.emplace_back([&, i] {
        started.fetch_add(1);
        const bool timed = kind == 1 || (kind == 2 && i % 2 == 1);
        if (!timed) {
          s.acquire();
        } else if (!s.try_acquire_for(30s)) {
          return;
        }
        through.fetch_add(1);
      });
    }
    REQUIRE(eventually([&] { return started == waiters; }));
    std::this_thread::sleep_for(20ms);  // all asleep
    CHECK(through == 0);
    s.release(2);
    CHECK(eventually([&] { return through == 2; }, 5s));
    std::this_thread::sleep_for(10ms);
    CHECK(through == 2);  // exactly two units, two waiters through
    s.release(2);
    CHECK(eventually([&] { return through == 4; }, 5s));
    if (through != 4) s.release(waiters);  // let them out after a failure
    for (auto& t : ts) t.join();
    CHECK(s.available() <= waiters);
  }
}

// The semaphore as a concurrency limit: never more than `limit` threads
// inside; every unit comes back.
TEST_CASE("semaphore: conservation and the limit under contention", "[sync][semaphore][threads]") {
  constexpr int threads = 4;
  constexpr int limit = 2;
  const int ops = 5000 * stress_scale();
  es::semaphore s(limit);
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  std::atomic<std::uint64_t> entered{0};
  std::latch start(threads);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      start.arrive_and_wait();
      std::uint64_t n = 0;
      for (int i = 0; i < ops; ++i) {
        const int way = (i + t) % 4;
        if (way == 0 || way == 1) {
          s.acquire();
        } else if (way == 2) {
          if (!s.try_acquire()) continue;
        } else if (!s.try_acquire_for(std::chrono::microseconds(200))) {
          continue;
        }
        const int now = inside.fetch_add(1) + 1;
        int seen = max_inside.load();
        while (seen < now && !max_inside.compare_exchange_weak(seen, now)) {
        }
        dawdle(10);
        inside.fetch_sub(1);
        ++n;
        s.release();
      }
      entered += n;
    });
  }
  for (auto& t : ts) t.join();
  CHECK(max_inside <= limit);
  CHECK(max_inside >= 1);
  CHECK(entered >= static_cast<std::uint64_t>(ops));  // at least the blocking half of each thread
  CHECK(s.available() == limit);
}

// Producers release units in batches, consumers acquire them one by one:
// exactly as many acquisitions as units released.
TEST_CASE("semaphore: batches released, units acquired, none lost", "[sync][semaphore][threads]") {
  const int batches = 800 * stress_scale();
  constexpr int batch = 3;
  constexpr int consumers = 3;
  es::semaphore s(0);
  const int total = batches * batch;
  std::atomic<int> taken{0};
  std::vector<std::thread> ts;
  for (int c = 0; c < consumers; ++c) {
    ts.emplace_back([&] {
      for (;;) {
        if (!s.try_acquire_for(30s)) return;  // would mean a lost wake-up
        if (taken.fetch_add(1) + 1 > total) {
          return;  // one of the wake-up units released at the end
        }
      }
    });
  }
  for (int b = 0; b < batches; ++b) {
    s.release(b % 2 == 0 ? batch : 1);
    if (b % 2 != 0) s.release(batch - 1);
    if (b % 200 == 0) std::this_thread::sleep_for(1ms);
  }
  REQUIRE(eventually([&] { return taken.load() >= total; }, 30s));
  CHECK(taken == total);
  s.release(consumers);  // let the consumers out
  for (auto& t : ts) t.join();
  CHECK(taken == total + consumers);
  CHECK(s.available() == 0);
}
