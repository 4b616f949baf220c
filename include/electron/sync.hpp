// SPDX-License-Identifier: MIT
// electron/sync.hpp: locks and a semaphore whose uncontended paths are one or
// two atomic instructions and never a system call.
//
// - sharded_mutex<N>: N independent locks chosen by hashing a key, for
//   "one lock per key" without one mutex per key; lock(key)/unlock(key),
//   try_lock(key) and a scoped guard(key).
// - rw_mutex: a reader-preferring reader/writer lock in one 32-bit word;
//   works with std::unique_lock, std::shared_lock and std::lock_guard.
// - semaphore: a counting semaphore with timed waits; acquire + release is
//   two atomic read-modify-writes when nobody waits.
//
// Waiting threads spin briefly, then park (C++20 atomic wait; a mutex and
// condition variable for the semaphore's timed waits); a releasing thread
// makes a wake-up call only when some thread may be parked.
//
//   electron::sync::sharded_mutex<> locks;
//   {
//     auto g = locks.guard(account_id);  // the shard of account_id, until scope end
//     balances[account_id] += amount;
//   }
//   electron::sync::rw_mutex m;
//   { std::shared_lock r(m); /* read */ }
//   { std::unique_lock w(m); /* write */ }
//
// Header-only; nothing here allocates. Every type is thread-safe by purpose
// and neither copyable nor movable.
#ifndef ELECTRON_SYNC_HPP
#define ELECTRON_SYNC_HPP

#include "electron/cache.hpp"
#include "electron/config.hpp"

#include <atomic>
#include <bit>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <type_traits>

ELECTRON_BEGIN_NAMESPACE
namespace sync {

// ===========================================================================
// Concepts
// ===========================================================================

/// The standard Lockable requirements: lock(), try_lock() -> bool, unlock().
template <class M>
concept lockable = requires(M& m) {
  m.lock();
  { m.try_lock() } -> std::same_as<bool>;
  m.unlock();
};

/// Lockable plus the standard SharedLockable requirements: lock_shared(),
/// try_lock_shared() -> bool, unlock_shared().
template <class M>
concept shared_lockable = lockable<M> && requires(M& m) {
  m.lock_shared();
  { m.try_lock_shared() } -> std::same_as<bool>;
  m.unlock_shared();
};

/// A function object that hashes a K: h(k) converts to std::uint64_t.
template <class H, class K>
concept key_hasher = std::copy_constructible<H> && requires(const H& h, const K& k) {
  { h(k) } -> std::convertible_to<std::uint64_t>;
};

/// A key sharded_mutex accepts without an explicit hasher: an integer (used
/// as is), or a type with an enabled std::hash.
template <class K>
concept shard_key = std::integral<K> || (std::default_initializable<std::hash<K>> && key_hasher<std::hash<K>, K>);

/// A clock in the sense of std::chrono::is_clock.
template <class C>
concept chrono_clock = std::chrono::is_clock_v<C>;

namespace detail {

/// Spins before a waiter parks. A pause is ~10-140 cycles depending on the
/// core, so this is a few hundred nanoseconds to a few microseconds: about
/// what a futex sleep and wake-up costs, and short enough that a waiter on
/// a long-held lock gives the CPU back quickly.
inline constexpr int spin_limit = 100;

/// Tells the core that this is a spin-wait loop (x86 PAUSE, Arm YIELD).
ELECTRON_ALWAYS_INLINE void cpu_relax() noexcept {
#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
  __builtin_ia32_pause();
#elif (defined(__aarch64__) || defined(__arm__)) && (defined(__GNUC__) || defined(__clang__))
  __asm__ volatile("yield" ::: "memory");
#endif
}

/// The SplitMix64 finalizer (Steele, Lea and Flood, "Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014; the constants are
/// D. Stafford's "Mix13", "Better Bit Mixing", 2011): a bijection on 64-bit
/// words in which every input bit affects every output bit, so sequential or
/// strided keys (ids, aligned pointers) spread over the high bits.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A mutex in one 32-bit word: 0 free, 1 held, 2 held and someone may be
/// parked. This is "mutex 3" of U. Drepper, "Futexes Are Tricky" (2011),
/// on C++20 atomic wait/notify, with a bounded spin before parking.
/// Uncontended lock is one compare-exchange, unlock one exchange; unlock
/// calls notify only when the word said 2.
class word_mutex {
 public:
  constexpr word_mutex() noexcept = default;
  word_mutex(const word_mutex&) = delete;
  word_mutex& operator=(const word_mutex&) = delete;

