// SPDX-License-Identifier: MIT
// electron/sched/detail/chase_lev_deque.hpp: the work-stealing deque under
// electron::sched::scheduler (one per worker).
//
// Chase and Lev, "Dynamic Circular Work-Stealing Deque" (SPAA 2005), with the
// memory orders of Le, Pop, Cohen and Zappa Nardelli, "Correct and Efficient
// Work-Stealing for Weak Memory Models" (PPoPP 2013), written without
// standalone fences (see the comments on pop() and steal()).
#ifndef ELECTRON_SCHED_DETAIL_CHASE_LEV_DEQUE_HPP
#define ELECTRON_SCHED_DETAIL_CHASE_LEV_DEQUE_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace sched {
namespace detail {

/// What a Chase-Lev deque can hold: values an atomic holds without a lock
/// (the deque stores pointers to tasks).
template <class T>
concept deque_element = std::is_trivially_copyable_v<T> && std::atomic<T>::is_always_lock_free;

/// Outcome of chase_lev_deque::steal().
enum class steal_result : unsigned char {
  success,  ///< the oldest element was taken
  empty,    ///< the deque looked empty
  lost,     ///< another thief or the owner took the element first; try again
};

/// A single-owner, multi-thief deque of T. The owner push()es and pop()s at
/// the bottom (LIFO); any thread steal()s at the top (FIFO). The circular
/// array doubles when full; an outgrown array is kept (a thief may still be
/// reading it) and freed with the deque, so retired memory is less than the
/// live array's. push/pop/steal are lock-free; push allocates when it grows
/// (what the memory resource throws, std::bad_alloc by default), nothing else
/// allocates or throws. Every array comes from the memory resource given to
/// the constructor.
///
/// Thread safety: push() and pop() only from the owning thread; steal() and
/// size_estimate() from any thread.
template <deque_element T>
class chase_lev_deque {
 public:
  /// An empty deque with room for `initial_capacity` elements (rounded up to
  /// a power of two, at least 2) before it first grows; its arrays come from
  /// `resource` (which must outlive the deque).
  explicit chase_lev_deque(std::size_t initial_capacity = 256,
                           std::pmr::memory_resource* resource = std::pmr::new_delete_resource())
      : m_resource(resource), m_ring(make_ring(round_capacity(initial_capacity))) {}
  chase_lev_deque(const chase_lev_deque&) = delete;
  chase_lev_deque& operator=(const chase_lev_deque&) = delete;
  /// Frees the array and every outgrown one. No thread may be using the deque.
  ~chase_lev_deque() {
    free_ring(m_ring.load(std::memory_order_relaxed));
    while (m_retired != nullptr) free_ring(std::exchange(m_retired, m_retired->retired_next));
  }

  /// Owner only. Adds x at the bottom. `publish` is the order of the store
  /// that makes x visible to thieves: release (the paper's release fence and
  /// relaxed store) suffices for the deque; the scheduler asks for seq_cst,
  /// which also orders the store before its later check for sleeping
  /// workers (a store-load pair that release does not order).
  ELECTRON_ALWAYS_INLINE void push(T x, std::memory_order publish = std::memory_order_release) {
    const std::int64_t b = m_bottom.load(std::memory_order_relaxed);
    const std::int64_t t = m_top.load(std::memory_order_acquire);
    ring* r = m_ring.load(std::memory_order_relaxed);
    if (ELECTRON_UNLIKELY(b - t > r->mask)) r = grow(r, t, b);
    r->put(b, x);
    m_bottom.store(b + 1, publish);
  }

  /// Owner only. Takes the newest element, or nullopt when empty.
  ELECTRON_ALWAYS_INLINE std::optional<T> pop() noexcept {
    const std::int64_t b = m_bottom.load(std::memory_order_relaxed) - 1;
    // Top only grows, so a stale top is a smaller one: when even that shows
    // the deque empty it is empty, and the seq_cst store below is skipped.
    if (b < m_top.load(std::memory_order_relaxed)) return std::nullopt;
    ring* r = m_ring.load(std::memory_order_relaxed);
    // The paper: relaxed store of bottom, seq_cst fence, relaxed load of top.
    // Here both accesses are seq_cst instead. What the fence buys is that the
    // owner and a thief racing for the same element cannot both miss each
    // other: the thief loads top then bottom (both seq_cst, see steal()). If
    // the owner's load of top returned a value older than the thief's CAS
    // (so it took element b without a CAS) while the thief's load of bottom
    // returned a value older than this store, then in the single total order
    // S of seq_cst operations: store(bottom) < load(top) (program order) <
    // the thief's CAS on top (the load read an earlier value: coherence) <=
    // the thief's load of top < its load of bottom, and that load, reading a
    // value older than store(bottom), would have to precede it in S
    // ([atomics.order]/4, C++20). Contradiction: one of them sees the other.
    // TSan understands seq_cst accesses; it does not model standalone fences.
    m_bottom.store(b, std::memory_order_seq_cst);
    std::int64_t t = m_top.load(std::memory_order_seq_cst);
    if (t > b) {  // a thief took the last element
      m_bottom.store(b + 1, std::memory_order_relaxed);
      return std::nullopt;
    }
    const T x = r->get(b);
    if (t == b) {
      // The last element: the owner competes with thieves through top.
      const bool won = m_top.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed);
      m_bottom.store(b + 1, std::memory_order_relaxed);
      if (!won) return std::nullopt;
    }
    return x;
  }

