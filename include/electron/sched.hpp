// SPDX-License-Identifier: MIT
// electron/sched.hpp: a work-stealing task scheduler, task groups,
// parallel_for and a batch processor.
//
// - scheduler: a fixed set of worker threads, each with a Chase-Lev deque
//   (electron/sched/detail/chase_lev_deque.hpp); tasks spawned on a worker
//   go onto its deque, tasks from other threads onto a shared injection
//   queue; idle workers steal, then spin briefly, then sleep.
// - task_group: run(fn) and wait(); the waiting thread runs tasks meanwhile,
//   so nested parallelism does not deadlock; the first exception a task
//   throws is rethrown by wait().
// - parallel_for: fn(i) for every i in [begin, end), split recursively in
//   halves down to a grain so that stealing balances the load.
// - batch_processor<T>: collects items and hands them to a function in
//   batches (by size or age), with a bounded backlog and an error callback.
//
//   electron::sched::scheduler s(4);
//   std::vector<double> v(1'000'000, 1.0);
//   electron::sched::parallel_for(s, std::size_t{0}, v.size(), 4096, [&](std::size_t i) { v[i] *= 2; });
//   electron::sched::task_group g(s);
//   g.run([] { work_a(); });
//   g.run([] { work_b(); });
//   g.wait();  // rethrows the first exception of work_a/work_b
//
// Tasks are 64-byte nodes with 40 bytes of inline storage for the callable
// (larger or over-aligned callables go to the heap), recycled through
// per-worker free lists: the worker that runs a task keeps its node. So
// spawning a small task on a worker allocates nothing while that worker's
// list has a node, i.e. when it runs about as many tasks as it spawns (it
// reuses the nodes of the tasks it ran); a worker whose tasks other workers
// run (steal) allocates a node per stolen task.
#ifndef ELECTRON_SCHED_HPP
#define ELECTRON_SCHED_HPP

#include "electron/cache.hpp"
#include "electron/config.hpp"
#include "electron/sched/detail/chase_lev_deque.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace sched {

// ===========================================================================
// Concepts
// ===========================================================================

/// A task: a callable, stored by value (decay-copied or moved), invocable
/// with no arguments. Its result, if any, is discarded.
template <class F>
concept task_fn = std::invocable<std::decay_t<F>&> && std::constructible_from<std::decay_t<F>, F>;

/// A parallel_for body called once per index: fn(i).
template <class F, class I>
concept index_body = std::integral<I> && std::invocable<F&, I>;

/// A parallel_for body called once per sub-range: fn(sub_begin, sub_end)
/// (and not also callable with one index, which would be ambiguous).
template <class F, class I>
concept range_body = std::integral<I> && std::invocable<F&, I, I> && !std::invocable<F&, I>;

class scheduler;
class task_group;

namespace detail {

template <class I, class Body>
void parallel_ranges(scheduler& s, I begin, I end, std::size_t grain, Body& body);

// ===========================================================================
// Task nodes
// ===========================================================================

/// Completion state of a task_group: tasks not finished yet, and the first
/// exception.
struct group_state {
  explicit group_state(scheduler& s) noexcept : sched(&s) {}
  // First exception wins; the flag is read by the waiter only after pending
  // reached 0, and each task's decrement is ordered after its capture.
  void capture(std::exception_ptr e) noexcept {
    if (!failed.exchange(true, std::memory_order_acq_rel)) error = std::move(e);
  }
  inline void finish_one() noexcept;