  ELECTRON_ALWAYS_INLINE void lock() noexcept {
    std::uint32_t s = 0;
    if (ELECTRON_LIKELY(m_state.compare_exchange_strong(s, 1, std::memory_order_acquire, std::memory_order_relaxed)))
      return;
    lock_slow();
  }
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_lock() noexcept {
    std::uint32_t s = 0;
    return m_state.compare_exchange_strong(s, 1, std::memory_order_acquire, std::memory_order_relaxed);
  }
  ELECTRON_ALWAYS_INLINE void unlock() noexcept {
    // Release: the critical section happens-before the next owner's acquire.
    const std::uint32_t prev = m_state.exchange(0, std::memory_order_release);
    ELECTRON_ASSERT(prev != 0, "sync: unlock of a mutex that is not locked");
    if (ELECTRON_UNLIKELY(prev == 2)) m_state.notify_one();
  }

 private:
  ELECTRON_NOINLINE void lock_slow() noexcept {
    for (int i = 0; i < spin_limit; ++i) {
      cpu_relax();
      std::uint32_t s = m_state.load(std::memory_order_relaxed);
      if (s == 0 && m_state.compare_exchange_weak(s, 1, std::memory_order_acquire, std::memory_order_relaxed)) return;
    }
    // From here on the word says 2 whenever we hold or wait, so every unlock
    // that might leave us parked notifies. A thread parks only on the value
    // 2; the unlock that changes 2 into 0 then calls notify_one, and
    // atomic::wait compares and sleeps atomically (a futex), so the wake-up
    // cannot fall between our check and our sleep. The woken thread sets 2
    // again, so the next unlock wakes the next waiter: nobody is stranded.
    std::uint32_t s = m_state.exchange(2, std::memory_order_acquire);
    while (s != 0) {
      m_state.wait(2, std::memory_order_relaxed);
      s = m_state.exchange(2, std::memory_order_acquire);
    }
  }

  std::atomic<std::uint32_t> m_state{0};
};

}  // namespace detail

// ===========================================================================
// sharded_mutex
// ===========================================================================

/// N mutexes ("shards"), each on its own cache line; a key locks the shard
/// its hash selects. Threads that lock different keys rarely wait for each
/// other (with probability about 1/N per pair), and memory stays constant
/// however many keys there are. Two keys on the same shard share one lock,
/// so a thread that holds one key's lock must not lock a second key, unless
/// it locks shards in ascending index order (lock_shard), once per shard.
///
/// Keys: integers are used as they are; other types go through std::hash,
/// or through a hasher of yours (key_hasher). Either way the hash is then
/// mixed with the SplitMix64 finalizer and the top log2(N) bits pick the
/// shard, so sequential ids and aligned pointers spread evenly.
///
/// Each shard is a one-word mutex: uncontended lock + unlock is two atomic
/// instructions; a waiter spins briefly, then sleeps (atomic wait).
/// All members are thread-safe and noexcept (a hasher that throws aside),
/// O(1), and allocate nothing. sizeof == N cache lines.
///
///   electron::sync::sharded_mutex<64> locks;
///   locks.lock(user_id);  /* ... */  locks.unlock(user_id);
///   { auto g = locks.guard(std::string_view{"key"}); /* ... */ }
template <std::size_t N = 64>
  requires(N > 0 && (N & (N - 1)) == 0)
class sharded_mutex {
 public:
  /// The number of shards, N (a power of two).
  static constexpr std::size_t shard_count = N;

  constexpr sharded_mutex() noexcept = default;
  sharded_mutex(const sharded_mutex&) = delete;
  sharded_mutex& operator=(const sharded_mutex&) = delete;
  /// Precondition: no shard is locked.
  ~sharded_mutex() = default;

  /// The shard (0 .. N-1) that guards a 64-bit hash or integer key.
  [[nodiscard]] static constexpr std::size_t shard_of_hash(std::uint64_t h) noexcept {
    if constexpr (N == 1) {
      return 0;
    } else {
      return static_cast<std::size_t>(detail::mix64(h) >> (64 - std::countr_zero(N)));
    }
  }