  /// Any thread. Takes the oldest element into `out` (success), or reports
  /// empty, or lost when another thread took it first.
  ELECTRON_ALWAYS_INLINE steal_result steal(T& out) noexcept {
    // The paper: acquire load of top, seq_cst fence, acquire load of bottom.
    // Two seq_cst loads keep the order the fence gave (the argument is in
    // pop()); seq_cst loads are also acquire loads, so reading bottom
    // synchronizes with the push that published the element.
    std::int64_t t = m_top.load(std::memory_order_seq_cst);
    const std::int64_t b = m_bottom.load(std::memory_order_seq_cst);
    if (t >= b) return steal_result::empty;
    // The paper's consume load; acquire pairs with grow()'s release store,
    // so the copied elements of a new array are visible. An outgrown array
    // is never freed while the deque lives, so reading from it is safe, and
    // its element t is still the element t (the owner writes only into the
    // newest array, and only at indices the CAS below protects).
    ring* r = m_ring.load(std::memory_order_acquire);
    const T x = r->get(t);
    if (!m_top.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
      return steal_result::lost;
    }
    out = x;
    return steal_result::success;
  }

  /// Elements in the deque (a snapshot; exact only when no one else acts).
  [[nodiscard]] std::size_t size_estimate() const noexcept {
    const std::int64_t t = m_top.load(std::memory_order_seq_cst);
    const std::int64_t b = m_bottom.load(std::memory_order_seq_cst);
    return b > t ? static_cast<std::size_t>(b - t) : 0;
  }

  /// Capacity of the current array (grows by doubling).
  [[nodiscard]] std::size_t capacity() const noexcept {
    return static_cast<std::size_t>(m_ring.load(std::memory_order_acquire)->mask + 1);
  }

 private:
  // One allocation: the header, then the slots.
  struct ring {
    ring(std::int64_t capacity, std::atomic<T>* storage) noexcept : mask(capacity - 1), slots(storage) {}
    ring(const ring&) = delete;
    ring& operator=(const ring&) = delete;
    // Elements are atomics: a thief may read a slot the owner is rewriting
    // (its CAS then fails and the value is discarded), as in the paper.
    T get(std::int64_t i) const noexcept {
      return slots[static_cast<std::size_t>(i & mask)].load(std::memory_order_relaxed);
    }
    void put(std::int64_t i, T x) noexcept {
      slots[static_cast<std::size_t>(i & mask)].store(x, std::memory_order_relaxed);
    }

    std::int64_t mask;
    std::atomic<T>* slots;
    ring* retired_next = nullptr;
  };

  static std::size_t ring_bytes(std::int64_t capacity) noexcept {
    return slots_offset + sizeof(std::atomic<T>) * static_cast<std::size_t>(capacity);
  }
  static constexpr std::size_t slots_offset =
      (sizeof(ring) + alignof(std::atomic<T>) - 1) / alignof(std::atomic<T>) * alignof(std::atomic<T>);
  static constexpr std::size_t ring_align = alignof(ring) > alignof(std::atomic<T>) ? alignof(ring)
                                                                                    : alignof(std::atomic<T>);

  ring* make_ring(std::int64_t capacity) {
    void* block = m_resource->allocate(ring_bytes(capacity), ring_align);
    auto* slots = reinterpret_cast<std::atomic<T>*>(static_cast<unsigned char*>(block) + slots_offset);
    for (std::int64_t i = 0; i < capacity; ++i) ::new (static_cast<void*>(slots + i)) std::atomic<T>();
    return ::new (block) ring(capacity, slots);
  }
  void free_ring(ring* r) noexcept {
    // std::atomic<T> of a trivially copyable T: nothing to destroy.
    const std::int64_t capacity = r->mask + 1;
    r->~ring();
    m_resource->deallocate(r, ring_bytes(capacity), ring_align);
  }

  static std::int64_t round_capacity(std::size_t n) noexcept {
    std::size_t c = 2;
    while (c < n) c *= 2;
    return static_cast<std::int64_t>(c);
  }

  ELECTRON_NOINLINE ring* grow(ring* old, std::int64_t t, std::int64_t b) {
    ring* bigger = make_ring(2 * (old->mask + 1));
    for (std::int64_t i = t; i < b; ++i) bigger->put(i, old->get(i));
    old->retired_next = m_retired;
    m_retired = old;
    m_ring.store(bigger, std::memory_order_release);
    return bigger;
  }

  std::pmr::memory_resource* m_resource;
  // Thieves write top, the owner writes bottom: each on its own lines.
  alignas(cache::false_sharing_range) std::atomic<std::int64_t> m_top{0};
  alignas(cache::false_sharing_range) std::atomic<std::int64_t> m_bottom{0};
  alignas(cache::false_sharing_range) std::atomic<ring*> m_ring;
  ring* m_retired = nullptr;  // owner only
};

}  // namespace detail
}  // namespace sched
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SCHED_DETAIL_CHASE_LEV_DEQUE_HPP
