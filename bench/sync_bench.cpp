// SPDX-License-Identifier: MIT
// electron::sync against the standard library on the same work:
// - sharded_mutex: lock a random key (pre-generated), bump its counter
//   (sharded_mutex_long: ~50 ns of work on it first), unlock; against one
//   std::mutex for everything and against 64 padded std::mutex shards chosen
//   by the same hash; 1 and 2 threads;
// - rw_mutex: read-mostly (1 write per 100 reads) against std::shared_mutex,
//   1 and 2 threads;
// - semaphore: an uncontended acquire + release pair, a 2-thread ping-pong
//   (one round trip per iteration), and 2 threads contending for one unit;
//   against std::counting_semaphore.
#include "bench_util.hpp"
#include "electron/sync.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <mutex>
#include <random>
#include <semaphore>
#include <shared_mutex>
#include <vector>

namespace {

namespace es = electron::sync;

// ---- sharded_mutex -----------------------------------------------------------
constexpr std::size_t key_space = 1024;
constexpr std::size_t key_ring = 4096;  // keys per thread cycle, a power of two

const std::vector<std::uint64_t>& random_keys() {
  static const std::vector<std::uint64_t> keys = [] {
    std::mt19937_64 rng(20240611);
    std::vector<std::uint64_t> v(key_ring);
    for (auto& k : v) k = rng() % key_space;
    return v;
  }();
  return keys;
}

// One counter per key; a key's counter is only touched under the key's lock.
struct counters {
  std::uint64_t value[key_space] = {};
};

// The critical section: bump the key's counter (Long == false), or first
// run a 16-step xorshift-multiply chain on it (Long == true, ~25 ns), the size of a
// small map update, where one lock for everything serialises the threads.
template <bool Long, class Lock, class Unlock>
void run_keyed(benchmark::State& state, counters& c, Lock lock, Unlock unlock) {
  const auto& keys = random_keys();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * (key_ring / 2);
  for (auto _ : state) {
    const std::uint64_t k = keys[i++ & (key_ring - 1)];
    lock(k);
    std::uint64_t v = c.value[k];
    if constexpr (Long) {
      // xorshift-multiply steps (not affine, so the compiler cannot fold them)
      for (int j = 0; j < 16; ++j) v = (v ^ (v >> 29)) * 0xbf58476d1ce4e5b9ULL;
    }
    c.value[k] = v + 1;
    electron_bench::keep(c.value[k]);
    unlock(k);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <bool Long>
void sharded_electron(benchmark::State& state) {
  static es::sharded_mutex<64> m;
  static counters c;
  run_keyed<Long>(
      state, c, [](std::uint64_t k) { m.lock(k); }, [](std::uint64_t k) { m.unlock(k); });
}
template <bool Long>
void sharded_std_mutex(benchmark::State& state) {
  static std::mutex m;
  static counters c;
  run_keyed<Long>(
      state, c, [](std::uint64_t) { m.lock(); }, [](std::uint64_t) { m.unlock(); });
}
// The obvious hand-made alternative: 64 padded std::mutex, same shard choice.
template <bool Long>
void sharded_std_mutex_x64(benchmark::State& state) {
  static electron::cache::padded<std::mutex> m[64];
  static counters c;
  using shards = es::sharded_mutex<64>;
  run_keyed<Long>(
      state, c, [](std::uint64_t k) { m[shards::shard_of(k)]->lock(); },
      [](std::uint64_t k) { m[shards::shard_of(k)]->unlock(); });
}

// ---- rw_mutex ----------------------------------------------------------------
constexpr int reads_per_write = 100;

struct table {
  std::uint64_t value[64] = {};
};

template <class Mutex>
void run_read_mostly(benchmark::State& state, Mutex& m, table& t) {
  std::uint64_t i = static_cast<std::uint64_t>(state.thread_index()) * 37;
  for (auto _ : state) {
    if (i % (reads_per_write + 1) == 0) {
      const std::unique_lock<Mutex> w(m);
      ++t.value[i & 63];
    } else {
      const std::shared_lock<Mutex> r(m);
      electron_bench::keep(t.value[i & 63]);
    }
    ++i;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void rw_electron(benchmark::State& state) {
  static es::rw_mutex m;
  static table t;
  run_read_mostly(state, m, t);
}
void rw_std_shared_mutex(benchmark::State& state) {
  static std::shared_mutex m;
  static table t;
  run_read_mostly(state, m, t);
}

// ---- semaphore ---------------------------------------------------------------
template <class Sem>
void run_uncontended(benchmark::State& state) {
  Sem s(1);
  for (auto _ : state) {
    s.acquire();
    electron_bench::clobber();
    s.release();
  }
  electron_bench::keep(&s);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
void sem_electron(benchmark::State& state) { run_uncontended<es::semaphore>(state); }
void sem_std(benchmark::State& state) { run_uncontended<std::counting_semaphore<>>(state); }

// Thread 0 releases ping and waits for pong; thread 1 the reverse. Both run
// the same number of iterations, so the semaphores end each run at 0.
template <class Sem>
void run_ping_pong(benchmark::State& state, Sem& ping, Sem& pong) {
  const bool first = state.thread_index() == 0;
  for (auto _ : state) {
    if (first) {
      ping.release();
      pong.acquire();
    } else {
      ping.acquire();
      pong.release();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
void pingpong_electron(benchmark::State& state) {
  static es::semaphore ping(0), pong(0);
  run_ping_pong(state, ping, pong);
}
void pingpong_std(benchmark::State& state) {
  static std::counting_semaphore<> ping(0), pong(0);
  run_ping_pong(state, ping, pong);
}

// Two threads take turns on one unit (the semaphore as a lock).
template <class Sem>
void run_contended(benchmark::State& state, Sem& s, std::uint64_t& shared) {
  for (auto _ : state) {
    s.acquire();
    ++shared;
    electron_bench::keep(shared);
    s.release();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
void contended_electron(benchmark::State& state) {
  static es::semaphore s(1);
  static std::uint64_t shared = 0;
  run_contended(state, s, shared);
}
void contended_std(benchmark::State& state) {
  static std::counting_semaphore<> s(1);
  static std::uint64_t shared = 0;
  run_contended(state, s, shared);
}

}  // namespace

BENCHMARK(sharded_electron<false>)->Name("sharded_mutex/electron")->Threads(1)->Threads(2);
BENCHMARK(sharded_std_mutex<false>)->Name("sharded_mutex/std_mutex")->Threads(1)->Threads(2);
BENCHMARK(sharded_std_mutex_x64<false>)->Name("sharded_mutex/std_mutex_x64")->Threads(1)->Threads(2);
BENCHMARK(sharded_electron<true>)->Name("sharded_mutex_long/electron")->Threads(1)->Threads(2);
BENCHMARK(sharded_std_mutex<true>)->Name("sharded_mutex_long/std_mutex")->Threads(1)->Threads(2);
BENCHMARK(sharded_std_mutex_x64<true>)->Name("sharded_mutex_long/std_mutex_x64")->Threads(1)->Threads(2);
BENCHMARK(rw_electron)->Name("rw_mutex/electron")->Threads(1)->Threads(2);
BENCHMARK(rw_std_shared_mutex)->Name("rw_mutex/std_shared_mutex")->Threads(1)->Threads(2);
BENCHMARK(sem_electron)->Name("semaphore/electron");
BENCHMARK(sem_std)->Name("semaphore/std_counting_semaphore");
BENCHMARK(pingpong_electron)->Name("semaphore_pingpong/electron")->Threads(2);
BENCHMARK(pingpong_std)->Name("semaphore_pingpong/std_counting_semaphore")->Threads(2);
BENCHMARK(contended_electron)->Name("semaphore_contended/electron")->Threads(2);
BENCHMARK(contended_std)->Name("semaphore_contended/std_counting_semaphore")->Threads(2);

BENCHMARK_MAIN();