  scheduler* sched;
  std::atomic<std::size_t> pending{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
};

inline constexpr std::size_t task_inline_size = 40;
inline constexpr std::size_t task_inline_align = 16;

/// A task: how to run it, its group, and the callable (inline or a pointer
/// to a heap copy). Exactly one cache line.
struct alignas(64) task_node {
  void (*run)(task_node*) noexcept;  // invokes, then destroys, the callable
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
void run_inline(task_node* n) noexcept {
  Fn* f = std::launder(reinterpret_cast<Fn*>(n->storage));
  invoke_task(*f, n->group);
  f->~Fn();
}

template <class Fn>
void run_heap(task_node* n) noexcept {
  Fn* f = nullptr;
  std::memcpy(&f, n->storage, sizeof f);
  invoke_task(*f, n->group);
  delete f;
}

// ===========================================================================
// Workers
// ===========================================================================

struct alignas(cache::false_sharing_range) worker {
  explicit worker(scheduler* s, std::size_t i) noexcept
      : owner(s), index(i), rng(0x9E3779B97F4A7C15ull * (i + 1)) {}
  chase_lev_deque<task_node*> deque;
  scheduler* owner;
  std::size_t index;
  task_node* free_nodes = nullptr;  // this worker only
  std::uint32_t free_count = 0;
  std::uint64_t rng;
  std::thread thread;
  // Tasks this worker spawned and tasks it ran, for the shutdown check
  // (scheduler::drained()). Written only by this worker, read by others only
  // at shutdown: on their own line, so spawning costs no shared write.
  struct alignas(cache_line_size) task_counts {
    std::atomic<std::uint64_t> spawned{0};
    std::atomic<std::uint64_t> completed{0};
  } counts;
};

/// The worker the calling thread is, or nullptr.
ELECTRON_VISIBLE constinit inline thread_local worker* t_worker = nullptr;

/// How many tasks a thread that is not a worker runs nested inside its own
/// waits (each such task may wait in turn and run another).
ELECTRON_VISIBLE constinit inline thread_local unsigned t_external_depth = 0;
inline constexpr unsigned max_external_depth = 4;

#if ELECTRON_ASSERTS_ENABLED
/// The group of the task the calling thread is running (debug builds only):
/// a task that waits for its own group would wait for itself.
ELECTRON_VISIBLE constinit inline thread_local const group_state* t_running_group = nullptr;
#endif

/// Nodes a worker keeps for reuse; more go back to the system.
inline constexpr std::uint32_t max_free_nodes = 1024;

using electron::detail::cpu_relax;

ELECTRON_ALWAYS_INLINE task_node* allocate_node() {
  if (worker* w = t_worker; w != nullptr && w->free_nodes != nullptr) {
    task_node* n = w->free_nodes;
    w->free_nodes = n->next;
    --w->free_count;
    return n;
  }
  return new task_node;
}

ELECTRON_ALWAYS_INLINE void release_node(task_node* n) noexcept {
  // Nodes are interchangeable between schedulers: any worker may keep any.
  if (worker* w = t_worker; w != nullptr && w->free_count < max_free_nodes) {
    n->next = w->free_nodes;
    w->free_nodes = n;
    ++w->free_count;
    return;
  }
  delete n;
}

/// A node holding a decay-copy of f, belonging to group g (or none).
template <class F>
task_node* make_node(F&& f, group_state* g) {
  using Fn = std::decay_t<F>;
  task_node* n = allocate_node();
  if constexpr (fits_inline<Fn> && std::is_nothrow_constructible_v<Fn, F>) {
    ::new (static_cast<void*>(n->storage)) Fn(std::forward<F>(f));
    n->run = &run_inline<Fn>;
  } else {
    struct node_guard {
      task_node* n;
      ~node_guard() {
        if (n != nullptr) release_node(n);
      }
    } guard{n};
    if constexpr (fits_inline<Fn>) {
      ::new (static_cast<void*>(n->storage)) Fn(std::forward<F>(f));
      n->run = &run_inline<Fn>;
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      std::memcpy(n->storage, &heap, sizeof heap);
      n->run = &run_heap<Fn>;
    }
    guard.n = nullptr;
  }
  n->group = g;
  return n;
}

}  // namespace detail

// ===========================================================================
// scheduler
// ===========================================================================

/// A pool of worker threads that run tasks by work stealing.
///
/// Each worker owns a Chase-Lev deque: tasks spawned on a worker (submit()
/// or task_group::run() from a task) go onto the bottom of its deque and it
/// runs them newest first; idle workers steal the oldest task of a random
/// victim. Tasks submitted from other threads go to a mutex-protected
/// injection queue that workers check before stealing. A worker with
/// nothing to do spins briefly, then sleeps until work is published.
///
/// Thread safety: submit() from any thread. The destructor runs every task
/// submitted before it (and every task those spawn), then joins the workers;
/// the workers stay until no task is queued or running, so tasks spawned
/// during destruction still run in parallel, and a task may block until a
/// task it spawned has run. It must not be called from one of this
/// scheduler's workers, and no thread may submit to a scheduler being
/// destroyed except its own tasks.
///
///   electron::sched::scheduler s;          // one worker per hardware thread
///   s.submit([] { std::puts("hello"); });  // fire and forget
class scheduler {
 public:
  /// The largest thread count the constructor accepts: far more hardware
  /// threads than any machine has, and few enough that the workers' memory
  /// is a few hundred MiB at most.
  static constexpr std::size_t max_threads = 65536;

  /// Starts `threads` workers (at least 1; by default one per hardware
  /// thread). Throws std::length_error when threads > max_threads (before
  /// anything is allocated or started), std::system_error when a thread
  /// cannot be started (the ones already started are joined first).
  explicit scheduler(std::size_t threads = std::thread::hardware_concurrency()) {
    if (threads > max_threads) {
      electron::detail::throw_error<std::length_error>("electron::sched::scheduler: more threads than max_threads");
    }
    const std::size_t n = threads == 0 ? 1 : threads;
    m_workers.reserve(n);
    for (std::size_t i = 0; i < n; ++i) m_workers.push_back(std::make_unique<detail::worker>(this, i));
#if ELECTRON_HAS_EXCEPTIONS
    try {
#endif
      for (auto& w : m_workers) w->thread = std::thread([this, p = w.get()] { worker_main(*p); });
#if ELECTRON_HAS_EXCEPTIONS
    } catch (...) {
      shutdown();
      throw;
    }
#endif
  }
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  /// Runs every pending task, then joins the workers.
  ~scheduler() { shutdown(); }

  /// Runs f() once, on some worker, some time before the destructor returns.
  /// From a worker of this scheduler the task goes onto that worker's deque
  /// (no lock; no allocation for callables of at most 40 bytes while the
  /// worker has a free node: see task_group::run);
  /// from other threads onto the injection queue (a mutex). An exception
  /// escaping f calls std::terminate (use a task_group to catch it).
  template <task_fn F>
  void submit(F&& f) {
    spawn(detail::make_node(std::forward<F>(f), nullptr));
  }

  /// Number of worker threads.
  [[nodiscard]] std::size_t thread_count() const noexcept { return m_workers.size(); }

  /// True when the calling thread is one of this scheduler's workers.
  [[nodiscard]] bool on_worker_thread() const noexcept {
    const detail::worker* w = detail::t_worker;
    return w != nullptr && w->owner == this;
  }

 private:
  friend class task_group;
  friend struct detail::group_state;

