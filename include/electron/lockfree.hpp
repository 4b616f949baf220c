// SPDX-License-Identifier: MIT
// electron/lockfree.hpp: lock-free queues, a lock-free stack and RCU.
//
// - mpmc_queue<T>: bounded multi-producer multi-consumer ring (Vyukov's
//   per-slot sequence numbers). try_push/try_pop never block; push/pop spin
//   briefly, then sleep until the queue changes.
// - spsc_queue<T>: bounded single-producer single-consumer ring whose slots
//   carry their own full flags (FastForward): the fastest way from one
//   thread to another.
// - stack<T>: Treiber stack. Nodes live in chunks that are kept until the
//   stack is destroyed, and the head carries a 32-bit version tag, so there
//   is no ABA and no use-after-free, without hazard pointers or epochs.
// - rcu<T>: read-copy-update. Readers take a guard (a counter increment on a
//   per-thread shard, never blocking); writers copy, modify and publish, and
//   the old version is deleted once every reader that could see it has left.
//
//   electron::lockfree::mpmc_queue<job> q(1024);
//   q.push(job{...});                       // any thread
//   if (auto j = q.try_pop()) run(*j);      // any thread
//
// All operations are thread-safe as documented per class. The queues
// allocate only in their constructors, and refuse a capacity above their
// max_capacity() (a ring of at most 2^47 bytes on 64-bit targets) with
// std::length_error; the stack allocates node chunks (doubling) when it holds
// more items than it ever held before, up to 2^32 - 64 nodes.
#ifndef ELECTRON_LOCKFREE_HPP
#define ELECTRON_LOCKFREE_HPP

#include "electron/cache.hpp"
#include "electron/config.hpp"

#include <atomic>
#include <bit>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#if defined(__linux__) && !defined(ELECTRON_LOCKFREE_NO_MEMBARRIER) && defined(__has_include)
#if __has_include(<sys/syscall.h>) && __has_include(<unistd.h>)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#endif

