// SPDX-License-Identifier: MIT
// electron/lockfree/detail/rcu.hpp: rcu's per-thread reader shards and the
// debug check against a writer waiting for its own read guard.
#ifndef ELECTRON_LOCKFREE_DETAIL_RCU_HPP
#define ELECTRON_LOCKFREE_DETAIL_RCU_HPP

#include "electron/config.hpp"

#include <atomic>
#include <cstddef>

ELECTRON_BEGIN_NAMESPACE
namespace lockfree::detail {

inline constexpr std::size_t rcu_shards = 16;

// Each thread counts its reads on one of rcu_shards cache lines, picked once
// per thread, so readers on different cores do not write the same line.
inline std::size_t rcu_shard() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % rcu_shards;
  return mine;
}
// Debug builds check that a thread does not wait for its own read guard
// (update() or synchronize() while holding a guard on the same rcu, which
// would never return): each thread tracks the guards it holds, per rcu
// object, in a small table (objects beyond its size are not tracked).
struct rcu_held {
  const void* object = nullptr;
  int count = 0;
};
inline rcu_held* rcu_held_slot(const void* object, bool insert) noexcept {
  thread_local rcu_held table[8];
  rcu_held* free_entry = nullptr;
  for (auto& e : table) {
    if (e.object == object && e.count > 0) return &e;
    if (e.count == 0 && free_entry == nullptr) free_entry = &e;
  }
  if (!insert || free_entry == nullptr) return nullptr;
  free_entry->object = object;
  return free_entry;
}

}  // namespace lockfree::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_LOCKFREE_DETAIL_RCU_HPP
