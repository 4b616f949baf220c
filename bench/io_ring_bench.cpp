// SPDX-License-Identifier: MIT
// io::ring_buffer against boost::lockfree::spsc_queue<char> (push(range) /
// pop(range)): one producer thread, one consumer thread, a stream of bytes
// written in chunks of 64 B or 4 KiB and read back in reads of the same
// size, through a 64 KiB ring. Both sides copy (in and out), as a ring
// between a socket reader and a parser does.
#include "bench_util.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#include "electron/io/ring_buffer.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#if defined(ELECTRON_BENCH_HAVE_BOOST) && !defined(ELECTRON_BENCH_UNDER_TSAN)
ELECTRON_BENCH_PEER_HEADERS_BEGIN
#include <boost/lockfree/spsc_queue.hpp>
ELECTRON_BENCH_PEER_HEADERS_END
#define ELECTRON_BENCH_RING_BOOST 1
#endif

namespace {

constexpr std::size_t ring_bytes = 64 * 1024;
#if defined(ELECTRON_BENCH_UNDER_TSAN)
constexpr std::size_t bytes_per_iteration = 1 << 20;
#else
constexpr std::size_t bytes_per_iteration = 16 << 20;
#endif

// What a side does when the ring is full (empty): spin a little, then give
// the core away (the machine may have fewer free cores than threads).
inline void backoff(int& tries) {
  if (++tries < 64) {
    electron::detail::cpu_relax();
  } else {
    tries = 0;
    std::this_thread::yield();
  }
}

// With ELECTRON_BENCH_PIN set, the consumer runs on CPU 0 and the producer on
// CPU 1, as SPSC benchmarks often do on a quiet machine (on a shared one,
// pinning keeps a side off an idle core, so it is off by default). Linux
// only; a no-op elsewhere.
inline void pin_to_cpu(std::size_t cpu) {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  static_cast<void>(pthread_setaffinity_np(pthread_self(), sizeof set, &set));
#else
  static_cast<void>(cpu);
#endif
}

inline void unpin() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  for (unsigned c = 0; c < std::thread::hardware_concurrency() && c < CPU_SETSIZE; ++c) CPU_SET(c, &set);
  static_cast<void>(pthread_setaffinity_np(pthread_self(), sizeof set, &set));
#endif
}

inline bool pinning_wanted() {
  static const bool wanted = std::thread::hardware_concurrency() >= 2 && std::getenv("ELECTRON_BENCH_PIN") != nullptr;
  return wanted;
}

// The consumer's work in the ring_parse benches: a sum of every byte (a
// stand-in for a parser that looks at each byte once).
inline std::uint64_t byte_sum(const electron::byte* p, std::size_t n) noexcept {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s += p[i];
  return s;
}

// Moves bytes_per_iteration bytes from a producer thread to this thread in
// chunks of state.range(0) bytes. write(p, n) copies up to n bytes from p
// into the queue and returns how many; read(dst, n, sum) takes up to n
// bytes out of the queue (into dst, or in place), adds to `sum` what the
// bench's consumer computes, and returns how many.
template <class Write, class Read>
void transfer(benchmark::State& state, Write write, Read read) {
  const auto chunk = static_cast<std::size_t>(state.range(0));
  std::vector<electron::byte> src(chunk), dst(chunk);
  for (std::size_t i = 0; i < chunk; ++i) src[i] = static_cast<electron::byte>(i * 31 + 7);
  std::uint64_t checksum = 0;
  if (pinning_wanted()) pin_to_cpu(0);
  for (auto _ : state) {
    std::thread producer([&] {
      if (pinning_wanted()) pin_to_cpu(1);
      for (std::size_t sent = 0; sent < bytes_per_iteration;) {
        std::size_t off = 0;
        const std::size_t n = std::min(chunk, bytes_per_iteration - sent);
        for (int tries = 0; off < n;) {
          const std::size_t k = write(src.data() + off, n - off);
          if (k == 0) backoff(tries);
          off += k;
        }
        sent += n;
      }
    });
    std::uint64_t sum = 0;
    for (std::size_t got = 0; got < bytes_per_iteration;) {
      int tries = 0;
      std::size_t k = 0;
      while ((k = read(dst.data(), chunk, sum)) == 0) backoff(tries);
      got += k;
    }
    producer.join();
    checksum += sum;
  }
  if (pinning_wanted()) unpin();
  electron_bench::keep(checksum);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes_per_iteration));
}

using electron::byte;

// ring_1t: one thread writes a chunk and reads it back, bytes_per_iteration
// bytes in all: the cost of the calls themselves (and their copies) with no
// cache line moving between cores and no scheduler in the way, which on a
// loaded machine dominates the threaded numbers.
template <class Write, class Read>
void one_thread(benchmark::State& state, Write write, Read read) {
  const auto chunk = static_cast<std::size_t>(state.range(0));
  std::vector<byte> src(chunk), dst(chunk);
  for (std::size_t i = 0; i < chunk; ++i) src[i] = static_cast<byte>(i * 31 + 7);
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    for (std::size_t moved = 0; moved < bytes_per_iteration; moved += chunk) {
      electron_bench::escape(src);
      const std::size_t w = write(src.data(), chunk);
      const std::size_t r = read(dst.data(), chunk);
      checksum += w + r + dst[chunk - 1];
    }
  }
  electron_bench::keep(checksum);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes_per_iteration));
}