  /// The shard (0 .. N-1) that guards `key`: integers directly, other keys
  /// through std::hash<K>. Deterministic within a process.
  template <shard_key K>
  [[nodiscard]] static constexpr std::size_t shard_of(const K& key) noexcept(noexcept(hash_key(key))) {
    return shard_of_hash(hash_key(key));
  }
  /// The shard that guards `key` when hashed by `h`.
  template <class K, key_hasher<K> H>
  [[nodiscard]] static constexpr std::size_t shard_of(const K& key, const H& h) noexcept(noexcept(h(key))) {
    return shard_of_hash(static_cast<std::uint64_t>(h(key)));
  }

  /// Blocks until the calling thread holds the shard of `key`.
  /// Precondition: the caller does not already hold that shard (not
  /// recursive: locking a second key of the same shard deadlocks).
  template <shard_key K>
  void lock(const K& key) noexcept(noexcept(shard_of(key))) {
    lock_shard(shard_of(key));
  }
  template <class K, key_hasher<K> H>
  void lock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h))) {
    lock_shard(shard_of(key, h));
  }

  /// Takes the shard of `key` if it is free now; true when it did. Never blocks.
  template <shard_key K>
  [[nodiscard]] bool try_lock(const K& key) noexcept(noexcept(shard_of(key))) {
    return try_lock_shard(shard_of(key));
  }
  template <class K, key_hasher<K> H>
  [[nodiscard]] bool try_lock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h))) {
    return try_lock_shard(shard_of(key, h));
  }

  /// Releases the shard of `key`. Precondition: the caller holds it
  /// (an unlock of a free shard is caught by ELECTRON_ASSERT).
  template <shard_key K>
  void unlock(const K& key) noexcept(noexcept(shard_of(key))) {
    unlock_shard(shard_of(key));
  }
  template <class K, key_hasher<K> H>
  void unlock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h))) {
    unlock_shard(shard_of(key, h));
  }

  /// Locks shard `i` (< N) directly, e.g. to hold two keys: lock the lower
  /// of their shard_of() first, and a shared shard once.
  void lock_shard(std::size_t i) noexcept {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    m_shards[i]->lock();
  }
  /// Takes shard `i` (< N) if it is free now.
  [[nodiscard]] bool try_lock_shard(std::size_t i) noexcept {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    return m_shards[i]->try_lock();
  }
  /// Releases shard `i` (< N), which the caller holds.
  void unlock_shard(std::size_t i) noexcept {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    m_shards[i]->unlock();
  }

  /// Holds one shard from construction to destruction (guard() makes one).
  /// Neither copyable nor movable: keep it in the scope that needs the lock.
  class [[nodiscard]] lock_guard {
   public:
    /// Locks the shard of `key` in `m`.
    template <shard_key K>
    lock_guard(sharded_mutex& m, const K& key) noexcept(noexcept(shard_of(key)))
        : m_mutex(m), m_shard(shard_of(key)) {
      m_mutex.lock_shard(m_shard);
    }
    template <class K, key_hasher<K> H>
    lock_guard(sharded_mutex& m, const K& key, const H& h) noexcept(noexcept(shard_of(key, h)))
        : m_mutex(m), m_shard(shard_of(key, h)) {
      m_mutex.lock_shard(m_shard);
    }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;
    ~lock_guard() { m_mutex.unlock_shard(m_shard); }
    /// The shard this guard holds.
    [[nodiscard]] std::size_t shard() const noexcept { return m_shard; }

   private:
    sharded_mutex& m_mutex;
    std::size_t m_shard;
  };

  /// Locks the shard of `key` until the returned guard goes out of scope:
  ///   auto g = locks.guard(key);
  template <shard_key K>
  [[nodiscard]] lock_guard guard(const K& key) noexcept(noexcept(shard_of(key))) {
    return lock_guard(*this, key);
  }
  template <class K, key_hasher<K> H>
  [[nodiscard]] lock_guard guard(const K& key, const H& h) noexcept(noexcept(shard_of(key, h))) {
    return lock_guard(*this, key, h);
  }

 private:
  template <shard_key K>
  static constexpr std::uint64_t hash_key(const K& key) noexcept(std::integral<K> ||
                                                                 noexcept(std::hash<K>{}(key))) {
    if constexpr (std::integral<K>) {
      return static_cast<std::uint64_t>(key);
    } else {
      return static_cast<std::uint64_t>(std::hash<K>{}(key));
    }
  }

  cache::padded<detail::word_mutex> m_shards[N];
};

