// SPDX-License-Identifier: MIT
// Tests of electron/detail/waiter.hpp and electron/detail/backoff.hpp: no
// lost wake-up (a wake before the wait, a wake racing the wait), timed waits
// that time out and that are woken, wake_all waking every sleeper, and the
// backoff's step budget. Built twice: waiter_test (the platform's backend)
// and waiter_portable_test (ELECTRON_WAITER_PORTABLE); run under TSan.
#include "electron/detail/waiter.hpp"
#include "electron/detail/backoff.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace ed = electron::detail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using word = std::atomic<std::uint32_t>;

namespace {
using electron::test::stress_scale;
}  // namespace

TEST_CASE("waiter: the backend and the ABI tag follow ELECTRON_WAITER_PORTABLE", "[waiter]") {
  const bool tagged = electron::abi_namespace.find("portablewait") != std::string_view::npos;
#if defined(ELECTRON_WAITER_PORTABLE)
  CHECK(ed::waiter::backend == ed::waiter_backend::portable);
  CHECK(tagged);
#else
  CHECK(ed::waiter::backend != ed::waiter_backend::portable);
  CHECK_FALSE(tagged);
#if defined(__linux__)
  CHECK(ed::waiter::backend == ed::waiter_backend::futex);
#endif
#endif
}

TEST_CASE("waiter: a change woken before the wait is not lost", "[waiter]") {
  word w{0};
  w.store(1);
  ed::waiter::wake_all(w);
  ed::waiter::wake_one(w);
  ed::waiter::wait(w, 0);  // returns at once: the word is not 0
  CHECK(ed::waiter::wait_until(w, 0, steady_clock::now() + std::chrono::hours(1)));
  CHECK(ed::waiter::wait_for(w, 0, std::chrono::hours(1)));
  // A wait on the current value with a past deadline only looks.
  CHECK_FALSE(ed::waiter::wait_until(w, 1, steady_clock::now() - milliseconds(1)));
  CHECK_FALSE(ed::waiter::wait_for(w, 1, milliseconds(0)));
  CHECK_FALSE(ed::waiter::wait_for(w, 1, milliseconds(-5)));
}

TEST_CASE("waiter: a timed wait returns false on time-out, not earlier", "[waiter]") {
  word w{7};
  for (const auto timeout : {milliseconds(1), milliseconds(20)}) {
    const auto t0 = steady_clock::now();
    CHECK_FALSE(ed::waiter::wait_for(w, 7, timeout));
    CHECK(steady_clock::now() - t0 >= timeout);
    CHECK(w.load() == 7);
  }
  const auto deadline = steady_clock::now() + milliseconds(10);
  CHECK_FALSE(ed::waiter::wait_until(w, 7, deadline));
  CHECK(steady_clock::now() >= deadline);
}

TEST_CASE("waiter: deadline_after saturates and rounds up", "[waiter]") {
  using clock = ed::waiter::clock;
  const auto before = clock::now();
  CHECK(ed::waiter::deadline_after(std::chrono::nanoseconds::max()) == clock::time_point::max());
  CHECK(ed::waiter::deadline_after(std::chrono::hours::max()) == clock::time_point::max());
  CHECK(ed::waiter::deadline_after(std::chrono::duration<double>(1e30)) == clock::time_point::max());
  const auto past = ed::waiter::deadline_after(std::chrono::seconds(-1));  // now, not earlier
  const auto after = clock::now();
  CHECK(past >= before);
  CHECK(past <= after);
  const auto d = ed::waiter::deadline_after(std::chrono::duration<double>(1e-12));  // rounds up to 1 ns
  CHECK(d > before);
  // An unlimited wait_for on a word that already changed returns at once.
  word w{1};
  CHECK(ed::waiter::wait_for(w, 0, std::chrono::nanoseconds::max()));
}

TEST_CASE("waiter: a sleeper is woken by a change and wake_one", "[waiter][threads]") {
  const int rounds = 200 * stress_scale();
  word w{0};
  std::atomic<int> seen{0};
  std::thread t([&] {
    for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(rounds); ++r) {
      ed::waiter::wait(w, r);  // the word moves from r to r + 1
      seen.fetch_add(1);
    }
  });
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(rounds); ++r) {
    // Alternate: sometimes wake before the sleeper can have slept.
    if (r % 2 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    w.store(r + 1, std::memory_order_release);
    ed::waiter::wake_one(w);
    while (seen.load() <= static_cast<int>(r)) std::this_thread::yield();
  }
  t.join();
  CHECK(seen.load() == rounds);
}

