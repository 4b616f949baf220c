// SPDX-License-Identifier: MIT
// electron/lockfree.hpp side by side with a mutex + std::deque baseline,
// moodycamel::ConcurrentQueue, boost::lockfree and TBB (each when installed):
// queue throughput with 1 producer / 1 consumer and 2 / 2 (items/s over
// 1M uint64_t per iteration), stack push/pop pairs against a mutex +
// std::vector, and rcu read guards against std::shared_mutex and
// std::atomic<std::shared_ptr>.
#include "bench_util.hpp"
#include "electron/lockfree.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_MOODYCAMEL) && !defined(ELECTRON_BENCH_UNDER_TSAN)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <concurrentqueue/concurrentqueue.h>
ELECTRON_BENCH_PEER_HEADERS_END
#define ELECTRON_BENCH_MOODYCAMEL 1
#endif
#if defined(ELECTRON_BENCH_HAVE_BOOST) && !defined(ELECTRON_BENCH_UNDER_TSAN)
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#define ELECTRON_BENCH_BOOST_LOCKFREE 1
#endif
#if defined(ELECTRON_BENCH_HAVE_TBB) && !defined(ELECTRON_BENCH_UNDER_TSAN)
#include <tbb/concurrent_queue.h>
#define ELECTRON_BENCH_TBB 1
#endif

namespace {

constexpr std::uint64_t items_per_iteration = 1'000'000;
constexpr std::size_t ring = 4096;  // capacity of the bounded queues

// What a caller does when a try fails: spin a little, then give the core away.
inline void backoff(int& tries) {
  if (++tries < 64) {
    electron::detail::cpu_relax();
  } else {
    tries = 0;
    std::this_thread::yield();
  }
}

// Moves items_per_iteration items from `producers` threads to `consumers`
// threads; push(x) and pop(x) are non-blocking attempts retried with yield.
template <class Push, class Pop>
void transfer(benchmark::State& state, int producers, int consumers, Push push, Pop pop) {
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    const std::uint64_t per_producer = items_per_iteration / static_cast<std::uint64_t>(producers);
    const std::uint64_t total = per_producer * static_cast<std::uint64_t>(producers);
    std::atomic<std::uint64_t> taken{0}, sum{0};
    std::vector<std::thread> ts;
    for (int p = 0; p < producers; ++p) {
      ts.emplace_back([&] {
        for (std::uint64_t i = 1; i <= per_producer; ++i) {
          for (int tries = 0; !push(i);) backoff(tries);
        }
      });
    }
    for (int c = 0; c < consumers; ++c) {
      ts.emplace_back([&] {
        std::uint64_t local = 0, x = 0;
        for (int tries = 0;;) {
          if (pop(x)) {
            local += x;
            if (taken.fetch_add(1, std::memory_order_relaxed) + 1 == total) break;
          } else if (taken.load(std::memory_order_relaxed) == total) {
            break;
          } else {
            backoff(tries);
          }
        }
        sum += local;
      });
    }
    for (auto& t : ts) t.join();
    checksum += sum.load();
  }
  electron_bench::keep(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(items_per_iteration));
}

// For 1P/1C the consumer count is known: each side just runs its loop.
template <class Push, class Pop>
void transfer_1p1c(benchmark::State& state, Push push, Pop pop) {
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    std::thread prod([&] {
      for (std::uint64_t i = 1; i <= items_per_iteration; ++i) {
        for (int tries = 0; !push(i);) backoff(tries);
      }
    });
    std::uint64_t sum = 0, x = 0;
    for (std::uint64_t got = 0; got < items_per_iteration;) {
      for (int tries = 0; !pop(x);) backoff(tries);
      sum += x;
      ++got;
    }
    prod.join();
    checksum += sum;
  }
  electron_bench::keep(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(items_per_iteration));
}

