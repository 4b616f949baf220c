// SPDX-License-Identifier: MIT
// Tests for electron/sched.hpp: the Chase-Lev deque on its own, scheduler,
// task_group, parallel_for and batch_processor. Multi-threaded tests are
// tagged [threads] (run under TSan in CI; `ctest -L stress` runs them longer).
#include "electron/sched.hpp"

#include "electron_catch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace es = electron::sched;
using deque_t = es::detail::chase_lev_deque<std::uint64_t>;
using namespace std::chrono_literals;

namespace {

int stress_scale() {
  const char* s = std::getenv("ELECTRON_STRESS");
  const int v = s != nullptr ? std::atoi(s) : 1;
  return v < 1 ? 1 : v;
}

long fib_serial(int n) { return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2); }

long fib_tasks(es::scheduler& s, int n) {
  if (n < 2) return n;
  long a = 0;
  es::task_group g(s);
  g.run([&] { a = fib_tasks(s, n - 1); });
  const long b = fib_tasks(s, n - 2);
  g.wait();
  return a + b;
}

struct big_callable {
  std::atomic<int>* counter;
  char payload[200];
  void operator()() const { counter->fetch_add(payload[0] == 'x' ? 1 : 100, std::memory_order_relaxed); }
};

}  // namespace

// ---- concepts and noexcept --------------------------------------------------
static_assert(es::task_fn<void (*)()> && es::task_fn<decltype([] { return 1; })>);
static_assert(!es::task_fn<void (*)(int)> && !es::task_fn<int>);
static_assert(es::index_body<decltype([](int) {}), int> && !es::index_body<decltype([](int, int) {}), int>);
static_assert(es::range_body<decltype([](int, int) {}), int> && !es::range_body<decltype([](int) {}), int>);
static_assert(es::batch_function<decltype([](std::span<int>) { return std::error_code{}; }), int>);
static_assert(es::batch_function<decltype([](std::span<int>) {}), int>);
static_assert(!es::batch_function<decltype([](std::span<int>) { return std::string{}; }), int>);
static_assert(es::batch_error_handler<decltype([](std::span<int>, const es::batch_error&) {}), int>);
static_assert(!es::batch_error_handler<decltype([](std::span<int>) {}), int>);
static_assert(es::detail::deque_element<std::uint64_t> && es::detail::deque_element<void*>);
static_assert(!es::detail::deque_element<std::string>);
static_assert(noexcept(std::declval<deque_t&>().pop()) && noexcept(std::declval<deque_t&>().steal(std::declval<std::uint64_t&>())));
static_assert(noexcept(std::declval<es::scheduler&>().thread_count()));
static_assert(!std::is_copy_constructible_v<es::scheduler> && !std::is_copy_constructible_v<es::task_group>);
static_assert(sizeof(es::detail::task_node) == 64);

// ---- Chase-Lev deque ----------------------------------------------------------
TEST_CASE("chase_lev_deque: owner pops LIFO, thieves steal FIFO", "[sched][deque]") {
  deque_t d(4);
  CHECK(!d.pop().has_value());
  std::uint64_t x = 0;
  CHECK(d.steal(x) == es::detail::steal_result::empty);
  for (std::uint64_t i = 1; i <= 3; ++i) d.push(i);
  CHECK(d.size_estimate() == 3);
  CHECK(d.pop() == std::optional<std::uint64_t>(3));
  CHECK(d.steal(x) == es::detail::steal_result::success);
  CHECK(x == 1);
  CHECK(d.pop() == std::optional<std::uint64_t>(2));
  CHECK(!d.pop().has_value());
  CHECK(d.steal(x) == es::detail::steal_result::empty);
  // Reusable after emptying from both ends.
  d.push(7);
  CHECK(d.steal(x) == es::detail::steal_result::success);
  CHECK(x == 7);
  CHECK(d.size_estimate() == 0);
}

