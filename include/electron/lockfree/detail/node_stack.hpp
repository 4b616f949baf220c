// SPDX-License-Identifier: MIT
// electron/lockfree/detail/node_stack.hpp: the node storage and the
// versioned index stacks behind lockfree::stack.
#ifndef ELECTRON_LOCKFREE_DETAIL_NODE_STACK_HPP
#define ELECTRON_LOCKFREE_DETAIL_NODE_STACK_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/lockfree/detail/ring.hpp"

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <stdexcept>

ELECTRON_BEGIN_NAMESPACE
namespace lockfree::detail {

// Node storage for stack<T>: chunk k holds 64 << k nodes, so 26 chunks
// cover every 32-bit index. Chunks are published once (CAS) and freed only
// by the destructor: a node's memory stays valid while any thread may
// still read it.
template <class Node>
class node_chunks {
 public:
  static constexpr std::uint32_t nil = 0xFFFFFFFFu;
  static constexpr unsigned first_bits = 6;  // chunk 0: 64 nodes
  static constexpr unsigned max_chunks = 32 - first_bits;

  explicit node_chunks(std::pmr::memory_resource* upstream) noexcept : m_upstream(upstream) {}
  node_chunks(const node_chunks&) = delete;
  node_chunks& operator=(const node_chunks&) = delete;
  ~node_chunks() {
    for (unsigned k = 0; k < max_chunks; ++k) {
      chunk_storage::release(m_upstream, m_chunks[k].load(std::memory_order_relaxed), chunk_size(k));
    }
  }
  static constexpr std::size_t chunk_size(unsigned k) noexcept { return std::size_t{1} << (k + first_bits); }
  std::pmr::memory_resource* upstream() const noexcept { return m_upstream; }

  static constexpr unsigned chunk_of(std::uint32_t i) noexcept {
    return static_cast<unsigned>(std::bit_width((i >> first_bits) + 1u)) - 1u;
  }
  static constexpr std::uint32_t chunk_start(unsigned k) noexcept {
    return ((std::uint32_t{1} << k) - 1u) << first_bits;
  }
  Node& operator[](std::uint32_t i) const noexcept {
    const unsigned k = chunk_of(i);
    return m_chunks[k].load(std::memory_order_acquire)[i - chunk_start(k)];
  }
  // A never-used node index, allocating its chunk from the upstream
  // resource if needed. Throws what the resource throws (std::bad_alloc;
  // nothing changes) or std::length_error (2^32-64 nodes).
  std::uint32_t fresh() {
    std::uint32_t i = m_next.load(std::memory_order_relaxed);
    for (;;) {
      if (i >= chunk_start(max_chunks)) {
        electron::detail::throw_error<std::length_error>("electron::lockfree::stack: too many nodes");
      }
      const unsigned k = chunk_of(i);
      if (m_chunks[k].load(std::memory_order_acquire) == nullptr) {
        Node* fresh_chunk = chunk_storage::allocate(m_upstream, chunk_size(k));
        Node* expected = nullptr;
        if (!m_chunks[k].compare_exchange_strong(expected, fresh_chunk, std::memory_order_acq_rel)) {
          chunk_storage::release(m_upstream, fresh_chunk, chunk_size(k));  // another thread installed it first
        }
      }
      if (m_next.compare_exchange_weak(i, i + 1, std::memory_order_relaxed)) return i;
    }
  }
  std::size_t nodes() const noexcept { return m_next.load(std::memory_order_relaxed); }

 private:
  using chunk_storage = ring_storage<Node>;

  std::pmr::memory_resource* m_upstream;
  mutable std::atomic<Node*> m_chunks[max_chunks] = {};
  std::atomic<std::uint32_t> m_next{0};
};

// A Treiber stack of node indices. The head word is {index, version}: every
// successful CAS bumps the version, so a CAS that read an old head fails even
// if the same index is back on top (the ABA problem), unless exactly 2^32
// other changes happened between its read and its CAS.
template <class Node>
class index_stack {
 public:
  static constexpr std::uint32_t nil = node_chunks<Node>::nil;

  void push(const node_chunks<Node>& nodes, std::uint32_t i) noexcept {
    std::uint64_t head = m_head->load(std::memory_order_relaxed);
    for (;;) {
      nodes[i].next.store(index_of(head), std::memory_order_relaxed);
      // Release: the node's contents and link are visible to the popper.
      if (m_head->compare_exchange_weak(head, make(i, version_of(head) + 1), std::memory_order_release,
                                        std::memory_order_relaxed)) {
        return;
      }
    }
  }
  std::uint32_t pop(const node_chunks<Node>& nodes) noexcept {
    std::uint64_t head = m_head->load(std::memory_order_acquire);
    for (;;) {
      const std::uint32_t i = index_of(head);
      if (i == nil) return nil;
      // The node may have been popped and reused meanwhile: its link is then
      // stale, but the versioned CAS below fails, and its memory is valid.
      const std::uint32_t next = nodes[i].next.load(std::memory_order_relaxed);
      if (m_head->compare_exchange_weak(head, make(next, version_of(head) + 1), std::memory_order_acquire,
                                        std::memory_order_acquire)) {
        return i;
      }
    }
  }
  bool empty() const noexcept { return index_of(m_head->load(std::memory_order_acquire)) == nil; }

 private:
  static constexpr std::uint64_t make(std::uint32_t i, std::uint32_t version) noexcept {
    return (std::uint64_t{version} << 32) | i;
  }
  static constexpr std::uint32_t index_of(std::uint64_t h) noexcept { return static_cast<std::uint32_t>(h); }
  static constexpr std::uint32_t version_of(std::uint64_t h) noexcept { return static_cast<std::uint32_t>(h >> 32); }

  cache::padded<std::atomic<std::uint64_t>, cache::false_sharing_range> m_head{make(nil, 0)};
};

}  // namespace lockfree::detail
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_LOCKFREE_DETAIL_NODE_STACK_HPP