ELECTRON_BEGIN_NAMESPACE
namespace lockfree {

/// A type the containers can hold: a movable object type whose destructor
/// does not throw (copyable types are movable).
template <class T>
concept queue_value = std::is_object_v<T> && std::is_nothrow_destructible_v<T> && std::is_move_constructible_v<T>;

namespace detail {

using electron::detail::cpu_relax;

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

// An asymmetric barrier: a full memory barrier executed on every running
// thread of the process (Linux membarrier(2), MEMBARRIER_CMD_PRIVATE_EXPEDITED,
// kernel 4.14 or later). It lets the common path of a Dekker-style handshake
// use only a compiler barrier while the rare path pays a system call (about
// 0.3 us). Returns false where it is not available. Defining
// ELECTRON_LOCKFREE_NO_MEMBARRIER takes the portable path (the tests build
// the suite a second time that way). It is part of the ABI namespace, so
// translation units built with and without it keep separate copies.
#if defined(__linux__) && !defined(ELECTRON_LOCKFREE_NO_MEMBARRIER) && defined(__has_include)
#if __has_include(<sys/syscall.h>) && __has_include(<unistd.h>)
#define ELECTRON_LOCKFREE_HAS_MEMBARRIER 1
#endif
#endif
inline bool process_wide_barrier() noexcept {
#if defined(ELECTRON_LOCKFREE_HAS_MEMBARRIER) && defined(SYS_membarrier)
  constexpr int register_private_expedited = 16;  // MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
  constexpr int private_expedited = 8;            // MEMBARRIER_CMD_PRIVATE_EXPEDITED
  static const bool registered = syscall(SYS_membarrier, register_private_expedited, 0, 0) == 0;
  return registered && syscall(SYS_membarrier, private_expedited, 0, 0) == 0;
#else
  return false;
#endif
}

// Sleeping for blocking push/pop. A thread that found the queue full (or
// empty) counts itself in m_count, retries, and sleeps on m_event (a futex
// wait); every successful operation calls wake(), which bumps m_event and
// wakes the sleepers only if m_count is not zero. wake() takes no lock, so
// try_push/try_pop never wait for another thread (when someone sleeps they
// make one futex-wake system call).
//
// The handshake is Dekker's: waker "store item; load m_count", sleeper
// "increment m_count; load item". A full barrier on both sides on every
// operation would cost a store-buffer drain per item (it halved the queue's
// throughput here), so the waker has only a compiler barrier and the
// sleeper runs process_wide_barrier() after its increment: that orders every
// running waker's earlier store before its later load of m_count, so either
// the sleeper's retry sees the item or the waker sees the sleeper and changes
// m_event, which ends the sleeper's wait. Where the asymmetric barrier is
// unavailable the sleeper naps for at most a millisecond and retries, which
// bounds the delay of the one interleaving that could miss a wakeup (idle
// sleepers then wake 1000 times a second).
class sleepers {
 public:
  template <class Retry>
  void wait_until(Retry retry) noexcept(noexcept(retry())) {
    for (;;) {
      const std::uint32_t seen = m_event->load(std::memory_order_acquire);
      m_count->fetch_add(1, std::memory_order_seq_cst);
      const bool fenced = process_wide_barrier();
      if (retry()) {
        m_count->fetch_sub(1, std::memory_order_relaxed);
        return;
      }
      if (fenced) {
        m_event->wait(seen, std::memory_order_acquire);
      } else {
        for (int i = 0; i < 10 && m_event->load(std::memory_order_acquire) == seen; ++i) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
      m_count->fetch_sub(1, std::memory_order_relaxed);
      if (retry()) return;
    }
  }
  // Called after every successful operation.
  void wake() noexcept {
    std::atomic_signal_fence(std::memory_order_seq_cst);  // keep the load after the operation's store
    if (m_count->load(std::memory_order_relaxed) != 0) {
      m_event->fetch_add(1, std::memory_order_release);
      m_event->notify_all();
    }
  }

 private:
  cache::padded<std::atomic<std::uint32_t>> m_count{0u};
  cache::padded<std::atomic<std::uint32_t>> m_event{0u};
};

}  // namespace detail

// ===========================================================================
// mpmc_queue
// ===========================================================================

/// A bounded multi-producer multi-consumer FIFO queue (D. Vyukov's bounded
/// MPMC queue: each slot has a sequence number that says whose turn it is).
/// Capacity is rounded up to a power of two. Each item is handed to exactly
/// one consumer; items pushed by one producer are popped in that producer's
/// order. try_push/try_pop never block (lock-free except that a thread
/// stopped between claiming a slot and filling it delays the consumer of
/// that one slot, as in every bounded ring). push/pop wait when full/empty.
/// Allocates only in the constructor; remaining items are destroyed with
/// the queue. T's move constructor must not throw (a claimed slot must be
/// filled).
///   mpmc_queue<std::string> q(100);   // capacity 128
///   (void)q.try_push("a"); auto s = q.try_pop();
template <queue_value T>
  requires std::is_nothrow_move_constructible_v<T>
class mpmc_queue {
 public:
  using value_type = T;

  /// The largest capacity the constructor accepts: the largest power of two
  /// of slots (a cache line each, or more for a larger T) that fits in
  /// 2^47 bytes on 64-bit targets (2^30 on 32-bit ones); 2^41 for an int.
  [[nodiscard]] static constexpr std::size_t max_capacity() noexcept { return detail::max_ring_slots(sizeof(slot)); }

  /// A queue for at least `capacity` items (rounded up to a power of two,
  /// at least 2). Throws std::length_error when capacity > max_capacity()
  /// (before allocating), std::bad_alloc when the ring cannot be allocated.
  explicit mpmc_queue(std::size_t capacity)
      : m_mask(detail::ring_capacity(capacity, max_capacity()) - 1), m_slots(new slot[m_mask + 1]) {
    for (std::size_t i = 0; i <= m_mask; ++i) m_slots[i].seq.store(i, std::memory_order_relaxed);
  }
  mpmc_queue(const mpmc_queue&) = delete;
  mpmc_queue& operator=(const mpmc_queue&) = delete;
  ~mpmc_queue() {
    for (slot* s = claim_pop(); s != nullptr; s = claim_pop()) {
      item(s)->~T();
      publish_pop(s);
    }
  }