TEST_CASE("chase_lev_deque: grows by doubling and keeps order", "[sched][deque]") {
  deque_t d(2);
  CHECK(d.capacity() == 2);
  for (std::uint64_t i = 0; i < 1000; ++i) d.push(i);
  CHECK(d.capacity() == 1024);
  CHECK(d.size_estimate() == 1000);
  // Steal the oldest half, pop the newest half: both in the expected order.
  std::uint64_t x = 0;
  for (std::uint64_t i = 0; i < 500; ++i) {
    REQUIRE(d.steal(x) == es::detail::steal_result::success);
    CHECK(x == i);
  }
  for (std::uint64_t i = 1000; i-- > 500;) {
    auto v = d.pop();
    REQUIRE(v.has_value());
    CHECK(*v == i);
  }
  CHECK(!d.pop().has_value());
  // Growth in the middle of a wrapped ring (top > 0).
  for (std::uint64_t i = 0; i < 3000; ++i) d.push(i);
  for (std::uint64_t i = 0; i < 3000; ++i) {
    REQUIRE(d.steal(x) == es::detail::steal_result::success);
    CHECK(x == i);
  }
}

TEST_CASE("chase_lev_deque: owner push/pop against thieves, every item taken once", "[sched][deque][threads]") {
  const std::uint64_t items = 20000u * static_cast<std::uint64_t>(stress_scale());
  const int thieves = 3;
  deque_t d(2);  // small: the stress also grows it while thieves read
  std::vector<std::atomic<std::uint8_t>> taken(items);
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> stolen{0};
  auto take = [&](std::uint64_t id) { taken[id].fetch_add(1, std::memory_order_relaxed); };

  std::vector<std::thread> ts;
  for (int t = 0; t < thieves; ++t) {
    ts.emplace_back([&] {
      std::uint64_t x = 0;
      for (;;) {
        const bool finished = done.load(std::memory_order_acquire);
        const auto r = d.steal(x);
        if (r == es::detail::steal_result::success) {
          take(x);
          stolen.fetch_add(1, std::memory_order_relaxed);
        } else if (r == es::detail::steal_result::empty && finished) {
          return;
        }
      }
    });
  }
  // The owner pushes in bursts and pops some back, like a worker running a
  // recursive computation.
  std::uint64_t next = 0;
  std::uint64_t popped = 0;
  std::uint64_t seed = 12345;
  while (next < items) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const std::uint64_t burst = 1 + (seed >> 59);  // 1..32
    for (std::uint64_t i = 0; i < burst && next < items; ++i) d.push(next++);
    const std::uint64_t pops = (seed >> 40) % (burst + 1);
    for (std::uint64_t i = 0; i < pops; ++i) {
      if (auto v = d.pop()) {
        take(*v);
        ++popped;
      }
    }
  }
  while (auto v = d.pop()) {
    take(*v);
    ++popped;
  }
  done.store(true, std::memory_order_release);
  for (auto& t : ts) t.join();

  CHECK(popped + stolen.load() == items);
  std::uint64_t wrong = 0;
  for (auto& c : taken) wrong += c.load() != 1 ? 1u : 0u;
  CHECK(wrong == 0u);
}

// ---- scheduler ----------------------------------------------------------------
TEST_CASE("scheduler: every submitted task runs exactly once", "[sched][scheduler][threads]") {
  const int n = 20000 * stress_scale();
  std::vector<std::atomic<std::uint8_t>> runs(static_cast<std::size_t>(n));
  {
    es::scheduler s(3);
    CHECK(s.thread_count() == 3);
    CHECK(!s.on_worker_thread());
    for (int i = 0; i < n; ++i) s.submit([&runs, i] { runs[static_cast<std::size_t>(i)].fetch_add(1); });
  }  // the destructor runs every pending task
  unsigned wrong = 0;
  for (auto& r : runs) wrong += r.load() != 1 ? 1u : 0u;
  CHECK(wrong == 0u);
}

TEST_CASE("scheduler: shutdown runs pending tasks, including ones spawned by tasks", "[sched][scheduler][threads]") {
  std::atomic<int> count{0};
  {
    es::scheduler s(2);
    for (int i = 0; i < 100; ++i) {
      s.submit([&] {
        std::this_thread::sleep_for(100us);
        count.fetch_add(1);
        // From a worker: onto its own deque.
        for (int k = 0; k < 10; ++k) s.submit([&] { count.fetch_add(1); });
      });
    }
  }
  CHECK(count.load() == 100 * 11);
}

