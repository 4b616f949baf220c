// SPDX-License-Identifier: MIT
// electron/detail/waiter.hpp: Electron's one way to put a thread to sleep
// until a word in memory changes (wait-on-address), with or without a
// time-out, and to wake the threads sleeping on a word.
//
// Every blocking primitive of the library (lockfree's blocking push/pop,
// sync's locks and semaphore, sched's idle workers) parks through this
// header, so there is one implementation per platform to get right:
//
// - futex: Linux. FUTEX_WAIT_PRIVATE / FUTEX_WAKE_PRIVATE on the 32-bit
//   word itself; time-outs are the kernel's (relative, CLOCK_MONOTONIC,
//   the clock of std::chrono::steady_clock).
// - atomic_wait: other platforms. C++20 std::atomic<T>::wait/notify for
//   untimed waits; the standard has no timed form, so timed waits sleep on
//   the portable table below, and a wake also looks there.
// - portable: a mutex and condition variable per bucket of a fixed table
//   hashed by address. Chosen everywhere by defining ELECTRON_WAITER_PORTABLE
//   (the tests build the waiter and lockfree suites once more that way).
//   The macro changes the code of every inline function that parks, so it
//   is part of the ABI namespace (config.hpp); define it for a whole program.
//
// The protocol is that of a futex: the waker changes the word first, then
// calls wake_one/wake_all; a waiter calls wait(word, expected) with the
// value it last saw, and wait returns only once it has seen a different
// value. A wake-up that happens between the waiter's look and its sleep is
// not lost, because each backend compares and sleeps atomically with
// respect to wakes (the kernel's futex hash-bucket lock; the bucket mutex).
// wake_* reads or writes no memory of the word: a thread may free the word
// as soon as the last change it waited for is made, while the waker is
// still returning from wake_*.
//
//   std::atomic<std::uint32_t> ready{0};
//   // waiter:  while (ready.load() == 0) electron::detail::waiter::wait(ready, 0);
//   // waker:   ready.store(1); electron::detail::waiter::wake_all(ready);
#ifndef ELECTRON_DETAIL_WAITER_HPP
#define ELECTRON_DETAIL_WAITER_HPP

#include "electron/config.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

#if !defined(ELECTRON_WAITER_PORTABLE) && defined(__linux__) && defined(__has_include)
#if __has_include(<linux/futex.h>) && __has_include(<sys/syscall.h>) && __has_include(<unistd.h>)
#define ELECTRON_DETAIL_WAITER_FUTEX 1
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif
#endif

#if !defined(ELECTRON_DETAIL_WAITER_FUTEX)
#include <condition_variable>
#include <mutex>
#endif

ELECTRON_BEGIN_NAMESPACE
namespace detail {

/// How this build parks a thread (see the header comment).
enum class waiter_backend { futex, atomic_wait, portable };

#if !defined(ELECTRON_DETAIL_WAITER_FUTEX)
// A fixed table of {mutex, condition variable} pairs, one chosen by the
// word's address, for the portable backend and for timed waits on the
// atomic_wait backend. Words that share a bucket wake each other's
// waiters; each waiter rechecks its own word, so that costs only a
// spurious wake-up. `timed` counts sleepers on the atomic_wait backend,
// where most wakes need not take the mutex.
struct alignas(cache_line_size) waiter_bucket {
  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<std::uint32_t> timed{0};
};
inline constexpr unsigned waiter_bucket_bits = 6;  // 64 buckets: few collisions for the waits a process has at once
inline waiter_bucket& waiter_bucket_of(const void* word) noexcept {
  static waiter_bucket table[std::size_t{1} << waiter_bucket_bits];
  const auto a = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(word));
  return table[static_cast<std::size_t>(mix64(a) >> (64 - waiter_bucket_bits))];
}
#endif

/// Wait-on-address for a 32-bit atomic word. All members are static,
/// thread-safe and noexcept, and allocate nothing.
class waiter {
 public:
  using word_type = std::atomic<std::uint32_t>;
  using clock = std::chrono::steady_clock;

  /// The backend of this build.
#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
  static constexpr waiter_backend backend = waiter_backend::futex;
#elif defined(ELECTRON_WAITER_PORTABLE)
  static constexpr waiter_backend backend = waiter_backend::portable;
#else
  static constexpr waiter_backend backend = waiter_backend::atomic_wait;
#endif

  /// Blocks while `word` holds `expected`; returns once it has loaded
  /// (acquire) a different value. Returns at once if the word differs
  /// already, so a change made and woken before the call is not lost. As
  /// with std::atomic::wait, a change back to `expected` before the waiter
  /// looks again goes unnoticed.
  static void wait(const word_type& word, std::uint32_t expected) noexcept {
#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
    while (word.load(std::memory_order_acquire) == expected) futex_wait(word, expected, nullptr);
#elif defined(ELECTRON_WAITER_PORTABLE)
    waiter_bucket& b = waiter_bucket_of(&word);
    std::unique_lock<std::mutex> lock(b.mutex);
    while (word.load(std::memory_order_acquire) == expected) b.cv.wait(lock);
#else
    word.wait(expected, std::memory_order_acquire);
#endif
  }