// ===========================================================================
// rw_mutex
// ===========================================================================

/// A reader/writer lock in one 32-bit atomic word that prefers readers: a
/// reader enters whenever no writer holds the lock, even while writers wait.
/// Satisfies shared_lockable (the standard Lockable and SharedLockable
/// requirements), so std::unique_lock, std::shared_lock, std::lock_guard and
/// std::scoped_lock work with it.
///
/// Uncontended lock/unlock, shared or exclusive, is one atomic
/// read-modify-write each and no system call. A waiter spins briefly, then
/// sleeps (C++20 atomic wait); unlocking calls notify only when the word
/// records a sleeper.
///
/// Trade-off (writer starvation): readers never wait for waiting writers, so
/// while the read sections of several threads overlap without a gap, a
/// writer waits until they all happen to be out at once, possibly forever.
/// Choose it where writes are rare and read sections short; where writers
/// must make progress under steady reads, use a writer-preferring lock such
/// as std::shared_mutex on glibc.
///
/// Not recursive, shared or exclusive; no upgrade from shared to exclusive.
/// At most 2^30 - 1 simultaneous readers (checked by ELECTRON_ASSERT).
/// All members are noexcept and allocate nothing; sizeof == 4.
class rw_mutex {
 public:
  constexpr rw_mutex() noexcept = default;
  rw_mutex(const rw_mutex&) = delete;
  rw_mutex& operator=(const rw_mutex&) = delete;
  /// Precondition: not held.
  ~rw_mutex() = default;

  /// Blocks until the calling thread holds the lock exclusively.
  ELECTRON_ALWAYS_INLINE void lock() noexcept {
    std::uint32_t s = 0;
    if (ELECTRON_LIKELY(
            m_state.compare_exchange_strong(s, writer_bit, std::memory_order_acquire, std::memory_order_relaxed)))
      return;
    lock_slow();
  }