  /// Adds an item if there is room; false (v untouched) if full.
  [[nodiscard]] bool try_push(const T& v) noexcept(std::is_nothrow_copy_constructible_v<T>)
    requires std::copy_constructible<T>
  {
    return try_emplace(v);
  }
  [[nodiscard]] bool try_push(T&& v) noexcept { return try_emplace(std::move(v)); }
  /// Constructs an item in place if there is room (this form requires a
  /// constructor that does not throw: a claimed slot cannot be given back).
  template <class... Args>
    requires std::is_nothrow_constructible_v<T, Args...>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept {
    slot* s = claim_push();
    if (s == nullptr) return false;
    ::new (static_cast<void*>(s->storage)) T(std::forward<Args>(args)...);
    publish_push(s);
    return true;
  }
  /// try_emplace with a constructor that may throw: the value is built
  /// first, then moved in. If the queue is full the value is destroyed, so
  /// arguments passed as rvalues may have been moved from.
  template <class... Args>
    requires(!std::is_nothrow_constructible_v<T, Args...>) && std::constructible_from<T, Args...>
  [[nodiscard]] bool try_emplace(Args&&... args) {
    T v(std::forward<Args>(args)...);
    return try_emplace(std::move(v));
  }

  /// Removes the oldest item, or nullopt if empty.
  [[nodiscard]] std::optional<T> try_pop() noexcept {
    std::optional<T> out;
    (void)pop_into(out);
    return out;
  }
  /// Moves the oldest item into out; false if empty. (Needs a move
  /// assignment that does not throw; with one that may, use try_pop().)
  [[nodiscard]] bool try_pop(T& out) noexcept
    requires std::is_nothrow_move_assignable_v<T>
  {
    slot* s = claim_pop();
    if (s == nullptr) return false;
    out = std::move(*item(s));
    item(s)->~T();
    publish_pop(s);
    return true;
  }

  /// Adds an item, waiting while the queue is full (spins briefly, then
  /// sleeps until a pop makes room).
  void push(T v) noexcept {
    const auto once = [&] { return try_emplace(std::move(v)); };
    if (!spin(once)) m_not_full.wait_until(once);
  }
  /// Removes the oldest item, waiting while the queue is empty.
  [[nodiscard]] T pop() noexcept {
    std::optional<T> out;
    const auto once = [&] { return pop_into(out); };
    if (!spin(once)) m_not_empty.wait_until(once);
    return std::move(*out);
  }

  /// The number of items, exact when no operation is in progress.
  [[nodiscard]] std::size_t size_approx() const noexcept {
    const std::size_t tail = m_pop_pos->load(std::memory_order_acquire);
    const std::size_t head = m_push_pos->load(std::memory_order_acquire);
    const std::size_t n = head > tail ? head - tail : 0;
    return n < capacity() ? n : capacity();
  }
  [[nodiscard]] bool empty_approx() const noexcept { return size_approx() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_mask + 1; }

 private:
  // A slot on its own cache line: a producer filling slot i and a consumer
  // draining slot i-1 do not share a line.
  struct alignas(alignof(T) > cache_line_size ? alignof(T) : cache_line_size) slot {
    std::atomic<std::size_t> seq;
    alignas(T) unsigned char storage[sizeof(T)];
  };
  static T* item(slot* s) noexcept { return std::launder(reinterpret_cast<T*>(s->storage)); }

  template <class F>
  static bool spin(const F& try_once) {
    for (int i = 0; i < 64; ++i) {
      if (try_once()) return true;
      detail::cpu_relax();
    }
    return false;
  }
  bool pop_into(std::optional<T>& out) noexcept {
    slot* s = claim_pop();
    if (s == nullptr) return false;
    out.emplace(std::move(*item(s)));
    item(s)->~T();
    publish_pop(s);
    return true;
  }

