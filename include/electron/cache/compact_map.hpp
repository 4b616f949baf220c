// SPDX-License-Identifier: MIT
// electron/cache/compact_map.hpp: open-addressing hash map and set whose
// elements live in one flat array next to 16-byte metadata groups.
//
// compact_map<K, V> and compact_set<K> follow std::unordered_map and
// std::unordered_set's interface (no buckets, no node handles). A lookup
// reads one 16-byte group of tags (one SIMD compare for its 15 slots) and,
// almost always, one element; the table grows at 7/8 load (ADR 0019).
//
// Guarantees:
// - insert / emplace / try_emplace / operator[] of one element: strong
//   guarantee when the hasher and key_equal do not throw (the table grows
//   before the element is built; a throwing constructor changes nothing).
// - Rehash (an insert that grows, reserve, rehash) invalidates every
//   iterator, pointer and reference; erase invalidates only the erased
//   element's. erase(it) returns the next element's iterator, so erasing
//   while iterating is valid.
// - Elements are built and destroyed through the allocator (rebound once for
//   the storage block): std::allocator, std::pmr::polymorphic_allocator
//   (cache::pmr::compact_map), an arena through arena::arena_resource.
// - Not thread-safe: one writer and no concurrent readers, or only readers.
//
//   electron::cache::compact_map<std::uint64_t, int> m;
//   m[42] = 1;
//   if (auto it = m.find(42); it != m.end()) use(it->second);
#ifndef ELECTRON_CACHE_COMPACT_MAP_HPP
#define ELECTRON_CACHE_COMPACT_MAP_HPP

#include "electron/cache/detail/map_table.hpp"
#include "electron/config.hpp"
#include "electron/hash/hasher.hpp"

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <memory_resource>
#include <random>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace cache {

/// E compares two K for equality (std::equal_to<K> is one).
template <class E, class K>
concept key_equality = std::copy_constructible<E> && requires(const E& e, const K& a, const K& b) {
  { e(a, b) } -> std::convertible_to<bool>;
};

/// Hash and Eq both declare is_transparent: lookups then take any key type
/// they accept (e.g. std::string_view for std::string keys).
template <class Hash, class Eq>
concept transparent_lookup = requires {
  typename Hash::is_transparent;
  typename Eq::is_transparent;
};

/// A (standard) allocator of T.
template <class A, class T>
concept allocator_of = std::copy_constructible<A> && std::equality_comparable<A> &&
    std::same_as<typename std::allocator_traits<A>::value_type, T>;

namespace detail {
/// The process's seed for seeded_hash: drawn once from std::random_device,
/// the clock and an address.
inline std::uint64_t process_seed() noexcept;
template <class P, class K>
struct pair_first_is : std::false_type {};
template <class A, class B, class K>
struct pair_first_is<std::pair<A, B>, K> : std::is_same<std::remove_cvref_t<A>, K> {};
template <class H>
struct transparent_if {};
template <class H>
requires requires { typename H::is_transparent; }
struct transparent_if<H> {
  using is_transparent = void;
};
}  // namespace detail

/// H with a per-instance seed mixed into its output (SplitMix64's finalizer
/// over h(k) ^ seed), so which keys share a group or a tag is unpredictable
/// without the seed: keys picked to collide in compact_map's reduced hash
/// bits (a flood of equal tags in one group) stop colliding. It cannot undo
/// full collisions of H itself (two keys with one H value): for string keys
/// from an adversary, H should also be seeded or keyed (e.g. xxh3 with a
/// secret seed). Default seed: one random value per process. Declares
/// is_avalanching, and is_transparent when H does. Not a cryptographic MAC.
template <class K, class H = std::hash<K>>
requires hash::hasher<H, K>
struct seeded_hash : detail::transparent_if<H> {
  using is_avalanching = void;

  /// The process's random seed and a default H.
  seeded_hash() noexcept(std::is_nothrow_default_constructible_v<H>) : seeded_hash(detail::process_seed()) {}
  /// The given seed (two instances with one seed hash alike) and hasher.
  explicit seeded_hash(std::uint64_t seed, const H& h = H()) : m_hash(h), m_seed(seed) {}