template <class Q>
struct harness {
  template <class Push, class Pop>
  static void run(benchmark::State& state, Q& q, Push push, Pop pop) {
    const int p = static_cast<int>(state.range(0)), c = static_cast<int>(state.range(1));
    auto pu = [&](std::uint64_t v) { return push(q, v); };
    auto po = [&](std::uint64_t& v) { return pop(q, v); };
    if (p == 1 && c == 1) {
      transfer_1p1c(state, pu, po);
    } else {
      transfer(state, p, c, pu, po);
    }
  }
};

void q_electron_mpmc(benchmark::State& state) {
  electron::lockfree::mpmc_queue<std::uint64_t> q(ring);
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.try_push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.try_pop(v); });
}
void q_electron_spsc(benchmark::State& state) {
  electron::lockfree::spsc_queue<std::uint64_t> q(ring);
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.try_push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.try_pop(v); });
}

// The baseline: a std::deque behind a std::mutex.
struct mutex_deque {
  std::mutex m;
  std::deque<std::uint64_t> d;
  bool push(std::uint64_t v) {
    std::lock_guard<std::mutex> l(m);
    d.push_back(v);
    return true;
  }
  bool pop(std::uint64_t& v) {
    std::lock_guard<std::mutex> l(m);
    if (d.empty()) return false;
    v = d.front();
    d.pop_front();
    return true;
  }
};
void q_mutex_deque(benchmark::State& state) {
  mutex_deque q;
  harness<mutex_deque>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.pop(v); });
}

#if defined(ELECTRON_BENCH_MOODYCAMEL)
void q_moodycamel(benchmark::State& state) {
  moodycamel::ConcurrentQueue<std::uint64_t> q(ring);
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.enqueue(v); },
      [](auto& qq, std::uint64_t& v) { return qq.try_dequeue(v); });
}
// Tokens are per thread and per queue: a new queue (even at the address of
// an old one) gets new tokens, told apart by a generation number.
std::atomic<std::uint64_t> g_queue_generation{0};
void q_moodycamel_tokens(benchmark::State& state) {
  moodycamel::ConcurrentQueue<std::uint64_t> q(ring);
  const std::uint64_t gen = ++g_queue_generation;
  harness<decltype(q)>::run(
      state, q,
      [gen](auto& qq, std::uint64_t v) {
        thread_local std::optional<moodycamel::ProducerToken> tok;
        thread_local std::uint64_t owner = 0;
        if (owner != gen) {
          tok.emplace(qq);
          owner = gen;
        }
        return qq.enqueue(*tok, v);
      },
      [gen](auto& qq, std::uint64_t& v) {
        thread_local std::optional<moodycamel::ConsumerToken> tok;
        thread_local std::uint64_t owner = 0;
        if (owner != gen) {
          tok.emplace(qq);
          owner = gen;
        }
        return qq.try_dequeue(*tok, v);
      });
}
#endif
#if defined(ELECTRON_BENCH_BOOST_LOCKFREE)
void q_boost_queue(benchmark::State& state) {
  boost::lockfree::queue<std::uint64_t> q(ring);
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.pop(v); });
}
void q_boost_spsc(benchmark::State& state) {
  boost::lockfree::spsc_queue<std::uint64_t> q(ring);
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.pop(v); });
}
#endif
#if defined(ELECTRON_BENCH_TBB)
void q_tbb_bounded(benchmark::State& state) {
  tbb::concurrent_bounded_queue<std::uint64_t> q;
  q.set_capacity(static_cast<std::ptrdiff_t>(ring));
  harness<decltype(q)>::run(
      state, q, [](auto& qq, std::uint64_t v) { return qq.try_push(v); },
      [](auto& qq, std::uint64_t& v) { return qq.try_pop(v); });
}
void q_tbb_unbounded(benchmark::State& state) {
  tbb::concurrent_queue<std::uint64_t> q;
  harness<decltype(q)>::run(
      state, q,
      [](auto& qq, std::uint64_t v) {
        qq.push(v);
        return true;
      },
      [](auto& qq, std::uint64_t& v) { return qq.try_pop(v); });
}
#endif

