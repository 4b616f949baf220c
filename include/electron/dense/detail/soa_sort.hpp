// SPDX-License-Identifier: MIT
// electron/dense/detail/soa_sort.hpp: sorting a soa by one column through a
// permutation of row indices, applied to each column in place by following
// the permutation's cycles (only moves, so move-only columns sort too).
#ifndef ELECTRON_DENSE_DETAIL_SOA_SORT_HPP
#define ELECTRON_DENSE_DETAIL_SOA_SORT_HPP

#include "electron/config.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <numeric>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace dense {
namespace detail {

// The length of a forward range [first, last).
template <std::forward_iterator It, std::sentinel_for<It> S>
std::size_t range_length(It first, const S& last) {
  if constexpr (std::sized_sentinel_for<S, It>) {
    return static_cast<std::size_t>(last - first);
  } else {
    std::size_t n = 0;
    for (; first != last; ++first) ++n;
    return n;
  }
}
/// A row index type narrow enough for n rows: 32 bits halve the memory
/// traffic of the sort and of the cycles when they suffice.
template <class Index>
concept permutation_index = std::is_same_v<Index, std::uint32_t> || std::is_same_v<Index, std::size_t>;

template <class A, class T>
using rebound = typename std::allocator_traits<A>::template rebind_alloc<T>;

/// The unsigned integer of Bytes bytes (1, 2, 4 or 8).
template <std::size_t Bytes>
using unsigned_of = std::conditional_t<
    Bytes == 1, std::uint8_t,
    std::conditional_t<Bytes == 2, std::uint16_t, std::conditional_t<Bytes == 4, std::uint32_t, std::uint64_t>>>;

/// Comp over proj on T is the natural ascending (or descending) order of an
/// arithmetic key, which a radix sort on the key's bits reproduces.
template <class T, class Comp, class Proj>
concept radix_ascending = std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && std::is_same_v<Proj, std::identity> &&
                          (std::is_same_v<Comp, std::ranges::less> || std::is_same_v<Comp, std::less<>> ||
                           std::is_same_v<Comp, std::less<T>>);
template <class T, class Comp, class Proj>
concept radix_descending = std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && std::is_same_v<Proj, std::identity> &&
                           (std::is_same_v<Comp, std::ranges::greater> || std::is_same_v<Comp, std::greater<>> ||
                            std::is_same_v<Comp, std::greater<T>>);

// The key's bits as an unsigned integer in the key's order: the sign bit
// flipped for signed integers; for IEEE floats all bits flipped when
// negative, the sign bit set otherwise, and -0.0 taken as +0.0 (they compare
// equal). NaN has no place in a strict weak order (a precondition).
template <class T>
constexpr unsigned_of<sizeof(T)> radix_bits(T key) noexcept {
  using U = unsigned_of<sizeof(T)>;
  constexpr U sign = static_cast<U>(U{1} << (8 * sizeof(T) - 1));
  if constexpr (std::is_floating_point_v<T>) {
    static_assert(std::numeric_limits<T>::is_iec559, "radix order needs IEEE floats");
    U u = std::bit_cast<U>(key);
    if (u == sign) u = 0;
    return (u & sign) != 0 ? static_cast<U>(~u) : static_cast<U>(u | sign);
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<U>(static_cast<U>(key) ^ sign);
  } else {
    return static_cast<U>(key);
  }
}

// LSD radix sort (a byte a pass, stable) of {bits, index} items, ping-pong
// with `spare`; passes whose byte is the same in every key are skipped.
// The result ends in `items`.
template <class Item, class V>
void radix_sort_items(V& items, V& spare) {
  using U = decltype(Item::bits);
  constexpr std::size_t passes = sizeof(U);
  const std::size_t n = items.size();
  std::array<std::array<std::size_t, 256>, passes> counts{};
  for (const Item& it : items) {
    for (std::size_t p = 0; p < passes; ++p) ++counts[p][(static_cast<std::uint64_t>(it.bits) >> (8 * p)) & 0xffU];
  }
  spare.resize(n);
  Item* from = items.data();
  Item* to = spare.data();
  for (std::size_t p = 0; p < passes; ++p) {
    auto& c = counts[p];
    if (c[(static_cast<std::uint64_t>(from[0].bits) >> (8 * p)) & 0xffU] == n) continue;
    std::size_t at = 0;
    for (std::size_t& b : c) at += std::exchange(b, at);
    for (std::size_t i = 0; i < n; ++i)
      to[c[(static_cast<std::uint64_t>(from[i].bits) >> (8 * p)) & 0xffU]++] = from[i];
    std::swap(from, to);
  }
  if (from != items.data()) std::copy(from, from + n, items.data());
}

// The permutation that sorts keys[0, n) by comp over proj: perm[k] is the
// row that goes to position k. Small trivially copyable keys are copied next
// to their index and sorted as pairs (contiguous, no indirection); other keys
// (move-only, strings) are compared in place through the indices. A stable
// sort keeps equal keys in index order.
template <permutation_index Index, class A, class T, class Comp, class Proj>
std::vector<Index, rebound<A, Index>> sort_permutation(const A& alloc, const T* keys, std::size_t n, bool stable,
                                                       Comp& comp, Proj& proj) {
  std::vector<Index, rebound<A, Index>> perm(n, Index{}, rebound<A, Index>(alloc));
  if constexpr (radix_ascending<T, Comp, Proj> || radix_descending<T, Comp, Proj>) {
    // Ascending or descending arithmetic keys: a radix sort, stable, O(n)
    // per key byte, with no comparison to mispredict.
    using U = unsigned_of<sizeof(T)>;
    struct item {
      U bits;
      Index index;
    };
    std::vector<item, rebound<A, item>> items(rebound<A, item>{alloc});
    std::vector<item, rebound<A, item>> spare(rebound<A, item>{alloc});
    items.reserve(n);
    spare.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      U bits = radix_bits(keys[i]);
      if constexpr (radix_descending<T, Comp, Proj>) bits = static_cast<U>(~bits);
      items.push_back(item{bits, static_cast<Index>(i)});
    }
    radix_sort_items<item>(items, spare);
    for (std::size_t k = 0; k < n; ++k) perm[k] = items[k].index;
    static_cast<void>(stable);
  } else if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t)) {
    struct keyed {
      T key;
      Index index;
    };
    std::vector<keyed, rebound<A, keyed>> pairs(rebound<A, keyed>{alloc});
    pairs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) pairs.push_back(keyed{keys[i], static_cast<Index>(i)});
    const auto less = [&](const keyed& a, const keyed& b) {
      return std::invoke(comp, std::invoke(proj, a.key), std::invoke(proj, b.key));
    };
    if (stable) {
      std::stable_sort(pairs.begin(), pairs.end(), less);
    } else {
      std::sort(pairs.begin(), pairs.end(), less);
    }
    for (std::size_t k = 0; k < n; ++k) perm[k] = pairs[k].index;
  } else {
    std::iota(perm.begin(), perm.end(), Index{0});
    const auto less = [&](Index a, Index b) {
      return std::invoke(comp, std::invoke(proj, keys[a]), std::invoke(proj, keys[b]));
    };
    if (stable) {
      std::stable_sort(perm.begin(), perm.end(), less);
    } else {
      std::sort(perm.begin(), perm.end(), less);
    }
  }
  return perm;
}

