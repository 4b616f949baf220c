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

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#define ELECTRON_DETAIL_SLOT_PTHREAD_KEY 1
#else
#define ELECTRON_DETAIL_SLOT_PTHREAD_KEY 0
#endif

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

inline void release_slot(std::uint32_t s) noexcept {
  slot_registry& r = slots();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.free[r.free_count++] = s;
}

// Giving the slot back at thread exit. On POSIX systems a pthread key's
// destructor does it: registering one (pthread_setspecific on one of the
// first 32 keys) allocates nothing, where a thread_local with a destructor
// makes the C library allocate a record per thread (__cxa_thread_atexit),
// which allocation counters see on a thread's first pool or queue call.
#if ELECTRON_DETAIL_SLOT_PTHREAD_KEY
// A C++ function (not extern "C"): its name stays inside the library's
// versioned, ISA-tagged namespace, like everything it touches. g++ and
// clang accept it where a C function pointer is expected.
inline void release_slot_at_exit(void* v) noexcept {
  release_slot(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(v) - 1));
  t_slot = slot_none;
}
struct slot_key_holder {
  pthread_key_t key{};
  bool ok = false;
};
/// The key whose destructor gives a thread's slot back, or null when the
/// system has no key left. Never deleted: threads may exit after static
/// destruction began.
ELECTRON_VISIBLE inline const pthread_key_t* slot_key() noexcept {
  static const slot_key_holder h = [] {
    slot_key_holder r;
    r.ok = pthread_key_create(&r.key, &release_slot_at_exit) == 0;
    return r;
  }();
  return h.ok ? &h.key : nullptr;
}
#else
struct slot_releaser {
  ~slot_releaser() {
    if (t_slot < max_thread_slots) release_slot(t_slot);
    t_slot = slot_none;
  }
};
#endif

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
  if (s != slot_none) {
#if ELECTRON_DETAIL_SLOT_PTHREAD_KEY
    // The value is slot + 1: a key's destructor runs only for non-null values.
    const pthread_key_t* key = slot_key();
    if (key == nullptr || pthread_setspecific(*key, reinterpret_cast<void*>(std::uintptr_t{s} + 1)) != 0) {
      release_slot(s);  // no exit hook: do without a slot rather than strand it
      s = slot_none;
    }
#else
    thread_local slot_releaser releaser;  // gives the slot back at thread exit
    static_cast<void>(releaser);
#endif
  }
  t_slot = s;
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