TEST_CASE("waiter: a timed sleeper is woken long before its deadline", "[waiter][threads]") {
  word w{0};
  bool woke = false;
  steady_clock::duration took{};
  std::thread t([&] {
    const auto t0 = steady_clock::now();
    woke = ed::waiter::wait_for(w, 0, std::chrono::seconds(30));
    took = steady_clock::now() - t0;
  });
  std::this_thread::sleep_for(milliseconds(20));
  w.store(1, std::memory_order_release);
  ed::waiter::wake_one(w);
  t.join();
  CHECK(woke);
  CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("waiter: wake_all wakes every sleeper, timed or not", "[waiter][threads]") {
  constexpr int sleepers = 8;
  for (int round = 0; round < 10 * stress_scale(); ++round) {
    word w{0};
    std::atomic<int> ready{0}, done{0}, timed_out{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < sleepers; ++i) {
      ts.emplace_back([&, i] {
        ready.fetch_add(1);
        if (i % 2 == 0) {
          ed::waiter::wait(w, 0);
        } else if (!ed::waiter::wait_for(w, 0, std::chrono::seconds(60))) {
          timed_out.fetch_add(1);
        }
        done.fetch_add(1);
      });
    }
    while (ready.load() < sleepers) std::this_thread::yield();
    std::this_thread::sleep_for(milliseconds(2));  // most of them asleep by now
    w.store(1, std::memory_order_release);
    ed::waiter::wake_all(w);
    for (auto& t : ts) t.join();
    CHECK(done.load() == sleepers);
    CHECK(timed_out.load() == 0);
    CHECK(w.load() == 1);
  }
}

TEST_CASE("waiter: a word may be freed as soon as its change is seen", "[waiter][threads]") {
  // The completion-signal idiom: the waiter frees the word while the waker
  // may still be inside wake_all (which must not touch the word's memory).
  for (int round = 0; round < 200 * stress_scale(); ++round) {
    auto w = std::make_unique<word>(0u);
    word* p = w.get();
    std::thread t([p] {
      p->store(1, std::memory_order_release);
      ed::waiter::wake_all(*p);
    });
    ed::waiter::wait(*w, 0);
    w.reset();
    t.join();
  }
  SUCCEED();
}

TEST_CASE("waiter: many threads handing a token around lose no wake-up", "[waiter][threads]") {
  // Thread i waits for the word to say i, then passes it to i + 1: any lost
  // wake-up hangs the ring (the test run's time-out catches it).
  constexpr std::uint32_t threads = 4;
  const std::uint32_t laps = static_cast<std::uint32_t>(100 * stress_scale());
  word turn{0};
  std::vector<std::thread> ts;
  for (std::uint32_t i = 0; i < threads; ++i) {
    ts.emplace_back([&, i] {
      for (std::uint32_t lap = 0; lap < laps; ++lap) {
        const std::uint32_t mine = lap * threads + i;
        for (std::uint32_t v = turn.load(std::memory_order_acquire); v != mine;
             v = turn.load(std::memory_order_acquire)) {
          ed::waiter::wait(turn, v);
        }
        turn.store(mine + 1, std::memory_order_release);
        ed::waiter::wake_all(turn);
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(turn.load() == threads * laps);
}

TEST_CASE("waiter: 64-bit words (the whole word is compared)", "[waiter][threads]") {
  using wide = std::atomic<std::uint64_t>;
  wide w{0};
  w.store(std::uint64_t{1} << 40);  // differs from 0 only above the low 32 bits
  ed::waiter::wake_all(w);
  ed::waiter::wait(w, 0);  // returns at once
  const int rounds = 100 * stress_scale();
  std::atomic<int> seen{0};
  std::thread t([&] {
    for (int r = 0; r < rounds; ++r) {
      // The waker changes only the high half: a wait on the low 32 bits
      // alone would sleep through it.
      ed::waiter::wait(w, static_cast<std::uint64_t>(r + 1) << 40);
      seen.fetch_add(1);
    }
  });
  for (int r = 0; r < rounds; ++r) {
    if (r % 2 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    w.store(static_cast<std::uint64_t>(r + 2) << 40, std::memory_order_release);
    if (r % 3 == 0) {
      ed::waiter::wake_all(w);
    } else {
      ed::waiter::wake_one(w);
    }
    while (seen.load() <= r) std::this_thread::yield();
  }
  t.join();
  CHECK(seen.load() == rounds);
}

TEST_CASE("backoff: spins, then yields, then says park", "[backoff]") {
  ed::backoff b;
  CHECK(b.steps() == 0);
  CHECK(b.spinning());
  unsigned spins = 0, total = 0;
  while (b.spinning()) {
    REQUIRE(b.pause());
    ++spins;
  }
  CHECK(spins == ed::backoff::spin_steps);
  while (b.pause()) ++total;
  CHECK(total == ed::backoff::yield_steps);
  CHECK(b.steps() == ed::backoff::spin_steps + ed::backoff::yield_steps);
  CHECK_FALSE(b.pause());  // stays exhausted, without waiting
  CHECK(b.steps() == ed::backoff::spin_steps + ed::backoff::yield_steps);
  const auto t0 = steady_clock::now();
  b.pause_or_sleep();  // exhausted: sleeps one poll interval
  CHECK(steady_clock::now() - t0 >= ed::backoff::poll_interval);
  b.reset();
  CHECK(b.steps() == 0);
  CHECK(b.spinning());
  CHECK(b.pause());
  static_assert(noexcept(b.pause())&& noexcept(b.reset()));
  static_assert(noexcept(ed::waiter::wake_all(std::declval<const word&>())));
}

TEST_CASE("backoff + waiter: a spin-then-park lock keeps a counter exact", "[backoff][waiter][threads]") {
  // A minimal lock built the way the library's locks are: backoff while the
  // word is held, then sleep on it with the waiter.
  struct lock_word {
    word state{0};
    void lock() noexcept {
      ed::backoff b;
      for (;;) {
        std::uint32_t s = 0;
        if (state.compare_exchange_weak(s, 1, std::memory_order_acquire, std::memory_order_relaxed)) return;
        if (b.pause()) continue;
        s = state.exchange(2, std::memory_order_acquire);
        while (s != 0) {
          ed::waiter::wait(state, 2);
          s = state.exchange(2, std::memory_order_acquire);
        }
        return;
      }
    }
    void unlock() noexcept {
      if (state.exchange(0, std::memory_order_release) == 2) ed::waiter::wake_one(state);
    }
  };
  lock_word m;
  long counter = 0;
  const int per_thread = 5000 * stress_scale();
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&] {
      for (int k = 0; k < per_thread; ++k) {
        m.lock();
        ++counter;
        m.unlock();
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(counter == 4L * per_thread);
}