// ---- stack: push/pop pairs -------------------------------------------------------
void stack_electron(benchmark::State& state) {
  static electron::lockfree::stack<std::uint64_t> s;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    s.push(1);
    s.push(2);
    sum += s.pop().value_or(0);
    sum += s.pop().value_or(0);
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations() * 2);
}
void stack_mutex_vector(benchmark::State& state) {
  static std::mutex m;
  static std::vector<std::uint64_t> v;
  std::uint64_t sum = 0;
  auto pop = [&] {
    std::lock_guard<std::mutex> l(m);
    if (v.empty()) return std::uint64_t{0};
    const std::uint64_t x = v.back();
    v.pop_back();
    return x;
  };
  for (auto _ : state) {
    {
      std::lock_guard<std::mutex> l(m);
      v.push_back(1);
    }
    {
      std::lock_guard<std::mutex> l(m);
      v.push_back(2);
    }
    sum += pop();
    sum += pop();
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations() * 2);
}

// ---- rcu: a read (guard taken, value read, guard dropped) -------------------------
struct settings {
  std::uint64_t port = 80, limit = 100;
};
void rcu_electron(benchmark::State& state) {
  static electron::lockfree::rcu<settings> r;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    auto g = r.read();
    sum += g->port + g->limit;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
}
void rcu_shared_mutex(benchmark::State& state) {
  static std::shared_mutex m;
  static settings s;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    std::shared_lock<std::shared_mutex> l(m);
    sum += s.port + s.limit;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
}
void rcu_atomic_shared_ptr(benchmark::State& state) {
  static std::atomic<std::shared_ptr<const settings>> p{std::make_shared<const settings>()};
  std::uint64_t sum = 0;
  for (auto _ : state) {
    const auto s = p.load(std::memory_order_acquire);
    sum += s->port + s->limit;
  }
  electron_bench::keep(sum);
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

#define ELECTRON_QUEUE(fn, name) \
  BENCHMARK(fn)->Name(name)->ArgNames({"producers", "consumers"})->Args({1, 1})->Args({2, 2})->UseRealTime()
// mpmc_queue against the general-purpose queues; spsc_queue against the
// single-producer ones (group/implementation, so a ratio is one lookup).
ELECTRON_QUEUE(q_electron_mpmc, "queue/electron");
BENCHMARK(q_electron_spsc)
    ->Name("spsc_queue/electron")
    ->ArgNames({"producers", "consumers"})
    ->Args({1, 1})
    ->UseRealTime();
ELECTRON_QUEUE(q_mutex_deque, "queue/mutex_deque");
#if defined(ELECTRON_BENCH_MOODYCAMEL)
ELECTRON_QUEUE(q_moodycamel, "queue/moodycamel");
ELECTRON_QUEUE(q_moodycamel_tokens, "queue/moodycamel_tokens");
#endif
#if defined(ELECTRON_BENCH_BOOST_LOCKFREE)
ELECTRON_QUEUE(q_boost_queue, "queue/boost_lockfree_queue");
BENCHMARK(q_boost_spsc)
    ->Name("spsc_queue/boost_lockfree")
    ->ArgNames({"producers", "consumers"})
    ->Args({1, 1})
    ->UseRealTime();
#endif
#if defined(ELECTRON_BENCH_TBB)
ELECTRON_QUEUE(q_tbb_bounded, "queue/tbb_concurrent_bounded_queue");
ELECTRON_QUEUE(q_tbb_unbounded, "queue/tbb_concurrent_queue");
#endif

BENCHMARK(stack_electron)->Name("stack_push_pop/electron")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(stack_mutex_vector)->Name("stack_push_pop/mutex_vector")->Threads(1)->Threads(2)->UseRealTime();

BENCHMARK(rcu_electron)->Name("rcu_read/electron")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(rcu_shared_mutex)->Name("rcu_read/std_shared_mutex")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(rcu_atomic_shared_ptr)->Name("rcu_read/std_atomic_shared_ptr")->Threads(1)->Threads(2)->UseRealTime();

BENCHMARK_MAIN();