  /// Takes the lock exclusively if no reader or writer holds it; true when
  /// it did. Never blocks, never fails spuriously.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_lock() noexcept {
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    while ((s & (writer_bit | reader_mask)) == 0) {
      if (m_state.compare_exchange_weak(s, s | writer_bit, std::memory_order_acquire, std::memory_order_relaxed))
        return true;
    }
    return false;
  }

  /// Releases exclusive ownership. Precondition: the caller holds it.
  ELECTRON_ALWAYS_INLINE void unlock() noexcept {
    // While a writer holds the word no reader is counted (readers enter only
    // without the writer bit), and other threads only add the waiting bit:
    // clearing everything is right, and clearing waiting_bit obliges us to
    // wake the sleepers (they set it again if they still have to wait).
    const std::uint32_t prev = m_state.exchange(0, std::memory_order_release);
    ELECTRON_ASSERT((prev & writer_bit) != 0, "rw_mutex::unlock without holding it exclusively");
    if (ELECTRON_UNLIKELY((prev & waiting_bit) != 0)) m_state.notify_all();
  }

  /// Blocks until the calling thread holds the lock shared: at once unless
  /// a writer holds it.
  ELECTRON_ALWAYS_INLINE void lock_shared() noexcept {
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    if (ELECTRON_LIKELY((s & writer_bit) == 0 && (s & reader_mask) != reader_mask) &&
        m_state.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed))
      return;
    lock_shared_slow();
  }

  /// Takes the lock shared if no writer holds it (waiting writers do not
  /// count); true when it did. Never blocks, never fails spuriously.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_lock_shared() noexcept {
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    while ((s & writer_bit) == 0) {
      ELECTRON_ASSERT((s & reader_mask) != reader_mask, "rw_mutex: too many readers");
      if (m_state.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) return true;
    }
    return false;
  }

  /// Releases shared ownership. Precondition: the caller holds it shared.
  ELECTRON_ALWAYS_INLINE void unlock_shared() noexcept {
    // Release: this reader's section happens-before the next writer's
    // acquire. Every change of the word is a read-modify-write, so the
    // writer's acquire compare-exchange, which reads the count at 0, reads
    // from the release sequence of every reader's decrement, not only the
    // last one's.
    const std::uint32_t prev = m_state.fetch_sub(1, std::memory_order_release);
    ELECTRON_ASSERT((prev & reader_mask) != 0 && (prev & writer_bit) == 0,
                    "rw_mutex::unlock_shared without holding it shared");
    if (ELECTRON_UNLIKELY(prev == (waiting_bit | 1))) wake_after_last_reader();
  }

 private:
  static constexpr std::uint32_t writer_bit = 1u << 31;
  // Some thread is asleep, or about to sleep, on the word: whoever clears
  // the bit notifies all.
  static constexpr std::uint32_t waiting_bit = 1u << 30;
  static constexpr std::uint32_t reader_mask = waiting_bit - 1;

  // No lost wake-up, in brief. A thread sleeps only through
  // m_state.wait(v) where v has waiting_bit set, and only after it saw the
  // lock unavailable in v. wait() compares and sleeps atomically, so it
  // returns at once if the word is no longer v. While the word holds
  // waiting_bit, the thread that clears it (a writer's unlock, or the last
  // reader's unlock) calls notify_all after clearing it. A woken thread
  // re-examines the word and, if it must wait again, sets the bit again. If
  // the word goes back to exactly v, the bit is set in it, so a later clear
  // notifies again.

  template <class Free, class Take>
  void wait_until_taken(Free free, Take take) noexcept {
    int spins = 0;
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    for (;;) {
      if (free(s)) {
        // Keep waiting_bit as it is: other sleepers still need the wake-up
        // our release will give.
        if (m_state.compare_exchange_weak(s, take(s), std::memory_order_acquire, std::memory_order_relaxed)) return;
        continue;
      }
      if (spins < detail::spin_limit) {
        ++spins;
        detail::cpu_relax();
        s = m_state.load(std::memory_order_relaxed);
        continue;
      }
      if ((s & waiting_bit) == 0) {
        // Relaxed is enough: the bit publishes no data; acquire comes from
        // the compare-exchange that finally takes the lock.
        if (!m_state.compare_exchange_weak(s, s | waiting_bit, std::memory_order_relaxed,
                                           std::memory_order_relaxed))
          continue;
        s |= waiting_bit;
      }
      m_state.wait(s, std::memory_order_relaxed);
      spins = 0;
      s = m_state.load(std::memory_order_relaxed);
    }
  }

  ELECTRON_NOINLINE void lock_slow() noexcept {
    wait_until_taken([](std::uint32_t s) { return (s & (writer_bit | reader_mask)) == 0; },
                     [](std::uint32_t s) { return s | writer_bit; });
  }

  ELECTRON_NOINLINE void lock_shared_slow() noexcept {
    wait_until_taken(
        [](std::uint32_t s) {
          ELECTRON_ASSERT((s & reader_mask) != reader_mask, "rw_mutex: too many readers");
          return (s & writer_bit) == 0;
        },
        [](std::uint32_t s) { return s + 1; });
  }

  // The last reader left a word that says someone sleeps. Readers sleep
  // only while a writer holds the word, so the sleepers are writers. If the
  // word changed since our decrement, a reader came in (its last-out unlock
  // will see the bit) or a writer took it keeping the bit (its unlock
  // notifies): either way a later release wakes them, so we need not.
  ELECTRON_NOINLINE void wake_after_last_reader() noexcept {
    std::uint32_t s = waiting_bit;
    if (m_state.compare_exchange_strong(s, 0, std::memory_order_relaxed, std::memory_order_relaxed))
      m_state.notify_all();
  }

  std::atomic<std::uint32_t> m_state{0};
};

// ===========================================================================
// semaphore
// ===========================================================================