// The cycles of a permutation (of length 2 or more), listed position after
// position in `order`; cycle c ends before ends[c]. Consumes perm (each
// visited position becomes a fixed point). Walking the cycles once here lets
// every column then read its positions from a sequential array: the loads
// of a column no longer wait for each other, unlike a walk of perm itself.
template <permutation_index Index, class V>
void permutation_cycles(V& perm, V& order, V& ends) {
  const std::size_t n = perm.size();
  order.clear();
  ends.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (perm[i] == i) continue;
    std::size_t j = i;
    order.push_back(static_cast<Index>(i));
    for (;;) {
      const std::size_t next = perm[j];
      perm[j] = static_cast<Index>(j);
      if (next == i) break;
      order.push_back(static_cast<Index>(next));
      j = next;
    }
    ends.push_back(static_cast<Index>(order.size()));
  }
}

// Moves column[perm[k]] to position k for every k through `scratch` (room
// for n trivially copyable T): the loads are independent of each other,
// unlike a walk along the cycles.
template <class T, class Index>
void apply_by_gather(T* column, const Index* perm, std::size_t n, void* scratch) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  T* out = static_cast<T*>(scratch);
  for (std::size_t k = 0; k < n; ++k) out[k] = column[perm[k]];
  std::memcpy(static_cast<void*>(column), scratch, n * sizeof(T));
}

// Applies the cycles to one column: the row at order[t] takes the row from
// order[t + 1], the last of a cycle takes its first. Only moves. If a move
// throws, one row of the cycle is lost to a moved-from value (every element
// stays valid: the basic guarantee).
template <class T, class Index>
void apply_cycles(T* column, const Index* order, const Index* ends, std::size_t cycles) {
  std::size_t begin = 0;
  for (std::size_t c = 0; c < cycles; ++c) {
    const std::size_t end = ends[c];
    T first(std::move(column[order[begin]]));
    for (std::size_t t = begin; t + 1 < end; ++t) column[order[t]] = std::move(column[order[t + 1]]);
    column[order[end - 1]] = std::move(first);
    begin = end;
  }
}

}  // namespace detail
}  // namespace dense
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_DENSE_DETAIL_SOA_SORT_HPP
