// SPDX-License-Identifier: MIT
// electron/pool.hpp: object and buffer pools with per-thread caches.
//
// - object_pool<T>: reuses objects; each comes back reset (t.reset(), or a
//   reset function of yours). get()/put() or RAII acquire().
// - buffer_pool: byte buffers in 14 power-of-two classes, 512 B to 4 MiB;
//   larger requests are served and freed, not pooled.
// - sized_pool: the same with four classes (<1 KiB, 1-8 KiB, 8-64 KiB, and
//   >64 KiB in 64 KiB steps).
//
// Concurrency follows Go's sync.Pool: every thread has a small cache per
// class in front of a shared depot (a mutex and a vector), so get/put are a
// few loads and stores on the calling thread's cache, and a buffer put on
// one thread can be got on another (caches spill into and refill from the
// depot in batches). Retained memory is bounded per class; trim() returns
// the depot's and the calling thread's cached items to the system.
//
// Sizes: a buffer pool's get(n) refuses n > max_size() (2^47 bytes on 64-bit
// targets) with std::length_error before anything is allocated, as
// std::vector does beyond its max_size(); below that, a request the system
// cannot serve throws std::bad_alloc. So a length read from the network can
// never yield a buffer whose size() is larger than its memory.
//
//   electron::pool::buffer_pool pool;
//   {
//     auto buf = pool.get(4096);               // capacity >= 4096, 64-byte aligned
//     std::memcpy(buf.data(), src, 4096);
//   }                                          // back in the pool
//
// All pools are thread-safe. A pool must outlive the objects and buffers it
// handed out, and every thread's use of it.
#ifndef ELECTRON_POOL_HPP
#define ELECTRON_POOL_HPP

#include "electron/arena.hpp"
#include "electron/bits.hpp"
#include "electron/config.hpp"

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace pool {

// ===========================================================================
// Concepts
// ===========================================================================

/// A type with a reset() member that returns it to a reusable state.
template <class T>
concept resettable = requires(T& t) {
  t.reset();
};

/// A pool of reusable contexts: get() hands out a
/// reset context, put(c) takes it back, reset(c) resets it in place.
template <class P>
concept context_pool = requires(P& p, typename P::pointer c) {
  typename P::value_type;
  { p.get() } -> std::same_as<typename P::pointer>;
  p.put(c);
  p.reset(c);
};

/// A source of byte buffers: get(size) returns a buffer with data(),
/// size() >= the request, that goes back to the source when destroyed.
template <class P>
concept buffer_source = requires(P& p, std::size_t n) {
  { p.get(n).data() } -> std::convertible_to<std::byte*>;
  { p.get(n).size() } -> std::convertible_to<std::size_t>;
};

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
inline constexpr std::uint32_t slot_none = 0xFFFFFFFEu;  // all slots taken: use the depot

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

  explicit free_lists(const limits& l) : m_limits(l) {
    for (auto& c : m_caches) c = nullptr;
  }
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
      std::vector<void*> items;
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
    std::mutex mutex;
    std::vector<void*> items;
  };

  // nullptr when memory is short: the caller then works on the depot alone.
  cache* make_cache() noexcept {
    std::size_t total = 0;
    for (std::size_t c = 0; c < K; ++c) total += m_limits.local[c];
    auto* tc = new (std::nothrow) cache;
    void** storage = new (std::nothrow) void*[total];
    if (tc == nullptr || storage == nullptr) {
      delete tc;
      delete[] storage;
      return nullptr;
    }
    for (std::size_t c = 0; c < K; ++c) {
      tc->count[c] = 0;
      tc->items[c] = storage;
      storage += m_limits.local[c];
    }
    return tc;
  }
  static void destroy_cache(cache* tc) noexcept {
    delete[] tc->items[0];
    delete tc;
  }
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
  cache* m_caches[max_thread_slots];
  depot m_depot[K];
};

}  // namespace detail

// ===========================================================================
// object_pool
// ===========================================================================

