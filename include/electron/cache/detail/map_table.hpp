// SPDX-License-Identifier: MIT
// electron/cache/detail/map_table.hpp: the open-addressing table that
// compact_map and compact_set share.
//
// Layout (ADR 0019): one allocation through the container's allocator holds
// G metadata groups (16 bytes each, map_group.hpp) followed by G * 15 slots
// of value_type, G a power of two. Slot 14 of the last group is the end
// sentinel (tag 1), so capacity() is 15 G - 1 and an iterator's ++ stops on
// it without a bounds check. A hash picks its home group with its high bits
// and a tag with its low byte; probing is quadratic over groups (triangular
// steps visit every group of a power-of-two table). The table grows when
// size() would pass 7/8 of capacity().
//
// Erase only clears the tag. An element that was placed past a full group
// set that group's overflow bit; bits are never cleared but by a rehash, so
// each erase from a group with overflow bits lowers the growth limit by one
// (the next rehash then comes sooner and clears the stale bits; the same
// countermeasure as boost::unordered_flat_map's).
#ifndef ELECTRON_CACHE_DETAIL_MAP_TABLE_HPP
#define ELECTRON_CACHE_DETAIL_MAP_TABLE_HPP

#include "electron/cache/detail/map_group.hpp"
#include "electron/config.hpp"
#include "electron/hash/detail/common.hpp"
#include "electron/hash/hasher.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace cache::detail {

/// The mixer applied to hashers that do not declare is_avalanching
/// (std::hash<int> is the identity): the 64x64 -> 128-bit product with
/// 2^64 / golden ratio, folded high ^ low, so consecutive keys spread over
/// groups and tags.
ELECTRON_ALWAYS_INLINE constexpr std::uint64_t mulx_fold(std::uint64_t a, std::uint64_t b) noexcept {
  return hash::detail::mul128_fold64(a, b);
}
/// 2^64 / golden ratio, odd.
inline constexpr std::uint64_t golden_multiplier = 0x9E3779B97F4A7C15ULL;

/// What the table needs to know about its element type: the map's
/// pair<const K, V> or the set's K.
template <class K, class V>
struct map_policy {
  using key_type = K;
  using value_type = std::pair<const K, V>;
  static const K& key(const value_type& v) noexcept { return v.first; }
  /// Both parts move without throwing (or cannot be copied): rehash moves.
  static constexpr bool move_on_transfer =
      (std::is_nothrow_move_constructible_v<K> && std::is_nothrow_move_constructible_v<V>) ||
      !(std::is_copy_constructible_v<K> && std::is_copy_constructible_v<V>);
  /// Builds *dst from src, moving when move_on_transfer and copying
  /// otherwise. The key is moved through a const_cast: src is destroyed right
  /// after and never read again (the same step node-based maps' extract
  /// takes).
  template <class A>
  static void transfer(A& a, value_type* dst, value_type& src) {
    if constexpr (move_on_transfer) {
      std::allocator_traits<A>::construct(a, dst, std::piecewise_construct,
                                          std::forward_as_tuple(std::move(const_cast<K&>(src.first))),
                                          std::forward_as_tuple(std::move(src.second)));
    } else {
      std::allocator_traits<A>::construct(a, dst, std::as_const(src));
    }
  }
};

template <class K>
struct set_policy {
  using key_type = K;
  using value_type = K;
  static const K& key(const value_type& v) noexcept { return v; }
  static constexpr bool move_on_transfer = std::is_nothrow_move_constructible_v<K> || !std::is_copy_constructible_v<K>;
  template <class A>
  static void transfer(A& a, value_type* dst, value_type& src) {
    if constexpr (move_on_transfer) {
      std::allocator_traits<A>::construct(a, dst, std::move(src));
    } else {
      std::allocator_traits<A>::construct(a, dst, std::as_const(src));
    }
  }
};

template <class Policy, class Hash, class Eq, class Alloc>
class table;

