// SPDX-License-Identifier: MIT
// electron/sched/detail/scheduler_core.hpp: the machinery under
// electron::sched::scheduler: slots, spawning, the injection queue,
// stealing, parking, the caller slot and shutdown.
#ifndef ELECTRON_SCHED_DETAIL_SCHEDULER_CORE_HPP
#define ELECTRON_SCHED_DETAIL_SCHEDULER_CORE_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/backoff.hpp"
#include "electron/detail/waiter.hpp"
#include "electron/sched/detail/task.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace sched {
namespace detail {

/// The scheduler proper (electron::sched::scheduler is its public face).
///
/// concurrency() slots: slot 0 for a thread outside the workers that runs
/// the scheduler's work while it waits (task_group::wait, parallel_for, the
/// destructor), slots 1.. for the worker threads. A thread outside takes
/// slot 0 for the length of the call (enter()); a second thread outside
/// waits, asleep, until the first leaves or its own group completes. So at
/// most concurrency() threads run tasks at any time.
class scheduler_core {
 public:
  static constexpr std::size_t max_threads = 65536;

  scheduler_core(std::size_t concurrency, std::pmr::memory_resource* resource) : m_resource(resource) {
    if (concurrency > max_threads) {
      electron::detail::throw_error<std::length_error>("electron::sched::scheduler: more threads than max_threads");
    }
    ELECTRON_ASSERT(resource != nullptr, "sched::scheduler: null memory resource");
    const std::size_t n = concurrency == 0 ? 1 : concurrency;
    m_workers = static_cast<worker*>(m_resource->allocate(n * sizeof(worker), alignof(worker)));
    m_allocated = n;
#if ELECTRON_HAS_EXCEPTIONS
    try {
#endif
      for (; m_count < n; ++m_count) ::new (static_cast<void*>(m_workers + m_count)) worker(this, m_count, m_resource);
      for (std::size_t i = 1; i < n; ++i) {
        m_workers[i].thread = std::thread([this, p = m_workers + i] { worker_main(*p); });
      }
#if ELECTRON_HAS_EXCEPTIONS
    } catch (...) {
      shutdown();
      throw;
    }
#endif
  }
  scheduler_core(const scheduler_core&) = delete;
  scheduler_core& operator=(const scheduler_core&) = delete;
  ~scheduler_core() { shutdown(); }

  [[nodiscard]] std::size_t concurrency() const noexcept { return m_count; }
  [[nodiscard]] std::pmr::memory_resource* resource() const noexcept { return m_resource; }

  /// The calling thread's slot index, or npos when it runs none of this
  /// scheduler's work now.
  [[nodiscard]] std::size_t this_worker_index() const noexcept {
    const worker* w = t_worker;
    return w != nullptr && w->owner == this ? w->index : npos;
  }

  // -------------------------------------------------------------------------
  // Entering: a thread outside takes the caller slot for a scope.
  // -------------------------------------------------------------------------

  /// While alive, the calling thread owns a slot of `core` (if active()):
  /// the one it already has, one it owns further down its stack, or slot 0.
  /// A thread that runs no scheduler's work waits for slot 0 (asleep) until
  /// it is free or done() holds. A thread that runs another scheduler's work
  /// (nested use of two schedulers) only tries once: waiting could deadlock
  /// (slot 0's owner may wait for the very task this thread is in), so it
  /// goes on without a slot instead (inactive), unless `always_wait`.
  class scoped_entry {
   public:
    template <class Done>
    scoped_entry(scheduler_core& core, Done&& done, bool always_wait = false) noexcept : m_core(&core) {
      worker* w = t_worker;
      if (w != nullptr && w->owner == &core) {
        m_active = true;
        return;
      }
      worker* reuse = nullptr;
      for (entry_link* l = t_entries; l != nullptr; l = l->outer) {
        if (l->saved != nullptr && l->saved->owner == &core) {
          reuse = l->saved;
          break;
        }
      }
      if (reuse == nullptr) {
        if (!core.acquire_caller_slot(done, always_wait || w == nullptr)) return;
        reuse = core.m_workers;
        m_claimed = true;
      }
      m_link = entry_link{w, t_entries};
      // The link lives exactly as long as this object, whose destructor
      // unlinks it: g++ 12's -Wdangling-pointer cannot see that.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
      t_entries = &m_link;
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif
      t_worker = reuse;
      m_active = m_switched = true;
    }
    scoped_entry(const scoped_entry&) = delete;
    scoped_entry& operator=(const scoped_entry&) = delete;
    ~scoped_entry() {
      if (!m_switched) return;
      t_worker = m_link.saved;
      t_entries = m_link.outer;
      if (m_claimed) m_core->release_caller_slot();
    }
    /// False when done() held before a slot was free, or when slot 0 was
    /// taken and the thread may not wait for it.
    [[nodiscard]] bool active() const noexcept { return m_active; }

