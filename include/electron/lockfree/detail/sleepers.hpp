// SPDX-License-Identifier: MIT
// electron/lockfree/detail/sleepers.hpp: how mpmc_queue's blocking push/pop
// sleep without making try_push/try_pop pay for it.
#ifndef ELECTRON_LOCKFREE_DETAIL_SLEEPERS_HPP
#define ELECTRON_LOCKFREE_DETAIL_SLEEPERS_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/waiter.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

#if defined(__linux__) && !defined(ELECTRON_LOCKFREE_NO_MEMBARRIER) && defined(__has_include)
#if __has_include(<sys/syscall.h>) && __has_include(<unistd.h>)
#include <sys/syscall.h>
#include <unistd.h>
#define ELECTRON_LOCKFREE_HAS_MEMBARRIER 1
#endif
#endif

ELECTRON_BEGIN_NAMESPACE
namespace lockfree::detail {

// An asymmetric barrier: a full memory barrier executed on every running
// thread of the process (Linux membarrier(2), MEMBARRIER_CMD_PRIVATE_EXPEDITED,
// kernel 4.14 or later). It lets the common path of a Dekker-style handshake
// use only a compiler barrier while the rare path pays a system call (about
// 0.3 us). Returns false where it is not available. Defining
// ELECTRON_LOCKFREE_NO_MEMBARRIER takes the portable path (the tests build
// the suite a second time that way). It is part of the ABI namespace, so
// translation units built with and without it keep separate copies.
inline bool process_wide_barrier() noexcept {
#if defined(ELECTRON_LOCKFREE_HAS_MEMBARRIER) && defined(SYS_membarrier)
  constexpr int register_private_expedited = 16;  // MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
  constexpr int private_expedited = 8;            // MEMBARRIER_CMD_PRIVATE_EXPEDITED
  static const bool registered = syscall(SYS_membarrier, register_private_expedited, 0, 0) == 0;
  return registered && syscall(SYS_membarrier, private_expedited, 0, 0) == 0;
#else
  return false;
#endif
}

// Without the asymmetric barrier, the longest a sleeper sleeps before it
// looks at the queue again: it bounds the delay of the one interleaving
// that can miss a wake-up (see sleepers), at the cost of 1000 wake-ups a
// second per idle sleeper.
inline constexpr std::chrono::milliseconds unfenced_sleep_bound{1};

// Sleeping for blocking push/pop. A thread that found the queue full (or
// empty) counts itself in m_count, retries, and sleeps on m_event through
// electron::detail::waiter; every successful operation calls wake(), which
// bumps m_event and wakes the sleepers only if m_count is not zero. wake()
// takes no lock, so try_push/try_pop never wait for another thread (when
// someone sleeps they make one wake-up system call).
//
// The handshake is Dekker's: waker "store item; load m_count", sleeper
// "increment m_count; load item". A full barrier on both sides on every
// operation would cost a store-buffer drain per item (it halved the queue's
// throughput here), so the waker has only a compiler barrier and the
// sleeper runs process_wide_barrier() after its increment: that orders every
// running waker's earlier store before its later load of m_count, so either
// the sleeper's retry sees the item or the waker sees the sleeper and changes
// m_event, which ends the sleeper's wait. Where the asymmetric barrier is
// unavailable the sleeper's wait is timed (unfenced_sleep_bound) and it
// retries after it.
class sleepers {
 public:
  template <class Retry>
  void wait_until(Retry retry) noexcept(noexcept(retry())) {
    using electron::detail::waiter;
    for (;;) {
      const std::uint32_t seen = m_event->load(std::memory_order_acquire);
      m_count->fetch_add(1, std::memory_order_seq_cst);
      const bool fenced = process_wide_barrier();
      if (retry()) {
        m_count->fetch_sub(1, std::memory_order_relaxed);
        return;
      }
      if (fenced) {
        waiter::wait(*m_event, seen);
      } else {
        (void)waiter::wait_for(*m_event, seen, unfenced_sleep_bound);
      }
      m_count->fetch_sub(1, std::memory_order_relaxed);
      if (retry()) return;
    }
  }
  // Called after every successful operation.
  void wake() noexcept {
    std::atomic_signal_fence(std::memory_order_seq_cst);  // keep the load after the operation's store
    if (m_count->load(std::memory_order_relaxed) != 0) {
      m_event->fetch_add(1, std::memory_order_release);
      electron::detail::waiter::wake_all(*m_event);
    }
  }

 private:
  cache::padded<std::atomic<std::uint32_t>> m_count{0u};
  cache::padded<std::atomic<std::uint32_t>> m_event{0u};
};

}  // namespace lockfree::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_LOCKFREE_DETAIL_SLEEPERS_HPP