/// Forward iterator over a table (end: both pointers null): the slot's tag
/// byte (which tells the
/// group and the index in it), the slot, and a hint: the occupied slots of
/// the same group after this one when the iterator was last advanced (0:
/// unknown). ++ takes the next hinted slot when its tag is still set (an
/// element erased through another iterator clears it; the group is then
/// matched again), so walking a group costs no vector load per element.
/// Equality compares tags only, so the end of a table without storage needs
/// no slot.
template <class Value, bool Const>
class table_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::remove_const_t<Value>;
  using difference_type = std::ptrdiff_t;
  using pointer = std::conditional_t<Const, const Value*, Value*>;
  using reference = std::conditional_t<Const, const Value&, Value&>;

  table_iterator() noexcept = default;
  /// A const_iterator from an iterator.
  template <bool C = Const>
  requires C table_iterator(const table_iterator<Value, false>& other)
  noexcept  // NOLINT: implicit like std's
      : m_tag(other.m_tag), m_slot(other.m_slot), m_rest(other.m_rest) {}

  reference operator*() const noexcept { return *m_slot; }
  pointer operator->() const noexcept { return m_slot; }
  table_iterator& operator++() noexcept {
    advance();
    return *this;
  }
  table_iterator operator++(int) noexcept {
    table_iterator r = *this;
    advance();
    return r;
  }
  friend bool operator==(const table_iterator& a, const table_iterator& b) noexcept { return a.m_tag == b.m_tag; }

 private:
  template <class, bool>
  friend class table_iterator;
  template <class, class, class, class>
  friend class table;

  table_iterator(const byte* tag, Value* slot) noexcept : m_tag(tag), m_slot(slot) {}
  table_iterator(const byte* tag, Value* slot, std::uint32_t rest) noexcept : m_tag(tag), m_slot(slot), m_rest(rest) {}

  // The next occupied slot, or the sentinel (which counts as occupied, so
  // the loop ends there).
  ELECTRON_ALWAYS_INLINE void advance() noexcept {
    const auto j = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(m_tag) & 15u);
    if (ELECTRON_LIKELY(m_rest != 0)) {
      const unsigned k = lowest(m_rest);
      m_rest &= m_rest - 1;
      const byte* t = m_tag + (k - j);
      if (ELECTRON_LIKELY(*t > sentinel_tag)) {
        m_tag = t;
        m_slot += k - j;
        return;
      }
    }
    advance_slow(j);
  }
  void advance_slow(unsigned j) noexcept {
    const group* g = reinterpret_cast<const group*>(m_tag - j);
    std::uint32_t m = group_match_occupied(*g) & (group_slot_mask << (j + 1)) & group_slot_mask;
    if (m != 0) {
      const unsigned k = lowest(m);
      m_rest = m & (m - 1);
      m_tag += k - j;
      m_slot += k - j;
      if (ELECTRON_UNLIKELY(*m_tag == sentinel_tag)) *this = table_iterator();
      return;
    }
    m_slot += group_slots - j;
    for (;;) {
      ++g;
      m = group_match_occupied(*g);
      if (m != 0) {
        const unsigned k = lowest(m);
        m_rest = m & (m - 1);
        m_tag = g->tags + k;
        m_slot += k;
        if (ELECTRON_UNLIKELY(*m_tag == sentinel_tag)) *this = table_iterator();
        return;
      }
      m_slot += group_slots;
    }
  }

  const byte* m_tag = nullptr;
  Value* m_slot = nullptr;
  std::uint32_t m_rest = 0;
};

/// The table. Policy: map_policy or set_policy; Alloc: an allocator of
/// Policy::value_type.
template <class Policy, class Hash, class Eq, class Alloc>
class table {
 public:
  using key_type = typename Policy::key_type;
  using value_type = typename Policy::value_type;
  using size_type = std::size_t;
  using allocator_type = Alloc;
  using alloc_traits = std::allocator_traits<Alloc>;
  using iterator = table_iterator<value_type, false>;
  using const_iterator = table_iterator<value_type, true>;

  /// Where an element is (or goes): its tag byte and its slot.
  struct locator {
    byte* tag;
    value_type* slot;
  };

  /// The largest size (elements) a table accepts.
  static constexpr size_type max_elements() noexcept {
    return (electron::detail::max_allocation_size / (sizeof(value_type) + 2)) / 2;
  }

