// SPDX-License-Identifier: MIT
// electron/pool/detail/free_lists.hpp: K classes of free pointers behind
// per-thread caches and a shared depot per class; the store under
// object_pool and the buffer pools (docs/adr/0006). Every byte of its own
// bookkeeping (thread caches, depot arrays) comes from the pool's upstream
// std::pmr::memory_resource.
#ifndef ELECTRON_POOL_DETAIL_FREE_LISTS_HPP
#define ELECTRON_POOL_DETAIL_FREE_LISTS_HPP

#include "electron/config.hpp"
#include "electron/detail/thread_slots.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace pool {
namespace detail {

using electron::detail::max_thread_slots;
using electron::detail::slot_none;
using electron::detail::slot_registry;
using electron::detail::slots;
using electron::detail::thread_slot;

// ===========================================================================
// free_lists<K>: K classes of free pointers, per-thread caches + depot.
// ===========================================================================
template <std::size_t K>
class free_lists {
 public:
  struct limits {
    std::uint32_t local[K];  // items a thread cache holds per class (>= 1)
    std::size_t depot[K];    // items the depot holds per class
  };

  /// Lists with the given bounds whose caches and depot arrays come from
  /// `upstream` (which must outlive them).
  free_lists(const limits& l, std::pmr::memory_resource* upstream)
      : free_lists(l, upstream, std::make_index_sequence<K>{}) {}
  free_lists(const free_lists&) = delete;
  free_lists& operator=(const free_lists&) = delete;
  // The owning pool calls drain() in its destructor; lists it never filled
  // (its constructor threw after ours) hold nothing to free.
  ~free_lists() = default;

  /// A free item of class c, or nullptr.
  ELECTRON_ALWAYS_INLINE void* pop(std::size_t c) noexcept {
    const std::uint32_t s = thread_slot();
    if (ELECTRON_LIKELY(s != slot_none)) {
      cache* tc = m_caches[s];
      if (ELECTRON_LIKELY(tc != nullptr && tc->count[c] != 0)) return tc->items[c][--tc->count[c]];
    }
    return pop_slow(c, s);
  }

  /// Stores a free item of class c; false when every level is full (the
  /// caller then frees it). Never throws.
  ELECTRON_ALWAYS_INLINE bool push(std::size_t c, void* p) noexcept {
    const std::uint32_t s = thread_slot();
    if (ELECTRON_LIKELY(s != slot_none)) {
      cache* tc = m_caches[s];
      if (ELECTRON_LIKELY(tc != nullptr && tc->count[c] < m_limits.local[c])) {
        tc->items[c][tc->count[c]++] = p;
        return true;
      }
    }
    return push_slow(c, p, s);
  }

  /// Hands every item of the depot, of the calling thread's cache and of the
  /// caches of slots no thread holds now (their threads exited) to
  /// free_fn(class, item).
  template <class Fn>
  void trim(Fn&& free_fn) {
    const std::uint32_t s = thread_slot();
    if (s != slot_none && m_caches[s] != nullptr) drain_cache(*m_caches[s], free_fn);
    {
      // A free slot has no owner; the registry's mutex orders this after the
      // exiting thread gave it back and before the next thread takes it.
      slot_registry& r = slots();
      std::lock_guard<std::mutex> lock(r.mutex);
      for (std::uint32_t i = 0; i < r.free_count; ++i) {
        if (m_caches[r.free[i]] != nullptr) drain_cache(*m_caches[r.free[i]], free_fn);
      }
    }
    for (std::size_t c = 0; c < K; ++c) {
      std::pmr::vector<void*> items(m_upstream);  // same resource: swap moves no element
      {
        std::lock_guard<std::mutex> lock(m_depot[c].mutex);
        items.swap(m_depot[c].items);
      }
      for (void* p : items) free_fn(c, p);
    }
  }

  /// Hands every item of every level to free_fn(class, item) and frees the
  /// caches. Only when no other thread uses the lists (destruction).
  template <class Fn>
  void drain(Fn&& free_fn) noexcept {
    for (cache*& tc : m_caches) {
      if (tc == nullptr) continue;
      drain_cache(*tc, free_fn);
      destroy_cache(tc);
      tc = nullptr;
    }
    for (std::size_t c = 0; c < K; ++c) {
      for (void* p : m_depot[c].items) free_fn(c, p);
      m_depot[c].items.clear();
      m_depot[c].items.shrink_to_fit();
    }
  }

  /// Items in the depot of class c (a snapshot).
  std::size_t depot_size(std::size_t c) {
    std::lock_guard<std::mutex> lock(m_depot[c].mutex);
    return m_depot[c].items.size();
  }

 private:
  struct cache {
    std::uint32_t count[K];
    void** items[K];
  };
  struct alignas(cache_line_size) depot {
    explicit depot(std::pmr::memory_resource* r) noexcept : items(r) {}
    std::mutex mutex;
    std::pmr::vector<void*> items;
  };