/// Resets an object by calling its reset() member.
struct member_reset {
  template <resettable T>
  void operator()(T& t) const noexcept(noexcept(t.reset())) {
    t.reset();
  }
};

/// A pool of reusable T objects (value-initialized when new). put() resets
/// an object with ResetFn and keeps it for the next get(); objects beyond
/// the pool's bound are destroyed. Satisfies context_pool.
///
/// Debug checks (ELECTRON_ASSERT): put() of an object that did not come from
/// this pool, a second put() of the same object, and destroying the pool
/// while objects are out.
template <class T, class ResetFn = member_reset>
requires std::default_initializable<T> && std::invocable<ResetFn&, T&>
class object_pool {
 public:
  using value_type = T;
  using pointer = T*;

  /// The largest `thread_cache` the constructor accepts.
  static constexpr std::uint32_t max_thread_cache = 65536;

  /// Keeps at most `max_retained` idle objects in the shared depot (plus up
  /// to `thread_cache` in each thread's cache, whose array of that many
  /// pointers is allocated on the thread's first use). Throws
  /// std::length_error when thread_cache > max_thread_cache.
  explicit object_pool(std::size_t max_retained = 1024, std::uint32_t thread_cache = 32, ResetFn reset_fn = {})
      : m_lists(make_limits(max_retained, thread_cache)), m_reset(std::move(reset_fn)) {}
  object_pool(const object_pool&) = delete;
  object_pool& operator=(const object_pool&) = delete;
  ~object_pool() {
    ELECTRON_ASSERT(m_outstanding.load(std::memory_order_relaxed) == 0,
                    "object_pool destroyed while objects are still out");
    m_lists.drain([](std::size_t, void* n) noexcept { destroy_node(static_cast<node*>(n)); });
  }

  /// A reset object: a pooled one, or a new value-initialized T.
  [[nodiscard]] T* get() {
    node* n = static_cast<node*>(m_lists.pop(0));
    if (ELECTRON_UNLIKELY(n == nullptr)) n = new_node();
    ELECTRON_ASSERT(n->state == state_in, "object_pool: corrupt free list");
    n->state = state_out;
    count_out(1);
    return &n->value;
  }

  /// Resets `p` and takes it back (or destroys it when the pool is full).
  /// Precondition: p came from this pool's get() and was not put since
  /// (checked in debug builds). nullptr is ignored.
  void put(T* p) noexcept(std::is_nothrow_invocable_v<ResetFn&, T&>) {
    if (p == nullptr) return;
    node* n = node_of(p);
    ELECTRON_ASSERT(n->owner == this, "object_pool::put: object is not from this pool");
    ELECTRON_ASSERT(n->state == state_out, "object_pool::put: object put twice");
    std::invoke(m_reset, *p);
    n->state = state_in;
    count_out(-1);
    if (ELECTRON_UNLIKELY(!m_lists.push(0, n))) destroy_node(n);  // full: destroy
  }

  /// Resets `p` in place without returning it.
  void reset(T* p) { std::invoke(m_reset, *p); }

  /// Returns the object to the pool on destruction.
  struct returner {
    object_pool* pool;
    void operator()(T* p) const noexcept { pool->put(p); }
  };
  using handle = std::unique_ptr<T, returner>;

  /// get() wrapped in a handle that put()s it back.
  [[nodiscard]] handle acquire() { return handle(get(), returner{this}); }

  /// Destroys the idle objects of the depot and of the calling thread's cache.
  void trim() {
    m_lists.trim([](std::size_t, void* n) { destroy_node(static_cast<node*>(n)); });
  }

 private:
  static constexpr std::uint32_t state_in = 0x1D1E0B1Eu;
  static constexpr std::uint32_t state_out = 0x0B1EC7EDu;

