// SPDX-License-Identifier: MIT
// electron/sched/detail/parallel.hpp: group operations and the recursive
// splitting under electron::sched::parallel_for and parallel_reduce.
#ifndef ELECTRON_SCHED_DETAIL_PARALLEL_HPP
#define ELECTRON_SCHED_DETAIL_PARALLEL_HPP

#include "electron/config.hpp"
#include "electron/sched/detail/scheduler_core.hpp"
#include "electron/sched/detail/task.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace sched {
namespace detail {

/// Spawns f as a task of group g.
template <class F>
ELECTRON_ALWAYS_INLINE void group_run(group_state& g, F&& f) {
  task_node* n = g.sched->make_node(std::forward<F>(f), &g);
  // Relaxed: the node's publication (a seq_cst store or a mutex) orders
  // this increment before the task's decrement.
  g.pending.fetch_add(1, std::memory_order_relaxed);
  g.sched->spawn(n);
}

/// After a wait: rethrows the group's first exception (and clears it, so
/// the group can be reused).
inline void rethrow_if_failed(group_state& g) {
  if (ELECTRON_LIKELY(!g.failed.load(std::memory_order_acquire))) return;
  std::exception_ptr e = std::exchange(g.error, nullptr);
  g.failed.store(false, std::memory_order_relaxed);
#if ELECTRON_HAS_EXCEPTIONS
  std::rethrow_exception(e);
#else
  std::abort();
#endif
}

/// [begin, end) of a signed or unsigned I, measured without overflow.
template <class I>
ELECTRON_ALWAYS_INLINE std::make_unsigned_t<I> range_size(I b, I e) noexcept {
  using U = std::make_unsigned_t<I>;
  return static_cast<U>(static_cast<U>(e) - static_cast<U>(b));
}

template <class I>
ELECTRON_ALWAYS_INLINE I range_mid(I b, I e) noexcept {
  using U = std::make_unsigned_t<I>;
  return static_cast<I>(static_cast<U>(static_cast<U>(b) + static_cast<U>(range_size(b, e) / 2)));
}

/// A grain as U: 0 counts as 1, a grain above U's range as U's maximum.
template <class U>
U clamp_grain(std::size_t grain) noexcept {
  if (grain == 0) return U{1};
  return grain > static_cast<std::size_t>(static_cast<U>(-1)) ? static_cast<U>(-1) : static_cast<U>(grain);
}

/// The grain when the caller gives none: about 8 pieces per thread, so that
/// stealing can even out uneven pieces; one piece with a single thread.
template <class U>
U auto_grain(U size, std::size_t concurrency) noexcept {
  if (concurrency <= 1) return size == 0 ? U{1} : size;
  // In std::size_t: 8 * concurrency does not fit a narrow U (it wrapped to 0
  // for an 8-bit index at concurrency 32, a division by zero).
  const std::size_t n = static_cast<std::size_t>(size);
  const std::size_t pieces = 8 * concurrency;
  const std::size_t g = n / pieces + (n % pieces != 0 ? 1 : 0);
  return g == 0 ? U{1} : static_cast<U>(g);
}

template <class I, class Body>
struct range_splitter {
  using U = std::make_unsigned_t<I>;
  group_state* group;
  Body* body;
  U grain;