   private:
    scheduler_core* m_core;
    entry_link m_link{nullptr, nullptr};
    bool m_active = false;
    bool m_switched = false;
    bool m_claimed = false;
  };

  // -------------------------------------------------------------------------
  // Spawning
  // -------------------------------------------------------------------------

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
        scheduler_core* core;
        task_node* n;
        ~node_guard() {
          if (n != nullptr) core->release_node(n);
        }
      } guard{this, n};
      if constexpr (fits_inline<Fn>) {
        ::new (static_cast<void*>(n->storage)) Fn(std::forward<F>(f));
        n->run = &run_inline<Fn>;
      } else {
        void* block = m_resource->allocate(sizeof(Fn), alignof(Fn));
        struct block_guard {
          std::pmr::memory_resource* mr;
          void* p;
          ~block_guard() {
            if (p != nullptr) mr->deallocate(p, sizeof(Fn), alignof(Fn));
          }
        } bguard{m_resource, block};
        Fn* heap = ::new (block) Fn(std::forward<F>(f));
        bguard.p = nullptr;
        std::memcpy(n->storage, &heap, sizeof heap);
        n->run = &run_heap<Fn>;
      }
      guard.n = nullptr;
    }
    n->group = g;
    return n;
  }

  ELECTRON_ALWAYS_INLINE void spawn(task_node* n) {
    worker* w = t_worker;
    if (ELECTRON_LIKELY(w != nullptr && w->owner == this)) {
      // Counted before it is published (see drained()); only the slot's
      // owner writes its count.
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

  /// Runs tasks on the calling thread until g has none pending. A thread
  /// outside the scheduler takes the caller slot first (or sleeps until it
  /// is free or g completes).
  void wait_for(group_state& g) noexcept {
    ELECTRON_ASSERT(t_running_group != &g,
                    "sched::task_group::wait() from one of the group's own tasks (it would wait for itself)");
    const auto done = [&g] { return g.pending.load(std::memory_order_seq_cst) == 0; };
    scoped_entry entry(*this, done);
    if (entry.active()) {
      help_until(g);
    } else {
      while (!done()) block_until(done);  // without a slot: the pool runs the group's tasks
    }
  }

  // After the last task of a group finished: wake the parked waiters (one of
  // them waits for this group). Touches only the scheduler: the group may be
  // gone already.
  void group_done() noexcept {
    if (m_waiters.load(std::memory_order_seq_cst) != 0) wake_all();
  }

 private:
  // -------------------------------------------------------------------------
  // Nodes
  // -------------------------------------------------------------------------

  ELECTRON_ALWAYS_INLINE task_node* allocate_node() {
    if (worker* w = t_worker; w != nullptr && w->owner == this && w->free_nodes != nullptr) {
      task_node* n = w->free_nodes;
      w->free_nodes = n->next;
      --w->free_count;
      return n;
    }
    return static_cast<task_node*>(m_resource->allocate(sizeof(task_node), alignof(task_node)));
  }

  ELECTRON_ALWAYS_INLINE void release_node(task_node* n) noexcept {
    // A node goes back to a slot of the scheduler whose resource it came from.
    if (worker* w = t_worker; w != nullptr && w->owner == this && w->free_count < max_free_nodes) {
      n->next = w->free_nodes;
      w->free_nodes = n;
      ++w->free_count;
      return;
    }
    m_resource->deallocate(n, sizeof(task_node), alignof(task_node));
  }

  void free_nodes_of(worker& w) noexcept {
    while (w.free_nodes != nullptr) {
      m_resource->deallocate(std::exchange(w.free_nodes, w.free_nodes->next), sizeof(task_node), alignof(task_node));
    }
    w.free_count = 0;
  }

  // -------------------------------------------------------------------------
  // Queues
  // -------------------------------------------------------------------------

  void inject(task_node* n) noexcept {
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

  task_node* take_injected() noexcept {
    if (m_inject_count.load(std::memory_order_seq_cst) == 0) return nullptr;
    std::lock_guard<std::mutex> lock(m_inject_mutex);
    task_node* n = m_inject_head;
    if (n == nullptr) return nullptr;
    m_inject_head = n->next;
    if (m_inject_head == nullptr) m_inject_tail = nullptr;
    m_inject_count.fetch_sub(1, std::memory_order_relaxed);
    return n;
  }

  /// A task from the injection queue or another slot's deque, or nullptr.
  task_node* find_foreign(worker& self) noexcept {
    if (task_node* n = take_injected()) return n;
    const std::size_t count = m_count;
    // xorshift64: a random first victim spreads thieves over the deques.
    std::uint64_t x = self.rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    self.rng = x;
    const std::size_t start = static_cast<std::size_t>(x % count);
    for (std::size_t k = 0; k < count; ++k) {
      worker& v = m_workers[(start + k) % count];
      if (&v == &self) continue;
      task_node* n = nullptr;
      for (int attempt = 0; attempt < 4; ++attempt) {
        const steal_result r = v.deque.steal(n);
        if (r == steal_result::success) return n;
        if (r == steal_result::empty) break;
      }
    }
    return nullptr;
  }

  /// Own deque first (newest first), then foreign work.
  ELECTRON_ALWAYS_INLINE task_node* find_task(worker& self) noexcept {
    if (auto n = self.deque.pop()) return *n;
    return find_foreign(self);
  }

  /// True when some task of this scheduler is visible (seq_cst loads: see park()).
  bool work_visible() const noexcept {
    if (m_inject_count.load(std::memory_order_seq_cst) != 0) return true;
    for (std::size_t i = 0; i < m_count; ++i) {
      if (m_workers[i].deque.size_estimate() != 0) return true;
    }
    return false;
  }

  ELECTRON_ALWAYS_INLINE void execute(task_node* n) noexcept {
    group_state* g = n->group;
#if ELECTRON_ASSERTS_ENABLED
    const group_state* outer = std::exchange(t_running_group, g);
#endif
    n->run(n, m_resource);
#if ELECTRON_ASSERTS_ENABLED
    t_running_group = outer;
#endif
    release_node(n);
    if (g != nullptr) g->finish_one();
    // Tasks run only on a slot of this scheduler (execute() is reached from
    // worker_main, help_until and shutdown, all with a slot).
    bump(t_worker->counts.completed);
    if (ELECTRON_UNLIKELY(m_stopping.load(std::memory_order_relaxed)) && drained()) wake_all();
  }

  // A counter written by one thread at a time: a load and a store, no
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
    std::uint64_t completed = 0;
    for (std::size_t i = 0; i < m_count; ++i)
      completed += m_workers[i].counts.completed.load(std::memory_order_acquire);
    std::uint64_t spawned = m_injected.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < m_count; ++i) spawned += m_workers[i].counts.spawned.load(std::memory_order_acquire);
    return completed == spawned;
  }

  // -------------------------------------------------------------------------
  // Parking, and why no wakeup is lost.
  //
  // Threads sleep through electron/detail/waiter.hpp on a 32-bit epoch word,
  // and spin first through electron/detail/backoff.hpp.
  //
  // A thread about to sleep (an idle worker, or a task_group waiter) does:
  //   P1 m_sleepers += 1 (seq_cst)   P2 e = m_epoch (seq_cst)
  //   P3 look for work and for its own exit condition (seq_cst loads)
  //   P4 waiter::wait(m_epoch, e): sleeps while m_epoch == e.
  // A thread publishing work does:
  //   Q1 publish (deque bottom store, or injection count RMW, seq_cst)
  //   Q2 if m_sleepers (seq_cst load) != 0: m_epoch += 1 (seq_cst), then
  //      waiter::wake_one/wake_all(m_epoch).
  // All of P1-P3 and Q1-Q2 are seq_cst, so they are in one total order S.
  // If Q2's load precedes P1 in S, then Q1 precedes P3 and P3 sees the work.
  // Otherwise Q2 sees the sleeper and bumps the epoch: if that is before P2
  // in S, Q1 precedes P3 again; if after, then P4 either sees m_epoch != e
  // and returns, or is asleep when the wake (issued after the bump) comes:
  // the waiter compares the word and sleeps atomically with respect to
  // wakes, as a futex does. (The epoch wraps after 2^32 bumps; a sleeper
  // would miss a wakeup only if exactly that many came between P2 and P4.)
  // Group completion works the same way with the pair (pending, m_waiters),
  // the caller slot with (m_caller_busy, m_waiters), and the exit flag with
  // (m_stopping, the unconditional wake_all()).
  // -------------------------------------------------------------------------
  template <class Done>
  void park(Done&& done, bool waiter) noexcept {
    m_sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (waiter) m_waiters.fetch_add(1, std::memory_order_seq_cst);
    const std::uint32_t e = m_epoch.load(std::memory_order_seq_cst);
    if (!done() && !work_visible()) {
      if (m_stopping.load(std::memory_order_relaxed)) {
        // At shutdown, re-check drained() now and then: the last task's
        // completion count may become visible after our check (drained()).
        static_cast<void>(electron::detail::waiter::wait_for(m_epoch, e, std::chrono::milliseconds(1)));
      } else {
        electron::detail::waiter::wait(m_epoch, e);
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
    m_epoch.fetch_add(1, std::memory_order_seq_cst);
    electron::detail::waiter::wake_one(m_epoch);
  }
  ELECTRON_NOINLINE void wake_all() noexcept {
    m_epoch.fetch_add(1, std::memory_order_seq_cst);
    electron::detail::waiter::wake_all(m_epoch);
    m_blocked_epoch.fetch_add(1, std::memory_order_seq_cst);
    electron::detail::waiter::wake_all(m_blocked_epoch);
  }

  // A thread outside waiting for the caller slot may not run tasks: it
  // sleeps until pred() holds, woken by any group completion or the slot's
  // release. It sleeps on a word of its own (m_blocked_epoch), so
  // wake_one() never picks it instead of a thread that can run the new
  // task. No lost wakeup: the pairs (m_waiters, pending) and (m_waiters,
  // m_caller_busy) with wake_all(), as in park().
  template <class Pred>
  void block_until(Pred&& pred) noexcept {
    m_waiters.fetch_add(1, std::memory_order_seq_cst);
    const std::uint32_t e = m_blocked_epoch.load(std::memory_order_seq_cst);
    if (!pred()) electron::detail::waiter::wait(m_blocked_epoch, e);
    m_waiters.fetch_sub(1, std::memory_order_seq_cst);
  }

  /// Takes slot 0 for the calling thread, sleeping while another thread has
  /// it; false (and no slot) once done() holds. Acquire: the slot's deque,
  /// free list and counts were last written by the previous owner.
  template <class Done>
  bool acquire_caller_slot(Done& done, bool may_wait) noexcept {
    for (;;) {
      if (done()) return false;
      if (!m_caller_busy.exchange(true, std::memory_order_seq_cst)) return true;
      if (!may_wait) return false;
      block_until([&] { return done() || !m_caller_busy.load(std::memory_order_seq_cst); });
    }
  }

  void release_caller_slot() noexcept {
    // Tasks the owner left on its deque (submitted, not waited for) stay
    // there: workers steal them, and the next owner or the destructor runs
    // them.
    m_caller_busy.store(false, std::memory_order_seq_cst);
    if (m_waiters.load(std::memory_order_seq_cst) != 0) wake_all();
  }

  /// Runs this scheduler's tasks on slot w until the scheduler is drained
  /// (the workers, and the destructor on slot 0).
  void run_until_drained(worker& w) noexcept {
    // Each backoff step comes after a full search for work.
    electron::detail::backoff idle;
    for (;;) {
      if (task_node* n = find_task(w)) {
        execute(n);
        idle.reset();
        continue;
      }
      // Leave only when no task is queued or running anywhere: finding
      // nothing is not enough, since a task running on another slot may
      // still spawn more (which this one should help with), or spawn a
      // child and block until it runs (which would then never run).
      if (drained()) break;
      if (!idle.pause()) {
        park([this] { return drained(); }, false);
        idle.reset();
      }
    }
  }

  void worker_main(worker& w) noexcept {
    t_worker = &w;
    run_until_drained(w);
    free_nodes_of(w);
    t_worker = nullptr;
  }

  /// Runs tasks on the calling thread (which owns a slot) until g has none
  /// pending: own deque first (the group's newest tasks are at its bottom),
  /// then the injection queue and the other slots.
  void help_until(group_state& g) noexcept {
    worker& self = *t_worker;
    electron::detail::backoff idle;
    while (g.pending.load(std::memory_order_acquire) != 0) {
      if (task_node* n = find_task(self)) {
        execute(n);
        idle.reset();
        continue;
      }
      if (!idle.pause()) {
        park([&g] { return g.pending.load(std::memory_order_seq_cst) == 0; }, true);
        idle.reset();
      }
    }
  }

  /// True when the calling thread owns one of this scheduler's slots now,
  /// or further down its stack (it is running another scheduler's work
  /// from inside this one's).
  [[nodiscard]] bool runs_own_work() const noexcept {
    if (this_worker_index() != npos) return true;
    for (const entry_link* l = t_entries; l != nullptr; l = l->outer) {
      if (l->saved != nullptr && l->saved->owner == this) return true;
    }
    return false;
  }

  /// Destroying a scheduler from its own work would join the calling thread
  /// (a hang, or EDEADLK inside a noexcept function) or wait for the task
  /// it is in: fail with a message in every build mode instead.
  [[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD static void destroyed_from_own_work() noexcept {
    std::fputs(
        "electron: sched::scheduler destroyed from one of its own tasks (or while the calling thread runs its "
        "work): it would wait for itself; aborting\n",
        stderr);
    std::abort();
  }

  void shutdown() noexcept {
    if (ELECTRON_UNLIKELY(runs_own_work())) destroyed_from_own_work();
    m_stopping.store(true, std::memory_order_seq_cst);
    wake_all();
    if (m_count != 0) {
      // The destroying thread is slot 0 until every task ran: with
      // concurrency() == 1 it is the only thread that runs them.
      scoped_entry entry(
          *this, [] { return false; }, true);
      run_until_drained(*t_worker);
      free_nodes_of(*t_worker);
    }
    for (std::size_t i = 1; i < m_count; ++i) {
      if (m_workers[i].thread.joinable()) m_workers[i].thread.join();
    }
    for (std::size_t i = m_count; i-- > 0;) m_workers[i].~worker();
    m_resource->deallocate(m_workers, m_allocated * sizeof(worker), alignof(worker));
  }

  std::pmr::memory_resource* m_resource;
  worker* m_workers = nullptr;  // m_count slots, from m_resource
  std::size_t m_count = 0;      // constructed
  std::size_t m_allocated = 0;  // room for

  alignas(cache::false_sharing_range) std::atomic<std::uint32_t> m_sleepers{0};
  std::atomic<std::uint32_t> m_waiters{0};
  std::atomic<bool> m_stopping{false};
  std::atomic<bool> m_caller_busy{false};  // slot 0 has an owner
  // Tasks spawned from threads that own no slot (under m_inject_mutex): see drained().
  alignas(cache::false_sharing_range) std::atomic<std::uint64_t> m_injected{0};
  alignas(cache::false_sharing_range) std::atomic<std::size_t> m_inject_count{0};
  std::mutex m_inject_mutex;
  task_node* m_inject_head = nullptr;
  task_node* m_inject_tail = nullptr;
  // Parking words (electron/detail/waiter.hpp): idle threads that can run
  // tasks sleep on m_epoch, threads waiting for the caller slot or without
  // one on m_blocked_epoch (see block_until()).
  alignas(cache::false_sharing_range) std::atomic<std::uint32_t> m_epoch{0};
  std::atomic<std::uint32_t> m_blocked_epoch{0};
};

inline void group_state::finish_one() noexcept {
  scheduler_core* s = sched;  // read first: once pending is 0 the group may be destroyed
  if (pending.fetch_sub(1, std::memory_order_seq_cst) == 1) s->group_done();
}

}  // namespace detail
}  // namespace sched
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SCHED_DETAIL_SCHEDULER_CORE_HPP