  // The value comes first; the bookkeeping sits after it, so a node is a T
  // at its own address.
  struct node {
    T value{};
    const object_pool* owner;
    std::uint32_t state;
  };
  // value is the first member of a node (which has no virtual functions and
  // no base), so a node and its value share an address on every ABI Electron
  // supports (guaranteed by the standard when T is standard-layout).
  static node* node_of(T* p) noexcept { return reinterpret_cast<node*>(p); }

  node* new_node() {
    node* n = new node{};
    n->owner = this;
    n->state = state_in;
    return n;
  }
  static void destroy_node(node* n) noexcept { delete n; }

  void count_out([[maybe_unused]] int d) noexcept {
#if ELECTRON_ASSERTS_ENABLED
    m_outstanding.fetch_add(d, std::memory_order_relaxed);
#endif
  }

  static typename detail::free_lists<1>::limits make_limits(std::size_t max_retained, std::uint32_t thread_cache) {
    if (thread_cache > max_thread_cache) {
      electron::detail::throw_error<std::length_error>("electron::pool::object_pool: thread_cache too large");
    }
    typename detail::free_lists<1>::limits l{};
    l.local[0] = thread_cache == 0 ? 1 : thread_cache;
    l.depot[0] = max_retained;
    return l;
  }

  detail::free_lists<1> m_lists;
  [[no_unique_address]] ResetFn m_reset;
  std::atomic<long> m_outstanding{0};
};

// ===========================================================================
// Byte buffers
// ===========================================================================

/// A byte buffer from a pool: data(), size() (what was asked for),
/// capacity() (>= size()); goes back to its pool when destroyed. Move-only.
template <class Pool>
class basic_pooled_buffer {
 public:
  basic_pooled_buffer() noexcept = default;
  basic_pooled_buffer(basic_pooled_buffer&& o) noexcept
      : m_data(std::exchange(o.m_data, nullptr)),
        m_size(std::exchange(o.m_size, 0)),
        m_capacity(std::exchange(o.m_capacity, 0)),
        m_pool(std::exchange(o.m_pool, nullptr)) {}
  basic_pooled_buffer& operator=(basic_pooled_buffer&& o) noexcept {
    if (this != &o) {
      reset();
      m_data = std::exchange(o.m_data, nullptr);
      m_size = std::exchange(o.m_size, 0);
      m_capacity = std::exchange(o.m_capacity, 0);
      m_pool = std::exchange(o.m_pool, nullptr);
    }
    return *this;
  }
  basic_pooled_buffer(const basic_pooled_buffer&) = delete;
  basic_pooled_buffer& operator=(const basic_pooled_buffer&) = delete;
  ~basic_pooled_buffer() { reset(); }

  [[nodiscard]] std::byte* data() noexcept { return m_data; }
  [[nodiscard]] const std::byte* data() const noexcept { return m_data; }
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  [[nodiscard]] std::byte* begin() noexcept { return m_data; }
  [[nodiscard]] std::byte* end() noexcept { return m_data + m_size; }
  [[nodiscard]] const std::byte* begin() const noexcept { return m_data; }
  [[nodiscard]] const std::byte* end() const noexcept { return m_data + m_size; }
  [[nodiscard]] std::byte& operator[](std::size_t i) noexcept {
    ELECTRON_ASSERT(i < m_size, "pooled buffer index out of range");
    return m_data[i];
  }
  [[nodiscard]] const std::byte& operator[](std::size_t i) const noexcept {
    ELECTRON_ASSERT(i < m_size, "pooled buffer index out of range");
    return m_data[i];
  }
  [[nodiscard]] std::span<std::byte> span() noexcept { return {m_data, m_size}; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {m_data, m_size}; }
  /// Sets size() to n; n <= capacity() (else std::length_error).
  void resize(std::size_t n) {
    if (n > m_capacity) electron::detail::throw_error<std::length_error>("pooled buffer: resize beyond capacity");
    m_size = n;
  }
  /// Returns the buffer to its pool now; the handle becomes empty (like
  /// std::unique_ptr::reset()).
  void reset() noexcept {
    if (m_data != nullptr) m_pool->recycle(m_data, m_capacity);
    m_data = nullptr;
    m_size = m_capacity = 0;
    m_pool = nullptr;
  }

