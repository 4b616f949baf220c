// SPDX-License-Identifier: MIT
// electron/lockfree.hpp: lock-free queues, a lock-free stack and RCU.
//
// - mpmc_queue<T>: bounded multi-producer multi-consumer ring (Vyukov's
//   per-slot sequence numbers). try_push/try_pop never block; push/pop back
//   off (electron/detail/backoff.hpp), then sleep until the queue changes
//   (electron/detail/waiter.hpp).
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
// All operations are thread-safe as documented per class. The queues and
// the stack take their memory (rings, blocks, node chunks) from a
// std::pmr::memory_resource given to the constructor, new/delete
// (std::pmr::new_delete_resource()) by default, and give all of it back
// to the same resource in their destructors. The queues allocate only in
// their constructors, and refuse a capacity above their max_capacity() (a
// ring of at most 2^47 bytes on 64-bit targets) with std::length_error; the
// stack allocates node chunks (doubling) when it holds more items than it
// ever held before, up to 2^32 - 64 nodes. Internals live in
// electron/lockfree/detail/.
#ifndef ELECTRON_LOCKFREE_HPP
#define ELECTRON_LOCKFREE_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/backoff.hpp"
#include "electron/detail/thread_slots.hpp"
#include "electron/lockfree/detail/node_stack.hpp"
#include "electron/lockfree/detail/rcu.hpp"
#include "electron/lockfree/detail/ring.hpp"
#include "electron/lockfree/detail/sleepers.hpp"

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace lockfree {

/// A type the containers can hold: a movable object type whose destructor
/// does not throw (copyable types are movable).
template <class T>
concept queue_value = std::is_object_v<T> && std::is_nothrow_destructible_v<T> && std::is_move_constructible_v<T>;

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
/// Allocates only in the constructor (one ring, from the upstream memory
/// resource); remaining items are destroyed with the queue. T's move
/// constructor must not throw (a claimed slot must be filled).
///
/// Destroy after handoff: a thread may destroy the queue as soon as it has
/// taken the last item it expects (pop()/try_pop() returned it), even while
/// the producer of that item is still returning from push(): the destructor
/// waits for such producers to finish waking sleepers (a few instructions,
/// unless the producer was preempted there).
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
  /// at least 2), its ring taken from `upstream` (one allocation, given
  /// back by the destructor; new/delete by default). Throws
  /// std::length_error when capacity > max_capacity() (before allocating),
  /// and what `upstream` throws (std::bad_alloc) when the ring cannot be
  /// allocated. Precondition: upstream is not null and outlives the queue.
  explicit mpmc_queue(std::size_t capacity, std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_mask(detail::ring_capacity(capacity, max_capacity()) - 1), m_slots(m_mask + 1, detail::checked(upstream)) {
    for (std::size_t i = 0; i <= m_mask; ++i) m_slots[i].seq.store(i, std::memory_order_relaxed);
  }
  mpmc_queue(const mpmc_queue&) = delete;
  mpmc_queue& operator=(const mpmc_queue&) = delete;
  /// Waits for producers still inside push()/try_push() for an item that
  /// was already taken (they are waking a sleeper: see the class comment),
  /// then destroys the remaining items. Precondition: no other operation
  /// starts or is in progress, except those pushes.
  ~mpmc_queue() {
    // Acquire pairs with the producers' release increment: their last
    // access to the queue (the wake) happens before the memory is freed.
    electron::detail::backoff b;
    while (finished_pushes() != m_push_pos->load(std::memory_order_relaxed)) {
      b.pause_or_sleep();
    }
    for (slot* s = claim_pop(); s != nullptr; s = claim_pop()) {
      item(s)->~T();
      publish_pop(s);
    }
  }

  /// Adds an item if there is room; false (v untouched) if full.
  [[nodiscard]] bool try_push(const T& v) noexcept(
      std::is_nothrow_copy_constructible_v<T>) requires std::copy_constructible<T> {
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
  requires(!std::is_nothrow_constructible_v<T, Args...>) &&
      std::constructible_from<T, Args...> [[nodiscard]] bool try_emplace(Args&&... args) {
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
  [[nodiscard]] bool try_pop(T& out) noexcept requires std::is_nothrow_move_assignable_v<T> {
    slot* s = claim_pop();
    if (s == nullptr) return false;
    out = std::move(*item(s));
    item(s)->~T();
    publish_pop(s);
    return true;
  }

  /// Adds an item, waiting while the queue is full (backs off: spins, then
  /// yields; then sleeps until a pop makes room).
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
  /// The memory resource the ring came from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_slots.upstream(); }

 private:
  // A slot on its own cache line: a producer filling slot i and a consumer
  // draining slot i-1 do not share a line.
  struct alignas(alignof(T) > cache_line_size ? alignof(T) : cache_line_size) slot {
    std::atomic<std::size_t> seq;
    alignas(T) unsigned char storage[sizeof(T)];
  };
  static T* item(slot* s) noexcept { return std::launder(reinterpret_cast<T*>(s->storage)); }

  // Tries until the backoff says park (electron/detail/backoff.hpp).
  template <class F>
  static bool spin(const F& try_once) {
    electron::detail::backoff b;
    do {
      if (try_once()) return true;
    } while (b.pause());
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
  // Once seq is stored, a consumer may take the item and destroy the queue
  // while this thread is still in wake(). The count of finished pushes,
  // bumped last, is what the destructor waits for (their sum equals
  // m_push_pos, the count of claimed slots, when no push is in flight).
  // It is kept per thread slot (electron/detail/thread_slots.hpp): a slot
  // belongs to one live thread at a time, so its counter takes a load and
  // a release store on a line no other producer writes, not a
  // read-modify-write on a line all producers share (which cost up to 15 %
  // of the 2-producer throughput). Threads beyond the first few slots share
  // one atomic counter.
  void publish_push(slot* s) noexcept {
    const std::size_t seq = s->seq.load(std::memory_order_relaxed);
    s->seq.store(seq + 1, std::memory_order_release);
    m_not_empty.wake();
    if (const std::uint32_t t = electron::detail::thread_slot(); t < pushed_slots) {
      std::atomic<std::size_t>& c = m_pushed[t].value;
      c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_release);  // the last access to *this
    } else {
      m_pushed_shared->fetch_add(1, std::memory_order_release);  // the last access to *this
    }
  }
  /// Pushes that finished (acquire: each one's accesses to *this happen
  /// before the caller's next ones).
  [[nodiscard]] std::size_t finished_pushes() const noexcept {
    std::size_t n = m_pushed_shared->load(std::memory_order_acquire);
    for (const pushed_count& c : m_pushed) n += c.value.load(std::memory_order_acquire);
    return n;
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
  detail::ring_storage<slot> m_slots;
  cache::padded<std::atomic<std::size_t>, cache::false_sharing_range> m_push_pos{std::size_t{0}};
  cache::padded<std::atomic<std::size_t>, cache::false_sharing_range> m_pop_pos{std::size_t{0}};
  // Finished pushes, per thread slot and for all other threads.
  static constexpr std::uint32_t pushed_slots = 8;
  struct alignas(cache_line_size) pushed_count {
    std::atomic<std::size_t> value{0};
  };
  pushed_count m_pushed[pushed_slots];
  cache::padded<std::atomic<std::size_t>, cache::false_sharing_range> m_pushed_shared{std::size_t{0}};
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
/// try_push/try_pop are wait-free. Allocates only in the constructor (one
/// ring, from the upstream memory resource).
///
/// Destroy after handoff: the consumer may destroy the queue as soon as it
/// has taken the last item it expects: publishing an item is the producer's
/// last access to the queue in try_push/try_emplace.
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

  /// A queue for at least `capacity` items (see capacity()), its ring taken
  /// from `upstream` (one allocation, given back by the destructor;
  /// new/delete by default). Throws std::length_error when capacity >
  /// max_capacity() (before allocating), and what `upstream` throws
  /// (std::bad_alloc) when the ring cannot be allocated. Precondition:
  /// upstream is not null and outlives the queue.
  explicit spsc_queue(std::size_t capacity, std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_block_mask(blocks_for(capacity) - 1), m_blocks(m_block_mask + 1, detail::checked(upstream)) {}
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
  [[nodiscard]] bool try_push(const T& v) noexcept(
      std::is_nothrow_copy_constructible_v<T>) requires std::copy_constructible<T> {
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
    const position at = p.pos;
    block& blk = m_blocks[at.block];
    // Acquire pairs with the consumer's release of the flag: its move out of
    // and destruction of the slot's previous item are done.
    if (blk.full[at.slot].load(std::memory_order_acquire) != 0) return false;
    ::new (static_cast<void*>(blk.storage[at.slot])) T(std::forward<Args>(args)...);
    // The producer's own state is updated before the item is published: the
    // store of the flag is the last access to *this, since the consumer may
    // take the item and destroy the queue right after it.
    advance(p.pos);
    p.count.store(p.count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // size_approx()
    blk.full[at.slot].store(1, std::memory_order_release);                                  // publishes the item
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
  [[nodiscard]] bool try_pop(T& out) noexcept(
      std::is_nothrow_move_assignable_v<T>) requires std::is_move_assignable_v<T> {
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
    ELECTRON_ASSERT(blk.full[c.pos.slot].load(std::memory_order_relaxed) != 0,
                    "spsc_queue::pop_front on an empty queue");
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
  /// The memory resource the ring came from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_blocks.upstream(); }

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
    position pos;                       // this side's next slot
    std::atomic<std::size_t> count{0};  // items this side has passed, for size_approx()
  };

  const std::size_t m_block_mask;
  detail::ring_storage<block> m_blocks;
  cache::padded<side, cache::false_sharing_range> m_producer;
  cache::padded<side, cache::false_sharing_range> m_consumer;
};

// ===========================================================================
// stack
// ===========================================================================

/// An unbounded lock-free LIFO stack (R. K. Treiber, "Systems Programming:
/// Coping with Parallelism", IBM RJ 5118, 1986). Memory safety without
/// hazard pointers or epochs: nodes are recycled through a second lock-free
/// stack and their memory is returned only by the destructor, and both
/// heads are versioned against ABA (see docs/lockfree.md). push allocates
/// only when the stack holds more items than it ever held (node chunks
/// double: 64, 128, ... nodes, from the upstream memory resource); pop never
/// allocates. node_count() stays at the most items the stack held at once
/// plus at most 8 spare nodes (one per thread slot, see the class body) and
/// the nodes concurrent pops are handing back, however many
/// threads come and go. Thread-safe.
/// T's move constructor must not throw (a popped item must reach the caller).
///
/// Destroy after handoff: a thread may destroy the stack as soon as it has
/// popped the last item it expects: the push that made the item visible
/// (one CAS of the head) is the pusher's last access to the stack.
///   stack<int> s; s.push(1); s.push(2); s.pop();   // 2
template <queue_value T>
requires std::is_nothrow_move_constructible_v<T>
class stack {
 public:
  using value_type = T;

  /// An empty stack; allocates nothing until the first push.
  stack() noexcept : stack(std::pmr::new_delete_resource()) {}
  /// An empty stack whose node chunks come from `upstream` (given back by
  /// the destructor). Precondition: upstream is not null and outlives the
  /// stack.
  explicit stack(std::pmr::memory_resource* upstream) noexcept : m_nodes(detail::checked(upstream)) {}
  stack(const stack&) = delete;
  stack& operator=(const stack&) = delete;
  ~stack() {
    for (std::uint32_t i = m_items.pop(m_nodes); i != nil; i = m_items.pop(m_nodes)) m_nodes[i].value()->~T();
  }

  /// Pushes a copy / the moved value. Strong guarantee: if allocation or
  /// T's constructor throws, the stack is unchanged.
  void push(const T& v) requires std::copy_constructible<T> { emplace(v); }
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
  [[nodiscard]] bool try_pop(T& out) noexcept requires std::is_nothrow_move_assignable_v<T> {
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
  /// The memory resource the nodes come from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_nodes.upstream(); }

 private:
  struct node {
    std::atomic<std::uint32_t> next{0xFFFFFFFFu};
    alignas(T) unsigned char storage[sizeof(T)];
    T* value() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
  };
  static constexpr std::uint32_t nil = detail::node_chunks<node>::nil;

  // One spare node per thread slot (electron/detail/thread_slots.hpp): a
  // pop keeps its node there and the same thread's next push takes it back,
  // so a push/pop pair on one thread costs two CAS instead of four. The
  // spares live in the stack, not in the thread: a slot belongs to one live
  // thread at a time (handed over under the registry's mutex, so plain
  // reads and writes suffice), and a thread that exits leaves its spare to
  // the next thread that takes its slot. Nothing is stranded per thread
  // that comes and goes (node_count() <= items held at most + spare_slots).
  // Threads with a higher slot go to the free list directly.
  static constexpr std::uint32_t spare_slots = 8;

  std::uint32_t take_node() {
    if (const std::uint32_t s = electron::detail::thread_slot(); s < spare_slots) {
      std::uint32_t& spare = m_spares[s].value;
      if (const std::uint32_t i = spare; i != nil) {
        spare = nil;
        return i;
      }
    }
    const std::uint32_t i = m_free.pop(m_nodes);
    return i != nil ? i : m_nodes.fresh();
  }
  void give_node(std::uint32_t i) noexcept {
    if (const std::uint32_t s = electron::detail::thread_slot(); s < spare_slots) {
      std::uint32_t& spare = m_spares[s].value;
      if (spare == nil) {
        spare = i;
        return;
      }
    }
    m_free.push(m_nodes, i);
  }

  struct alignas(cache_line_size) spare_node {
    std::uint32_t value = nil;
  };

  detail::node_chunks<node> m_nodes;
  detail::index_stack<node> m_items;
  detail::index_stack<node> m_free;
  spare_node m_spares[spare_slots];
};

// ===========================================================================
// rcu
// ===========================================================================

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
  void emplace(Args&&... args) { store(std::make_unique<T>(std::forward<Args>(args)...)); }

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
  // Readers do not wake writers (that would cost every guard a check), so
  // the writer polls: backoff, then a sleep of backoff::poll_interval
  // between looks.
  void drain(unsigned e) const {
    electron::detail::backoff b;
    for (;;) {
      std::int64_t sum = 0;
      // Acquire (seq_cst): pairs with the readers' release decrements.
      for (const auto& s : m_readers) sum += s->count[e].load(std::memory_order_seq_cst);
      if (sum == 0) return;
      b.pause_or_sleep();
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