TEST_CASE("scheduler: submissions from several external threads", "[sched][scheduler][threads]") {
  const int per_thread = 5000 * stress_scale();
  const int producers = 4;
  std::vector<std::atomic<std::uint8_t>> runs(static_cast<std::size_t>(per_thread * producers));
  std::atomic<std::int64_t> big_runs{0};
  {
    es::scheduler s(2);
    std::vector<std::thread> ts;
    for (int p = 0; p < producers; ++p) {
      ts.emplace_back([&, p] {
        for (int i = 0; i < per_thread; ++i) {
          const auto id = static_cast<std::size_t>(p * per_thread + i);
          s.submit([&runs, id] { runs[id].fetch_add(1, std::memory_order_relaxed); });
        }
      });
    }
    for (auto& t : ts) t.join();
    // A callable too large for the node goes to the heap.
    std::atomic<int> big{0};
    {
      es::task_group g(s);
      big_callable c{&big, {}};
      c.payload[0] = 'x';
      for (int i = 0; i < 100; ++i) g.run(c);
      g.wait();
    }
    big_runs = big.load();
  }
  unsigned wrong = 0;
  for (auto& r : runs) wrong += r.load() != 1 ? 1u : 0u;
  CHECK(wrong == 0u);
  CHECK(big_runs.load() == 100);
}

TEST_CASE("scheduler: idle workers sleep and wake for new work", "[sched][scheduler][threads]") {
  es::scheduler s(2);
  std::atomic<int> count{0};
  for (int round = 0; round < 5; ++round) {
    std::this_thread::sleep_for(5ms);  // long enough for the workers to park
    es::task_group g(s);
    for (int i = 0; i < 50; ++i) g.run([&] { count.fetch_add(1); });
    g.wait();
  }
  CHECK(count.load() == 250);
}

// ---- task_group ---------------------------------------------------------------
TEST_CASE("task_group: nested fib equals serial fib", "[sched][task_group][threads]") {
  es::scheduler s(2);
  const int n = stress_scale() > 1 ? 24 : 20;
  for (int rep = 0; rep < stress_scale(); ++rep) {
    long r = 0;
    es::task_group g(s);
    g.run([&] { r = fib_tasks(s, n); });
    g.wait();
    REQUIRE(r == fib_serial(n));
  }
  // Also from the calling (non-worker) thread directly: its spawns go to the
  // injection queue; helping without a depth bound overflowed its stack.
  CHECK(fib_tasks(s, 22) == fib_serial(22));
}

TEST_CASE("task_group: wait() with no tasks returns at once", "[sched][task_group]") {
  es::scheduler s(1);
  es::task_group g(s);
  g.wait();
  g.wait();
  CHECK(&g.get_scheduler() == &s);
  CHECK(!g.failed());
}

TEST_CASE("task_group: wait() inside a task on a worker, on a one-worker scheduler", "[sched][task_group][threads]") {
  // With one worker, an inner wait() that did not run tasks itself would
  // deadlock: the only thread that could run the inner tasks is waiting.
  es::scheduler s(1);
  std::atomic<int> inner{0};
  std::atomic<bool> on_worker{false};
  std::atomic<bool> done{false};
  // submit() and a flag rather than a group: the waiting thread must not
  // run the outer task itself.
  s.submit([&] {
    on_worker = s.on_worker_thread();
    es::task_group g(s);
    for (int i = 0; i < 100; ++i) g.run([&] { inner.fetch_add(1); });
    g.wait();
    done.store(true, std::memory_order_release);
  });
  while (!done.load(std::memory_order_acquire)) std::this_thread::sleep_for(100us);
  CHECK(on_worker.load());
  CHECK(inner.load() == 100);
}

TEST_CASE("task_group: exceptions propagate from wait(), other tasks still run", "[sched][task_group][threads]") {
  es::scheduler s(2);
  const int n = 1000;
  std::atomic<int> ran{0};
  es::task_group g(s);
  for (int i = 0; i < n; ++i) {
    g.run([&ran, i] {
      if (i % 100 == 7) throw std::runtime_error("task " + std::to_string(i));
      ran.fetch_add(1);
    });
  }
  CHECK_THROWS_AS(g.wait(), std::runtime_error);
  CHECK(ran.load() == n - 10);
  // The error is cleared: the group is reusable.
  g.run([&] { ran.fetch_add(1); });
  g.wait();
  CHECK(ran.load() == n - 9);
  // A nested failure reaches the outer waiter.
  g.run([&] {
    es::task_group inner(s);
    inner.run([] { throw std::logic_error("inner"); });
    inner.wait();
  });
  CHECK_THROWS_AS(g.wait(), std::logic_error);
}