  /// The seeded hash of k (any key type H takes).
  template <class KeyLike>
  requires hash::hasher<H, KeyLike> std::uint64_t operator()(const KeyLike& k) const
      noexcept(noexcept(std::declval<const H&>()(k))) {
    return electron::detail::mix64(static_cast<std::uint64_t>(m_hash(k)) ^ m_seed);
  }
  /// The seed in use.
  std::uint64_t seed() const noexcept { return m_seed; }

 private:
  [[no_unique_address]] H m_hash;
  std::uint64_t m_seed;
};

/// Open-addressing hash map from K to V (value_type std::pair<const K, V>)
/// with std::unordered_map's interface. Elements live in one flat array;
/// capacity() is counted in slots. Lookups cost one 16-byte group compare
/// and usually one key comparison. Single-threaded. Allocator-aware.
template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          class Alloc = std::allocator<std::pair<const K, V>>>
requires hash::hasher<Hash, K> && key_equality<Eq, K> && allocator_of<Alloc, std::pair<const K, V>>
class compact_map {
  using table_type = detail::table<detail::map_policy<K, V>, Hash, Eq, Alloc>;
  using alloc_traits = std::allocator_traits<Alloc>;
  static constexpr bool transparent = transparent_lookup<Hash, Eq>;

 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = value_type&;
  using const_reference = const value_type&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  /// Forward iterators; valid until a rehash or their element's erase.
  using iterator = typename table_type::iterator;
  using const_iterator = typename table_type::const_iterator;

  // ---- construction -------------------------------------------------------
  /// Empty, no allocation.
  compact_map() noexcept(noexcept(table_type())) = default;
  /// Room for n elements.
  explicit compact_map(size_type n, const Hash& h = Hash(), const Eq& e = Eq(), const Alloc& a = Alloc())
      : m_t(n, h, e, a) {}
  compact_map(size_type n, const Alloc& a) : m_t(n, Hash(), Eq(), a) {}
  compact_map(size_type n, const Hash& h, const Alloc& a) : m_t(n, h, Eq(), a) {}
  explicit compact_map(const Alloc& a) : m_t(0, Hash(), Eq(), a) {}
  template <std::input_iterator It, std::sentinel_for<It> S>
  compact_map(It first, S last, size_type n = 0, const Hash& h = Hash(), const Eq& e = Eq(), const Alloc& a = Alloc())
      : m_t(n, h, e, a) {
    insert(first, last);
  }
  template <std::input_iterator It, std::sentinel_for<It> S>
  compact_map(It first, S last, size_type n, const Alloc& a) : compact_map(first, last, n, Hash(), Eq(), a) {}
  compact_map(std::initializer_list<value_type> il, size_type n = 0, const Hash& h = Hash(), const Eq& e = Eq(),
              const Alloc& a = Alloc())
      : compact_map(il.begin(), il.end(), n, h, e, a) {}
  compact_map(std::initializer_list<value_type> il, size_type n, const Alloc& a)
      : compact_map(il.begin(), il.end(), n, Hash(), Eq(), a) {}
  /// Copy (allocator from select_on_container_copy_construction); same
  /// capacity, elements copied slot for slot.
  compact_map(const compact_map& o)
      : m_t(o.m_t, alloc_traits::select_on_container_copy_construction(o.m_t.get_allocator())) {}
  compact_map(const compact_map& o, const Alloc& a) : m_t(o.m_t, a) {}
  /// Move: takes o's storage; o is left empty.
  compact_map(compact_map&& o) noexcept(std::is_nothrow_move_constructible_v<table_type>) = default;
  /// Takes o's storage when the allocators are equal, else moves element by element.
  compact_map(compact_map&& o, const Alloc& a) : m_t(std::move(o.m_t), a) {}
  compact_map& operator=(const compact_map&) = default;
  // Not noexcept with unequal allocators that do not propagate: the
  // elements must then be moved one by one into new storage (as std::vector).
  // NOLINTNEXTLINE(performance-noexcept-move-constructor)
  compact_map& operator=(compact_map&&) noexcept(std::is_nothrow_move_assignable_v<table_type>) = default;
  compact_map& operator=(std::initializer_list<value_type> il) {
    clear();
    insert(il);
    return *this;
  }
  ~compact_map() = default;

  // ---- iterators ----------------------------------------------------------
  iterator begin() noexcept { return m_t.begin(); }
  const_iterator begin() const noexcept { return m_t.begin(); }
  const_iterator cbegin() const noexcept { return m_t.begin(); }
  iterator end() noexcept { return m_t.end(); }
  const_iterator end() const noexcept { return m_t.end(); }
  const_iterator cend() const noexcept { return m_t.end(); }