  ELECTRON_ALWAYS_INLINE void spawn(detail::task_node* n) {
    detail::worker* w = detail::t_worker;
    if (ELECTRON_LIKELY(w != nullptr && w->owner == this)) {
      // Counted before it is published (see drained()); only this worker
      // writes its count.
      bump(w->counts.spawned);
      // seq_cst: the store must precede the load of m_sleepers in wake_one()
      // (see park()). When the deque cannot grow, the task runs here and now.
#if ELECTRON_HAS_EXCEPTIONS
      try {
        w->deque.push(n, std::memory_order_seq_cst);
      } catch (...) {
        execute(n);
        return;
      }
#else
      w->deque.push(n, std::memory_order_seq_cst);
#endif
    } else {
      inject(n);
    }
    wake_one();
  }

  void inject(detail::task_node* n) noexcept {
    n->next = nullptr;
    std::lock_guard<std::mutex> lock(m_inject_mutex);
    m_injected.fetch_add(1, std::memory_order_release);  // counted before it is published
    if (m_inject_tail != nullptr) {
      m_inject_tail->next = n;
    } else {
      m_inject_head = n;
    }
    m_inject_tail = n;
    m_inject_count.fetch_add(1, std::memory_order_seq_cst);
  }

  detail::task_node* take_injected() noexcept {
    if (m_inject_count.load(std::memory_order_seq_cst) == 0) return nullptr;
    std::lock_guard<std::mutex> lock(m_inject_mutex);
    detail::task_node* n = m_inject_head;
    if (n == nullptr) return nullptr;
    m_inject_head = n->next;
    if (m_inject_head == nullptr) m_inject_tail = nullptr;
    m_inject_count.fetch_sub(1, std::memory_order_relaxed);
    return n;
  }

  /// A task from the injection queue or another worker's deque, or nullptr.
  detail::task_node* find_foreign(detail::worker* self) noexcept {
    if (detail::task_node* n = take_injected()) return n;
    const std::size_t count = m_workers.size();
    std::size_t start = 0;
    if (self != nullptr && self->owner == this) {
      // xorshift64: a random first victim spreads thieves over the deques.
      std::uint64_t x = self->rng;
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      self->rng = x;
      start = static_cast<std::size_t>(x % count);
    }
    for (std::size_t k = 0; k < count; ++k) {
      detail::worker* v = m_workers[(start + k) % count].get();
      if (v == self) continue;
      detail::task_node* n = nullptr;
      for (int attempt = 0; attempt < 4; ++attempt) {
        const detail::steal_result r = v->deque.steal(n);
        if (r == detail::steal_result::success) return n;
        if (r == detail::steal_result::empty) break;
      }
    }
    return nullptr;
  }

  /// Own deque first (newest first), then foreign work.
  ELECTRON_ALWAYS_INLINE detail::task_node* find_task(detail::worker* self) noexcept {
    if (self != nullptr) {
      if (auto n = self->deque.pop()) return *n;
    }
    return find_foreign(self);
  }

  /// True when some task of this scheduler is visible (seq_cst loads: see park()).
  bool work_visible() const noexcept {
    if (m_inject_count.load(std::memory_order_seq_cst) != 0) return true;
    for (const auto& w : m_workers) {
      if (w->deque.size_estimate() != 0) return true;
    }
    return false;
  }

  ELECTRON_ALWAYS_INLINE void execute(detail::task_node* n) noexcept {
    detail::group_state* g = n->group;
#if ELECTRON_ASSERTS_ENABLED
    const detail::group_state* outer = std::exchange(detail::t_running_group, g);
#endif
    n->run(n);
#if ELECTRON_ASSERTS_ENABLED
    detail::t_running_group = outer;
#endif
    detail::release_node(n);
    if (g != nullptr) g->finish_one();
    detail::worker* w = detail::t_worker;
    if (w != nullptr && w->owner == this) {
      bump(w->counts.completed);
    } else {
      m_external_completed.fetch_add(1, std::memory_order_release);
    }
    if (ELECTRON_UNLIKELY(m_stopping.load(std::memory_order_relaxed)) && drained()) wake_all();
  }

  // A counter written by one thread only: a load and a store, no
  // read-modify-write. Release: see drained().
  static void bump(std::atomic<std::uint64_t>& c) noexcept {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }

  /// The destructor was called and no task is queued or running: a worker
  /// may leave (nothing can spawn any more). Every task is counted as
  /// spawned before it is published and as completed after it ran, by the
  /// thread that did each. The completed counts are read first, then the
  /// spawned ones (acquire): a completion we read happens after its task's
  /// spawn, so we read that spawn too, and the counts only grow. So if the
  /// sums are equal, then at the moment between the two passes every task
  /// spawned so far had completed; no task was running to spawn another,
  /// and none is spawned after shutdown began. (If a worker's last
  /// completion is not yet visible here, it is a moment later: parked
  /// workers re-check every millisecond once stopping, see park().)
  bool drained() const noexcept {
    if (!m_stopping.load(std::memory_order_seq_cst)) return false;
    std::uint64_t completed = m_external_completed.load(std::memory_order_acquire);
    for (const auto& w : m_workers) completed += w->counts.completed.load(std::memory_order_acquire);
    std::uint64_t spawned = m_injected.load(std::memory_order_acquire);
    for (const auto& w : m_workers) spawned += w->counts.spawned.load(std::memory_order_acquire);
    return completed == spawned;
  }