  table() noexcept(std::is_nothrow_default_constructible_v<Hash>&& std::is_nothrow_default_constructible_v<Eq>&&
                       std::is_nothrow_default_constructible_v<Alloc>)
      : table(0, Hash(), Eq(), Alloc()) {}
  table(size_type n, const Hash& h, const Eq& e, const Alloc& a) : m_hash(h), m_eq(e), m_alloc(a) {
    if (n != 0) {
      rehash_to(groups_for(n));
      m_reserved = n;
    }
  }
  table(const table& other, const Alloc& a) : m_hash(other.m_hash), m_eq(other.m_eq), m_alloc(a) {
    clone_from(other, [this](value_type* dst, const value_type& src) { alloc_traits::construct(m_alloc, dst, src); });
  }
  table(table&& other) noexcept(std::is_nothrow_move_constructible_v<Hash>&& std::is_nothrow_move_constructible_v<Eq>)
      : m_hash(std::move(other.m_hash)), m_eq(std::move(other.m_eq)), m_alloc(std::move(other.m_alloc)) {
    steal(other);
  }
  table(table&& other, const Alloc& a) : m_hash(other.m_hash), m_eq(other.m_eq), m_alloc(a) {
    if (m_alloc == other.m_alloc) {
      steal(other);
    } else {
      clone_from(other,
                 [this](value_type* dst, value_type& src) { alloc_traits::construct(m_alloc, dst, std::move(src)); });
      other.clear();
    }
  }
  ~table() { release(); }

  table& operator=(const table& other) {
    if (this == &other) return *this;
    constexpr bool pocca = alloc_traits::propagate_on_container_copy_assignment::value;
    table tmp(other, pocca ? other.m_alloc : m_alloc);
    swap_all<pocca>(tmp);
    return *this;
  }
  // Not noexcept with unequal allocators that do not propagate: the elements
  // are then moved one by one into new storage (as std::vector does).
  // NOLINTBEGIN(performance-noexcept-move-constructor)
  table& operator=(table&& other) noexcept((alloc_traits::propagate_on_container_move_assignment::value ||
                                            alloc_traits::is_always_equal::value) &&
                                           std::is_nothrow_move_assignable_v<Hash> &&
                                           std::is_nothrow_move_assignable_v<Eq>) {
    // NOLINTEND(performance-noexcept-move-constructor)
    if (this == &other) return *this;
    constexpr bool pocma = alloc_traits::propagate_on_container_move_assignment::value;
    if constexpr (pocma || alloc_traits::is_always_equal::value) {
      release();
      reset_empty();
      if constexpr (pocma) m_alloc = std::move(other.m_alloc);
      m_hash = std::move(other.m_hash);
      m_eq = std::move(other.m_eq);
      steal(other);
    } else {
      if (m_alloc == other.m_alloc) {
        release();
        reset_empty();
        m_hash = std::move(other.m_hash);
        m_eq = std::move(other.m_eq);
        steal(other);
      } else {
        table tmp(std::move(other), m_alloc);
        swap_all<false>(tmp);
      }
    }
    return *this;
  }

  void swap(table& other) noexcept(alloc_traits::propagate_on_container_swap::value ||
                                   alloc_traits::is_always_equal::value) {
    if constexpr (!alloc_traits::propagate_on_container_swap::value && !alloc_traits::is_always_equal::value) {
      ELECTRON_ASSERT(m_alloc == other.m_alloc, "compact_map::swap: unequal allocators that do not propagate");
    }
    using std::swap;
    swap(m_hash, other.m_hash);
    swap(m_eq, other.m_eq);
    if constexpr (alloc_traits::propagate_on_container_swap::value) swap(m_alloc, other.m_alloc);
    swap_storage(other);
  }

  // ---- observers --------------------------------------------------------
  size_type size() const noexcept { return m_size; }
  size_type capacity() const noexcept { return m_slots == nullptr ? 0 : groups() * group_slots - 1; }
  size_type groups() const noexcept { return m_group_mask + 1; }
  const Hash& hash_function() const noexcept { return m_hash; }
  const Eq& key_eq() const noexcept { return m_eq; }
  Alloc get_allocator() const noexcept { return m_alloc; }
  /// Bytes of the one allocation (0 without storage).
  size_type allocated_bytes() const noexcept {
    return m_slots == nullptr ? 0 : layout_for(groups()).chunks * sizeof(chunk);
  }