  template <std::size_t... I>
  free_lists(const limits& l, std::pmr::memory_resource* upstream, std::index_sequence<I...>)
      : m_limits(l), m_upstream(upstream), m_depot{make_depot(I, upstream)...} {
    for (auto& c : m_caches) c = nullptr;
  }
  // A prvalue: the array elements are initialized in place (a depot holds a
  // mutex and cannot move).
  static depot make_depot(std::size_t, std::pmr::memory_resource* r) noexcept { return depot(r); }

  // One block: the cache header, then the item arrays of every class.
  std::size_t cache_bytes() const noexcept {
    std::size_t total = 0;
    for (std::size_t c = 0; c < K; ++c) total += m_limits.local[c];
    return sizeof(cache) + total * sizeof(void*);
  }

  // nullptr when memory is short: the caller then works on the depot alone.
  cache* make_cache() noexcept {
    void* block = nullptr;
#if ELECTRON_HAS_EXCEPTIONS
    try {
      block = m_upstream->allocate(cache_bytes(), alignof(cache));
    } catch (...) {
      return nullptr;
    }
#else
    block = m_upstream->allocate(cache_bytes(), alignof(cache));
#endif
    auto* tc = ::new (block) cache;
    void** storage = reinterpret_cast<void**>(static_cast<unsigned char*>(block) + sizeof(cache));
    for (std::size_t c = 0; c < K; ++c) {
      tc->count[c] = 0;
      tc->items[c] = storage;
      storage += m_limits.local[c];
    }
    return tc;
  }
  void destroy_cache(cache* tc) noexcept { m_upstream->deallocate(tc, cache_bytes(), alignof(cache)); }
  template <class Fn>
  static void drain_cache(cache& tc, Fn& free_fn) noexcept {
    for (std::size_t c = 0; c < K; ++c) {
      while (tc.count[c] != 0) free_fn(c, tc.items[c][--tc.count[c]]);
    }
  }

  ELECTRON_NOINLINE void* pop_slow(std::size_t c, std::uint32_t s) noexcept {
    depot& d = m_depot[c];
    cache* tc = s == slot_none ? nullptr : m_caches[s];
    if (s != slot_none && tc == nullptr) tc = m_caches[s] = make_cache();
    std::lock_guard<std::mutex> lock(d.mutex);
    if (d.items.empty()) return nullptr;
    // Refill half the cache in one lock (when there is one), return one item.
    const std::size_t want = tc == nullptr ? 1 : std::max<std::size_t>(1, m_limits.local[c] / 2);
    const std::size_t n = std::min(want, d.items.size());
    const std::size_t from = d.items.size() - n;
    for (std::size_t i = from + 1; i < d.items.size(); ++i) tc->items[c][tc->count[c]++] = d.items[i];
    void* p = d.items[from];
    d.items.resize(from);
    return p;
  }

  // Never throws: when the depot cannot grow the caller frees the item.
  ELECTRON_NOINLINE bool push_slow(std::size_t c, void* p, std::uint32_t s) noexcept {
    depot& d = m_depot[c];
    cache* tc = s == slot_none ? nullptr : m_caches[s];
    if (s != slot_none && tc == nullptr) {
      tc = m_caches[s] = make_cache();
      if (tc != nullptr) {
        tc->items[c][tc->count[c]++] = p;
        return true;
      }
    }
    std::lock_guard<std::mutex> lock(d.mutex);
    const std::size_t room = m_limits.depot[c] > d.items.size() ? m_limits.depot[c] - d.items.size() : 0;
    // Without a cache: p alone. With a full cache: half of it, keeping p.
    const std::size_t n = tc == nullptr ? 1 : std::max<std::uint32_t>(1, m_limits.local[c] / 2);
    if (room < n) return false;
    if (d.items.capacity() < d.items.size() + n) {
#if ELECTRON_HAS_EXCEPTIONS
      try {
        d.items.reserve(std::min(m_limits.depot[c], std::max<std::size_t>(2 * d.items.capacity(), d.items.size() + n)));
      } catch (...) {
        return false;
      }
#else
      d.items.reserve(std::min(m_limits.depot[c], std::max<std::size_t>(2 * d.items.capacity(), d.items.size() + n)));
#endif
    }
    if (tc == nullptr) {
      d.items.push_back(p);
      return true;
    }
    for (std::size_t i = 0; i < n; ++i) d.items.push_back(tc->items[c][--tc->count[c]]);
    tc->items[c][tc->count[c]++] = p;
    return true;
  }

  limits m_limits;
  std::pmr::memory_resource* m_upstream;
  cache* m_caches[max_thread_slots];
  depot m_depot[K];
};

}  // namespace detail
}  // namespace pool
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_POOL_DETAIL_FREE_LISTS_HPP
