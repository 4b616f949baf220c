// SPDX-License-Identifier: MIT
// electron/detail/thread_slots.hpp: a small dense index per live thread,
// the key of the pools' per-thread caches (docs/adr/0006) and of
// lockfree::stack's spare nodes.
#ifndef ELECTRON_DETAIL_THREAD_SLOTS_HPP
#define ELECTRON_DETAIL_THREAD_SLOTS_HPP

#include "electron/config.hpp"

#include <cstdint>
#include <mutex>
#include <new>

ELECTRON_BEGIN_NAMESPACE
namespace detail {

// ===========================================================================
// Thread slots: a small dense index per live thread. Index i is owned by one
// thread at a time (handed over through a mutex), so per-pool caches indexed
// by it need no synchronisation on the fast path. A thread that exits gives
// its index back; the next thread to take it inherits the caches' contents,
// so nothing is stranded.
// ===========================================================================
inline constexpr std::uint32_t max_thread_slots = 128;
inline constexpr std::uint32_t slot_unassigned = 0xFFFFFFFFu;
inline constexpr std::uint32_t slot_none = 0xFFFFFFFEu;  // all slots taken: no per-thread cache

struct slot_registry {
  std::mutex mutex;
  std::uint32_t free[max_thread_slots];  // released slots, a stack
  std::uint32_t free_count = 0;
  std::uint32_t next = 0;
};
ELECTRON_VISIBLE inline slot_registry& slots() noexcept {
  // Never destroyed (threads may exit after static destruction began) and
  // not on the heap (so it shows in no allocation count).
  alignas(slot_registry) static unsigned char storage[sizeof(slot_registry)];
  static slot_registry* r = ::new (static_cast<void*>(storage)) slot_registry;
  return *r;
}
ELECTRON_VISIBLE inline thread_local std::uint32_t t_slot = slot_unassigned;

struct slot_releaser {
  ~slot_releaser() {
    if (t_slot < max_thread_slots) {
      slot_registry& r = slots();
      std::lock_guard<std::mutex> lock(r.mutex);
      r.free[r.free_count++] = t_slot;
    }
    t_slot = slot_none;
  }
};

ELECTRON_NOINLINE inline std::uint32_t assign_slot() noexcept {
  slot_registry& r = slots();
  std::uint32_t s = slot_none;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.free_count != 0) {
      s = r.free[--r.free_count];
    } else if (r.next < max_thread_slots) {
      s = r.next++;
    }
  }
  t_slot = s;
  if (s != slot_none) {
    thread_local slot_releaser releaser;  // gives the slot back at thread exit
    static_cast<void>(releaser);
  }
  return s;
}

/// The calling thread's slot, or slot_none.
ELECTRON_ALWAYS_INLINE std::uint32_t thread_slot() noexcept {
  const std::uint32_t s = t_slot;
  if (ELECTRON_LIKELY(s < max_thread_slots) || s == slot_none) return s;
  return assign_slot();
}

}  // namespace detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DETAIL_THREAD_SLOTS_HPP