  // ---- iteration --------------------------------------------------------
  iterator begin() noexcept {
    if (m_size == 0) return end();
    const group* g = m_groups;
    value_type* s = m_slots;
    for (;;) {
      const std::uint32_t m = group_match_occupied(*g);
      if (m != 0) {
        const unsigned k = lowest(m);
        return iterator(g->tags + k, s + k, m & (m - 1));
      }
      ++g;
      s += group_slots;
    }
  }
  // ++ turns an iterator that reaches the end sentinel into the null one, so
  // end() is null and `find(k) != end()` compiles to the lookup's own test.
  iterator end() noexcept { return iterator(); }
  const_iterator begin() const noexcept { return const_cast<table*>(this)->begin(); }
  const_iterator end() const noexcept { return const_cast<table*>(this)->end(); }

  iterator to_iterator(locator l) const noexcept { return iterator(l.tag, l.slot); }
  iterator mutable_iterator(const_iterator it) const noexcept {
    return iterator(it.m_tag, const_cast<value_type*>(it.m_slot));
  }
  Alloc& allocator_ref() noexcept { return m_alloc; }

  // ---- lookup -----------------------------------------------------------
  /// Whether a lookup of a KeyLike cannot throw: hashing it and comparing
  /// it with a key are noexcept.
  template <class KeyLike>
  static constexpr bool nothrow_lookup =
      noexcept(static_cast<std::uint64_t>(std::declval<const Hash&>()(std::declval<const KeyLike&>()))) &&
      (noexcept(static_cast<bool>(std::declval<const Eq&>()(std::declval<const KeyLike&>(),
                                                            std::declval<const key_type&>()))) ||
       // std::equal_to<T>::operator() is not declared noexcept; on scalars it
       // is a built-in comparison.
       (std::is_same_v<Eq, std::equal_to<key_type>> && std::is_scalar_v<key_type> &&
        std::is_same_v<KeyLike, key_type>));
  template <class KeyLike>
  ELECTRON_ALWAYS_INLINE std::uint64_t hash_of(const KeyLike& k) const {
    const auto h = static_cast<std::uint64_t>(m_hash(k));
    if constexpr (hash::is_avalanching_v<Hash>) {
      return h;
    } else {
      return mulx_fold(h, golden_multiplier);
    }
  }

  template <class KeyLike>
  ELECTRON_ALWAYS_INLINE value_type* find_slot(const KeyLike& k) const {
    return find_at(k, hash_of(k)).slot;
  }

  /// The element equal to k ({nullptr, nullptr} when absent).
  template <class KeyLike>
  ELECTRON_ALWAYS_INLINE locator find_at(const KeyLike& k, std::uint64_t h) const {
    const byte t = tag_of(h);
    size_type pos = home_of(h);
    size_type step = 0;
    for (;;) {
      group* g = m_groups + pos;
      std::uint32_t m = group_match(*g, t);
      if (m != 0) {
        // Only a group with a matching tag has its slots read: a miss
        // (almost always no match) touches no element line.
        value_type* base = m_slots + pos * group_slots;
        do {
          const unsigned j = lowest(m);
          if (ELECTRON_LIKELY(m_eq(k, Policy::key(base[j])))) return {g->tags + j, base + j};
          m &= m - 1;
        } while (m != 0);
      }
      if (ELECTRON_LIKELY((g->overflow() & overflow_bit_of(h)) == 0)) return {nullptr, nullptr};
      if (ELECTRON_UNLIKELY(step >= m_group_mask)) return {nullptr, nullptr};
      ++step;
      pos = (pos + step) & m_group_mask;
    }
  }

  // ---- insertion --------------------------------------------------------
  /// Finds k, or inserts an element built by alloc_traits::construct(args...)
  /// (whose key must equal k). Strong guarantee when hash and eq do not
  /// throw: the table grows before the element is built, and the tag is set
  /// only after construction succeeded.
  template <class KeyLike, class... Args>
  std::pair<locator, bool> try_emplace_key(const KeyLike& k, Args&&... args) {
    const std::uint64_t h = hash_of(k);
    const locator found = find_at(k, h);
    if (found.slot != nullptr) return {found, false};
    return {insert_new(h, [&](value_type* dst) { alloc_traits::construct(m_alloc, dst, std::forward<Args>(args)...); }),
            true};
  }

