// SPDX-License-Identifier: MIT
// electron/sched/detail/task.hpp: task nodes, group completion state and
// worker slots of electron::sched::scheduler.
#ifndef ELECTRON_SCHED_DETAIL_TASK_HPP
#define ELECTRON_SCHED_DETAIL_TASK_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/sched/detail/chase_lev_deque.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory_resource>
#include <new>
#include <thread>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace sched {
namespace detail {

class scheduler_core;

/// Completion state of a task_group: tasks not finished yet, and the first
/// exception.
struct group_state {
  explicit group_state(scheduler_core& s) noexcept : sched(&s) {}
  // First exception wins; the flag is read by the waiter only after pending
  // reached 0, and each task's decrement is ordered after its capture.
  void capture(std::exception_ptr e) noexcept {
    if (!failed.exchange(true, std::memory_order_acq_rel)) error = std::move(e);
  }
  inline void finish_one() noexcept;

  scheduler_core* sched;
  std::atomic<std::size_t> pending{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
};

inline constexpr std::size_t task_inline_size = 40;
inline constexpr std::size_t task_inline_align = 16;

/// A task: how to run it, its group, and the callable (inline or a pointer
/// to a copy from the scheduler's memory resource). Exactly one cache line.
struct alignas(64) task_node {
  // Invokes, then destroys, the callable; a callable out of line goes back
  // to the resource passed (the scheduler's).
  void (*run)(task_node*, std::pmr::memory_resource*) noexcept;
  group_state* group;
  alignas(task_inline_align) unsigned char storage[task_inline_size];
  task_node* next;  // free lists and the injection queue
};
static_assert(sizeof(task_node) == 64);

template <class Fn>
inline constexpr bool fits_inline = sizeof(Fn) <= task_inline_size && alignof(Fn) <= task_inline_align;

template <class Fn>
ELECTRON_ALWAYS_INLINE void invoke_task(Fn& f, [[maybe_unused]] group_state* g) noexcept {
  if constexpr (std::is_nothrow_invocable_v<Fn&> || !ELECTRON_HAS_EXCEPTIONS) {
    static_cast<void>(f());
  } else {
#if ELECTRON_HAS_EXCEPTIONS
    try {
      static_cast<void>(f());
    } catch (...) {
      // A task from scheduler::submit has no one to report to: terminate,
      // as an exception leaving a std::thread's function does.
      if (g == nullptr) std::terminate();
      g->capture(std::current_exception());
    }
#endif
  }
}

template <class Fn>
void run_inline(task_node* n, std::pmr::memory_resource*) noexcept {
  Fn* f = std::launder(reinterpret_cast<Fn*>(n->storage));
  invoke_task(*f, n->group);
  f->~Fn();
}

template <class Fn>
void run_heap(task_node* n, std::pmr::memory_resource* mr) noexcept {
  Fn* f = nullptr;
  std::memcpy(&f, n->storage, sizeof f);
  invoke_task(*f, n->group);
  f->~Fn();
  mr->deallocate(f, sizeof(Fn), alignof(Fn));
}

/// One of a scheduler's concurrency() slots: a deque, a free list of nodes
/// and the shutdown counts. Slot 0 belongs to whichever thread outside the
/// workers currently runs the scheduler's work (the caller slot); slots 1..
/// are the worker threads'. Everything but the deque's top and the counts is
/// touched only by the slot's current owner.
struct alignas(cache::false_sharing_range) worker {
  worker(scheduler_core* s, std::size_t i, std::pmr::memory_resource* mr)
      : deque(256, mr), owner(s), index(i), rng(0x9E3779B97F4A7C15ull * (i + 1)) {}
  chase_lev_deque<task_node*> deque;
  scheduler_core* owner;
  std::size_t index;
  task_node* free_nodes = nullptr;
  std::uint32_t free_count = 0;
  std::uint64_t rng;
  std::thread thread;  // none for slot 0
  // Tasks spawned and tasks run from this slot, for the shutdown check
  // (scheduler_core::drained()). Written only by the slot's owner, read by
  // others only at shutdown: on their own line, so spawning costs no shared
  // write.
  struct alignas(cache_line_size) task_counts {
    std::atomic<std::uint64_t> spawned{0};
    std::atomic<std::uint64_t> completed{0};
  } counts;
};

/// The slot the calling thread owns now, or nullptr.
ELECTRON_VISIBLE constinit inline thread_local worker* t_worker = nullptr;

/// The slots a thread owned before it entered another scheduler's work
/// (innermost first): a thread that re-enters a scheduler whose slot it
/// already owns further down its stack takes that slot again, rather than
/// waiting for the caller slot (held, maybe, by a thread waiting for the
/// very task this thread is in the middle of).
struct entry_link {
  worker* saved;
  entry_link* outer;
};
ELECTRON_VISIBLE constinit inline thread_local entry_link* t_entries = nullptr;

#if ELECTRON_ASSERTS_ENABLED
/// The group of the task the calling thread is running (debug builds only):
/// a task that waits for its own group would wait for itself.
ELECTRON_VISIBLE constinit inline thread_local const group_state* t_running_group = nullptr;
#endif

/// Nodes a slot keeps for reuse; more go back to the memory resource.
inline constexpr std::uint32_t max_free_nodes = 1024;

}  // namespace detail
}  // namespace sched
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SCHED_DETAIL_TASK_HPP