  // Parking, and why no wakeup is lost.
  //
  // A thread about to sleep (an idle worker, or a task_group waiter) does:
  //   P1 m_sleepers += 1 (seq_cst)   P2 e = m_epoch (seq_cst)
  //   P3 look for work and for its own exit condition (seq_cst loads)
  //   P4 under m_park_mutex, wait on m_park_cv while m_epoch == e.
  // A thread publishing work does:
  //   Q1 publish (deque bottom store, or injection count RMW, seq_cst)
  //   Q2 if m_sleepers (seq_cst load) != 0: under m_park_mutex, m_epoch += 1
  //      (seq_cst), then notify.
  // All of P1-P3 and Q1-Q2 are seq_cst, so they are in one total order S.
  // If Q2's load precedes P1 in S, then Q1 precedes P3 and P3 sees the work.
  // Otherwise Q2 sees the sleeper and bumps the epoch under the mutex: if
  // that is before P2 in S, Q1 precedes P3 again; if after, then either P4
  // finds m_epoch != e when it takes the mutex, or it is already waiting and
  // the notify (issued after the bump, which is under the mutex) wakes it.
  // Group completion works the same way with the pair (pending, m_waiters)
  // and the exit flag with (m_stopping, the unconditional wake_all()).
  template <class Done>
  void park(Done&& done, bool waiter) noexcept {
    m_sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (waiter) m_waiters.fetch_add(1, std::memory_order_seq_cst);
    const std::uint64_t e = m_epoch.load(std::memory_order_seq_cst);
    if (!done() && !work_visible()) {
      std::unique_lock<std::mutex> lock(m_park_mutex);
      while (m_epoch.load(std::memory_order_relaxed) == e) {
        if (m_stopping.load(std::memory_order_relaxed)) {
          // At shutdown, re-check drained() now and then: the last task's
          // completion count may become visible after our check (drained()).
          if (m_park_cv.wait_for(lock, std::chrono::milliseconds(1)) == std::cv_status::timeout) break;
        } else {
          m_park_cv.wait(lock);
        }
      }
    }
    if (waiter) m_waiters.fetch_sub(1, std::memory_order_seq_cst);
    m_sleepers.fetch_sub(1, std::memory_order_seq_cst);
    // A waiter woken by notify_one() that leaves because its group is done
    // may have swallowed the wakeup meant for new work: pass it on.
    if (waiter && m_epoch.load(std::memory_order_relaxed) != e && work_visible()) wake_one();
  }

  ELECTRON_ALWAYS_INLINE void wake_one() noexcept {
    if (ELECTRON_LIKELY(m_sleepers.load(std::memory_order_seq_cst) == 0)) return;
    wake_one_slow();
  }
  ELECTRON_NOINLINE void wake_one_slow() noexcept {
    {
      std::lock_guard<std::mutex> lock(m_park_mutex);
      m_epoch.fetch_add(1, std::memory_order_seq_cst);
    }
    m_park_cv.notify_one();
  }
  ELECTRON_NOINLINE void wake_all() noexcept {
    {
      std::lock_guard<std::mutex> lock(m_park_mutex);
      m_epoch.fetch_add(1, std::memory_order_seq_cst);
    }
    m_park_cv.notify_all();
    m_blocked_cv.notify_all();
  }
  // After the last task of a group finished: wake the parked waiters (one of
  // them waits for this group). Touches only the scheduler: the group may be
  // gone already.
  void group_done() noexcept {
    if (m_waiters.load(std::memory_order_seq_cst) != 0) wake_all();
  }

  // A waiter that may not run tasks (a thread that is not a worker, nested
  // max_external_depth waits deep) sleeps until some group completes, and
  // nothing else: park() would return at once whenever work is visible (it
  // must, for a thread that can run it), so such a waiter would spin while
  // its group's tasks are queued behind busy workers. It waits on a
  // condition variable of its own, so wake_one() (notify_one) never picks it
  // instead of a thread that can run the new task. No lost wakeup: the pair
  // (m_waiters, pending) with group_done()'s wake_all(), as in park().
  void block_until(const detail::group_state& g) noexcept {
    m_waiters.fetch_add(1, std::memory_order_seq_cst);
    const std::uint64_t e = m_epoch.load(std::memory_order_seq_cst);
    if (g.pending.load(std::memory_order_seq_cst) != 0) {
      std::unique_lock<std::mutex> lock(m_park_mutex);
      while (m_epoch.load(std::memory_order_relaxed) == e) m_blocked_cv.wait(lock);
    }
    m_waiters.fetch_sub(1, std::memory_order_seq_cst);
  }

  // Spin rounds (each a full search for work) before yielding, then sleeping.
  static constexpr int spin_rounds = 64;
  static constexpr int yield_rounds = 8;

  void worker_main(detail::worker& w) noexcept {
    detail::t_worker = &w;
    int idle = 0;
    for (;;) {
      if (detail::task_node* n = find_task(&w)) {
        execute(n);
        idle = 0;
        continue;
      }
      // Leave only when no task is queued or running anywhere: finding
      // nothing is not enough, since a task running on another worker may
      // still spawn more (which this worker should help with), or spawn a
      // child and block until it runs (which would then never run).
      if (drained()) break;
      if (++idle <= spin_rounds) {
        for (int i = 0; i < 16; ++i) detail::cpu_relax();
      } else if (idle <= spin_rounds + yield_rounds) {
        std::this_thread::yield();
      } else {
        park([this] { return drained(); }, false);
        idle = 0;
      }
    }
    while (w.free_nodes != nullptr) delete std::exchange(w.free_nodes, w.free_nodes->next);
    w.free_count = 0;
    detail::t_worker = nullptr;
  }

