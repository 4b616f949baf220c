// SPDX-License-Identifier: MIT
// electron/sched.hpp: a work-stealing task scheduler, task groups,
// parallel_for, parallel_reduce and a batch processor.
//
// - scheduler(n): n threads in total, the calling thread included: n - 1
//   worker threads, and the thread that waits (task_group::wait,
//   parallel_for, parallel_reduce) runs tasks as the n-th. Each thread has a
//   Chase-Lev deque (electron/sched/detail/chase_lev_deque.hpp); idle
//   workers steal, then spin briefly, then sleep.
// - task_group: run(fn) and wait(); the waiting thread runs tasks meanwhile,
//   so nested parallelism does not deadlock; the first exception a task
//   throws is rethrown by wait().
// - parallel_for: fn(i) for every i in [begin, end), split recursively in
//   halves down to a grain so that stealing balances the load.
// - parallel_reduce: transform_reduce over an index range, combined in a
//   fixed tree (the same result on every run for the same grain).
// - batch_processor<T>: collects items and hands them to a function in
//   batches (by size or age), with a bounded backlog and an error callback.
//
//   electron::sched::scheduler s;  // hardware_concurrency() threads, this one included
//   std::vector<double> v(1'000'000, 1.0);
//   electron::sched::parallel_for(s, 0, v.size(), [&](std::size_t i) { v[i] *= 2; });
//   double sum = electron::sched::parallel_reduce(s, 0, v.size(), 0.0,
//       [&](std::size_t i) { return v[i]; }, std::plus<>{});
//   electron::sched::task_group g(s);
//   g.run([] { work_a(); });
//   g.run([] { work_b(); });
//   g.wait();  // rethrows the first exception of work_a/work_b
//
// Tasks are 64-byte nodes with 40 bytes of inline storage for the callable
// (larger or over-aligned callables go to the scheduler's memory resource),
// recycled through per-thread free lists: the thread that runs a task keeps
// its node. So spawning a small task allocates nothing while that thread's
// list has a node, i.e. when it runs about as many tasks as it spawns; a
// thread whose tasks other threads run (steal) allocates a node per stolen
// task.
#ifndef ELECTRON_SCHED_HPP
#define ELECTRON_SCHED_HPP

#include "electron/config.hpp"
#include "electron/sched/detail/parallel.hpp"
#include "electron/sched/detail/scheduler_core.hpp"

#include <algorithm>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory_resource>
#include <mutex>
#include <span>
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
concept task_fn = std::invocable < std::decay_t<F>
& > &&std::constructible_from<std::decay_t<F>, F>;

/// A parallel_for body called once per index: fn(i).
template <class F, class I>
concept index_body = std::integral<I> && std::invocable<F&, I>;

/// A parallel_for body called once per sub-range: fn(sub_begin, sub_end)
/// (and not also callable with one index, which would be ambiguous).
template <class F, class I>
concept range_body = std::integral<I> && std::invocable<F&, I, I> && !std::invocable<F&, I>;

/// A parallel_reduce combiner of two partial results: reduce(a, b) -> T.
/// The result is the serial fold's when reduce is associative and identity
/// is its identity element.
template <class R, class T>
concept reduce_op = std::invocable<R&, T, T> && std::convertible_to<std::invoke_result_t<R&, T, T>, T>;

/// A parallel_reduce map, called once per index: map(i) -> (convertible to) T.
template <class F, class I, class T>
concept reduce_map = std::integral<I> && std::invocable<F&, I> && std::convertible_to<std::invoke_result_t<F&, I>, T>;

/// A parallel_reduce body called once per sub-range: body(sub_begin,
/// sub_end) -> the partial result of that sub-range (and not also callable
/// with one index).
template <class F, class I, class T>
concept reduce_range_body = std::integral<I> && std::invocable<F&, I, I> && !std::invocable<F&, I> &&
                            std::convertible_to<std::invoke_result_t<F&, I, I>, T>;

/// The index type of a loop from a B to an E: their common type (so that
/// parallel_for(s, 0, v.size(), f) counts in std::size_t).
template <std::integral B, std::integral E>
using index_t = std::common_type_t<B, E>;

class task_group;
namespace detail {
struct core_access;
}

// ===========================================================================
// scheduler
// ===========================================================================