  // Slot i is free for the push at position p when seq == p, and holds the
  // item of position p for the pop when seq == p + 1; the pop hands it to
  // the next lap's push by storing p + capacity. The acquire load of seq
  // pairs with the release store that finished the previous step, so the
  // item's bytes (or their destruction) are visible before the slot is used.
  slot* claim_push() noexcept {
    std::size_t pos = m_push_pos->load(std::memory_order_relaxed);
    for (;;) {
      slot& s = m_slots[pos & m_mask];
      const std::size_t seq = s.seq.load(std::memory_order_acquire);
      const auto diff = static_cast<std::ptrdiff_t>(seq - pos);
      if (diff == 0) {
        if (m_push_pos->compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) return &s;
      } else if (diff < 0) {
        return nullptr;  // full: the slot still holds the previous lap's item
      } else {
        pos = m_push_pos->load(std::memory_order_relaxed);
      }
    }
  }
  void publish_push(slot* s) noexcept {
    const std::size_t seq = s->seq.load(std::memory_order_relaxed);
    s->seq.store(seq + 1, std::memory_order_release);
    m_not_empty.wake();
  }
  slot* claim_pop() noexcept {
    std::size_t pos = m_pop_pos->load(std::memory_order_relaxed);
    for (;;) {
      slot& s = m_slots[pos & m_mask];
      const std::size_t seq = s.seq.load(std::memory_order_acquire);
      const auto diff = static_cast<std::ptrdiff_t>(seq - (pos + 1));
      if (diff == 0) {
        if (m_pop_pos->compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) return &s;
      } else if (diff < 0) {
        return nullptr;  // empty
      } else {
        pos = m_pop_pos->load(std::memory_order_relaxed);
      }
    }
  }
  void publish_pop(slot* s) noexcept {
    const std::size_t seq = s->seq.load(std::memory_order_relaxed);
    s->seq.store(seq + m_mask, std::memory_order_release);  // (pos + 1) + capacity - 1
    m_not_full.wake();
  }

  const std::size_t m_mask;
  std::unique_ptr<slot[]> m_slots;
  cache::padded<std::atomic<std::size_t>, cache::false_sharing_range> m_push_pos{std::size_t{0}};
  cache::padded<std::atomic<std::size_t>, cache::false_sharing_range> m_pop_pos{std::size_t{0}};
  detail::sleepers m_not_empty;
  detail::sleepers m_not_full;
};

// ===========================================================================
// spsc_queue
// ===========================================================================

/// A bounded FIFO for exactly one producer thread and one consumer thread.
/// Each slot carries its own full/empty flag (J. Giacomoni, T. Moseley and
/// M. Vachharajani, "FastForward for Efficient Pipeline Parallelism",
/// PPoPP 2008), so the two sides share no index: the producer checks that
/// its next slot is empty, the consumer that its next slot is full, and the
/// only cache lines that travel between the cores are the slots themselves.
/// Slots are packed into cache-line blocks, the flags (one byte each) at the
/// front and the items after them (7 `uint64_t` per 64-byte line), so a line
/// crosses between the cores once per several items. Two producers or two
/// consumers at once are undefined behaviour. The capacity is rounded up to
/// a power-of-two number of blocks (capacity() says how many items fit).
/// try_push/try_pop are wait-free. Allocates only in the constructor.
template <queue_value T>
class spsc_queue {
  // Items per block: as many as fit in a cache line after their flag bytes
  // (at least one, for large T).
  static constexpr std::size_t items_per_block = [] {
    std::size_t k = 1;
    const auto fits = [](std::size_t n) {
      const std::size_t flags = (n + alignof(T) - 1) / alignof(T) * alignof(T);
      return flags + n * sizeof(T) <= cache_line_size;
    };
    while (fits(k + 1)) ++k;
    return k;
  }();

 public:
  using value_type = T;

  /// The largest capacity the constructor accepts: the items of the largest
  /// power of two of blocks (a cache line each, or more for a larger T) that
  /// fits in 2^47 bytes on 64-bit targets (2^30 on 32-bit ones).
  [[nodiscard]] static constexpr std::size_t max_capacity() noexcept {
    return detail::max_ring_slots(sizeof(block)) * items_per_block;
  }

  /// A queue for at least `capacity` items (see capacity()). Throws
  /// std::length_error when capacity > max_capacity() (before allocating),
  /// std::bad_alloc when the ring cannot be allocated.
  explicit spsc_queue(std::size_t capacity)
      : m_block_mask(blocks_for(capacity) - 1), m_blocks(new block[m_block_mask + 1]) {}
  spsc_queue(const spsc_queue&) = delete;
  spsc_queue& operator=(const spsc_queue&) = delete;
  ~spsc_queue() {
    for (std::size_t b = 0; b <= m_block_mask; ++b) {
      for (std::size_t i = 0; i < items_per_block; ++i) {
        if (m_blocks[b].full[i].load(std::memory_order_relaxed) != 0) m_blocks[b].item(i)->~T();
      }
    }
  }