/// A counting semaphore: acquire() takes one unit of the count, waiting
/// while it is 0; release(n) adds n. Usable as a concurrency limit (at most
/// `initial` holders), a handoff signal between threads, or a rate limiter
/// (a thread releases tokens at a fixed rate; workers acquire one per
/// operation; see docs/sync.md).
///
/// When the count is positive, acquire() is one compare-exchange, and
/// release() one fetch-add plus one load: no lock and no system call. A
/// thread that finds the count at 0 spins briefly, then registers as a
/// waiter and sleeps: acquire() on a 32-bit wake-up word with C++20 atomic
/// wait (a futex on Linux), the timed waits on a condition variable (atomic
/// wait has no time-out). release() wakes sleepers only when one is
/// registered.
///
/// Not fair: a thread arriving while the count is positive may take a unit
/// ahead of a sleeping waiter. No unit is lost, and no waiter sleeps while
/// a unit is left unclaimed.
///
/// Thread-safe. Nothing allocates. acquire() and release() are noexcept:
/// the mutex and condition variable of the timed path fail only on invalid
/// use (for example destroying the semaphore while a thread waits), which
/// terminates. The timed waits may throw what the clock or the duration
/// arithmetic throws.
class semaphore {
 public:
  /// A semaphore whose count starts at `initial` (0 <= initial <= max()).
  explicit semaphore(std::ptrdiff_t initial) noexcept : m_count(initial) {
    ELECTRON_ASSERT(initial >= 0, "semaphore: negative initial count");
  }
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;
  /// Precondition: no thread waits on it.
  ~semaphore() = default;

  /// The largest count the semaphore holds.
  [[nodiscard]] static constexpr std::ptrdiff_t max() noexcept { return std::numeric_limits<std::ptrdiff_t>::max(); }

  /// Takes one unit if the count is positive now; true when it did. Never
  /// blocks, never fails spuriously. O(1) (a retry loop under contention).
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_acquire() noexcept {
    std::ptrdiff_t c = m_count.load(std::memory_order_relaxed);
    while (c > 0) {
      // Acquire: what the releaser wrote before release() is visible now.
      if (m_count.compare_exchange_weak(c, c - 1, std::memory_order_acquire, std::memory_order_relaxed)) return true;
    }
    return false;
  }

  /// Takes one unit, waiting (spin, then sleep) while the count is 0.
  ELECTRON_ALWAYS_INLINE void acquire() noexcept {
    if (ELECTRON_LIKELY(try_acquire())) return;
    acquire_slow();
  }