/// A work-stealing thread pool of concurrency() threads in total, counting
/// the thread that waits for the work.
///
/// scheduler(n) starts n - 1 worker threads. The n-th is a thread outside
/// the pool that waits for work: task_group::wait(), parallel_for() and
/// parallel_reduce() run tasks on the calling thread until the work is done,
/// so a program that calls parallel_for from main uses exactly n threads.
/// With n == 1 there is no worker thread at all: everything runs on the
/// thread that waits (and tasks from submit() run when some thread waits on
/// the scheduler, or in the destructor).
///
/// Each thread owns a slot in [0, concurrency()): the workers slots 1..n-1,
/// and a thread outside the pool takes slot 0 (the caller slot) for the
/// length of a wait or a parallel call. Only one outside thread can hold it:
/// a second outside thread that calls parallel_for (or waits on a group) at
/// the same time sleeps until the first one's call returns (or, for a
/// wait(), until its group completes), so two outside threads take turns
/// rather than oversubscribe, and this_worker_index() stays unique.
///
/// Each slot has a Chase-Lev deque: tasks spawned by a thread that owns a
/// slot go onto the bottom of its deque, newest first; idle threads steal
/// the oldest task of a random victim. Tasks from threads without a slot go
/// to a mutex-protected injection queue that every thread checks before
/// stealing. An idle worker spins briefly, then sleeps until work is
/// published.
///
/// Memory: every allocation of the scheduler (its slots, the deques' arrays,
/// task nodes, callables over 40 bytes) comes from the memory resource given
/// to the constructor (std::pmr::new_delete_resource() by default), which
/// must outlive the scheduler; only the std::thread objects allocate on
/// their own.
///
/// Thread safety: every member from any thread. The destructor runs every
/// task submitted before it (and every task those spawn) on the workers and
/// the destroying thread, then joins the workers. It must not be called
/// while this scheduler's work runs on the calling thread, nor while another
/// thread uses the scheduler except through its own tasks. With n == 1, a
/// task must not block until another task has run except through
/// task_group::wait() (there is no other thread to run it).
///
///   electron::sched::scheduler s;          // hardware_concurrency() threads in all
///   s.submit([] { std::puts("hello"); });  // fire and forget
class scheduler {
 public:
  /// The largest concurrency the constructor accepts: far more hardware
  /// threads than any machine has, and few enough that the slots' memory is
  /// a few hundred MiB at most.
  static constexpr std::size_t max_threads = detail::scheduler_core::max_threads;

  /// std::thread::hardware_concurrency(), or 1 when unknown.
  [[nodiscard]] static std::size_t default_concurrency() noexcept {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
  }