 private:
  friend Pool;
  basic_pooled_buffer(std::byte* d, std::size_t size, std::size_t cap, Pool* p) noexcept
      : m_data(d), m_size(size), m_capacity(cap), m_pool(p) {}
  std::byte* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  Pool* m_pool = nullptr;
};

/// Size classes of buffer_pool: 14 powers of two from 512 B to 4 MiB.
struct pow2_classes {
  static constexpr std::size_t count = 14;
  static constexpr std::size_t min_size = 512;
  static constexpr std::size_t max_pooled = min_size << (count - 1);  // 4 MiB
  /// Class of a request, or count when it is not pooled.
  static constexpr std::size_t class_of(std::size_t n) noexcept {
    if (n <= min_size) return 0;
    if (n > max_pooled) return count;
    return static_cast<std::size_t>(bits::bit_width(n - 1)) - 9;  // 2^9 = 512
  }
  static constexpr std::size_t capacity(std::size_t cls, std::size_t) noexcept { return min_size << cls; }
  static constexpr bool variable(std::size_t) noexcept { return false; }
};

/// Size classes of sized_pool: < 1 KiB, 1-8 KiB, 8-64 KiB, and > 64 KiB in
/// 64 KiB steps up to 4 MiB (that class holds buffers of several
/// capacities; its retention limits are counted in 4 MiB buffers, so the
/// byte bounds hold); larger requests are not pooled.
struct four_classes {
  static constexpr std::size_t count = 4;
  static constexpr std::size_t huge_step = 64 * 1024;
  static constexpr std::size_t max_pooled = std::size_t{4} << 20;
  static constexpr std::size_t class_of(std::size_t n) noexcept {
    if (n <= 1024) return 0;
    if (n <= 8 * 1024) return 1;
    if (n <= 64 * 1024) return 2;
    return n <= max_pooled ? 3 : count;
  }
  static constexpr std::size_t capacity(std::size_t cls, std::size_t n) noexcept {
    constexpr std::size_t fixed[3] = {1024, 8 * 1024, 64 * 1024};
    return cls < 3 ? fixed[cls] : (n + huge_step - 1) / huge_step * huge_step;
  }
  static constexpr bool variable(std::size_t cls) noexcept { return cls == 3; }
};

/// How much a buffer pool keeps.
struct buffer_pool_options {
  /// Bytes of idle buffers the shared depot keeps per class.
  std::size_t max_retained_bytes_per_class = 16u << 20;
  /// Bytes of idle buffers each thread's cache keeps per class (at least one buffer).
  std::size_t thread_cache_bytes_per_class = 256u << 10;
};

/// A pool of byte buffers in size classes (see pow2_classes, four_classes).
/// get(size) returns a buffer of capacity >= size, aligned to 64 bytes, that
/// returns itself on destruction. Requests over the largest class are served
/// and freed, not pooled. Sizes above max_size() throw std::length_error
/// before anything is allocated. Thread-safe.
template <class Classes>
class basic_buffer_pool {
 public:
  using buffer = basic_pooled_buffer<basic_buffer_pool>;
  static constexpr std::size_t buffer_alignment = 64;

  explicit basic_buffer_pool(const buffer_pool_options& opt = {}) : m_lists(make_limits(opt)) {}
  basic_buffer_pool(const basic_buffer_pool&) = delete;
  basic_buffer_pool& operator=(const basic_buffer_pool&) = delete;
  ~basic_buffer_pool() {
    m_lists.drain([](std::size_t c, void* p) noexcept { free_buffer(p, stored_capacity(c, p)); });
  }

  /// The largest size get() accepts: electron::detail::max_allocation_size,
  /// 2^47 bytes on 64-bit targets (2^30 on 32-bit ones).
  [[nodiscard]] static constexpr std::size_t max_size() noexcept { return electron::detail::max_allocation_size; }