  // ---- capacity -----------------------------------------------------------
  [[nodiscard]] bool empty() const noexcept { return m_t.size() == 0; }
  size_type size() const noexcept { return m_t.size(); }
  size_type max_size() const noexcept { return table_type::max_elements(); }
  /// Slots (elements the table holds at 100% load; it grows at 7/8).
  size_type capacity() const noexcept { return m_t.capacity(); }
  float load_factor() const noexcept {
    return capacity() == 0 ? 0.0f : static_cast<float>(size()) / static_cast<float>(capacity());
  }
  /// 0.875, fixed.
  float max_load_factor() const noexcept { return 0.875f; }
  /// Accepted and ignored: the layout's probing relies on a 7/8 bound.
  void max_load_factor(float) noexcept {}
  /// Room for n elements without a rehash. Throws std::length_error above max_size().
  void reserve(size_type n) { m_t.reserve(n); }
  /// At least n slots and room for size(); may shrink.
  void rehash(size_type n) { m_t.rehash(n); }

  // ---- modifiers ----------------------------------------------------------
  std::pair<iterator, bool> insert(const value_type& v) { return emplace(v); }
  std::pair<iterator, bool> insert(value_type&& v) { return emplace(std::move(v)); }
  template <class P>
  requires(std::constructible_from<value_type, P&&> &&
           !std::same_as<std::remove_cvref_t<P>, value_type>) std::pair<iterator, bool> insert(P&& p) {
    return emplace(std::forward<P>(p));
  }
  /// Each element in turn (basic guarantee).
  template <std::input_iterator It, std::sentinel_for<It> S>
  void insert(It first, S last) {
    for (; first != last; ++first) emplace(*first);
  }
  void insert(std::initializer_list<value_type> il) { insert(il.begin(), il.end()); }

  /// Builds value_type(args...) unless its key is present.
  template <class... Args>
  requires std::constructible_from<value_type, Args&&...> std::pair<iterator, bool> emplace(Args&&... args) {
    if constexpr (sizeof...(Args) == 2 && std::same_as<std::remove_cvref_t<first_of<Args...>>, K>) {
      return emplace_key_value(std::forward<Args>(args)...);
    } else if constexpr (sizeof...(Args) == 1 && is_pair_with_key<std::remove_cvref_t<first_of<Args...>>>) {
      return emplace_pair(std::forward<Args>(args)...);
    } else {
      return wrap(m_t.emplace_aside(std::forward<Args>(args)...));
    }
  }
  /// If k is absent, inserts (k, V(args...)); else does nothing (args are
  /// not moved from).
  template <class... Args>
  requires std::constructible_from<V, Args&&...> std::pair<iterator, bool> try_emplace(const K& k, Args&&... args) {
    return wrap(m_t.try_emplace_key(k, std::piecewise_construct, std::forward_as_tuple(k),
                                    std::forward_as_tuple(std::forward<Args>(args)...)));
  }
  template <class... Args>
  requires std::constructible_from<V, Args&&...> std::pair<iterator, bool> try_emplace(K&& k, Args&&... args) {
    // forward_as_tuple only binds a reference: k is moved from when the
    // element is built, after try_emplace_key has hashed and probed it.
    // NOLINTNEXTLINE(bugprone-use-after-move)
    return wrap(m_t.try_emplace_key(k, std::piecewise_construct, std::forward_as_tuple(std::move(k)),
                                    std::forward_as_tuple(std::forward<Args>(args)...)));
  }
  /// Heterogeneous try_emplace: K is built from k only when inserted.
  template <class KeyLike, class... Args>
  requires(transparent && !std::convertible_to<KeyLike&&, const_iterator> &&
           !std::same_as<std::remove_cvref_t<KeyLike>, K> && std::constructible_from<K, KeyLike&&> &&
           std::constructible_from<V, Args&&...>) std::pair<iterator, bool> try_emplace(KeyLike&& k, Args&&... args) {
    return wrap(m_t.try_emplace_key(k, std::piecewise_construct, std::forward_as_tuple(std::forward<KeyLike>(k)),
                                    std::forward_as_tuple(std::forward<Args>(args)...)));
  }
  /// Inserts (k, v), or assigns v to the present element; .second is true
  /// when inserted.
  template <class M>
  requires std::assignable_from<V&, M&&> && std::constructible_from<V, M&&> std::pair<iterator, bool> insert_or_assign(
      const K& k, M&& v) {
    return assign_impl(k, k, std::forward<M>(v));
  }
  template <class M>
  requires std::assignable_from<V&, M&&> && std::constructible_from<V, M&&> std::pair<iterator, bool> insert_or_assign(
      K&& k, M&& v) {
    return assign_impl(k, std::move(k), std::forward<M>(v));
  }
  /// The mapped value of k, inserted value-initialized when absent.
  V& operator[](const K& k) requires std::default_initializable<V> { return try_emplace(k).first->second; }
  V& operator[](K&& k) requires std::default_initializable<V> { return try_emplace(std::move(k)).first->second; }