  /// A scheduler of `concurrency` threads in all (0 counts as 1): starts
  /// concurrency - 1 workers; the thread that waits is the last one.
  /// Allocates from `upstream` (not null; it must outlive the scheduler).
  /// Throws std::length_error when concurrency > max_threads (before
  /// anything is allocated or started), what upstream throws, and
  /// std::system_error when a thread cannot be started (the ones already
  /// started are joined first).
  explicit scheduler(std::size_t concurrency = default_concurrency(),
                     std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_core(concurrency, upstream) {}
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  /// Runs every pending task (on the workers and the calling thread), then
  /// joins the workers.
  ~scheduler() = default;

  /// Runs f() once, on some thread of the scheduler, some time before the
  /// destructor returns. From a thread that owns a slot the task goes onto
  /// its deque (no lock; no allocation for callables of at most 40 bytes
  /// while the slot has a free node: see task_group::run); from other
  /// threads onto the injection queue (a mutex). An exception escaping f
  /// calls std::terminate (use a task_group to catch it). With
  /// concurrency() == 1, f runs when a thread waits on the scheduler, or in
  /// the destructor.
  template <task_fn F>
  void submit(F&& f) {
    m_core.spawn(m_core.make_node(std::forward<F>(f), nullptr));
  }

  /// Runs fn() on the calling thread as one of the scheduler's threads and
  /// returns its result: a thread outside the pool takes the caller slot
  /// (slot 0; sleeping while another outside thread has it) for the call, so
  /// tasks that fn spawns go onto its deque rather than the injection queue,
  /// and its waits run them newest first. From a thread that already runs
  /// this scheduler's work it just calls fn. Use it around a recursive
  /// task_group algorithm started from main:
  ///
  ///   const long r = s.execute([&] { return fib(s, 40); });
  template <class F>
  requires std::invocable<F&&>
  decltype(auto) execute(F&& fn) {
    const detail::scheduler_core::scoped_entry entry(m_core, [] { return false; });
    return std::invoke(std::forward<F>(fn));
  }

  /// Threads that run the scheduler's work: the worker threads plus the
  /// thread that waits (the n of scheduler(n), at least 1).
  [[nodiscard]] std::size_t concurrency() const noexcept { return m_core.concurrency(); }

  /// The calling thread's index in [0, concurrency()) while it runs this
  /// scheduler's work, npos otherwise. Workers have 1..concurrency()-1; the
  /// thread that waits (in task_group::wait, parallel_for, parallel_reduce,
  /// the destructor, and in every task it runs meanwhile) has 0. No two
  /// threads have the same index at the same time, so a table with one entry
  /// per index (padded to cache_line_size) holds per-thread state without a
  /// lock. A thread that nests calls (a task that calls parallel_for) keeps
  /// its index: an entry may be in use by an outer frame of the same thread.
  /// A worker of another scheduler that finds this one's caller slot taken
  /// does not wait for it (its owner may be waiting for that worker's task):
  /// its parallel_for and parallel_reduce then hand the range to this
  /// scheduler's threads and wait, so bodies still see a valid index; only
  /// execute(fn) runs fn there without a slot (npos).
  ///
  ///   struct alignas(electron::cache_line_size) tally { long hits = 0; };
  ///   std::vector<tally> per(s.concurrency());
  ///   parallel_for(s, 0, n, [&](std::size_t i) { per[s.this_worker_index()].hits += hit(i); });
  [[nodiscard]] std::size_t this_worker_index() const noexcept { return m_core.this_worker_index(); }

  /// True while the calling thread runs this scheduler's work
  /// (this_worker_index() != npos).
  [[nodiscard]] bool on_worker_thread() const noexcept { return m_core.this_worker_index() != npos; }

  /// The memory resource the scheduler allocates from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_core.resource(); }

 private:
  friend class task_group;
  friend struct detail::core_access;
  detail::scheduler_core m_core;
};

namespace detail {
/// How the free functions reach a scheduler's machinery.
struct core_access {
  static scheduler_core& core(scheduler& s) noexcept { return s.m_core; }
};
}  // namespace detail

// ===========================================================================
// task_group
// ===========================================================================

/// A set of tasks on one scheduler that can be waited for together.
///
/// run(f) spawns f; wait() returns when every task run so far has finished,
/// and rethrows the first exception any of them threw (the others still
/// ran). While waiting, the calling thread runs tasks itself (its own
/// deque's first, then the injection queue's and other threads'), so wait()
/// inside a task, and nested groups, do not deadlock; this also means wait()
/// may run unrelated tasks of the scheduler on the calling thread. A thread
/// outside the pool takes the caller slot for the wait (see scheduler); if
/// another outside thread holds it, it sleeps until that one leaves or the
/// group completes.
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
  explicit task_group(scheduler& s) noexcept : m_owner(&s), m_state(s.m_core) {}
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;
  /// Waits for pending tasks; their exception, if any, is dropped.
  ~task_group() {
    if (m_state.pending.load(std::memory_order_acquire) != 0) m_state.sched->wait_for(m_state);
  }

  /// Spawns f (a decay-copy of it). From a thread that owns a slot, a
  /// callable of at most 40 bytes takes a node from the slot's free list,
  /// which holds the nodes of the tasks that thread ran (up to 1 024): no
  /// allocation while the list is not empty. It allocates a node (from the
  /// scheduler's memory resource) for a larger callable (and the callable
  /// too), on a thread without a slot, on a cold slot, and when the list ran
  /// dry because other threads ran (stole) this thread's tasks and kept
  /// their nodes. An allocation failure leaves the group unchanged.
  template <task_fn F>
  ELECTRON_ALWAYS_INLINE void run(F&& f) {
    detail::group_run(m_state, std::forward<F>(f));
  }

  /// Returns when every task run so far has finished; rethrows the first
  /// exception one of them threw (and clears it, so the group can be reused).
  /// Must not be called from a task of this group (it would never return).
  void wait() {
    if (m_state.pending.load(std::memory_order_acquire) != 0) m_state.sched->wait_for(m_state);
    detail::rethrow_if_failed(m_state);
  }

