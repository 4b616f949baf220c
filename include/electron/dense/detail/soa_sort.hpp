// SPDX-License-Identifier: MIT
// electron/dense/detail/soa_sort.hpp: sorting a soa by one column through a
// permutation of row indices, applied to each column in place by following
// the permutation's cycles (only moves, so move-only columns sort too).
#ifndef ELECTRON_DENSE_DETAIL_SOA_SORT_HPP
#define ELECTRON_DENSE_DETAIL_SOA_SORT_HPP

#include "electron/config.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

// The permutation that sorts keys[0, n) by comp over proj: perm[k] is the
// row that goes to position k. Small trivially copyable keys are copied next
// to their index and sorted as pairs (contiguous, no indirection); other keys
// (move-only, strings) are compared in place through the indices. A stable
// sort keeps equal keys in index order.
template <permutation_index Index, class A, class T, class Comp, class Proj>
std::vector<Index, rebound<A, Index>> sort_permutation(const A& alloc, const T* keys, std::size_t n, bool stable,
                                                       Comp& comp, Proj& proj) {
  std::vector<Index, rebound<A, Index>> perm(n, Index{}, rebound<A, Index>(alloc));
  if constexpr (std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t)) {
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