  // Spawns the upper half and keeps the lower one until the range is at most
  // a grain: the owner works from the bottom of its deque (small ranges,
  // cache-warm) while thieves take the largest pending halves from the top.
  void operator()(I b, I e) const {
    while (range_size(b, e) > grain) {
      if (group->failed.load(std::memory_order_relaxed)) return;  // the rest is skipped: spawn nothing more
      const I mid = range_mid(b, e);
      group_run(*group, [this, mid, e] { (*this)(mid, e); });
      e = mid;
    }
    if (!group->failed.load(std::memory_order_relaxed)) (*body)(b, e);
  }
};

/// body(sub_begin, sub_end) over pieces of at most `grain` covering
/// [begin, end), on core's threads and the caller's.
template <class I, class Body>
void parallel_ranges(scheduler_core& core, I begin, I end, std::size_t grain, Body& body) {
  if (!(begin < end)) return;
  using U = std::make_unsigned_t<I>;
  // The calling thread runs pieces as one of the concurrency() threads: it
  // owns a slot for the whole call (this_worker_index() is valid in body).
  const scheduler_core::scoped_entry entry(core, [] { return false; });
  const U g = clamp_grain<U>(grain);
  group_state group(core);
  const range_splitter<I, Body> split{&group, std::addressof(body), g};
  if (ELECTRON_UNLIKELY(!entry.active())) {
    // A worker of another scheduler that found the caller slot taken (it
    // may not wait for it: see scoped_entry). Running pieces here would run
    // them without a slot (this_worker_index() == npos in body), so the
    // whole range goes to this scheduler's threads as one task, which
    // splits it there, and this thread waits without a slot, as wait() does.
    group_run(group, [&split, begin, end] { split(begin, end); });
    core.wait_for(group);
    rethrow_if_failed(group);
    return;
  }
  if (range_size(begin, end) <= g) {
    body(begin, end);
    return;
  }
  // The calling thread's own piece may throw while spawned pieces still use
  // `split` (and `group`, `body`): catch it, so that both outlive every piece,
  // and record it in the group, so that pieces not yet started are skipped;
  // the wait then rethrows the first exception (this one or a piece's).
#if ELECTRON_HAS_EXCEPTIONS
  try {
    split(begin, end);
  } catch (...) {
    group.capture(std::current_exception());
  }
#else
  split(begin, end);
#endif
  core.wait_for(group);
  rethrow_if_failed(group);
}

/// The fixed binary tree of a parallel_reduce: a range of at most `grain`
/// is a leaf, folded in index order; a larger one is split at its middle and
/// the two halves' results combined as reduce(lower, upper). The shape
/// depends only on the range and the grain, never on which thread ran what.
template <class I, class T, class Leaf, class Reduce>
struct reduce_tree {
  using U = std::make_unsigned_t<I>;
  scheduler_core* core;
  Leaf* leaf;
  Reduce* reduce;
  const T* identity;
  U grain;
  std::atomic<bool>* failed;  // shared by the whole tree: pieces not started are skipped

  T operator()(I b, I e) const {
    if (range_size(b, e) <= grain) return (*leaf)(b, e);
    // After an exception the result is discarded: skip the work.
    if (failed->load(std::memory_order_relaxed)) return T(*identity);
    const I mid = range_mid(b, e);
    std::optional<T> upper;
    std::optional<T> lower;
    group_state group(*core);
    group_run(group, [this, mid, e, &upper] { upper.emplace((*this)(mid, e)); });
#if ELECTRON_HAS_EXCEPTIONS
    try {
      lower.emplace((*this)(b, mid));
    } catch (...) {
      group.capture(std::current_exception());
    }
#else
    lower.emplace((*this)(b, mid));
#endif
    core->wait_for(group);
    if (ELECTRON_UNLIKELY(group.failed.load(std::memory_order_acquire))) {
      failed->store(true, std::memory_order_relaxed);
      rethrow_if_failed(group);
    }
    return static_cast<T>((*reduce)(std::move(*lower), std::move(*upper)));
  }
};

template <class I, class T, class Leaf, class Reduce>
T parallel_reduce(scheduler_core& core, I first, I last, std::size_t grain, T identity, Leaf& leaf, Reduce& reduce) {
  if (!(first < last)) return identity;
  using U = std::make_unsigned_t<I>;
  const scheduler_core::scoped_entry entry(core, [] { return false; });
  std::atomic<bool> failed{false};
  const reduce_tree<I, T, Leaf, Reduce> tree{
      &core, std::addressof(leaf), std::addressof(reduce), std::addressof(identity), clamp_grain<U>(grain), &failed};
  if (ELECTRON_UNLIKELY(!entry.active())) {
    // Without a slot (see parallel_ranges): the whole tree runs as one task
    // on this scheduler's threads, and this thread waits for it.
    std::optional<T> result;
    group_state group(core);
    group_run(group, [&tree, &result, first, last] { result.emplace(tree(first, last)); });
    core.wait_for(group);
    rethrow_if_failed(group);
    return std::move(*result);
  }
  return tree(first, last);
}

}  // namespace detail
}  // namespace sched
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SCHED_DETAIL_PARALLEL_HPP