  /// emplace for arguments the key cannot be read from: the element is
  /// built aside first (through the allocator), then transferred.
  template <class... Args>
  std::pair<locator, bool> emplace_aside(Args&&... args) {
    union holder {
      holder() noexcept {}
      ~holder() {}
      value_type v;
    } tmp;
    alloc_traits::construct(m_alloc, std::addressof(tmp.v), std::forward<Args>(args)...);
    struct destroy_guard {
      table* t;
      value_type* p;
      ~destroy_guard() { alloc_traits::destroy(t->m_alloc, p); }
    } guard{this, std::addressof(tmp.v)};
    const key_type& k = Policy::key(tmp.v);
    const std::uint64_t h = hash_of(k);
    const locator found = find_at(k, h);
    if (found.slot != nullptr) return {found, false};
    return {insert_new(h, [&](value_type* dst) { Policy::transfer(m_alloc, dst, tmp.v); }), true};
  }

  /// Places a new element whose hash is h (absent from the table), built by
  /// build(slot).
  template <class Build>
  ELECTRON_ALWAYS_INLINE locator insert_new(std::uint64_t h, Build&& build) {
    if (ELECTRON_UNLIKELY(m_size >= m_growth_limit)) {
      if (m_size < m_reserved && m_slots != nullptr) {
        // Inside the count last passed to reserve(): no rehash (iterators
        // and references stay valid); the table has a free slot, since
        // m_reserved <= the 7/8 limit of this capacity.
        m_growth_limit = m_reserved;
      } else {
        return insert_growing(h, build);
      }
    }
    const locator l = free_slot(h);
    build(l.slot);
    *l.tag = tag_of(h);
    ++m_size;
    return l;
  }

  /// insert_new when the table must grow. The element is built aside
  /// before the old storage is freed: the arguments (and the key) may refer
  /// to an element of this table. If the build throws, nothing changed; if
  /// the final transfer throws (a copy), the table has grown but holds the
  /// same elements.
  template <class Build>
  ELECTRON_NOINLINE locator insert_growing(std::uint64_t h, Build& build) {
    union holder {
      holder() noexcept {}
      ~holder() {}
      value_type v;
    } tmp;
    build(std::addressof(tmp.v));
    struct destroy_guard {
      table* t;
      value_type* p;
      ~destroy_guard() { alloc_traits::destroy(t->m_alloc, p); }
    } guard{this, std::addressof(tmp.v)};
    grow();
    const locator l = free_slot(h);
    Policy::transfer(m_alloc, l.slot, tmp.v);
    *l.tag = tag_of(h);
    ++m_size;
    return l;
  }