void one_thread_electron(benchmark::State& state) {
  electron::io::ring_buffer r(ring_bytes);
  // Offset the indices so that chunks wrap around the end now and then.
  static_cast<void>(r.write_some(std::string_view("abc")));
  char skip[3];
  static_cast<void>(r.read_some(skip));
  one_thread(
      state, [&](const byte* p, std::size_t n) { return r.write_some(std::span<const byte>(p, n)); },
      [&](byte* p, std::size_t n) { return r.read_some(std::span<byte>(p, n)); });
}

// ring_1p1c: copy in (write_some / push(range)), copy out (read_some /
// pop(range)); the consumer looks at one byte of each read.
void ring_electron(benchmark::State& state) {
  electron::io::ring_buffer r(ring_bytes);
  transfer(
      state, [&](const byte* p, std::size_t n) { return r.write_some(std::span<const byte>(p, n)); },
      [&](byte* p, std::size_t n, std::uint64_t& sum) {
        const std::size_t k = r.read_some(std::span<byte>(p, n));
        if (k != 0) sum += p[k - 1];
        return k;
      });
}

void ring_electron_mirrored(benchmark::State& state) {
  electron::io::ring_buffer r(ring_bytes, electron::io::ring_mapping::mirrored_if_available);
  if (!r.is_mirrored()) {
    state.SkipWithError("no mirrored mapping on this system");
    return;
  }
  transfer(
      state, [&](const byte* p, std::size_t n) { return r.write_some(std::span<const byte>(p, n)); },
      [&](byte* p, std::size_t n, std::uint64_t& sum) {
        const std::size_t k = r.read_some(std::span<byte>(p, n));
        if (k != 0) sum += p[k - 1];
        return k;
      });
}

// ring_parse: the consumer reads every byte. Electron's consumer reads them
// in the ring (peek/consume); a queue with only pop(range) copies them out
// first.
void parse_electron(benchmark::State& state) {
  electron::io::ring_buffer r(ring_bytes);
  transfer(
      state, [&](const byte* p, std::size_t n) { return r.write_some(std::span<const byte>(p, n)); },
      [&](byte*, std::size_t n, std::uint64_t& sum) {
        const auto s = r.peek(n);
        sum += byte_sum(s.first.data(), s.first.size()) + byte_sum(s.second.data(), s.second.size());
        r.consume(s.size());
        return s.size();
      });
}

#if defined(ELECTRON_BENCH_RING_BOOST)
using boost_spsc = boost::lockfree::spsc_queue<char>;

void ring_boost_spsc(benchmark::State& state) {
  boost_spsc q(ring_bytes);
  transfer(
      state,
      [&](const byte* p, std::size_t n) {
        return q.push(reinterpret_cast<const char*>(p), static_cast<boost_spsc::size_type>(n));
      },
      [&](byte* p, std::size_t n, std::uint64_t& sum) {
        const std::size_t k = q.pop(reinterpret_cast<char*>(p), static_cast<boost_spsc::size_type>(n));
        if (k != 0) sum += p[k - 1];
        return k;
      });
}

void one_thread_boost_spsc(benchmark::State& state) {
  boost_spsc q(ring_bytes);
  char skip[3] = {'a', 'b', 'c'};
  static_cast<void>(q.push(skip, 3));
  static_cast<void>(q.pop(skip, 3));
  one_thread(
      state,
      [&](const byte* p, std::size_t n) {
        return q.push(reinterpret_cast<const char*>(p), static_cast<boost_spsc::size_type>(n));
      },
      [&](byte* p, std::size_t n) { return q.pop(reinterpret_cast<char*>(p), static_cast<boost_spsc::size_type>(n)); });
}

void parse_boost_spsc(benchmark::State& state) {
  boost_spsc q(ring_bytes);
  transfer(
      state,
      [&](const byte* p, std::size_t n) {
        return q.push(reinterpret_cast<const char*>(p), static_cast<boost_spsc::size_type>(n));
      },
      [&](byte* p, std::size_t n, std::uint64_t& sum) {
        const std::size_t k = q.pop(reinterpret_cast<char*>(p), static_cast<boost_spsc::size_type>(n));
        sum += byte_sum(p, k);
        return k;
      });
}
#endif

}  // namespace

#define ELECTRON_RING_BENCH(fn, what, impl)                                     \
  BENCHMARK(fn)->Name(what "/64B/" impl)->Arg(64)->UseRealTime()->MinTime(0.2); \
  BENCHMARK(fn)->Name(what "/4KiB/" impl)->Arg(4096)->UseRealTime()->MinTime(0.2)

// One thread: CPU time, which a loaded machine disturbs less than real time.
#define ELECTRON_RING_BENCH_1T(fn, impl)                           \
  BENCHMARK(fn)->Name("ring_1t/64B/" impl)->Arg(64)->MinTime(0.2); \
  BENCHMARK(fn)->Name("ring_1t/4KiB/" impl)->Arg(4096)->MinTime(0.2)

ELECTRON_RING_BENCH(ring_electron, "ring_1p1c", "electron");
ELECTRON_RING_BENCH(ring_electron_mirrored, "ring_1p1c", "electron_mirrored");
ELECTRON_RING_BENCH(parse_electron, "ring_parse_1p1c", "electron");
ELECTRON_RING_BENCH_1T(one_thread_electron, "electron");
#if defined(ELECTRON_BENCH_RING_BOOST)
ELECTRON_RING_BENCH(ring_boost_spsc, "ring_1p1c", "boost_spsc");
ELECTRON_RING_BENCH(parse_boost_spsc, "ring_parse_1p1c", "boost_spsc");
ELECTRON_RING_BENCH_1T(one_thread_boost_spsc, "boost_spsc");
#endif