  /// A buffer with size() == n and capacity() >= n. Throws std::length_error
  /// when n > max_size() (the pool is unchanged), std::bad_alloc when the
  /// system cannot serve n.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE buffer get(std::size_t n) {
    const std::size_t c = Classes::class_of(n);
    if (ELECTRON_LIKELY(c < Classes::count)) {
      if (void* p = m_lists.pop(c)) {
        const std::size_t cap = stored_capacity(c, p);
        if (ELECTRON_LIKELY(cap >= n)) return buffer(static_cast<std::byte*>(p), n, cap, this);
        free_buffer(p, cap);  // a variable-class buffer too small for this request
      }
    }
    return get_new(n, c);
  }

  /// Takes a buffer back (the same as destroying it).
  void put(buffer&& b) noexcept { b.reset(); }

  /// Frees the idle buffers of the depot and of the calling thread's cache.
  void trim() {
    m_lists.trim([](std::size_t c, void* p) { free_buffer(p, stored_capacity(c, p)); });
  }

  /// Idle buffers of class c in the shared depot (a snapshot).
  [[nodiscard]] std::size_t depot_size(std::size_t c) { return m_lists.depot_size(c); }

 private:
  friend buffer;
  // Called by a buffer when it lets go of its bytes.
  void recycle(std::byte* p, std::size_t cap) noexcept {
    const std::size_t c = Classes::class_of(cap);
    if (ELECTRON_LIKELY(c < Classes::count && Classes::capacity(c, cap) == cap)) {
      // Variable-capacity classes keep the capacity in the idle buffer itself.
      if (Classes::variable(c)) std::memcpy(p, &cap, sizeof cap);
      if (ELECTRON_LIKELY(m_lists.push(c, p))) return;
    }
    free_buffer(p, cap);
  }

  static std::size_t stored_capacity(std::size_t c, void* p) noexcept {
    if (Classes::variable(c)) {
      std::size_t cap = 0;
      std::memcpy(&cap, p, sizeof cap);
      return cap;
    }
    return Classes::capacity(c, 0);
  }
  ELECTRON_NOINLINE buffer get_new(std::size_t n, std::size_t c) {
    // Checked here, off the pooled path: every class is far below the limit.
    // The aligned operator new rounds the size up to the alignment, which
    // wraps around to a tiny block for n within 63 of SIZE_MAX (libstdc++ 12).
    if (ELECTRON_UNLIKELY(n > max_size())) {
      electron::detail::throw_error<std::length_error>("electron::pool: buffer size above max_size()");
    }
    const std::size_t cap = c < Classes::count ? Classes::capacity(c, n) : (n == 0 ? 1 : n);
    auto* p = static_cast<std::byte*>(::operator new (cap, std::align_val_t{buffer_alignment}));
    return buffer(p, n, cap, this);
  }
  static void free_buffer(void* p, std::size_t cap) noexcept {
    static_cast<void>(cap);  // (sized delete is off by default in clang 14)
    ::operator delete (p, std::align_val_t{buffer_alignment});
  }
  static typename detail::free_lists<Classes::count>::limits make_limits(const buffer_pool_options& opt) {
    typename detail::free_lists<Classes::count>::limits l{};
    for (std::size_t c = 0; c < Classes::count; ++c) {
      // A variable class is counted at its largest capacity, so the byte bounds hold.
      const std::size_t cap = Classes::variable(c) ? Classes::max_pooled : Classes::capacity(c, 0);
      const std::size_t local = opt.thread_cache_bytes_per_class / cap;
      l.local[c] = static_cast<std::uint32_t>(std::clamp<std::size_t>(local, 1, 64));
      l.depot[c] = opt.max_retained_bytes_per_class / cap;  // may be 0: nothing kept in the depot
    }
    return l;
  }

  detail::free_lists<Classes::count> m_lists;
};