TEST_CASE("task_group: destructor waits for pending tasks", "[sched][task_group][threads]") {
  es::scheduler s(2);
  std::atomic<int> ran{0};
  {
    es::task_group g(s);
    for (int i = 0; i < 50; ++i) {
      g.run([&] {
        std::this_thread::sleep_for(200us);
        ran.fetch_add(1);
      });
    }
    g.run([] { throw std::runtime_error("dropped by the destructor"); });
  }
  CHECK(ran.load() == 50);
}

TEST_CASE("task_group: groups waited on from several external threads", "[sched][task_group][threads]") {
  es::scheduler s(2);
  const int rounds = 50 * stress_scale();
  std::vector<std::thread> ts;
  std::atomic<int> bad{0};
  for (int t = 0; t < 3; ++t) {
    ts.emplace_back([&] {
      for (int r = 0; r < rounds; ++r) {
        std::atomic<int> c{0};
        es::task_group g(s);
        for (int i = 0; i < 20; ++i) {
          g.run([&] {
            es::task_group h(s);
            h.run([&] { c.fetch_add(1); });
            h.run([&] { c.fetch_add(1); });
            h.wait();
          });
        }
        g.wait();
        if (c.load() != 40) bad.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(bad.load() == 0);
}

// ---- parallel_for ---------------------------------------------------------------
TEST_CASE("parallel_for: sums and per-index counts equal the serial ones", "[sched][parallel_for][threads]") {
  es::scheduler s(2);
  const std::size_t grains[] = {0, 1, 3, 64, 1000, 100000};
  const std::size_t sizes[] = {0, 1, 2, 17, 1000, 12345};
  for (int rep = 0; rep < stress_scale(); ++rep) {
    for (std::size_t n : sizes) {
      for (std::size_t grain : grains) {
        std::vector<std::atomic<std::uint8_t>> visits(n);
        std::atomic<std::uint64_t> sum{0};
        es::parallel_for(s, std::size_t{0}, n, grain, [&](std::size_t i) {
          visits[i].fetch_add(1, std::memory_order_relaxed);
          sum.fetch_add(i * i, std::memory_order_relaxed);
        });
        std::uint64_t expect = 0;
        for (std::size_t i = 0; i < n; ++i) expect += i * i;
        INFO("n=" << n << " grain=" << grain);
        CHECK(sum.load() == expect);
        std::size_t wrong = 0;
        for (auto& v : visits) wrong += v.load() != 1 ? 1u : 0u;
        CHECK(wrong == 0u);
      }
    }
  }
}

TEST_CASE("parallel_for: signed and offset ranges, range bodies", "[sched][parallel_for][threads]") {
  es::scheduler s(2);
  std::atomic<std::int64_t> sum{0};
  es::parallel_for(s, -500, 700, 7, [&](int i) { sum.fetch_add(i); });
  CHECK(sum.load() == [] {
    std::int64_t t = 0;
    for (int i = -500; i < 700; ++i) t += i;
    return t;
  }());
  // The range overload: pieces are disjoint, cover the range, and respect
  // the grain.
  std::mutex m;
  std::vector<std::pair<long, long>> pieces;
  es::parallel_for(s, 10L, 10010L, 300, [&](long b, long e) {
    std::lock_guard<std::mutex> lock(m);
    pieces.emplace_back(b, e);
  });
  std::sort(pieces.begin(), pieces.end());
  REQUIRE(!pieces.empty());
  CHECK(pieces.front().first == 10);
  CHECK(pieces.back().second == 10010);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    CHECK(pieces[i].second - pieces[i].first <= 300);
    CHECK(pieces[i].first < pieces[i].second);
    if (i > 0) CHECK(pieces[i].first == pieces[i - 1].second);
  }
  // Empty and reversed ranges do nothing.
  int calls = 0;
  es::parallel_for(s, 5, 5, 1, [&](int) { ++calls; });
  es::parallel_for(s, 5, 3, 1, [&](int) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("parallel_for: an exception propagates", "[sched][parallel_for][threads]") {
  es::scheduler s(2);
  std::atomic<int> ran{0};
  CHECK_THROWS_AS(es::parallel_for(s, 0, 100000, 100,
                                   [&](int i) {
                                     if (i == 54321) throw std::runtime_error("index");
                                     ran.fetch_add(1, std::memory_order_relaxed);
                                   }),
                  std::runtime_error);
  CHECK(ran.load() < 100000);
  // Inline path (range within one grain) too.
  CHECK_THROWS_AS(es::parallel_for(s, 0, 10, 100, [](int) { throw std::runtime_error("inline"); }), std::runtime_error);
}

TEST_CASE("parallel_for: nested inside tasks", "[sched][parallel_for][threads]") {
  es::scheduler s(2);
  std::atomic<std::int64_t> sum{0};
  es::parallel_for(s, 0, 64, 1, [&](int i) {
    es::parallel_for(s, 0, 1000, 50, [&](int j) { sum.fetch_add(i * 1000 + j, std::memory_order_relaxed); });
  });
  CHECK(sum.load() == std::int64_t{64000} * 63999 / 2);
}

// ---- batch_processor ------------------------------------------------------------
namespace {

struct batch_log {
  std::mutex m;
  std::vector<std::vector<int>> batches;
  std::vector<std::vector<int>> failed;
  void record(std::span<int> b) {
    std::lock_guard<std::mutex> lock(m);
    batches.emplace_back(b.begin(), b.end());
  }
  std::vector<int> all() {
    std::lock_guard<std::mutex> lock(m);
    std::vector<int> out;
    for (auto& b : batches) out.insert(out.end(), b.begin(), b.end());
    return out;
  }
  std::size_t batch_count() {
    std::lock_guard<std::mutex> lock(m);
    return batches.size();
  }
};

}  // namespace

TEST_CASE("batch_processor: full batches in order, flush processes the rest", "[sched][batch]") {
  batch_log log;
  {
    es::batch_processor<int> bp({.batch_size = 10, .timeout = 10s, .capacity = 100},
                                [&](std::span<int> b) { log.record(b); },
                                [](std::span<int>, const es::batch_error&) {});
    for (int i = 0; i < 95; ++i) REQUIRE(bp.add(i));
    bp.flush();
    CHECK(bp.pending() == 0);
    const std::vector<int> all = log.all();
    std::vector<int> expect(95);
    std::iota(expect.begin(), expect.end(), 0);
    CHECK(all == expect);  // one thread, one producer: batches keep order
    std::lock_guard<std::mutex> lock(log.m);
    for (std::size_t i = 0; i + 1 < log.batches.size(); ++i) CHECK(log.batches[i].size() == 10);
    CHECK(log.batches.back().size() == 5);
  }
}

TEST_CASE("batch_processor: a lone item is processed after the timeout", "[sched][batch]") {
  batch_log log;
  es::batch_processor<int> bp({.batch_size = 1000, .timeout = 20ms, .capacity = 2000},
                              [&](std::span<int> b) { log.record(b); },
                              [](std::span<int>, const es::batch_error&) {});
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(bp.add(42));
  while (log.batch_count() == 0 && std::chrono::steady_clock::now() - start < 5s) std::this_thread::sleep_for(1ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(log.all() == std::vector<int>{42});
  CHECK(waited >= 20ms);  // not before the timeout
  CHECK(waited < 5s);     // and without a flush
}

TEST_CASE("batch_processor: errors go to the handler with the failing batch", "[sched][batch]") {
  std::mutex m;
  std::vector<std::pair<std::vector<int>, std::string>> errors;
  std::atomic<int> processed{0};
  {
    es::batch_processor<int> bp(
        {.batch_size = 4, .timeout = 10s, .capacity = 64},
        [&](std::span<int> b) -> std::error_code {
          processed.fetch_add(static_cast<int>(b.size()));
          if (b.front() == 4) return std::make_error_code(std::errc::io_error);
          if (b.front() == 8) throw std::runtime_error("boom");
          return {};
        },
        [&](std::span<int> b, const es::batch_error& e) {
          std::lock_guard<std::mutex> lock(m);
          std::string what = e.code ? "code" : "none";
          if (e.exception) {
            try {
              std::rethrow_exception(e.exception);
            } catch (const std::runtime_error& x) {
              what = x.what();
            }
          }
          errors.emplace_back(std::vector<int>(b.begin(), b.end()), what);
        });
    for (int i = 0; i < 16; ++i) bp.add(i);
    bp.flush();
    CHECK(processed.load() == 16);
  }
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].first == std::vector<int>{4, 5, 6, 7});
  CHECK(errors[0].second == "code");
  CHECK(errors[1].first == std::vector<int>{8, 9, 10, 11});
  CHECK(errors[1].second == "boom");
}

TEST_CASE("batch_processor: the backlog is bounded", "[sched][batch][threads]") {
  std::mutex gate;
  std::unique_lock<std::mutex> closed_gate(gate);
  std::atomic<bool> in_process{false};
  batch_log log;
  es::batch_processor<int> bp({.batch_size = 2, .timeout = 10s, .capacity = 4},
                              [&](std::span<int> b) {
                                in_process = true;
                                std::lock_guard<std::mutex> wait_for_gate(gate);
                                log.record(b);
                              },
                              [](std::span<int>, const es::batch_error&) {});
  REQUIRE(bp.add(0));
  REQUIRE(bp.add(1));  // a full batch: the thread takes it and blocks in process
  while (!in_process.load()) std::this_thread::yield();
  for (int i = 2; i < 6; ++i) REQUIRE(bp.try_add(i));  // fills the queue (4)
  CHECK(!bp.try_add(6));
  CHECK(bp.pending() == 6);
  std::atomic<bool> added{false};
  std::thread producer([&] {
    bp.add(6);  // blocks until the thread takes the next batch
    added = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK(!added.load());
  closed_gate.unlock();
  producer.join();
  CHECK(added.load());
  bp.flush();
  CHECK(log.all() == std::vector<int>{0, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("batch_processor: close and destructor process every accepted item", "[sched][batch][threads]") {
  batch_log log;
  {
    es::batch_processor<int> bp({.batch_size = 7, .timeout = 10s, .capacity = 1000},
                                [&](std::span<int> b) {
                                  std::this_thread::sleep_for(100us);
                                  log.record(b);
                                },
                                [](std::span<int>, const es::batch_error&) {});
    for (int i = 0; i < 500; ++i) bp.add(i);
  }  // no flush: the destructor processes all 500
  std::vector<int> all = log.all();
  CHECK(all.size() == 500);
  std::sort(all.begin(), all.end());
  std::vector<int> expect(500);
  std::iota(expect.begin(), expect.end(), 0);
  CHECK(all == expect);

  std::atomic<int> owned_seen{0};
  es::batch_processor<std::unique_ptr<int>> owned({.batch_size = 3, .timeout = 10s, .capacity = 10},
                                                  [&](std::span<std::unique_ptr<int>> b) { owned_seen += *b[0]; },
                                                  [](std::span<std::unique_ptr<int>>, const es::batch_error&) {});
  CHECK(owned.add(std::make_unique<int>(1)));
  owned.close();
  owned.close();  // idempotent
  CHECK(owned_seen.load() == 1);
  auto p = std::make_unique<int>(2);
  CHECK(!owned.add(std::move(p)));
  CHECK(p != nullptr);  // not accepted: not moved from
  CHECK(!owned.try_add(std::make_unique<int>(3)));
}

TEST_CASE("batch_processor: several producers, each item exactly once", "[sched][batch][threads]") {
  const int per_producer = 2000 * stress_scale();
  const int producers = 4;
  std::vector<std::atomic<std::uint8_t>> seen(static_cast<std::size_t>(per_producer * producers));
  std::atomic<int> oversize{0};
  std::atomic<int> flushed_ok{0};
  std::atomic<int> refused{0};
  {
    es::batch_processor<int> bp({.batch_size = 16, .timeout = 1ms, .capacity = 64},
                                [&](std::span<int> b) {
                                  if (b.size() > 16) oversize.fetch_add(1);
                                  for (int v : b) seen[static_cast<std::size_t>(v)].fetch_add(1);
                                },
                                [](std::span<int>, const es::batch_error&) {});
    std::vector<std::thread> ts;
    for (int p = 0; p < producers; ++p) {
      ts.emplace_back([&, p] {
        for (int i = 0; i < per_producer; ++i) {
          const int v = p * per_producer + i;
          // (No Catch2 macros off the main thread: Catch2 is not thread-safe.)
          if (i % 2 == 0 || !bp.try_add(v)) {
            if (!bp.add(v)) refused.fetch_add(1);
          }
          if (i % 500 == 499) {
            // Everything this thread added so far is processed after flush().
            bp.flush();
            bool ok = true;
            for (int k = p * per_producer; k <= v; ++k) ok = ok && seen[static_cast<std::size_t>(k)].load() == 1;
            if (ok) flushed_ok.fetch_add(1);
          }
        }
      });
    }
    for (auto& t : ts) t.join();
  }
  unsigned wrong = 0;
  for (auto& c : seen) wrong += c.load() != 1 ? 1u : 0u;
  CHECK(wrong == 0u);
  CHECK(oversize.load() == 0);
  CHECK(refused.load() == 0);
  CHECK(flushed_ok.load() == producers * (per_producer / 500));
}