  /// Removes the element at it; returns the next element's iterator.
  iterator erase(iterator it) noexcept { return m_t.erase(it); }
  iterator erase(const_iterator it) noexcept { return m_t.erase(it); }
  /// Removes [first, last).
  iterator erase(const_iterator first, const_iterator last) noexcept {
    while (first != last) first = m_t.erase(first);
    return iterator_of(last);
  }
  /// Removes the element with key k; returns 0 or 1.
  size_type erase(const K& k) noexcept(table_type::template nothrow_lookup<K>) { return m_t.erase_key(k); }
  template <class KeyLike>
  requires(transparent && !std::convertible_to<KeyLike, iterator> &&
           !std::convertible_to<KeyLike, const_iterator>) size_type erase(const KeyLike& k)
  noexcept(table_type::template nothrow_lookup<KeyLike>) { return m_t.erase_key(k); }
  /// Destroys every element; keeps the storage.
  void clear() noexcept { m_t.clear(); }
  void swap(compact_map& o) noexcept(noexcept(std::declval<table_type&>().swap(std::declval<table_type&>()))) {
    m_t.swap(o.m_t);
  }
  friend void swap(compact_map& a, compact_map& b) noexcept(noexcept(a.swap(b))) { a.swap(b); }

  // ---- lookup -------------------------------------------------------------
  iterator find(const K& k) noexcept(table_type::template nothrow_lookup<K>) {
    return iterator_of(m_t.find_at(k, m_t.hash_of(k)));
  }
  const_iterator find(const K& k) const noexcept(table_type::template nothrow_lookup<K>) {
    return iterator_of(m_t.find_at(k, m_t.hash_of(k)));
  }
  template <class KeyLike>
  requires transparent iterator find(const KeyLike& k)
  noexcept(table_type::template nothrow_lookup<KeyLike>) { return iterator_of(m_t.find_at(k, m_t.hash_of(k))); }
  template <class KeyLike>
  requires transparent const_iterator find(const KeyLike& k)
  const noexcept(table_type::template nothrow_lookup<KeyLike>) { return iterator_of(m_t.find_at(k, m_t.hash_of(k))); }
  bool contains(const K& k) const noexcept(table_type::template nothrow_lookup<K>) {
    return m_t.find_slot(k) != nullptr;
  }
  template <class KeyLike>
  requires transparent bool contains(const KeyLike& k) const noexcept(table_type::template nothrow_lookup<KeyLike>) {
    return m_t.find_slot(k) != nullptr;
  }
  size_type count(const K& k) const noexcept(table_type::template nothrow_lookup<K>) { return contains(k) ? 1 : 0; }
  template <class KeyLike>
  requires transparent size_type count(const KeyLike& k)
  const noexcept(table_type::template nothrow_lookup<KeyLike>) { return contains(k) ? 1 : 0; }
  /// The mapped value of k; throws std::out_of_range when absent.
  V& at(const K& k) { return at_impl(k); }
  const V& at(const K& k) const { return const_cast<compact_map*>(this)->at_impl(k); }
  template <class KeyLike>
  requires transparent V& at(const KeyLike& k) { return at_impl(k); }
  template <class KeyLike>
  requires transparent const V& at(const KeyLike& k) const { return const_cast<compact_map*>(this)->at_impl(k); }

  // ---- observers ----------------------------------------------------------
  hasher hash_function() const { return m_t.hash_function(); }
  key_equal key_eq() const { return m_t.key_eq(); }
  allocator_type get_allocator() const noexcept { return m_t.get_allocator(); }
  /// Bytes of the map's one allocation (0 when it has none).
  size_type allocated_bytes() const noexcept { return m_t.allocated_bytes(); }