  /// Producer only: adds an item if there is room.
  [[nodiscard]] bool try_push(const T& v) noexcept(std::is_nothrow_copy_constructible_v<T>)
    requires std::copy_constructible<T>
  {
    return try_emplace(v);
  }
  [[nodiscard]] bool try_push(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>) {
    return try_emplace(std::move(v));
  }
  /// Producer only: constructs an item in place if there is room. If the
  /// constructor throws, the queue is unchanged.
  template <class... Args>
    requires std::constructible_from<T, Args...>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    auto& p = *m_producer;
    block& blk = m_blocks[p.pos.block];
    // Acquire pairs with the consumer's release of the flag: its move out of
    // and destruction of the slot's previous item are done.
    if (blk.full[p.pos.slot].load(std::memory_order_acquire) != 0) return false;
    ::new (static_cast<void*>(blk.storage[p.pos.slot])) T(std::forward<Args>(args)...);
    blk.full[p.pos.slot].store(1, std::memory_order_release);  // publishes the item
    advance(p.pos);
    p.count.store(p.count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // size_approx()
    return true;
  }
  /// Consumer only: removes the oldest item, or nullopt.
  [[nodiscard]] std::optional<T> try_pop() noexcept(std::is_nothrow_move_constructible_v<T>) {
    std::optional<T> out;
    T* p = front();
    if (p == nullptr) return out;
    out.emplace(std::move(*p));
    pop_front();
    return out;
  }
  /// Consumer only: moves the oldest item into out; false if empty.
  [[nodiscard]] bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>)
    requires std::is_move_assignable_v<T>
  {
    T* p = front();
    if (p == nullptr) return false;
    out = std::move(*p);
    pop_front();
    return true;
  }
  /// Consumer only: the oldest item without removing it, or nullptr.
  [[nodiscard]] T* front() noexcept {
    const position at = m_consumer->pos;
    block& blk = m_blocks[at.block];
    // Acquire pairs with the producer's release of the flag.
    if (blk.full[at.slot].load(std::memory_order_acquire) == 0) return nullptr;
    return blk.item(at.slot);
  }
  /// Consumer only: destroys the item front() returned and frees its slot.
  /// Precondition: front() returned an item.
  void pop_front() noexcept {
    auto& c = *m_consumer;
    block& blk = m_blocks[c.pos.block];
    ELECTRON_ASSERT(blk.full[c.pos.slot].load(std::memory_order_relaxed) != 0, "spsc_queue::pop_front on an empty queue");
    blk.item(c.pos.slot)->~T();
    blk.full[c.pos.slot].store(0, std::memory_order_release);  // hands the slot back
    advance(c.pos);
    c.count.store(c.count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  /// The number of items, exact when neither side is in an operation.
  [[nodiscard]] std::size_t size_approx() const noexcept {
    const std::size_t tail = m_consumer->count.load(std::memory_order_relaxed);
    const std::size_t head = m_producer->count.load(std::memory_order_relaxed);
    // Read without ordering between the two sides: a stale pair can look
    // negative (reads as empty) or too large (reads as full).
    const auto n = static_cast<std::ptrdiff_t>(head - tail);
    if (n <= 0) return 0;
    return static_cast<std::size_t>(n) < capacity() ? static_cast<std::size_t>(n) : capacity();
  }
  [[nodiscard]] bool empty_approx() const noexcept { return size_approx() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return (m_block_mask + 1) * items_per_block; }

 private:
  struct alignas(alignof(T) > cache_line_size ? alignof(T) : cache_line_size) block {
    std::atomic<std::uint8_t> full[items_per_block] = {};
    alignas(T) unsigned char storage[items_per_block][sizeof(T)];
    T* item(std::size_t i) noexcept { return std::launder(reinterpret_cast<T*>(storage[i])); }
  };
  struct position {
    std::size_t block = 0;
    std::size_t slot = 0;
  };
  void advance(position& at) const noexcept {
    if (++at.slot == items_per_block) {
      at.slot = 0;
      at.block = (at.block + 1) & m_block_mask;
    }
  }
  static std::size_t blocks_for(std::size_t capacity) {
    const std::size_t blocks = capacity / items_per_block + (capacity % items_per_block != 0 ? 1 : 0);
    return detail::ring_capacity(blocks, detail::max_ring_slots(sizeof(block)));  // a power of two, at least 2
  }
  struct side {
    position pos;                         // this side's next slot
    std::atomic<std::size_t> count{0};    // items this side has passed, for size_approx()
  };

  const std::size_t m_block_mask;
  std::unique_ptr<block[]> m_blocks;
  cache::padded<side, cache::false_sharing_range> m_producer;
  cache::padded<side, cache::false_sharing_range> m_consumer;
};

// ===========================================================================
// stack
// ===========================================================================

namespace detail {

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

  node_chunks() = default;
  node_chunks(const node_chunks&) = delete;
  node_chunks& operator=(const node_chunks&) = delete;
  ~node_chunks() {
    for (auto& c : m_chunks) delete[] c.load(std::memory_order_relaxed);
  }

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
  /// A never-used node index, allocating its chunk if needed. Throws
  /// std::bad_alloc (nothing changes) or std::length_error (2^32-64 nodes).
  std::uint32_t fresh() {
    std::uint32_t i = m_next.load(std::memory_order_relaxed);
    for (;;) {
      if (i >= chunk_start(max_chunks)) {
        electron::detail::throw_error<std::length_error>("electron::lockfree::stack: too many nodes");
      }
      const unsigned k = chunk_of(i);
      if (m_chunks[k].load(std::memory_order_acquire) == nullptr) {
        Node* fresh_chunk = new Node[std::size_t{1} << (k + first_bits)];
        Node* expected = nullptr;
        if (!m_chunks[k].compare_exchange_strong(expected, fresh_chunk, std::memory_order_acq_rel)) {
          delete[] fresh_chunk;  // another thread installed it first
        }
      }
      if (m_next.compare_exchange_weak(i, i + 1, std::memory_order_relaxed)) return i;
    }
  }
  std::size_t nodes() const noexcept { return m_next.load(std::memory_order_relaxed); }

 private:
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

}  // namespace detail

/// An unbounded lock-free LIFO stack (R. K. Treiber, "Systems Programming:
/// Coping with Parallelism", IBM RJ 5118, 1986). Memory safety without
/// hazard pointers or epochs: nodes are recycled through a second lock-free
/// stack and their memory is returned only by the destructor, and both
/// heads are versioned against ABA (see docs/lockfree.md). push allocates
/// only when the stack holds more items than it ever held (node chunks
/// double: 64, 128, ... nodes); pop never allocates. Thread-safe.
/// T's move constructor must not throw (a popped item must reach the caller).
///   stack<int> s; s.push(1); s.push(2); s.pop();   // 2
template <queue_value T>
  requires std::is_nothrow_move_constructible_v<T>
class stack {
 public:
  using value_type = T;

  stack() = default;
  stack(const stack&) = delete;
  stack& operator=(const stack&) = delete;
  ~stack() {
    for (std::uint32_t i = m_items.pop(m_nodes); i != nil; i = m_items.pop(m_nodes)) m_nodes[i].value()->~T();
  }

  /// Pushes a copy / the moved value. Strong guarantee: if allocation or
  /// T's constructor throws, the stack is unchanged.
  void push(const T& v)
    requires std::copy_constructible<T>
  {
    emplace(v);
  }
  void push(T&& v) { emplace(std::move(v)); }
  template <class... Args>
    requires std::constructible_from<T, Args...>
  void emplace(Args&&... args) {
    const std::uint32_t i = take_node();
    if constexpr (std::is_nothrow_constructible_v<T, Args...>) {
      ::new (static_cast<void*>(m_nodes[i].storage)) T(std::forward<Args>(args)...);
    } else {
#if ELECTRON_HAS_EXCEPTIONS
      try {
        ::new (static_cast<void*>(m_nodes[i].storage)) T(std::forward<Args>(args)...);
      } catch (...) {
        m_free.push(m_nodes, i);
        throw;
      }
#else
      ::new (static_cast<void*>(m_nodes[i].storage)) T(std::forward<Args>(args)...);
#endif
    }
    m_items.push(m_nodes, i);
  }
  /// Pops the most recently pushed item, or nullopt if empty.
  [[nodiscard]] std::optional<T> pop() noexcept {
    std::optional<T> out;
    const std::uint32_t i = m_items.pop(m_nodes);
    if (i == nil) return out;
    T* p = m_nodes[i].value();
    out.emplace(std::move(*p));
    p->~T();
    give_node(i);
    return out;
  }
  /// Pops into out; false if empty. (Needs a non-throwing move assignment.)
  [[nodiscard]] bool try_pop(T& out) noexcept
    requires std::is_nothrow_move_assignable_v<T>
  {
    const std::uint32_t i = m_items.pop(m_nodes);
    if (i == nil) return false;
    T* p = m_nodes[i].value();
    out = std::move(*p);
    p->~T();
    give_node(i);
    return true;
  }
  /// True if the stack held no items at the moment of the call.
  [[nodiscard]] bool empty() const noexcept { return m_items.empty(); }
  /// Nodes ever allocated: the most items the stack held at once.
  [[nodiscard]] std::size_t node_count() const noexcept { return m_nodes.nodes(); }

 private:
  struct node {
    std::atomic<std::uint32_t> next{0xFFFFFFFFu};
    alignas(T) unsigned char storage[sizeof(T)];
    T* value() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
  };
  static constexpr std::uint32_t nil = detail::node_chunks<node>::nil;

  // Each thread keeps the last node it freed, for its next push on the same
  // stack: a push/pop pair on one thread then costs two CASes, not four. The
  // cache is tagged with the stack's instance number (never reused), so a
  // stack never takes a node cached for another; a node left in a cache when
  // its thread exits is not on the free list, but its memory is the stack's
  // and is freed with it.
  struct node_cache {
    std::uint64_t owner = 0;
    std::uint32_t index = 0;
  };
  static node_cache& cache() noexcept {
    thread_local node_cache c;
    return c;
  }
  static std::uint64_t next_instance() noexcept {
    static std::atomic<std::uint64_t> n{0};
    return n.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  std::uint32_t take_node() {
    node_cache& c = cache();
    if (c.owner == m_instance) {
      c.owner = 0;
      return c.index;
    }
    const std::uint32_t i = m_free.pop(m_nodes);
    return i != nil ? i : m_nodes.fresh();
  }
  void give_node(std::uint32_t i) noexcept {
    node_cache& c = cache();
    if (c.owner == 0) {
      c.owner = m_instance;
      c.index = i;
    } else {
      m_free.push(m_nodes, i);
    }
  }

  const std::uint64_t m_instance = next_instance();

  detail::node_chunks<node> m_nodes;
  detail::index_stack<node> m_items;
  detail::index_stack<node> m_free;
};

// ===========================================================================
// rcu
// ===========================================================================

namespace detail {

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
}  // namespace detail

/// Read-copy-update: many readers, occasional writers. read() returns a
/// guard through which the reader sees one consistent version of the value;
/// it costs one atomic increment and one decrement on a per-thread-shard
/// cache line, never blocks and never allocates. update(fn) copies the
/// current version, applies fn to the copy, publishes it, waits until every
/// reader that could still see the old version has dropped its guard
/// (epochs with two counters, see docs/lockfree.md), and deletes the old
/// version: never earlier. Writers are serialized by a mutex and wait for
/// readers. A thread must not call update() or synchronize() while it
/// holds a guard on the same rcu (it would wait for itself; asserted in
/// debug builds).
///   rcu<config> cfg(load_config());
///   { auto c = cfg.read(); use(c->port); }        // readers, any thread
///   cfg.update([](config& c) { c.port = 8080; });  // a writer
template <class T>
  requires std::is_object_v<T> && std::is_nothrow_destructible_v<T>
class rcu {
 public:
  using value_type = T;

  /// A reader's view: valid and unchanged until the guard is destroyed.
  /// Neither copyable nor movable (it belongs to the thread that called
  /// read(); `auto g = r.read();` works by guaranteed copy elision). Keep it
  /// short: writers wait for it.
  class read_guard {
   public:
    read_guard(const read_guard&) = delete;
    read_guard& operator=(const read_guard&) = delete;
    ~read_guard() {
      // Release: this reader's reads of the value happen before the
      // writer's load that sees the count drop, hence before the delete.
      m_counter->fetch_sub(1, std::memory_order_release);
#if ELECTRON_ASSERTS_ENABLED
      if (auto* e = detail::rcu_held_slot(m_owner, false)) --e->count;
#endif
    }
    const T& operator*() const noexcept { return *m_value; }
    const T* operator->() const noexcept { return m_value; }
    const T* get() const noexcept { return m_value; }

   private:
    friend class rcu;
    read_guard(const rcu* owner, std::atomic<std::int64_t>* c, const T* v) noexcept
        : m_owner(owner), m_counter(c), m_value(v) {
#if ELECTRON_ASSERTS_ENABLED
      if (auto* e = detail::rcu_held_slot(m_owner, true)) ++e->count;
#endif
    }
    [[maybe_unused]] const rcu* m_owner;
    std::atomic<std::int64_t>* m_counter;
    const T* m_value;
  };

  /// The first version, constructed from args.
  template <class... Args>
    requires std::constructible_from<T, Args...>
  explicit rcu(Args&&... args) : m_value(new T(std::forward<Args>(args)...)) {}
  rcu(const rcu&) = delete;
  rcu& operator=(const rcu&) = delete;
  /// Precondition: no guard is alive.
  ~rcu() { delete m_value.load(std::memory_order_relaxed); }

  /// A guard on the current version. Wait-free, no allocation.
  [[nodiscard]] read_guard read() const noexcept {
    const unsigned e = m_epoch.load(std::memory_order_seq_cst);
    std::atomic<std::int64_t>* c = &m_readers[detail::rcu_shard()]->count[e];
    // Sequentially consistent increment, then load: in the single total
    // order either the writer's exchange comes first (we load the new
    // version) or our increment does (the writer's drain sees it).
    c->fetch_add(1, std::memory_order_seq_cst);
    return read_guard(this, c, m_value.load(std::memory_order_seq_cst));
  }

  /// Publishes fn(copy of the current version) and deletes the old version
  /// once no reader can see it; fn takes T&. If the copy or fn throws,
  /// nothing is published. Blocks until the old version's readers are done.
  template <class Fn>
    requires std::invocable<Fn&, T&> && std::copy_constructible<T>
  void update(Fn&& fn) {
    std::lock_guard<std::mutex> lock(m_writer);
    auto next = std::make_unique<T>(*m_value.load(std::memory_order_relaxed));
    fn(*next);
    publish(std::move(next));
  }
  /// Replaces the value, reclaiming the old one as update() does.
  void store(std::unique_ptr<T> next) {
    ELECTRON_ASSERT(next != nullptr, "rcu::store(nullptr)");
    std::lock_guard<std::mutex> lock(m_writer);
    publish(std::move(next));
  }
  /// Replaces the value with T(args...).
  template <class... Args>
    requires std::constructible_from<T, Args...>
  void emplace(Args&&... args) {
    store(std::make_unique<T>(std::forward<Args>(args)...));
  }

  /// Waits until every guard taken before the call has been dropped.
  void synchronize() {
    std::lock_guard<std::mutex> lock(m_writer);
    wait_for_readers();
  }

 private:
  struct shard {
    std::atomic<std::int64_t> count[2] = {0, 0};
  };

  void publish(std::unique_ptr<T> next) {
    const T* old = m_value.exchange(next.release(), std::memory_order_seq_cst);
    wait_for_readers();
    delete old;
  }

  // Two phases. Readers count themselves under the epoch they read. Phase 1
  // flips the epoch, so new readers count under the other one, and waits
  // for the old epoch's count to drain; phase 2 flips back and drains the
  // other count. A reader that loaded the old pointer incremented one of the
  // two counts before our exchange, so one of the drains waits for it; a
  // reader counted after a drain loads the pointer after the exchange. Each
  // drain waits only for readers that read the epoch before its flip, so a
  // stream of new readers cannot starve the writer.
  void wait_for_readers() {
    ELECTRON_ASSERT(detail::rcu_held_slot(this, false) == nullptr,
                    "rcu: update()/synchronize() while this thread holds a read guard on it");
    const unsigned e = m_epoch.load(std::memory_order_relaxed);
    m_epoch.store(e ^ 1u, std::memory_order_seq_cst);
    drain(e);
    m_epoch.store(e, std::memory_order_seq_cst);
    drain(e ^ 1u);
  }
  void drain(unsigned e) const {
    for (int round = 0;; ++round) {
      std::int64_t sum = 0;
      // Acquire (seq_cst): pairs with the readers' release decrements.
      for (const auto& s : m_readers) sum += s->count[e].load(std::memory_order_seq_cst);
      if (sum == 0) return;
      if (round < 64) {
        detail::cpu_relax();
      } else if (round < 128) {
        std::this_thread::yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
  }

  std::atomic<const T*> m_value;
  std::atomic<unsigned> m_epoch{0};
  mutable cache::padded<shard> m_readers[detail::rcu_shards];
  std::mutex m_writer;
};

}  // namespace lockfree
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_LOCKFREE_HPP