  /// wait() that gives up at `deadline`: true once the word differs from
  /// `expected`, false if the deadline passed first (also for a deadline
  /// already past while the word holds `expected`).
  static bool wait_until(const word_type& word, std::uint32_t expected, clock::time_point deadline) noexcept {
#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
    for (;;) {
      if (word.load(std::memory_order_acquire) != expected) return true;
      const clock::time_point now = clock::now();
      if (now >= deadline) return false;
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now).count();
      timespec ts{};
      ts.tv_sec = static_cast<decltype(ts.tv_sec)>(left / 1'000'000'000);
      ts.tv_nsec = static_cast<decltype(ts.tv_nsec)>(left % 1'000'000'000);
      futex_wait(word, expected, &ts);
    }
#else
    waiter_bucket& b = waiter_bucket_of(&word);
    std::unique_lock<std::mutex> lock(b.mutex);
#if !defined(ELECTRON_WAITER_PORTABLE)
    // Seen by wake_*'s load after its fence: either it sees us and takes
    // the mutex, or our load below sees its change.
    b.timed.fetch_add(1, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
    bool changed = true;
    while (word.load(std::memory_order_acquire) == expected) {
      if (b.cv.wait_until(lock, deadline) == std::cv_status::timeout &&
          word.load(std::memory_order_acquire) == expected) {
        changed = false;
        break;
      }
    }
#if !defined(ELECTRON_WAITER_PORTABLE)
    b.timed.fetch_sub(1, std::memory_order_relaxed);
#endif
    return changed;
#endif
  }

  /// wait_until(word, expected, now + timeout). A timeout <= 0 only looks;
  /// one too large for the clock waits without limit.
  template <class Rep, class Period>
  static bool wait_for(const word_type& word, std::uint32_t expected,
                       const std::chrono::duration<Rep, Period>& timeout) noexcept {
    const clock::time_point deadline = deadline_after(timeout);
    if (deadline == clock::time_point::max()) {
      wait(word, expected);
      return true;
    }
    return wait_until(word, expected, deadline);
  }

  /// Wakes at least one thread sleeping on `word`, if any (portable and
  /// timed waits on the atomic_wait backend wake all of a bucket). Call it
  /// after changing the word.
  static void wake_one(const word_type& word) noexcept {
#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
    futex_wake(word, 1);
#elif defined(ELECTRON_WAITER_PORTABLE)
    wake_bucket(waiter_bucket_of(&word));
#else
    const_cast<word_type&>(word).notify_one();
    wake_timed(waiter_bucket_of(&word));
#endif
  }

  /// Wakes every thread sleeping on `word`. Call it after changing the word.
  static void wake_all(const word_type& word) noexcept {
#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
    futex_wake(word, std::numeric_limits<int>::max());
#elif defined(ELECTRON_WAITER_PORTABLE)
    wake_bucket(waiter_bucket_of(&word));
#else
    const_cast<word_type&>(word).notify_all();
    wake_timed(waiter_bucket_of(&word));
#endif
  }

  /// now + timeout on the steady clock, rounded up; time_point::max() when
  /// that would overflow (about 292 years of nanoseconds), the time_point
  /// of now for a timeout <= 0.
  template <class Rep, class Period>
  static clock::time_point deadline_after(const std::chrono::duration<Rep, Period>& timeout) noexcept {
    const clock::time_point now = clock::now();
    // In floating point the comparison cannot overflow, whatever Rep is.
    const std::chrono::duration<double> t(timeout);
    if (!(t.count() > 0)) return now;
    const std::chrono::duration<double> room = clock::time_point::max() - now;
    if (!(t < room / 2)) return clock::time_point::max();
    return now + std::chrono::ceil<clock::duration>(t);
  }

 private:
  static_assert(sizeof(word_type) == sizeof(std::uint32_t) && word_type::is_always_lock_free,
                "wait-on-address needs a plain 32-bit atomic word");

#if defined(ELECTRON_DETAIL_WAITER_FUTEX)
  // The word's address goes to the kernel; the kernel reads it, never
  // writes it. EINTR, EAGAIN (the word had changed) and ETIMEDOUT all send
  // the caller back to its loop, which looks at the word and the clock.
  static void futex_wait(const word_type& word, std::uint32_t expected, const timespec* timeout) noexcept {
    (void)syscall(SYS_futex, static_cast<const void*>(&word), FUTEX_WAIT_PRIVATE, expected, timeout, nullptr, 0);
  }
  static void futex_wake(const word_type& word, int count) noexcept {
    (void)syscall(SYS_futex, static_cast<const void*>(&word), FUTEX_WAKE_PRIVATE, count, nullptr, nullptr, 0);
  }
#else
  // The waker changed the word before it takes the bucket's mutex, and a
  // waiter looks at the word only with that mutex held and sleeps by
  // releasing it atomically: it either sees the change or is asleep when
  // the notify comes.
  static void wake_bucket(waiter_bucket& b) noexcept {
    { const std::lock_guard<std::mutex> lock(b.mutex); }
    b.cv.notify_all();
  }
#if !defined(ELECTRON_WAITER_PORTABLE)
  static void wake_timed(waiter_bucket& b) noexcept {
    // Pairs with the fence in wait_until (a Dekker handshake between the
    // caller's change of the word and the timed waiter's registration).
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (b.timed.load(std::memory_order_relaxed) != 0) wake_bucket(b);
  }
#endif
#endif
};

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_WAITER_HPP