  /// The scheduler the group runs on.
  [[nodiscard]] scheduler& get_scheduler() const noexcept { return *m_owner; }

  /// True once a task of the group threw (until wait() rethrows it). Lets
  /// long tasks stop early.
  [[nodiscard]] bool failed() const noexcept { return m_state.failed.load(std::memory_order_relaxed); }

 private:
  scheduler* m_owner;
  detail::group_state m_state;
};

// ===========================================================================
// parallel_for, parallel_reduce
// ===========================================================================
//
// Bounds: begin and end may have different integral types; the loop counts
// in their common type I = index_t<B, E> (int and std::size_t: std::size_t),
// and both values must be representable in it (ELECTRON_ASSERT: a negative
// int bound with a std::size_t one is not). An empty or reversed range
// (!(begin < end)) does nothing. Grain: pieces have at most `grain` indices
// (0 counts as 1); without one, about 8 pieces per thread (one piece, run
// inline, when concurrency() == 1).

namespace detail {
template <class I, class B, class E>
void check_bounds([[maybe_unused]] B begin, [[maybe_unused]] E end) noexcept {
  ELECTRON_ASSERT(std::in_range<I>(begin) && std::in_range<I>(end),
                  "sched::parallel_for/parallel_reduce: a bound does not fit the common index type");
}
}  // namespace detail

/// Calls fn(i) once for every i in [begin, end), in parallel on s's workers
/// and the calling thread (which runs pieces as slot 0, see scheduler). The
/// range is split in halves recursively until a piece has at most `grain`
/// indices; pieces are tasks, and idle threads steal the largest ones.
/// Returns when every index is done. If fn throws (on any thread, the calling
/// one included), pieces not yet started are skipped, pieces already running
/// finish, and the first exception is rethrown once no piece runs any more. A
/// range of at most `grain` indices runs inline, with no task.
///
///   parallel_for(s, 0, v.size(), 4096, [&](std::size_t i) { v[i] = f(i); });
template <std::integral B, std::integral E, index_body<index_t<B, E>> F>
void parallel_for(scheduler& s, B begin, E end, std::size_t grain, F&& fn) {
  using I = index_t<B, E>;
  detail::check_bounds<I>(begin, end);
  auto body = [&fn](I b, I e) {
    for (I i = b; i < e; ++i) fn(i);
  };
  detail::parallel_ranges(detail::core_access::core(s), static_cast<I>(begin), static_cast<I>(end), grain, body);
}

/// Calls fn(sub_begin, sub_end) on disjoint sub-ranges that cover [begin,
/// end), each of at most `grain` indices, split and scheduled as the
/// per-index overload does. Lets a body keep per-piece state (a partial sum).
template <std::integral B, std::integral E, range_body<index_t<B, E>> F>
void parallel_for(scheduler& s, B begin, E end, std::size_t grain, F&& fn) {
  using I = index_t<B, E>;
  detail::check_bounds<I>(begin, end);
  detail::parallel_ranges(detail::core_access::core(s), static_cast<I>(begin), static_cast<I>(end), grain, fn);
}

/// parallel_for with the automatic grain (about 8 pieces per thread).
///
///   parallel_for(s, 0, v.size(), [&](std::size_t i) { v[i] *= 2; });
template <std::integral B, std::integral E, class F>
requires index_body<F, index_t<B, E>> || range_body<F, index_t<B, E>>
void parallel_for(scheduler& s, B begin, E end, F&& fn) {
  using I = index_t<B, E>;
  const I b = static_cast<I>(begin);
  const I e = static_cast<I>(end);
  const auto size = b < e ? detail::range_size(b, e) : decltype(detail::range_size(b, e)){0};
  const std::size_t grain = static_cast<std::size_t>(detail::auto_grain(size, s.concurrency()));
  parallel_for(s, begin, end, grain, std::forward<F>(fn));
}