  // ---- erasure ----------------------------------------------------------
  void erase_at(byte* tag, value_type* slot) noexcept {
    alloc_traits::destroy(m_alloc, slot);
    *tag = empty_tag;
    --m_size;
    const auto j = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(tag) & 15u);
    const group* g = reinterpret_cast<const group*>(tag - j);
    if (g->overflow() != 0 && m_growth_limit > 0) --m_growth_limit;
  }
  iterator erase(const_iterator it) noexcept {
    iterator next(it.m_tag, const_cast<value_type*>(it.m_slot));
    ++next;
    erase_at(const_cast<byte*>(it.m_tag), const_cast<value_type*>(it.m_slot));
    return next;
  }
  template <class KeyLike>
  size_type erase_key(const KeyLike& k) {
    const locator l = find_at(k, hash_of(k));
    if (l.slot == nullptr) return 0;
    erase_at(l.tag, l.slot);
    return 1;
  }

  void clear() noexcept {
    if (m_slots == nullptr) return;
    destroy_all();
    std::memset(static_cast<void*>(m_groups), 0, groups() * sizeof(group));
    m_groups[m_group_mask].tags[group_slots - 1] = sentinel_tag;
    m_size = 0;
    m_growth_limit = limit_of(groups());
  }

  // ---- capacity ---------------------------------------------------------
  /// Room for n elements without a rehash.
  void reserve(size_type n) {
    if (n > m_growth_limit) rehash_to(std::max(groups_for(n), m_slots == nullptr ? size_type{1} : groups()));
    m_reserved = std::max(m_reserved, n);
  }
  /// At least n slots (and room for size()); may shrink; rehash(0) on an
  /// empty table frees the storage.
  void rehash(size_type n) {
    if (n == 0 && m_size == 0) {
      release();
      reset_empty();
      return;
    }
    check_size(n);
    size_type g = std::bit_ceil((n + group_slots) / group_slots);  // 15 g - 1 >= n
    g = std::max(g, groups_for(m_size));
    if (m_slots == nullptr || g != groups() || m_growth_limit < limit_of(g)) rehash_to(g);
  }

 private:
  static constexpr std::size_t slot_align = alignof(value_type) > 16 ? alignof(value_type) : 16;
  struct alignas(slot_align) chunk {
    byte b[slot_align];
  };
  using chunk_alloc = typename alloc_traits::template rebind_alloc<chunk>;
  using chunk_traits = std::allocator_traits<chunk_alloc>;
  struct layout {
    size_type slot_offset;
    size_type chunks;
  };

  static constexpr layout layout_for(size_type g) noexcept {
    const size_type off = (g * sizeof(group) + alignof(value_type) - 1) / alignof(value_type) * alignof(value_type);
    const size_type total = off + g * group_slots * sizeof(value_type);
    return {off, (total + sizeof(chunk) - 1) / sizeof(chunk)};
  }
  /// Elements a table of g groups holds before it grows: 7/8 of capacity.
  static constexpr size_type limit_of(size_type g) noexcept {
    return (g * group_slots - 1) / 8 * 7 + ((g * group_slots - 1) % 8) * 7 / 8;
  }
  static void check_size(size_type n) {
    if (ELECTRON_UNLIKELY(n > max_elements())) {
      electron::detail::throw_error<std::length_error>("electron::cache::compact_map: size above max_size()");
    }
  }
  /// The fewest groups (a power of two) that hold n elements.
  static size_type groups_for(size_type n) {
    check_size(n);
    size_type g = std::bit_ceil((n * 8 / 7 + group_slots) / group_slots);
    while (limit_of(g) < n) g *= 2;
    return g;
  }

  ELECTRON_ALWAYS_INLINE size_type home_of(std::uint64_t h) const noexcept {
    return static_cast<size_type>(h >> m_shift) & m_group_mask;
  }

  locator free_slot(std::uint64_t h) noexcept {
    const byte ob = overflow_bit_of(h);
    size_type pos = home_of(h);
    size_type step = 0;
    for (;;) {
      group* g = m_groups + pos;
      const std::uint32_t m = group_match_empty(*g);
      if (m != 0) {
        const unsigned j = lowest(m);
        return {g->tags + j, m_slots + pos * group_slots + j};
      }
      g->mark_overflow(ob);
      ++step;
      pos = (pos + step) & m_group_mask;
    }
  }

  // Room for 1/64 more elements than now at least: when erases from
  // overflowed groups have lowered the limit, a rehash at the same size
  // could otherwise come back after every few inserts under steady churn.
  ELECTRON_NOINLINE void grow() {
    const size_type need = groups_for(m_size + m_size / 64 + 1);
    rehash_to(m_slots == nullptr ? need : std::max(need, groups()));
  }

  struct storage {
    group* groups;
    value_type* slots;
  };
  storage allocate_storage(size_type g) {
    const layout l = layout_for(g);
    chunk_alloc ca(m_alloc);
    chunk* p = std::to_address(chunk_traits::allocate(ca, l.chunks));
    auto* bytes = reinterpret_cast<byte*>(p);
    auto* gs = reinterpret_cast<group*>(bytes);
    std::memset(static_cast<void*>(gs), 0, g * sizeof(group));
    gs[g - 1].tags[group_slots - 1] = sentinel_tag;
    return {gs, reinterpret_cast<value_type*>(bytes + l.slot_offset)};
  }
  void deallocate_storage(group* gs, size_type g) noexcept {
    chunk_alloc ca(m_alloc);
    auto* p = reinterpret_cast<chunk*>(gs);
    chunk_traits::deallocate(ca, std::pointer_traits<typename chunk_traits::pointer>::pointer_to(*p),
                             layout_for(g).chunks);
  }

  /// Calls f(tag, slot) on every element.
  template <class F>
  void for_each_element(F&& f) const {
    if (m_size == 0) return;
    size_type left = m_size;
    for (size_type gi = 0;; ++gi) {
      group& g = m_groups[gi];
      std::uint32_t m = group_match_occupied(g);
      if (gi == m_group_mask) m &= ~(std::uint32_t{1} << (group_slots - 1));
      while (m != 0) {
        const unsigned j = lowest(m);
        f(g.tags + j, m_slots + gi * group_slots + j);
        if (--left == 0) return;
        m &= m - 1;
      }
    }
  }
  void destroy_all() noexcept {
    if constexpr (!std::is_trivially_destructible_v<value_type>) {
      for_each_element([this](byte*, value_type* s) { alloc_traits::destroy(m_alloc, s); });
    }
  }
  void release() noexcept {
    if (m_slots == nullptr) return;
    destroy_all();
    deallocate_storage(m_groups, groups());
  }
  void reset_empty() noexcept {
    m_groups = const_cast<group*>(&empty_groups_holder::value);
    m_slots = nullptr;
    m_size = 0;
    m_group_mask = 0;
    m_shift = 63;
    m_growth_limit = 0;
    m_reserved = 0;
  }
  void steal(table& other) noexcept {
    m_groups = other.m_groups;
    m_slots = other.m_slots;
    m_size = other.m_size;
    m_group_mask = other.m_group_mask;
    m_shift = other.m_shift;
    m_growth_limit = other.m_growth_limit;
    m_reserved = other.m_reserved;
    other.reset_empty();
  }
  void swap_storage(table& other) noexcept {
    std::swap(m_groups, other.m_groups);
    std::swap(m_slots, other.m_slots);
    std::swap(m_size, other.m_size);
    std::swap(m_group_mask, other.m_group_mask);
    std::swap(m_shift, other.m_shift);
    std::swap(m_growth_limit, other.m_growth_limit);
    std::swap(m_reserved, other.m_reserved);
  }
  // With SwapAlloc false the two allocators must be equal (the storage then
  // may change hands without them; polymorphic_allocator cannot be assigned).
  template <bool SwapAlloc>
  void swap_all(table& other) noexcept {
    using std::swap;
    swap(m_hash, other.m_hash);
    swap(m_eq, other.m_eq);
    if constexpr (SwapAlloc) swap(m_alloc, other.m_alloc);
    swap_storage(other);
  }
  void set_geometry(size_type g) noexcept {
    m_group_mask = g - 1;
    const auto bits = static_cast<unsigned>(std::countr_zero(g));
    m_shift = bits == 0 ? 63u : 64u - bits;
  }

  /// Same geometry and tags as other; each element built by
  /// build(dst, src) at the same index. If a build throws, what was built is
  /// destroyed, the storage freed, and *this is left empty.
  template <class Build>
  void clone_from(const table& other, Build&& build) {
    if (other.m_slots == nullptr) return;
    const size_type g = other.groups();
    const storage s = allocate_storage(g);
    std::memcpy(static_cast<void*>(s.groups), other.m_groups, g * sizeof(group));
    size_type done = 0;
#if ELECTRON_HAS_EXCEPTIONS
    try {
#endif
      other.for_each_element([&](byte* tag, value_type* src) {
        const auto idx = static_cast<size_type>(src - other.m_slots);
        build(s.slots + idx, *src);
        static_cast<void>(tag);
        ++done;
      });
#if ELECTRON_HAS_EXCEPTIONS
    } catch (...) {
      other.for_each_element([&](byte*, value_type* src) {
        if (done == 0) return;
        --done;
        alloc_traits::destroy(m_alloc, s.slots + (src - other.m_slots));
      });
      deallocate_storage(s.groups, g);
      throw;
    }
#endif
    m_groups = s.groups;
    m_slots = s.slots;
    m_size = other.m_size;
    set_geometry(g);
    m_growth_limit = other.m_growth_limit;
    m_reserved = other.m_reserved;
  }

  /// Moves every element into a new table of g groups. When elements move
  /// without throwing, each is moved and its old copy destroyed; otherwise
  /// each is copied, and a copy that throws leaves the table as it was.
  void rehash_to(size_type g) {
    const storage s = allocate_storage(g);
    const size_type old_groups = groups();
    group* const old_g = m_groups;
    const bool had_storage = m_slots != nullptr;
    const size_type mask = g - 1;
    const auto bits = static_cast<unsigned>(std::countr_zero(g));
    const unsigned shift = bits == 0 ? 63u : 64u - bits;
    auto place = [&](std::uint64_t h) -> locator {
      const byte ob = overflow_bit_of(h);
      size_type pos = static_cast<size_type>(h >> shift) & mask;
      size_type step = 0;
      for (;;) {
        group* grp = s.groups + pos;
        const std::uint32_t m = group_match_empty(*grp);
        if (m != 0) {
          const unsigned j = lowest(m);
          return {grp->tags + j, s.slots + pos * group_slots + j};
        }
        grp->mark_overflow(ob);
        ++step;
        pos = (pos + step) & mask;
      }
    };
    if constexpr (Policy::move_on_transfer) {
      // Moves that throw (only a move-only element's) give the basic
      // guarantee: the elements moved so far are kept, the rest dropped.
#if ELECTRON_HAS_EXCEPTIONS
      size_type moved = 0;
      try {
#endif
        for_each_element([&](byte* tag, value_type* src) {
          const std::uint64_t h = hash_of(Policy::key(*src));
          const locator l = place(h);
          Policy::transfer(m_alloc, l.slot, *src);
          *l.tag = tag_of(h);
          alloc_traits::destroy(m_alloc, src);
          *tag = empty_tag;
#if ELECTRON_HAS_EXCEPTIONS
          ++moved;
#endif
        });
#if ELECTRON_HAS_EXCEPTIONS
      } catch (...) {
        // Old table: the elements not moved yet; destroy them there.
        destroy_all_in_place_after_failure(moved);
        deallocate_storage(old_g, old_groups);
        m_groups = s.groups;
        m_slots = s.slots;
        m_size = moved;
        set_geometry(g);
        m_growth_limit = limit_of(g);
        m_reserved = std::min(m_reserved, m_growth_limit);
        throw;
      }
#endif
    } else {
      size_type done = 0;
#if ELECTRON_HAS_EXCEPTIONS
      try {
#endif
        for_each_element([&](byte*, value_type* src) {
          const std::uint64_t h = hash_of(Policy::key(*src));
          const locator l = place(h);
          Policy::transfer(m_alloc, l.slot, *src);
          *l.tag = tag_of(h);
          ++done;
        });
#if ELECTRON_HAS_EXCEPTIONS
      } catch (...) {
        destroy_storage_elements(s, g);
        deallocate_storage(s.groups, g);
        throw;
      }
#endif
      static_cast<void>(done);
      destroy_all();
    }
    if (had_storage) deallocate_storage(old_g, old_groups);
    m_groups = s.groups;
    m_slots = s.slots;
    set_geometry(g);
    m_growth_limit = limit_of(g);
    m_reserved = std::min(m_reserved, m_growth_limit);
  }

  void destroy_storage_elements(const storage& s, size_type g) noexcept {
    for (size_type gi = 0; gi < g; ++gi) {
      std::uint32_t m = group_match_occupied(s.groups[gi]);
      if (gi == g - 1) m &= ~(std::uint32_t{1} << (group_slots - 1));
      while (m != 0) {
        const unsigned j = lowest(m);
        alloc_traits::destroy(m_alloc, s.slots + gi * group_slots + j);
        m &= m - 1;
      }
    }
  }
  void destroy_all_in_place_after_failure(size_type moved) noexcept {
    // The moved elements' old tags are already cleared; what is left in the
    // old groups still needs its destructor.
    const size_type g = groups();
    for (size_type gi = 0; gi < g; ++gi) {
      std::uint32_t m = group_match_occupied(m_groups[gi]);
      if (gi == g - 1) m &= ~(std::uint32_t{1} << (group_slots - 1));
      while (m != 0) {
        const unsigned j = lowest(m);
        alloc_traits::destroy(m_alloc, m_slots + gi * group_slots + j);
        m &= m - 1;
      }
    }
    static_cast<void>(moved);
  }

  group* m_groups = const_cast<group*>(&empty_groups_holder::value);
  value_type* m_slots = nullptr;
  size_type m_size = 0;
  size_type m_group_mask = 0;
  unsigned m_shift = 63;
  size_type m_growth_limit = 0;
  // The largest count passed to reserve() (at most limit_of(groups())):
  // below it an insert never rehashes, even when erases from overflowed
  // groups have lowered m_growth_limit.
  size_type m_reserved = 0;
  [[no_unique_address]] Hash m_hash;
  [[no_unique_address]] Eq m_eq;
  [[no_unique_address]] Alloc m_alloc;
};

}  // namespace cache::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CACHE_DETAIL_MAP_TABLE_HPP