  /// Same size and every element of a is in b with an equal mapped value.
  friend bool operator==(const compact_map& a, const compact_map& b) requires std::equality_comparable<V> {
    if (a.size() != b.size()) return false;
    for (const value_type& e : a) {
      const value_type* p = b.m_t.find_slot(e.first);
      if (p == nullptr || !(p->second == e.second)) return false;
    }
    return true;
  }

 private:
  template <class... Ts>
  using first_of = std::tuple_element_t<0, std::tuple<Ts...>>;
  template <class P>
  static constexpr bool is_pair_with_key = detail::pair_first_is<P, K>::value;

  template <class A, class B>
  std::pair<iterator, bool> emplace_key_value(A&& a, B&& b) {
    return wrap(m_t.try_emplace_key(a, std::piecewise_construct, std::forward_as_tuple(std::forward<A>(a)),
                                    std::forward_as_tuple(std::forward<B>(b))));
  }
  template <class P>
  std::pair<iterator, bool> emplace_pair(P&& p) {
    return wrap(m_t.try_emplace_key(p.first, std::forward<P>(p)));
  }
  template <class KeyRef, class KeyArg, class M>
  std::pair<iterator, bool> assign_impl(const KeyRef& k, KeyArg&& karg, M&& v) {
    const std::uint64_t h = m_t.hash_of(k);
    const auto l = m_t.find_at(k, h);
    if (l.slot != nullptr) {
      l.slot->second = std::forward<M>(v);
      return {m_t.to_iterator(l), false};
    }
    const auto n = m_t.insert_new(h, [&](value_type* dst) {
      alloc_traits::construct(m_alloc_ref(), dst, std::piecewise_construct,
                              std::forward_as_tuple(std::forward<KeyArg>(karg)),
                              std::forward_as_tuple(std::forward<M>(v)));
    });
    return {m_t.to_iterator(n), true};
  }
  template <class KeyLike>
  V& at_impl(const KeyLike& k) {
    value_type* p = m_t.find_slot(k);
    if (p == nullptr)
      electron::detail::throw_error<std::out_of_range>("electron::cache::compact_map::at: key not found");
    return p->second;
  }
  iterator iterator_of(typename table_type::locator l) const noexcept {
    return l.slot == nullptr ? const_cast<table_type&>(m_t).end() : m_t.to_iterator(l);
  }
  iterator iterator_of(const_iterator it) noexcept { return m_t.mutable_iterator(it); }
  std::pair<iterator, bool> wrap(std::pair<typename table_type::locator, bool> r) const noexcept {
    return {m_t.to_iterator(r.first), r.second};
  }
  Alloc& m_alloc_ref() noexcept { return m_t.allocator_ref(); }

  table_type m_t;
};

/// Open-addressing hash set of K with std::unordered_set's interface; the
/// same layout and guarantees as compact_map. Iterators are const.
template <class K, class Hash = std::hash<K>, class Eq = std::equal_to<K>, class Alloc = std::allocator<K>>
requires hash::hasher<Hash, K> && key_equality<Eq, K> && allocator_of<Alloc, K>
class compact_set {
  using table_type = detail::table<detail::set_policy<K>, Hash, Eq, Alloc>;
  using alloc_traits = std::allocator_traits<Alloc>;
  static constexpr bool transparent = transparent_lookup<Hash, Eq>;

 public:
  using key_type = K;
  using value_type = K;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = value_type&;
  using const_reference = const value_type&;
  using pointer = typename alloc_traits::pointer;
  using const_pointer = typename alloc_traits::const_pointer;
  /// Forward iterators over const K; valid until a rehash or their element's erase.
  using iterator = typename table_type::const_iterator;
  using const_iterator = typename table_type::const_iterator;