  /// Takes one unit, waiting at most `timeout`; true when it got one,
  /// false on time-out (the count is then untouched by this call).
  template <class Rep, class Period>
  [[nodiscard]] bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout) {
    if (try_acquire()) return true;
    return try_acquire_until(std::chrono::steady_clock::now() +
                             std::chrono::ceil<std::chrono::steady_clock::duration>(timeout));
  }

  /// Takes one unit, waiting until `deadline` at the latest; true when it
  /// got one, false on time-out. With a deadline in the past it is
  /// try_acquire().
  template <chrono_clock Clock, class Duration>
  [[nodiscard]] bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    if (try_acquire()) return true;
    if (Clock::now() >= deadline) return false;
    if (spin_acquire()) return true;
    std::unique_lock<std::mutex> lock(m_mutex);
    const registration registered(m_waiters, timed_waiter);
    while (!try_acquire_registered()) {
      if (m_cv.wait_until(lock, deadline) == std::cv_status::timeout) return try_acquire_registered();
    }
    return true;
  }

  /// Adds `n` (>= 0) to the count, waking up to n waiters. The count must
  /// stay <= max() (checked by ELECTRON_ASSERT).
  ELECTRON_ALWAYS_INLINE void release(std::ptrdiff_t n = 1) noexcept {
    ELECTRON_ASSERT(n >= 0, "semaphore::release: negative count");
    // seq_cst: with a waiter's seq_cst registration and its seq_cst read of
    // m_count this is Dekker's pattern (see the note below): either the
    // waiter sees this unit or we see the waiter. The fetch-add also
    // releases what we wrote to whoever takes the unit.
    [[maybe_unused]] const std::ptrdiff_t prev = m_count.fetch_add(n, std::memory_order_seq_cst);
    ELECTRON_ASSERT(prev <= max() - n, "semaphore::release: count overflows");
    const std::uint64_t waiters = m_waiters.load(std::memory_order_seq_cst);
    if (ELECTRON_UNLIKELY(waiters != 0)) wake(n, waiters);
  }

  /// The count now (a snapshot: other threads may change it at once).
  [[nodiscard]] std::ptrdiff_t available() const noexcept { return m_count.load(std::memory_order_relaxed); }

 private:
  // m_waiters counts registered sleepers: acquire() in the low half, the
  // timed waits in the high half.
  static constexpr std::uint64_t plain_waiter = 1;
  static constexpr std::uint64_t timed_waiter = std::uint64_t{1} << 32;
  static constexpr std::uint64_t plain_mask = timed_waiter - 1;

  // No lost wake-up. A waiter (1) registers in m_waiters, (2) reads the
  // wake-up word (plain) or holds m_mutex (timed), (3) reads m_count, and
  // sleeps only if it saw 0: on the wake-up word with the value read in (2)
  // (atomic wait compares and sleeps atomically, like a futex), or on the
  // condition variable, which releases m_mutex atomically with going to
  // sleep. A releaser (a) adds to m_count, (b) reads m_waiters, and if a
  // waiter is registered (c) bumps the wake-up word and notifies it, and/or
  // locks and unlocks m_mutex and notifies the condition variable.
  // (1), (2)-(3) for plain waiters, (a), (b) and the bump in (c) are all
  // seq_cst, so in their single total order either (a) precedes (3) (the
  // waiter sees the unit, or someone took it first) or (1) precedes (b) (the
  // releaser sees the waiter). In the second case the bump follows (2), so
  // the plain waiter's wait returns at once or is woken by the notify; and
  // the timed waiter held m_mutex from before (1) until it slept, so the
  // releaser's lock completes only after that and its notify finds it asleep
  // (or gone). A waiter woken for a unit that a newcomer takes first sleeps
  // again; the unit was not lost.
  ELECTRON_NOINLINE void acquire_slow() noexcept {
    if (spin_acquire()) return;
    const registration registered(m_waiters, plain_waiter);
    for (;;) {
      const std::uint32_t seen = m_wakeups.load(std::memory_order_seq_cst);
      if (try_acquire_registered()) return;
      m_wakeups.wait(seen, std::memory_order_relaxed);
    }
  }

  ELECTRON_NOINLINE void wake(std::ptrdiff_t n, std::uint64_t waiters) noexcept {
    if (n == 0) return;
    if ((waiters & plain_mask) != 0) {
      m_wakeups.fetch_add(1, std::memory_order_seq_cst);
      if (n == 1) {
        m_wakeups.notify_one();
      } else {
        m_wakeups.notify_all();
      }
    }
    if (waiters >= timed_waiter) {
      { const std::lock_guard<std::mutex> lock(m_mutex); }
      if (n == 1) {
        m_cv.notify_one();
      } else {
        m_cv.notify_all();
      }
    }
  }

  // Counts the caller in m_waiters while it may sleep (also when a clock
  // throws).
  struct registration {
    std::atomic<std::uint64_t>& waiters;
    std::uint64_t unit;
    registration(std::atomic<std::uint64_t>& w, std::uint64_t u) noexcept : waiters(w), unit(u) {
      waiters.fetch_add(unit, std::memory_order_seq_cst);
    }
    registration(const registration&) = delete;
    registration& operator=(const registration&) = delete;
    ~registration() { waiters.fetch_sub(unit, std::memory_order_relaxed); }
  };

  bool spin_acquire() noexcept {
    for (int i = 0; i < detail::spin_limit; ++i) {
      detail::cpu_relax();
      if (m_count.load(std::memory_order_relaxed) > 0 && try_acquire()) return true;
    }
    return false;
  }

  // try_acquire for a registered waiter: the read of m_count is seq_cst, the
  // waiter's half of the Dekker pattern with release().
  bool try_acquire_registered() noexcept {
    std::ptrdiff_t c = m_count.load(std::memory_order_seq_cst);
    while (c > 0) {
      if (m_count.compare_exchange_weak(c, c - 1, std::memory_order_seq_cst, std::memory_order_seq_cst)) return true;
    }
    return false;
  }

  // The count and the waiter count share a line: release() reads both.
  std::atomic<std::ptrdiff_t> m_count;
  std::atomic<std::uint64_t> m_waiters{0};
  std::atomic<std::uint32_t> m_wakeups{0};  // bumped on each wake-up of plain waiters
  std::mutex m_mutex;                       // timed waiters only
  std::condition_variable m_cv;
};

}  // namespace sync
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SYNC_HPP
