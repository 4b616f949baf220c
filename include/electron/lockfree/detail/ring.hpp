// SPDX-License-Identifier: MIT
// electron/lockfree/detail/ring.hpp: sizing and storage of the queues'
// rings (and the stack's node chunks), taken from a std::pmr::memory_resource.
#ifndef ELECTRON_LOCKFREE_DETAIL_RING_HPP
#define ELECTRON_LOCKFREE_DETAIL_RING_HPP

#include "electron/config.hpp"

#include <bit>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <new>
#include <stdexcept>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace lockfree::detail {

// The largest power of two of slots of `slot_size` bytes that fit in
// max_allocation_size: every request up to it rounds up to at most it.
constexpr std::size_t max_ring_slots(std::size_t slot_size) noexcept {
  return std::bit_floor(electron::detail::max_allocation_size / slot_size);
}

// n rounded up to a power of two (at least 2); std::length_error above `max`
// (a power of two), before anything is allocated.
inline std::size_t ring_capacity(std::size_t n, std::size_t max) {
  if (n > max) electron::detail::throw_error<std::length_error>("electron::lockfree: queue capacity too large");
  return n < 2 ? 2 : std::bit_ceil(n);
}

// The upstream resource a constructor was given, checked.
inline std::pmr::memory_resource* checked(std::pmr::memory_resource* upstream) noexcept {
  ELECTRON_ASSERT(upstream != nullptr, "electron::lockfree: null memory_resource");
  return upstream;
}

// `count` value-initialized Slots from `upstream`, aligned for Slot, given
// back to the same resource (with the same size and alignment) by the
// destructor. The caller keeps count * sizeof(Slot) within
// max_allocation_size (ring_capacity / max_ring_slots), so it cannot wrap.
// Slot's default constructor must not throw (atomics and raw storage).
template <class Slot>
class ring_storage {
  static_assert(std::is_nothrow_default_constructible_v<Slot> && std::is_nothrow_destructible_v<Slot>);

 public:
  ring_storage(std::size_t count, std::pmr::memory_resource* upstream)
      : m_upstream(upstream), m_count(count), m_slots(allocate(upstream, count)) {}
  ring_storage(const ring_storage&) = delete;
  ring_storage& operator=(const ring_storage&) = delete;
  ~ring_storage() { release(m_upstream, m_slots, m_count); }

  Slot& operator[](std::size_t i) const noexcept { return m_slots[i]; }
  Slot* data() const noexcept { return m_slots; }
  std::pmr::memory_resource* upstream() const noexcept { return m_upstream; }

  // A raw block of `count` constructed Slots (the stack's chunks, which are
  // published through an atomic pointer rather than owned by an object).
  static Slot* allocate(std::pmr::memory_resource* upstream, std::size_t count) {
    void* p = upstream->allocate(count * sizeof(Slot), alignof(Slot));
    Slot* slots = static_cast<Slot*>(p);
    std::uninitialized_value_construct_n(slots, count);
    return slots;
  }
  static void release(std::pmr::memory_resource* upstream, Slot* slots, std::size_t count) noexcept {
    if (slots == nullptr) return;
    std::destroy_n(slots, count);
    upstream->deallocate(slots, count * sizeof(Slot), alignof(Slot));
  }

 private:
  std::pmr::memory_resource* m_upstream;
  std::size_t m_count;
  Slot* m_slots;
};

}  // namespace lockfree::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_LOCKFREE_DETAIL_RING_HPP