  compact_set() noexcept(noexcept(table_type())) = default;
  explicit compact_set(size_type n, const Hash& h = Hash(), const Eq& e = Eq(), const Alloc& a = Alloc())
      : m_t(n, h, e, a) {}
  compact_set(size_type n, const Alloc& a) : m_t(n, Hash(), Eq(), a) {}
  compact_set(size_type n, const Hash& h, const Alloc& a) : m_t(n, h, Eq(), a) {}
  explicit compact_set(const Alloc& a) : m_t(0, Hash(), Eq(), a) {}
  template <std::input_iterator It, std::sentinel_for<It> S>
  compact_set(It first, S last, size_type n = 0, const Hash& h = Hash(), const Eq& e = Eq(), const Alloc& a = Alloc())
      : m_t(n, h, e, a) {
    insert(first, last);
  }
  template <std::input_iterator It, std::sentinel_for<It> S>
  compact_set(It first, S last, size_type n, const Alloc& a) : compact_set(first, last, n, Hash(), Eq(), a) {}
  compact_set(std::initializer_list<K> il, size_type n = 0, const Hash& h = Hash(), const Eq& e = Eq(),
              const Alloc& a = Alloc())
      : compact_set(il.begin(), il.end(), n, h, e, a) {}
  compact_set(std::initializer_list<K> il, size_type n, const Alloc& a)
      : compact_set(il.begin(), il.end(), n, Hash(), Eq(), a) {}
  compact_set(const compact_set& o)
      : m_t(o.m_t, alloc_traits::select_on_container_copy_construction(o.m_t.get_allocator())) {}
  compact_set(const compact_set& o, const Alloc& a) : m_t(o.m_t, a) {}
  compact_set(compact_set&& o) noexcept(std::is_nothrow_move_constructible_v<table_type>) = default;
  compact_set(compact_set&& o, const Alloc& a) : m_t(std::move(o.m_t), a) {}
  compact_set& operator=(const compact_set&) = default;
  // Not noexcept with unequal allocators that do not propagate: the
  // elements must then be moved one by one into new storage (as std::vector).
  // NOLINTNEXTLINE(performance-noexcept-move-constructor)
  compact_set& operator=(compact_set&&) noexcept(std::is_nothrow_move_assignable_v<table_type>) = default;
  compact_set& operator=(std::initializer_list<K> il) {
    clear();
    insert(il);
    return *this;
  }
  ~compact_set() = default;

  iterator begin() const noexcept { return m_t.begin(); }
  iterator cbegin() const noexcept { return m_t.begin(); }
  iterator end() const noexcept { return m_t.end(); }
  iterator cend() const noexcept { return m_t.end(); }

  [[nodiscard]] bool empty() const noexcept { return m_t.size() == 0; }
  size_type size() const noexcept { return m_t.size(); }
  size_type max_size() const noexcept { return table_type::max_elements(); }
  size_type capacity() const noexcept { return m_t.capacity(); }
  float load_factor() const noexcept {
    return capacity() == 0 ? 0.0f : static_cast<float>(size()) / static_cast<float>(capacity());
  }
  float max_load_factor() const noexcept { return 0.875f; }
  void max_load_factor(float) noexcept {}
  void reserve(size_type n) { m_t.reserve(n); }
  void rehash(size_type n) { m_t.rehash(n); }

  std::pair<iterator, bool> insert(const K& k) { return wrap(m_t.try_emplace_key(k, k)); }
  std::pair<iterator, bool> insert(K&& k) { return wrap(m_t.try_emplace_key(k, std::move(k))); }
  template <std::input_iterator It, std::sentinel_for<It> S>
  void insert(It first, S last) {
    for (; first != last; ++first) emplace(*first);
  }
  void insert(std::initializer_list<K> il) { insert(il.begin(), il.end()); }
  template <class... Args>
  requires std::constructible_from<K, Args&&...> std::pair<iterator, bool> emplace(Args&&... args) {
    if constexpr (sizeof...(Args) == 1 && (std::same_as<std::remove_cvref_t<Args>, K> && ...)) {
      return wrap(m_t.try_emplace_key(args..., std::forward<Args>(args)...));
    } else {
      return wrap(m_t.emplace_aside(std::forward<Args>(args)...));
    }
  }

  iterator erase(const_iterator it) noexcept { return m_t.erase(it); }
  iterator erase(const_iterator first, const_iterator last) noexcept {
    while (first != last) first = m_t.erase(first);
    return last;
  }
  size_type erase(const K& k) noexcept(table_type::template nothrow_lookup<K>) { return m_t.erase_key(k); }
  template <class KeyLike>
  requires(transparent && !std::convertible_to<KeyLike, const_iterator>) size_type erase(const KeyLike& k)
  noexcept(table_type::template nothrow_lookup<KeyLike>) { return m_t.erase_key(k); }
  void clear() noexcept { m_t.clear(); }
  void swap(compact_set& o) noexcept(noexcept(std::declval<table_type&>().swap(std::declval<table_type&>()))) {
    m_t.swap(o.m_t);
  }
  friend void swap(compact_set& a, compact_set& b) noexcept(noexcept(a.swap(b))) { a.swap(b); }