/// Reduces map(i) for every i in [first, last) with reduce, in parallel on
/// s's workers and the calling thread: std::transform_reduce over an index
/// range. `map` is either a per-index map(i) -> T, or a range body
/// body(sub_begin, sub_end) -> T giving the partial result of a sub-range
/// (for a tight loop, or a per-piece accumulator). T is the type of
/// identity. Returns identity for an empty range.
///
/// Pieces of at most `grain` indices are folded in index order starting
/// from identity (acc = reduce(acc, map(i))), and the pieces' results are
/// combined as reduce(lower, upper) in a binary tree whose shape depends only
/// on [first, last) and the grain. So the result equals the serial
/// std::transform_reduce when reduce is associative and identity is its
/// identity element, and is the same on every run for the same range and
/// grain even when reduce is not associative (floating-point +); with the
/// automatic grain it also depends on concurrency(). reduce is called
/// concurrently on different partial results, never on the same ones: no
/// lock is needed. Requires T to be copy constructible (each piece starts
/// from a copy of identity). Exceptions: as parallel_for.
///
///   const double total = parallel_reduce(s, 0, v.size(), 0.0, [&](std::size_t i) { return v[i]; }, std::plus<>{});
///   const auto [lo, hi] = parallel_reduce(s, 0, v.size(), 1 << 14, std::pair{INT_MAX, INT_MIN},
///       [&](std::size_t i) { return std::pair{v[i], v[i]}; },
///       [](auto a, auto b) { return std::pair{std::min(a.first, b.first), std::max(a.second, b.second)}; });
template <std::integral B, std::integral E, class T, class Map, reduce_op<std::decay_t<T>> Reduce>
requires std::copy_constructible<std::decay_t<T>> &&
    (reduce_map<Map, index_t<B, E>, std::decay_t<T>> || reduce_range_body<Map, index_t<B, E>, std::decay_t<T>>)
        [[nodiscard]] std::decay_t<T> parallel_reduce(scheduler& s, B first, E last, std::size_t grain, T&& identity,
                                                      Map&& map, Reduce&& reduce) {
  using I = index_t<B, E>;
  using V = std::decay_t<T>;
  detail::check_bounds<I>(first, last);
  if constexpr (reduce_range_body<Map, I, V>) {
    auto leaf = [&map](I b, I e) -> V { return static_cast<V>(map(b, e)); };
    return detail::parallel_reduce(detail::core_access::core(s), static_cast<I>(first), static_cast<I>(last), grain,
                                   V(std::forward<T>(identity)), leaf, reduce);
  } else {
    V init(std::forward<T>(identity));
    auto leaf = [&map, &reduce, &init](I b, I e) -> V {
      V acc(init);
      for (I i = b; i < e; ++i) acc = static_cast<V>(reduce(std::move(acc), static_cast<V>(map(i))));
      return acc;
    };
    return detail::parallel_reduce(detail::core_access::core(s), static_cast<I>(first), static_cast<I>(last), grain,
                                   V(init), leaf, reduce);
  }
}

/// parallel_reduce with the automatic grain (about 8 pieces per thread).
template <std::integral B, std::integral E, class T, class Map, reduce_op<std::decay_t<T>> Reduce>
requires std::copy_constructible<std::decay_t<T>> &&
    (reduce_map<Map, index_t<B, E>, std::decay_t<T>> || reduce_range_body<Map, index_t<B, E>, std::decay_t<T>>)
        [[nodiscard]] std::decay_t<T> parallel_reduce(scheduler& s, B first, E last, T&& identity, Map&& map,
                                                      Reduce&& reduce) {
  using I = index_t<B, E>;
  const I b = static_cast<I>(first);
  const I e = static_cast<I>(last);
  const auto size = b < e ? detail::range_size(b, e) : decltype(detail::range_size(b, e)){0};
  const std::size_t grain = static_cast<std::size_t>(detail::auto_grain(size, s.concurrency()));
  return parallel_reduce(s, first, last, grain, std::forward<T>(identity), std::forward<Map>(map),
                         std::forward<Reduce>(reduce));
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
concept batch_error_handler = std::copy_constructible<F> && std::invocable < F&,
        std::span<T>,
const batch_error& > ;

/// A type batch_processor can hold: movable, with a move constructor that
/// does not throw. The processing thread moves items from its queue into the
/// batch; an exception there would leave items neither queued nor in the
/// batch (accepted but never processed) on a thread that has no caller to
/// report to. A T whose move may throw does not compile; hold it by
/// std::unique_ptr<T> (or wrap it) instead.
template <class T>
concept batch_value = std::movable<T> && std::is_nothrow_move_constructible_v<T>;

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
///
/// T must model batch_value (its move constructor must not throw).
template <batch_value T>
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
      ELECTRON_ASSERT(std::this_thread::get_id() != m_thread_id,
                      "batch_processor: add() on a full queue from its own batch");
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