  /// Runs tasks on the calling thread until g has none pending.
  void help_until(detail::group_state& g) noexcept {
    ELECTRON_ASSERT(detail::t_running_group != &g, "sched::task_group::wait() from one of the group's own tasks (it would wait for itself)");
    detail::worker* self = detail::t_worker;
    const bool can_help = self != nullptr || detail::t_external_depth < detail::max_external_depth;
    int idle = 0;
    while (g.pending.load(std::memory_order_acquire) != 0) {
      // A worker: own deque first (the group's newest tasks are at its
      // bottom), then this scheduler's injection queue and workers.
      // Another thread has no deque: what it spawns goes to the injection
      // queue, oldest first, so each nested wait on it would start a large
      // unrelated task on the same stack. It helps only a few levels deep,
      // then just waits (the workers drain the injection queue).
      detail::task_node* n = nullptr;
      if (self != nullptr) {
        if (auto p = self->deque.pop()) n = *p;
        if (n == nullptr) n = find_foreign(self);
      } else if (can_help) {
        n = find_foreign(nullptr);
      }
      if (n != nullptr) {
        if (self == nullptr) {
          ++detail::t_external_depth;
          execute(n);
          --detail::t_external_depth;
        } else {
          execute(n);
        }
        idle = 0;
        continue;
      }
      if (++idle <= spin_rounds) {
        for (int i = 0; i < 16; ++i) detail::cpu_relax();
      } else if (idle <= spin_rounds + yield_rounds) {
        std::this_thread::yield();
      } else {
        if (can_help) {
          park([&g] { return g.pending.load(std::memory_order_seq_cst) == 0; }, true);
        } else {
          block_until(g);
        }
        idle = 0;
      }
    }
  }

  void shutdown() noexcept {
    ELECTRON_ASSERT(!on_worker_thread(), "sched::scheduler destroyed from one of its own workers");
    m_stopping.store(true, std::memory_order_seq_cst);
    wake_all();
    for (auto& w : m_workers) {
      if (w->thread.joinable()) w->thread.join();
    }
    // Only a submit racing with destruction (a precondition violation) can
    // leave injected tasks; run them rather than leak them.
    while (detail::task_node* n = take_injected()) execute(n);
  }

  std::vector<std::unique_ptr<detail::worker>> m_workers;

  alignas(cache::false_sharing_range) std::atomic<std::uint32_t> m_sleepers{0};
  std::atomic<std::uint32_t> m_waiters{0};
  std::atomic<bool> m_stopping{false};
  // Tasks spawned from threads that are not workers (under m_inject_mutex),
  // and tasks run by such threads (task_group::wait helping): see drained().
  alignas(cache::false_sharing_range) std::atomic<std::uint64_t> m_injected{0};
  std::atomic<std::uint64_t> m_external_completed{0};
  alignas(cache::false_sharing_range) std::atomic<std::size_t> m_inject_count{0};
  std::mutex m_inject_mutex;
  detail::task_node* m_inject_head = nullptr;
  detail::task_node* m_inject_tail = nullptr;
  alignas(cache::false_sharing_range) std::atomic<std::uint64_t> m_epoch{0};
  std::mutex m_park_mutex;
  std::condition_variable m_park_cv;
  std::condition_variable m_blocked_cv;  // waiters that may not run tasks: see block_until()
};

inline void detail::group_state::finish_one() noexcept {
  scheduler* s = sched;  // read first: once pending is 0 the group may be destroyed
  if (pending.fetch_sub(1, std::memory_order_seq_cst) == 1) s->group_done();
}

// ===========================================================================
// task_group
// ===========================================================================

/// A set of tasks on one scheduler that can be waited for together.
///
/// run(f) spawns f; wait() returns when every task run so far has finished,
/// and rethrows the first exception any of them threw (the others still
/// ran). While waiting, the calling thread runs tasks itself (its own
/// deque's first, then the injection queue's and other workers'), so
/// wait() inside a task, and nested groups, do not deadlock; this also means
/// wait() may run unrelated tasks of the scheduler on the calling thread.
/// A thread that is not a worker helps only 4 waits deep, then just waits
/// (sleeping, without using a core, until the group completes).
///
/// Thread safety: run() from any thread, including the group's own tasks;
/// wait() from one thread at a time, and never from one of the group's own
/// tasks: that task counts as pending until it returns, so the wait would
/// never return (debug builds assert). The destructor waits for pending tasks
/// (an exception they threw is then dropped: call wait() to see it). The
/// scheduler must outlive the group.
///
///   long fib(scheduler& s, int n) {
///     if (n < 20) return fib_serial(n);
///     long a = 0;
///     task_group g(s);
///     g.run([&] { a = fib(s, n - 1); });
///     long b = fib(s, n - 2);
///     g.wait();
///     return a + b;
///   }
class task_group {
 public:
  /// An empty group on scheduler s.
  explicit task_group(scheduler& s) noexcept : m_state(s) {}
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;
  /// Waits for pending tasks; their exception, if any, is dropped.
  ~task_group() {
    if (m_state.pending.load(std::memory_order_acquire) != 0) m_state.sched->help_until(m_state);
  }