/// 14 power-of-two classes, 512 B to 4 MiB.
using buffer_pool = basic_buffer_pool<pow2_classes>;
/// Four classes: < 1 KiB, 1-8 KiB, 8-64 KiB, > 64 KiB.
using sized_pool = basic_buffer_pool<four_classes>;
/// buffer_pool's buffer type (sized_pool's is sized_pool::buffer).
using pooled_buffer = buffer_pool::buffer;

static_assert(buffer_source<buffer_pool> && buffer_source<sized_pool>);

// ===========================================================================
// arena_of_pools
// ===========================================================================

/// Per-request memory in one place: contexts from
/// an object pool, byte buffers from a buffer pool, and strings and small
/// objects bumped from an arena that reset() rewinds at the end of each
/// request. Any types satisfying the concepts plug in.
///
/// A request loop allocates nothing from the system once warm: contexts and
/// buffers are reused, the arena keeps its largest block.
///
///   electron::pool::arena_of_pools<request_context> mem;
///   for (auto& req : requests) {
///     auto* ctx = mem.alloc_context();
///     auto body = mem.alloc_buffer(req.size);
///     std::string_view path = mem.alloc_string(req.path);
///     handle(*ctx, body, path);
///     mem.release_context(ctx);
///     mem.reset();  // strings gone; body returns to its pool at the end of the iteration
///   }
///
/// Thread safety: the arena part is single-threaded, so one arena_of_pools
/// serves one thread at a time.
template <class Context, arena::bump_allocator Arena = arena::arena, context_pool ContextPool = object_pool<Context>,
          buffer_source BufferPool = buffer_pool>
requires std::same_as<typename ContextPool::value_type, Context>
class arena_of_pools {
 public:
  using context_type = Context;
  using context_pointer = typename ContextPool::pointer;
  using buffer = decltype(std::declval<BufferPool&>().get(std::size_t{}));

  arena_of_pools() = default;
  /// Builds each part in place from a tuple of constructor arguments, e.g.
  /// arena_of_pools<ctx> m(std::piecewise_construct, std::forward_as_tuple(256 * 1024),
  ///                      std::forward_as_tuple(64), std::forward_as_tuple(buffer_pool_options{}));
  template <class... A, class... C, class... B>
  arena_of_pools(std::piecewise_construct_t, std::tuple<A...> arena_args, std::tuple<C...> context_args,
                 std::tuple<B...> buffer_args)
      : m_arena(std::make_from_tuple<Arena>(std::move(arena_args))),
        m_contexts(std::make_from_tuple<ContextPool>(std::move(context_args))),
        m_buffers(std::make_from_tuple<BufferPool>(std::move(buffer_args))) {}

  /// A reset context from the pool.
  [[nodiscard]] context_pointer alloc_context() { return m_contexts.get(); }
  /// Gives a context back (it is reset on the way in).
  void release_context(context_pointer c) { m_contexts.put(c); }
  /// A buffer of at least n bytes; it goes back to the pool when destroyed.
  /// A size the pool refuses throws what the pool's get() throws
  /// (buffer_pool: std::length_error above max_size()).
  [[nodiscard]] buffer alloc_buffer(std::size_t n) { return m_buffers.get(n); }
  /// A copy of s that lives until the next reset(). A size the arena refuses
  /// throws what the arena throws (arena::arena: std::bad_alloc).
  [[nodiscard]] std::string_view alloc_string(std::string_view s) { return arena::make_string(m_arena, s); }
  /// Ends a request: rewinds the arena (strings from alloc_string are gone).
  void reset() noexcept(noexcept(std::declval<Arena&>().reset())) { m_arena.reset(); }

  [[nodiscard]] Arena& get_arena() noexcept { return m_arena; }
  [[nodiscard]] ContextPool& contexts() noexcept { return m_contexts; }
  [[nodiscard]] BufferPool& buffers() noexcept { return m_buffers; }

 private:
  Arena m_arena;
  ContextPool m_contexts;
  BufferPool m_buffers;
};

}  // namespace pool
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_POOL_HPP