  iterator find(const K& k) const noexcept(table_type::template nothrow_lookup<K>) {
    return iterator_of(m_t.find_at(k, m_t.hash_of(k)));
  }
  template <class KeyLike>
  requires transparent iterator find(const KeyLike& k)
  const noexcept(table_type::template nothrow_lookup<KeyLike>) { return iterator_of(m_t.find_at(k, m_t.hash_of(k))); }
  bool contains(const K& k) const noexcept(table_type::template nothrow_lookup<K>) {
    return m_t.find_slot(k) != nullptr;
  }
  template <class KeyLike>
  requires transparent bool contains(const KeyLike& k) const noexcept(table_type::template nothrow_lookup<KeyLike>) {
    return m_t.find_slot(k) != nullptr;
  }
  size_type count(const K& k) const noexcept(table_type::template nothrow_lookup<K>) { return contains(k) ? 1 : 0; }
  template <class KeyLike>
  requires transparent size_type count(const KeyLike& k)
  const noexcept(table_type::template nothrow_lookup<KeyLike>) { return contains(k) ? 1 : 0; }

  hasher hash_function() const { return m_t.hash_function(); }
  key_equal key_eq() const { return m_t.key_eq(); }
  allocator_type get_allocator() const noexcept { return m_t.get_allocator(); }
  size_type allocated_bytes() const noexcept { return m_t.allocated_bytes(); }

  friend bool operator==(const compact_set& a, const compact_set& b) {
    if (a.size() != b.size()) return false;
    for (const K& k : a) {
      if (!b.contains(k)) return false;
    }
    return true;
  }

 private:
  iterator iterator_of(typename table_type::locator l) const noexcept {
    return l.slot == nullptr ? m_t.end() : iterator(m_t.to_iterator(l));
  }
  std::pair<iterator, bool> wrap(std::pair<typename table_type::locator, bool> r) const noexcept {
    return {m_t.to_iterator(r.first), r.second};
  }

  table_type m_t;
};

/// Erases every element e for which pred(e) is true; returns how many.
template <class K, class V, class H, class E, class A, class Pred>
requires std::predicate < Pred&, const std::pair<const K, V>
& > typename compact_map<K, V, H, E, A>::size_type erase_if(compact_map<K, V, H, E, A>& m, Pred pred) {
  typename compact_map<K, V, H, E, A>::size_type n = 0;
  for (auto it = m.begin(); it != m.end();) {
    if (pred(std::as_const(*it))) {
      it = m.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}
/// Erases every key k for which pred(k) is true; returns how many.
template <class K, class H, class E, class A, class Pred>
requires std::predicate<Pred&, const K&>
typename compact_set<K, H, E, A>::size_type erase_if(compact_set<K, H, E, A>& s, Pred pred) {
  typename compact_set<K, H, E, A>::size_type n = 0;
  for (auto it = s.begin(); it != s.end();) {
    if (pred(*it)) {
      it = s.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

namespace pmr {
/// compact_map over a std::pmr::memory_resource (e.g. an arena's arena_resource).
template <class K, class V, class H = std::hash<K>, class E = std::equal_to<K>>
using compact_map = cache::compact_map<K, V, H, E, std::pmr::polymorphic_allocator<std::pair<const K, V>>>;
/// compact_set over a std::pmr::memory_resource.
template <class K, class H = std::hash<K>, class E = std::equal_to<K>>
using compact_set = cache::compact_set<K, H, E, std::pmr::polymorphic_allocator<K>>;
}  // namespace pmr

namespace detail {
inline std::uint64_t process_seed() noexcept {
  static const std::uint64_t seed = [] {
    std::uint64_t s = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&seed));
    s ^= static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#if ELECTRON_HAS_EXCEPTIONS
    try {
      std::random_device rd;
      s ^= (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    } catch (...) {
      // No entropy source: the address and the clock remain.
    }
#else
    std::random_device rd;
    s ^= (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
#endif
    return electron::detail::mix64(s);
  }();
  return seed;
}
}  // namespace detail

}  // namespace cache
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_CACHE_COMPACT_MAP_HPP