  /// Spawns f (a decay-copy of it). On a worker, a callable of at most 40
  /// bytes takes a node from the worker's free list, which holds the nodes
  /// of the tasks that worker ran (up to 1 024): no allocation while the list
  /// is not empty. It allocates a node for a larger callable (and the
  /// callable too), on a thread that is not a worker, on a cold worker, and
  /// when the list ran dry because other workers ran (stole) this worker's
  /// tasks and kept their nodes. std::bad_alloc leaves the group unchanged.
  template <task_fn F>
  ELECTRON_ALWAYS_INLINE void run(F&& f) {
    detail::task_node* n = detail::make_node(std::forward<F>(f), &m_state);
    // Relaxed: the node's publication (a seq_cst store or a mutex) orders
    // this increment before the task's decrement.
    m_state.pending.fetch_add(1, std::memory_order_relaxed);
    m_state.sched->spawn(n);
  }

  /// Returns when every task run so far has finished; rethrows the first
  /// exception one of them threw (and clears it, so the group can be reused).
  /// Must not be called from a task of this group (it would never return).
  void wait() {
    if (m_state.pending.load(std::memory_order_acquire) != 0) m_state.sched->help_until(m_state);
    if (ELECTRON_UNLIKELY(m_state.failed.load(std::memory_order_acquire))) rethrow();
  }

  /// The scheduler the group runs on.
  [[nodiscard]] scheduler& get_scheduler() const noexcept { return *m_state.sched; }

  /// True once a task of the group threw (until wait() rethrows it). Lets
  /// long tasks stop early.
  [[nodiscard]] bool failed() const noexcept { return m_state.failed.load(std::memory_order_relaxed); }

 private:
  template <class I, class Body>
  friend void detail::parallel_ranges(scheduler&, I, I, std::size_t, Body&);

  [[noreturn]] ELECTRON_NOINLINE void rethrow() {
    std::exception_ptr e = std::exchange(m_state.error, nullptr);
    m_state.failed.store(false, std::memory_order_relaxed);
#if ELECTRON_HAS_EXCEPTIONS
    std::rethrow_exception(e);
#else
    std::abort();
#endif
  }

  detail::group_state m_state;
};

// ===========================================================================
// parallel_for
// ===========================================================================

namespace detail {

template <class I, class Body>
struct range_splitter {
  using U = std::make_unsigned_t<I>;
  task_group* group;
  Body* body;
  U grain;

