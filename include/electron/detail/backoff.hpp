// SPDX-License-Identifier: MIT
// electron/detail/backoff.hpp: Electron's one policy for waiting a little
// before sleeping: spin, then yield, then park.
//
// A thread that finds a lock held, a queue empty or a count at zero usually
// finds it free again a moment later, and a spin costs far less than a trip
// through the kernel. backoff spaces out the caller's retries: first with
// growing runs of cpu_relax() (PAUSE/YIELD), then with
// std::this_thread::yield(), and then says "park now" (through waiter.hpp,
// or by polling where nobody will wake the caller). Every spinning loop of
// the library takes its constants from here.
//
//   electron::detail::backoff b;
//   while (!try_take()) {
//     if (!b.pause()) { park(); b.reset(); }
//   }
#ifndef ELECTRON_DETAIL_BACKOFF_HPP
#define ELECTRON_DETAIL_BACKOFF_HPP

#include "electron/config.hpp"

#include <chrono>
#include <thread>

ELECTRON_BEGIN_NAMESPACE
namespace detail {

/// Spin, then yield, then park: call pause() between failed attempts; it
/// waits a little and returns true, or returns false (without waiting)
/// once the caller should park. Not thread-safe (one per waiting thread,
/// on its stack); noexcept; allocates nothing.
class backoff {
 public:
  /// Spin steps: step k (0-based) runs 2^k cpu_relax(), so 7 steps are
  /// 127 pauses in all between 8 looks. A pause takes about 10 cycles on
  /// older x86 cores and up to about 140 on Skylake and later, so the
  /// whole spin is roughly 0.5 to 6 us: about what parking and being woken
  /// costs (two system calls and a context switch each way), which keeps
  /// spin-then-park within about twice the better of the two choices made
  /// in hindsight (Karlin, Li, Manasse and Owicki, "Empirical studies of
  /// competitive spinning for a shared-memory multiprocessor", SOSP 1991).
  /// Doubling looks often while the wait is short and rarely touches the
  /// contended line once it is long.
  static constexpr unsigned spin_steps = 7;
  /// Yield steps after the spin: each gives the core to another runnable
  /// thread (the likely holder, when there are more threads than cores)
  /// and returns at once when there is none. A few of them cover a holder
  /// that was preempted; more would keep an idle waiter burning a core.
  static constexpr unsigned yield_steps = 4;
  /// For a waiter that no one will wake (it polls a condition nobody
  /// signals, such as rcu's writer waiting for readers): the sleep between
  /// looks once pause() has returned false. 50 us costs an idle poller
  /// 20000 wake-ups a second at most and a waiting writer at most 50 us
  /// of latency past the readers' exit.
  static constexpr std::chrono::microseconds poll_interval{50};

  /// Waits one step (spin or yield) and returns true, or returns false
  /// without waiting once spin_steps + yield_steps steps are used up.
  [[nodiscard]] bool pause() noexcept {
    if (m_step < spin_steps) {
      const unsigned n = 1u << m_step;
      for (unsigned i = 0; i < n; ++i) cpu_relax();
      ++m_step;
      return true;
    }
    if (m_step < spin_steps + yield_steps) {
      std::this_thread::yield();
      ++m_step;
      return true;
    }
    return false;
  }

  /// pause(), and once that is used up, a sleep of poll_interval (for a
  /// waiter that polls because nobody wakes it). Always waits.
  void pause_or_sleep() noexcept {
    if (!pause()) std::this_thread::sleep_for(poll_interval);
  }

  /// Starts over (after the caller was woken, or made progress).
  void reset() noexcept { m_step = 0; }

  /// True while pause() still spins (rather than yields).
  [[nodiscard]] bool spinning() const noexcept { return m_step < spin_steps; }

  /// Steps taken since construction or reset().
  [[nodiscard]] unsigned steps() const noexcept { return m_step; }

 private:
  unsigned m_step = 0;
};

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_BACKOFF_HPP