  // Spawns the upper half and keeps the lower one until the range is at most
  // a grain: the owner works from the bottom of its deque (small ranges,
  // cache-warm) while thieves take the largest pending halves from the top.
  void operator()(I b, I e) const {
    while (static_cast<U>(static_cast<U>(e) - static_cast<U>(b)) > grain) {
      if (group->failed()) return;  // the rest is skipped: spawn nothing more
      const U half = static_cast<U>(static_cast<U>(static_cast<U>(e) - static_cast<U>(b)) / 2);
      const I mid = static_cast<I>(static_cast<U>(static_cast<U>(b) + half));
      group->run([this, mid, e] { (*this)(mid, e); });
      e = mid;
    }
    if (!group->failed()) (*body)(b, e);
  }
};

template <class I, class Body>
void parallel_ranges(scheduler& s, I begin, I end, std::size_t grain, Body& body) {
  if (!(begin < end)) return;
  using U = std::make_unsigned_t<I>;
  const U g = grain == 0 ? U{1} : (grain > static_cast<std::size_t>(static_cast<U>(-1)) ? static_cast<U>(-1) : static_cast<U>(grain));
  if (static_cast<U>(static_cast<U>(end) - static_cast<U>(begin)) <= g) {
    body(begin, end);
    return;
  }
  task_group group(s);
  const range_splitter<I, Body> split{&group, &body, g};
  // The calling thread's own piece may throw while spawned pieces still use
  // `split` (and `group`, `body`): catch it, so that both outlive every piece,
  // and record it in the group, so that pieces not yet started are skipped;
  // wait() then rethrows the first exception (this one or a piece's).
#if ELECTRON_HAS_EXCEPTIONS
  try {
    split(begin, end);
  } catch (...) {
    group.m_state.capture(std::current_exception());
  }
#else
  split(begin, end);
#endif
  group.wait();
}

}  // namespace detail

/// Calls fn(i) once for every i in [begin, end), in parallel on s and the
/// calling thread. The range is split in halves recursively until a piece
/// has at most `grain` indices (0 counts as 1); pieces are tasks, and idle
/// workers steal the largest ones. Returns when every index is done. If fn
/// throws (on any thread, the calling one included), pieces not yet started
/// are skipped, pieces already running finish, and the first exception is
/// rethrown once no piece runs any more. A range of at most `grain` indices
/// runs inline, with no task.
///
///   parallel_for(s, std::size_t{0}, v.size(), 4096, [&](std::size_t i) { v[i] = f(i); });
template <std::integral I, index_body<I> F>
void parallel_for(scheduler& s, I begin, I end, std::size_t grain, F&& fn) {
  auto body = [&fn](I b, I e) {
    for (I i = b; i < e; ++i) fn(i);
  };
  detail::parallel_ranges(s, begin, end, grain, body);
}

/// Calls fn(sub_begin, sub_end) on disjoint sub-ranges that cover [begin,
/// end), each of at most `grain` indices, split and scheduled as the
/// per-index overload does. Lets a body keep per-piece state (a partial sum).
template <std::integral I, range_body<I> F>
void parallel_for(scheduler& s, I begin, I end, std::size_t grain, F&& fn) {
  detail::parallel_ranges(s, begin, end, grain, fn);
}

// ===========================================================================
// batch_processor
// ===========================================================================

/// Settings of a batch_processor.
struct batch_options {
  /// Items per batch: a batch is processed as soon as this many are queued.
  /// Must be at least 1 (ELECTRON_ASSERT; 0 counts as 1 when assertions are
  /// off).
  std::size_t batch_size = 64;
  /// A partial batch is processed once its first item is this old (its age
  /// counts from when add() accepted it, not from when add() was called).
  /// duration::max() means no timeout: only full batches, flush() and close()
  /// process items. Zero or negative: every item at once.
  std::chrono::steady_clock::duration timeout = std::chrono::milliseconds(10);
  /// Items that may wait in the queue (not counting the batch being
  /// processed); add() blocks and try_add() fails while it is full. A full
  /// queue is processed at once, also when capacity < batch_size (batches of
  /// `capacity` items then). Must be at least 1 (as batch_size).
  ///
  /// Neither size has a maximum: SIZE_MAX means no limit (batches by time
  /// only, or a queue bounded only by memory). Only the memory for a batch
  /// of min(batch_size, capacity) items, and at most 1 MiB of them, is
  /// allocated up front; larger batches grow it as they come.
  std::size_t capacity = 4096;
};

/// Why a batch failed: the error_code process returned, or the exception it
/// threw (exactly one of the two is set).
struct batch_error {
  /// The error process returned (empty when it threw).
  std::error_code code;
  /// What process threw (null when it returned an error).
  std::exception_ptr exception;
};

/// A batch function (copyable): called with a batch, returns a std::error_code (empty
/// means success) or nothing; it may also throw to report failure.
template <class F, class T>
concept batch_function = std::copy_constructible<F> && std::invocable<F&, std::span<T>> &&
                         (std::is_void_v<std::invoke_result_t<F&, std::span<T>>> ||
                          std::convertible_to<std::invoke_result_t<F&, std::span<T>>, std::error_code>);

/// An error handler (copyable): called with the failed batch and the error.
template <class F, class T>
concept batch_error_handler = std::copy_constructible<F> && std::invocable<F&, std::span<T>, const batch_error&>;

/// Collects items and hands them to a function in batches, on a thread of
/// its own (so a slow batch never occupies a scheduler's worker).
///
/// A batch is processed when `batch_size` items are queued, when the oldest
/// queued item has waited `timeout`, on flush(), and on close(). Batches hold
/// consecutive items in the order they were accepted; each accepted item is
/// processed exactly once, including at shutdown. When process returns an
/// error or throws, the error handler is called (on the same thread) with the
/// same batch, as process left it; the items count as processed either way.
/// The handler must not throw (std::terminate).
///
/// Thread safety: add, try_add, flush, close and pending from any thread,
/// except that process and the handler must not call flush() or close()
/// (they would wait for themselves), nor add() on a full queue (it would
/// wait for room that only their own thread makes: debug builds assert);
/// they may call try_add().
///
///   electron::sched::batch_processor<row> writer(
///       {.batch_size = 256, .timeout = std::chrono::milliseconds(5)},
///       [&](std::span<row> rows) { return db.insert(rows); },   // std::error_code
///       [](std::span<row> rows, const batch_error& e) { log_failure(rows.size(), e); });
///   writer.add(r);   // blocks while 4096 rows are queued
template <std::movable T>
class batch_processor {
 public:
  /// Starts the processing thread. Preconditions: batch_size >= 1 and
  /// capacity >= 1 (ELECTRON_ASSERT; with assertions off, 0 counts as 1).
  /// Throws std::system_error when the thread cannot start.
  template <batch_function<T> Process, batch_error_handler<T> OnError>
  batch_processor(const batch_options& options, Process process, OnError on_error)
      : m_options(options), m_on_error(std::move(on_error)) {
    ELECTRON_ASSERT(options.batch_size >= 1 && options.capacity >= 1, "batch_processor: empty batches or queue");
    // Batches of 0 would never make progress (the loop would spin, flush()
    // and close() would never return): 1 is the nearest meaningful value.
    m_options.batch_size = std::max<std::size_t>(options.batch_size, 1);
    m_options.capacity = std::max<std::size_t>(options.capacity, 1);
    if constexpr (std::is_void_v<std::invoke_result_t<Process&, std::span<T>>>) {
      m_process = [p = std::move(process)](std::span<T> items) mutable -> std::error_code {
        p(items);
        return {};
      };
    } else {
      m_process = [p = std::move(process)](std::span<T> items) mutable -> std::error_code { return p(items); };
    }
    // The largest batch, but not more than max_reserved_bytes up front:
    // either size may be huge (SIZE_MAX: no limit), and a reservation of that
    // many items would throw or ask the system for terabytes.
    m_batch.reserve(
        std::min({m_options.batch_size, m_options.capacity, std::max<std::size_t>(1, max_reserved_bytes / sizeof(T))}));
    m_thread = std::thread([this] { loop(); });
  }
  batch_processor(const batch_processor&) = delete;
  batch_processor& operator=(const batch_processor&) = delete;

  /// close(): processes every accepted item, then stops the thread.
  ~batch_processor() { close(); }

  /// Queues a T made from item, waiting while the queue is full. Returns
  /// false (and constructs nothing) once the processor is closed, also when
  /// close() happens during the wait. Must not be called from process or the
  /// error handler when the queue may be full (see the class comment).
  template <class U>
    requires std::constructible_from<T, U&&>
  bool add(U&& item) {
    auto now = clock::now();
    std::unique_lock<std::mutex> lock(m_mutex);
    const auto has_room = [this] { return m_closed || m_queue.size() < m_options.capacity; };
    if (!has_room()) {
      ELECTRON_ASSERT(std::this_thread::get_id() != m_thread_id, "batch_processor: add() on a full queue from its own batch");
      m_not_full.wait(lock, has_room);
      // The item's age starts when it is accepted: time spent waiting for
      // room must not shorten its wait for a batch.
      now = clock::now();
    }
    if (m_closed) return false;
    enqueue(std::forward<U>(item), now);
    return true;
  }

  /// Queues a T made from item if there is room; false (and nothing
  /// constructed) when the queue is full or the processor is closed. Never
  /// waits for room.
  template <class U>
    requires std::constructible_from<T, U&&>
  bool try_add(U&& item) {
    const auto now = clock::now();
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_closed || m_queue.size() >= m_options.capacity) return false;
    enqueue(std::forward<U>(item), now);
    return true;
  }

  /// Returns once every item accepted before the call has been processed
  /// (partial batches are processed now rather than at their timeout).
  void flush() {
    std::unique_lock<std::mutex> lock(m_mutex);
    const std::uint64_t target = m_accepted;
    if (target > m_flush_target) {
      m_flush_target = target;
      m_work.notify_one();
    }
    m_done.wait(lock, [&] { return m_processed >= target; });
  }

  /// Stops accepting items (add and try_add return false, blocked add calls
  /// return false), processes every item accepted so far, and stops the
  /// thread. Returns when all that is done; idempotent.
  void close() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_closed = true;
    }
    m_work.notify_one();
    m_not_full.notify_all();
    std::call_once(m_join_once, [this] {
      ELECTRON_ASSERT(std::this_thread::get_id() != m_thread.get_id(), "batch_processor closed from its own batch");
      if (m_thread.joinable()) m_thread.join();
    });
  }

  /// Items accepted and not yet processed (a snapshot).
  [[nodiscard]] std::size_t pending() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<std::size_t>(m_accepted - m_processed);
  }

 private:
  using clock = std::chrono::steady_clock;
  static constexpr std::size_t max_reserved_bytes = std::size_t{1} << 20;
  struct entry {
    T value;
    clock::time_point arrived;
  };

  template <class U>
  void enqueue(U&& item, clock::time_point now) {
    m_queue.push_back(entry{T(std::forward<U>(item)), now});
    ++m_accepted;
    // The thread waits without a deadline when the queue is empty (or the
    // timeout is max()) and with one otherwise: it needs a call for the
    // first item, for a full batch and for a full queue.
    const std::size_t size = m_queue.size();
    if (size == 1 || size == m_options.batch_size || size == m_options.capacity) m_work.notify_one();
  }

  /// arrived + timeout, saturated: time_point::max() (no deadline) rather
  /// than a signed overflow for a timeout of duration::max().
  static clock::time_point deadline_of(clock::time_point arrived, clock::duration timeout) noexcept {
    if (timeout <= clock::duration::zero()) return arrived;
    if (arrived.time_since_epoch() >= clock::duration::zero() &&
        timeout >= clock::duration::max() - arrived.time_since_epoch()) {
      return clock::time_point::max();
    }
    return arrived + timeout;
  }

  void loop() noexcept {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_thread_id = std::this_thread::get_id();
    for (;;) {
      for (;;) {
        if (m_queue.empty()) {
          if (m_closed) return;
          m_work.wait(lock);
          continue;
        }
        // A full queue is processed at once: with capacity < batch_size a
        // full batch never forms, and producers blocked in add() would wait
        // a whole timeout per batch.
        if (m_queue.size() >= m_options.batch_size || m_queue.size() >= m_options.capacity || m_closed ||
            m_flush_target > m_taken) {
          break;
        }
        const clock::time_point deadline = deadline_of(m_queue.front().arrived, m_options.timeout);
        if (deadline == clock::time_point::max()) {
          m_work.wait(lock);
          continue;
        }
        if (clock::now() >= deadline) break;
        m_work.wait_until(lock, deadline);
      }
      const std::size_t n = std::min(m_queue.size(), m_options.batch_size);
      for (std::size_t i = 0; i < n; ++i) {
        m_batch.push_back(std::move(m_queue.front().value));
        m_queue.pop_front();
      }
      m_taken += n;
      lock.unlock();
      m_not_full.notify_all();
      run_batch();
      m_batch.clear();
      lock.lock();
      m_processed += n;
      m_done.notify_all();
    }
  }

  void run_batch() noexcept {
    const std::span<T> items(m_batch);
    batch_error err;
#if ELECTRON_HAS_EXCEPTIONS
    try {
      err.code = m_process(items);
    } catch (...) {
      err.exception = std::current_exception();
    }
#else
    err.code = m_process(items);
#endif
    if (err.code || err.exception) m_on_error(items, err);  // throwing here terminates (noexcept)
  }

  batch_options m_options;
  std::function<std::error_code(std::span<T>)> m_process;
  std::function<void(std::span<T>, const batch_error&)> m_on_error;
  mutable std::mutex m_mutex;
  std::condition_variable m_work;      // the thread: items, flush, close
  std::condition_variable m_not_full;  // producers: room in the queue
  std::condition_variable m_done;      // flush(): batches processed
  std::deque<entry> m_queue;
  std::vector<T> m_batch;  // the thread's
  std::uint64_t m_accepted = 0;
  std::uint64_t m_taken = 0;
  std::uint64_t m_processed = 0;
  std::uint64_t m_flush_target = 0;
  bool m_closed = false;
  std::thread::id m_thread_id;  // the thread's, set by it under m_mutex (for add()'s check)
  std::once_flag m_join_once;
  std::thread m_thread;  // last: starts after every other member exists
};

}  // namespace sched
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SCHED_HPP
