// SPDX-License-Identifier: MIT
// electron/sync.hpp: locks and a semaphore whose uncontended paths are one or
// two atomic instructions and never a system call.
//
// - word_mutex: a mutex in one 32-bit word (lock + unlock: two atomic
//   instructions when uncontended).
// - sharded_mutex<N, M>: N independent locks of type M (word_mutex by
//   default, or any `lockable` type) chosen by hashing a key, for "one lock
//   per key" without one mutex per key; lock(key)/unlock(key), try_lock(key)
//   and a scoped guard(key).
// - rw_mutex: a reader-preferring reader/writer lock in one 32-bit word;
//   works with std::unique_lock, std::shared_lock and std::lock_guard.
// - semaphore: a counting semaphore with timed waits; acquire + release is
//   two atomic read-modify-writes when nobody waits.
//
// Waiting threads back off (electron/detail/backoff.hpp), then park on the
// word itself (electron/detail/waiter.hpp: a futex on Linux); a releasing
// thread makes a wake-up call only when some thread may be parked.
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

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/detail/backoff.hpp"
#include "electron/detail/waiter.hpp"
#include "electron/hash/hasher.hpp"

#include <atomic>
#include <bit>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
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

/// A key sharded_mutex accepts without an explicit hasher: an integer (used
/// as is), or a type with an enabled std::hash.
template <class K>
concept shard_key = std::integral<K> ||(std::default_initializable<std::hash<K>>&& hash::hasher<std::hash<K>, K>);

/// A clock in the sense of std::chrono::is_clock.
template <class C>
concept chrono_clock = std::chrono::is_clock_v<C>;

namespace detail {
using electron::detail::backoff;
using electron::detail::mix64;
using electron::detail::waiter;
}  // namespace detail

// ===========================================================================
// word_mutex
// ===========================================================================

/// A mutex in one 32-bit word: 0 free, 1 held, 2 held and someone may be
/// parked. This is "mutex 3" of U. Drepper, "Futexes Are Tricky" (2011),
/// on Electron's waiter (a futex on Linux), with a backoff before parking.
/// Uncontended lock is one compare-exchange, unlock one exchange; unlock
/// makes a wake-up call only when the word said 2. Satisfies `lockable`
/// (std::lock_guard, std::unique_lock and std::scoped_lock work with it);
/// sharded_mutex's default shard type. Not recursive. All members noexcept;
/// nothing allocates; sizeof == 4. Destruction is allowed as soon as no
/// thread holds or waits for it, even while the last unlock() is returning
/// (it touches the word only through a wake-up on its address).
///   electron::sync::word_mutex m;
///   { std::lock_guard g(m); /* ... */ }
class word_mutex {
 public:
  constexpr word_mutex() noexcept = default;
  word_mutex(const word_mutex&) = delete;
  word_mutex& operator=(const word_mutex&) = delete;
  /// Precondition: no thread holds or waits for it.
  ~word_mutex() = default;

  /// Blocks until the calling thread holds the mutex. Precondition: it
  /// does not hold it already.
  ELECTRON_ALWAYS_INLINE void lock() noexcept {
    std::uint32_t s = 0;
    if (ELECTRON_LIKELY(m_state.compare_exchange_strong(s, 1, std::memory_order_acquire, std::memory_order_relaxed)))
      return;
    lock_slow();
  }
  /// Takes the mutex if it is free now; true when it did. Never blocks,
  /// never fails spuriously.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_lock() noexcept {
    std::uint32_t s = 0;
    return m_state.compare_exchange_strong(s, 1, std::memory_order_acquire, std::memory_order_relaxed);
  }
  /// Releases the mutex. Precondition: the caller holds it (an unlock of a
  /// free mutex is caught by ELECTRON_ASSERT).
  ELECTRON_ALWAYS_INLINE void unlock() noexcept {
    // Release: the critical section happens-before the next owner's acquire.
    const std::uint32_t prev = m_state.exchange(0, std::memory_order_release);
    ELECTRON_ASSERT(prev != 0, "sync: unlock of a mutex that is not locked");
    if (ELECTRON_UNLIKELY(prev == 2)) detail::waiter::wake_one(m_state);
  }

 private:
  ELECTRON_NOINLINE void lock_slow() noexcept {
    for (detail::backoff b; b.pause();) {
      std::uint32_t s = m_state.load(std::memory_order_relaxed);
      if (s == 0 && m_state.compare_exchange_weak(s, 1, std::memory_order_acquire, std::memory_order_relaxed)) return;
    }
    // From here on the word says 2 whenever we hold or wait, so every unlock
    // that might leave us parked notifies. A thread parks only on the value
    // 2; the unlock that changes 2 into 0 then calls wake_one, and the
    // waiter compares and sleeps atomically (a futex), so the wake-up
    // cannot fall between our check and our sleep. The woken thread sets 2
    // again, so the next unlock wakes the next waiter: nobody is stranded.
    std::uint32_t s = m_state.exchange(2, std::memory_order_acquire);
    while (s != 0) {
      detail::waiter::wait(m_state, 2);
      s = m_state.exchange(2, std::memory_order_acquire);
    }
  }

  std::atomic<std::uint32_t> m_state{0};
};

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
/// or through a hasher of yours (`electron::hash::hasher<H, K>`). Either way the hash is then
/// mixed with the SplitMix64 finalizer and the top log2(N) bits pick the
/// shard, so sequential ids and aligned pointers spread evenly.
///
/// Each shard is an M, alone on its cache line(s). M is any default-
/// constructible `lockable` type: word_mutex by default (uncontended lock +
/// unlock is two atomic instructions; a waiter backs off, then sleeps),
/// std::mutex, or a lock of yours (a spin lock for very short sections,
/// an instrumented one, ...). The members are thread-safe and O(1) and
/// allocate nothing; they are noexcept when M's lock/try_lock/unlock are
/// (and the hasher is). sizeof == N cache lines for an M that fits in one.
///
///   electron::sync::sharded_mutex<64> locks;
///   locks.lock(user_id);  /* ... */  locks.unlock(user_id);
///   { auto g = locks.guard(std::string_view{"key"}); /* ... */ }
///   electron::sync::sharded_mutex<16, std::mutex> std_locks;
template <std::size_t N = 64, lockable M = word_mutex>
requires(N > 0 && (N & (N - 1)) == 0) && std::default_initializable<M> class sharded_mutex {
  static constexpr bool nothrow_lock = noexcept(std::declval<M&>().lock());
  static constexpr bool nothrow_try_lock = noexcept(std::declval<M&>().try_lock());
  static constexpr bool nothrow_unlock = noexcept(std::declval<M&>().unlock());

 public:
  /// The number of shards, N (a power of two).
  static constexpr std::size_t shard_count = N;
  /// The lock type of each shard.
  using mutex_type = M;

  constexpr sharded_mutex() noexcept(std::is_nothrow_default_constructible_v<M>) = default;
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
  template <class K, hash::hasher<K> H>
  [[nodiscard]] static constexpr std::size_t shard_of(const K& key, const H& h) noexcept(noexcept(h(key))) {
    return shard_of_hash(static_cast<std::uint64_t>(h(key)));
  }

  /// Blocks until the calling thread holds the shard of `key`.
  /// Precondition: the caller does not already hold that shard (not
  /// recursive: locking a second key of the same shard deadlocks).
  template <shard_key K>
  void lock(const K& key) noexcept(noexcept(shard_of(key)) && nothrow_lock) {
    lock_shard(shard_of(key));
  }
  template <class K, hash::hasher<K> H>
  void lock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h)) && nothrow_lock) {
    lock_shard(shard_of(key, h));
  }

  /// Takes the shard of `key` if it is free now; true when it did. Never blocks.
  template <shard_key K>
  [[nodiscard]] bool try_lock(const K& key) noexcept(noexcept(shard_of(key)) && nothrow_try_lock) {
    return try_lock_shard(shard_of(key));
  }
  template <class K, hash::hasher<K> H>
  [[nodiscard]] bool try_lock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h)) && nothrow_try_lock) {
    return try_lock_shard(shard_of(key, h));
  }

  /// Releases the shard of `key`. Precondition: the caller holds it
  /// (with word_mutex, an unlock of a free shard is caught by ELECTRON_ASSERT).
  template <shard_key K>
  void unlock(const K& key) noexcept(noexcept(shard_of(key)) && nothrow_unlock) {
    unlock_shard(shard_of(key));
  }
  template <class K, hash::hasher<K> H>
  void unlock(const K& key, const H& h) noexcept(noexcept(shard_of(key, h)) && nothrow_unlock) {
    unlock_shard(shard_of(key, h));
  }

  /// Locks shard `i` (< N) directly, e.g. to hold two keys: lock the lower
  /// of their shard_of() first, and a shared shard once.
  void lock_shard(std::size_t i) noexcept(nothrow_lock) {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    m_shards[i]->lock();
  }
  /// Takes shard `i` (< N) if it is free now.
  [[nodiscard]] bool try_lock_shard(std::size_t i) noexcept(nothrow_try_lock) {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    return m_shards[i]->try_lock();
  }
  /// Releases shard `i` (< N), which the caller holds.
  void unlock_shard(std::size_t i) noexcept(nothrow_unlock) {
    ELECTRON_ASSERT(i < N, "sharded_mutex: shard index out of range");
    m_shards[i]->unlock();
  }

  /// Holds one shard from construction to destruction (guard() makes one).
  /// Neither copyable nor movable: keep it in the scope that needs the lock.
  class [[nodiscard]] lock_guard {
   public:
    /// Locks the shard of `key` in `m`.
    template <shard_key K>
    lock_guard(sharded_mutex& m, const K& key) noexcept(noexcept(shard_of(key)) && nothrow_lock)
        : m_mutex(m), m_shard(shard_of(key)) {
      m_mutex.lock_shard(m_shard);
    }
    template <class K, hash::hasher<K> H>
    lock_guard(sharded_mutex& m, const K& key, const H& h) noexcept(noexcept(shard_of(key, h)) && nothrow_lock)
        : m_mutex(m), m_shard(shard_of(key, h)) {
      m_mutex.lock_shard(m_shard);
    }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;
    ~lock_guard() { m_mutex.unlock_shard(m_shard); }  // unlock must not throw here (a destructor)
    /// The shard this guard holds.
    [[nodiscard]] std::size_t shard() const noexcept { return m_shard; }

   private:
    sharded_mutex& m_mutex;
    std::size_t m_shard;
  };

  /// Locks the shard of `key` until the returned guard goes out of scope:
  ///   auto g = locks.guard(key);
  template <shard_key K>
  [[nodiscard]] lock_guard guard(const K& key) noexcept(noexcept(shard_of(key)) && nothrow_lock) {
    return lock_guard(*this, key);
  }
  template <class K, hash::hasher<K> H>
  [[nodiscard]] lock_guard guard(const K& key, const H& h) noexcept(noexcept(shard_of(key, h)) && nothrow_lock) {
    return lock_guard(*this, key, h);
  }

 private:
  template <shard_key K>
  static constexpr std::uint64_t hash_key(const K& key) noexcept(std::integral<K> || noexcept(std::hash<K>{}(key))) {
    if constexpr (std::integral<K>) {
      return static_cast<std::uint64_t>(key);
    } else {
      return static_cast<std::uint64_t>(std::hash<K>{}(key));
    }
  }

  cache::padded<M> m_shards[N];
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
/// sleeps (Electron's waiter); unlocking makes a wake-up call only when the word
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
/// At most 2^30 - 1 simultaneous readers: at that limit lock_shared() waits
/// for a reader to leave and try_lock_shared() returns false.
/// All members are noexcept and allocate nothing; sizeof == 4.
///
/// Destruction: allowed once no thread holds or waits for the lock, even
/// while the thread that released it last is still returning from unlock()
/// or unlock_shared() (e.g. a reader drops the last reference to an object
/// that holds the mutex): after its releasing read-modify-write an unlock
/// touches the mutex only through a wake-up on its address, which does not
/// read or write the (possibly freed) word.
class rw_mutex {
 public:
  constexpr rw_mutex() noexcept = default;
  rw_mutex(const rw_mutex&) = delete;
  rw_mutex& operator=(const rw_mutex&) = delete;
  /// Precondition: no thread holds or waits for it (see above).
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
    if (ELECTRON_UNLIKELY((prev & waiting_bit) != 0)) detail::waiter::wake_all(m_state);
  }

  /// Blocks until the calling thread holds the lock shared: at once unless
  /// a writer holds it (or 2^30 - 1 readers do).
  ELECTRON_ALWAYS_INLINE void lock_shared() noexcept {
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    if (ELECTRON_LIKELY(shared_free(s)) &&
        m_state.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed))
      return;
    lock_shared_slow();
  }

  /// Takes the lock shared if no writer holds it (waiting writers do not
  /// count) and fewer than 2^30 - 1 readers do; true when it did. Never
  /// blocks, never fails spuriously.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_lock_shared() noexcept {
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    while (shared_free(s)) {
      if (m_state.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) return true;
    }
    return false;
  }

  /// Releases shared ownership. Precondition: the caller holds it shared.
  ELECTRON_ALWAYS_INLINE void unlock_shared() noexcept {
    // One read-modify-write both releases and decides the wake-up, so after
    // it this thread touches the mutex only through a wake_all on its
    // address (see the class comment on destruction). The last reader out
    // of a word that says "someone sleeps, one reader" clears the waiting
    // bit with its decrement and so must notify; a reader leaving a full
    // count notifies too (readers may sleep for a free slot), keeping the
    // bit for the other sleepers.
    //
    // Release: this reader's section happens-before the next writer's
    // acquire. Every change of the word is a read-modify-write, so the
    // writer's acquire compare-exchange, which reads the count at 0, reads
    // from the release sequence of every reader's decrement, not only the
    // last one's.
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    for (;;) {
      ELECTRON_ASSERT((s & reader_mask) != 0 && (s & writer_bit) == 0,
                      "rw_mutex::unlock_shared without holding it shared");
      const std::uint32_t next = s == (waiting_bit | 1) ? 0 : s - 1;
      if (ELECTRON_LIKELY(m_state.compare_exchange_weak(s, next, std::memory_order_release, std::memory_order_relaxed)))
        break;
    }
    if (ELECTRON_UNLIKELY((s & waiting_bit) != 0) && (s == (waiting_bit | 1) || (s & reader_mask) == reader_mask))
      detail::waiter::wake_all(m_state);
  }

 private:
  static constexpr std::uint32_t writer_bit = 1u << 31;
  // Some thread is asleep, or about to sleep, on the word: whoever clears
  // the bit notifies all.
  static constexpr std::uint32_t waiting_bit = 1u << 30;
  static constexpr std::uint32_t reader_mask = waiting_bit - 1;

  // A reader may enter: no writer holds the word and the count has room
  // (a full count would carry into waiting_bit).
  static constexpr bool shared_free(std::uint32_t s) noexcept {
    return (s & writer_bit) == 0 && (s & reader_mask) != reader_mask;
  }

  // No lost wake-up, in brief. A thread sleeps only through
  // waiter::wait(m_state, v) where v has waiting_bit set, and only after it saw the
  // lock unavailable in v. wait() compares and sleeps atomically, so it
  // returns at once if the word is no longer v. While the word holds
  // waiting_bit, the thread that clears it (a writer's unlock, or the last
  // reader's unlock) calls wake_all after clearing it. A woken thread
  // re-examines the word and, if it must wait again, sets the bit again. If
  // the word goes back to exactly v, the bit is set in it, so a later clear
  // notifies again. Sleepers are writers, or readers that found a writer or
  // a full count: the writer's unlock clears the bit, and a reader leaving a
  // full count notifies without clearing it.

  template <class Free, class Take>
  void wait_until_taken(Free free, Take take) noexcept {
    detail::backoff b;
    std::uint32_t s = m_state.load(std::memory_order_relaxed);
    for (;;) {
      if (free(s)) {
        // Keep waiting_bit as it is: other sleepers still need the wake-up
        // our release will give.
        if (m_state.compare_exchange_weak(s, take(s), std::memory_order_acquire, std::memory_order_relaxed)) return;
        continue;
      }
      if (b.pause()) {
        s = m_state.load(std::memory_order_relaxed);
        continue;
      }
      if ((s & waiting_bit) == 0) {
        // Relaxed is enough: the bit publishes no data; acquire comes from
        // the compare-exchange that finally takes the lock.
        if (!m_state.compare_exchange_weak(s, s | waiting_bit, std::memory_order_relaxed, std::memory_order_relaxed))
          continue;
        s |= waiting_bit;
      }
      detail::waiter::wait(m_state, s);
      b.reset();
      s = m_state.load(std::memory_order_relaxed);
    }
  }

  ELECTRON_NOINLINE void lock_slow() noexcept {
    wait_until_taken([](std::uint32_t s) { return (s & (writer_bit | reader_mask)) == 0; },
                     [](std::uint32_t s) { return s | writer_bit; });
  }

  ELECTRON_NOINLINE void lock_shared_slow() noexcept {
    wait_until_taken([](std::uint32_t s) { return shared_free(s); }, [](std::uint32_t s) { return s + 1; });
  }

  std::atomic<std::uint32_t> m_state{0};
};

// ===========================================================================
// semaphore
// ===========================================================================

/// A counting semaphore: acquire() takes one unit of the count, waiting
/// while it is 0; release(n) adds n. Usable as a concurrency limit (at most
/// `initial` holders), a completion signal or handoff between threads, or a
/// rate limiter (a thread releases tokens at a fixed rate; workers acquire
/// one per operation; see docs/sync.md).
///
/// The count and the number of sleeping waiters share one 64-bit word.
/// When the count is positive, acquire() is one compare-exchange; when
/// nobody sleeps, release() is one compare-exchange: no lock and no system
/// call. A thread that finds the count at 0 backs off, then registers in
/// the word and sleeps: acquire() on the 64-bit word itself (the waiter's
/// 64-bit form: C++20 atomic wait), the timed waits on a 32-bit epoch word
/// with the waiter's timed wait (a futex with a time-out on Linux).
/// release() wakes sleepers only when the word says some are registered:
/// release(1) wakes one acquire() sleeper and, if timed waiters sleep too,
/// also one of those (the one that does not get the unit sleeps again);
/// release(n > 1) wakes them all.
///
/// Not fair: a thread arriving while the count is positive may take a unit
/// ahead of a sleeping waiter. No unit is lost, and no waiter sleeps while
/// a unit is left unclaimed.
///
/// Destruction (the completion-signal idiom): a thread may destroy the
/// semaphore as soon as its acquire() (or a successful try_acquire*) has
/// returned, even while the thread that released that unit is still inside
/// release(), provided no other thread is in or will enter any member (a
/// release() whose units are already in the count, as those of the unit
/// just taken are, is fine). The destructor waits for a releaser that is
/// waking timed waiters under the internal mutex.
///
/// Thread-safe. Nothing allocates. acquire() and release() are noexcept:
/// the mutex of the timed path fails only on invalid use (for example
/// destroying the semaphore while a thread waits), which terminates. The
/// timed waits may throw what the clock throws.
class semaphore {
 public:
  /// A semaphore whose count starts at `initial` (0 <= initial <= max()).
  explicit semaphore(std::ptrdiff_t initial) noexcept : m_state(static_cast<std::uint64_t>(initial) << count_shift) {
    ELECTRON_ASSERT(initial >= 0 && initial <= max(), "semaphore: initial count out of range");
  }
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;
  /// Precondition: no thread waits on it or will use it (see the class
  /// comment for releases still returning).
  ~semaphore() {
    // A releaser that saw timed sleepers publishes its units and wakes the
    // timed sleepers while holding m_mutex; taking the mutex here waits
    // until it is done with both. Unlocking a mutex that another
    // thread then locks and destroys is allowed (POSIX; std::mutex).
    const std::lock_guard<std::mutex> lock(m_mutex);
  }

  /// The largest count the semaphore holds: 2^40 - 1 (the rest of the
  /// 64-bit word counts sleepers).
  [[nodiscard]] static constexpr std::ptrdiff_t max() noexcept {
    return static_cast<std::ptrdiff_t>((std::uint64_t{1} << count_bits) - 1);
  }

  /// Takes one unit if the count is positive now; true when it did. Never
  /// blocks, never fails spuriously. O(1) (a retry loop under contention).
  [[nodiscard]] ELECTRON_ALWAYS_INLINE bool try_acquire() noexcept {
    std::uint64_t w = m_state.load(std::memory_order_relaxed);
    while (w >= count_unit) {
      // Acquire: what the releaser wrote before release() is visible now.
      if (m_state.compare_exchange_weak(w, w - count_unit, std::memory_order_acquire, std::memory_order_relaxed))
        return true;
    }
    return false;
  }

  /// Takes one unit, waiting (spin, then sleep) while the count is 0.
  ELECTRON_ALWAYS_INLINE void acquire() noexcept {
    if (ELECTRON_LIKELY(try_acquire())) return;
    acquire_slow();
  }

  /// Takes one unit, waiting at most `timeout`; true when it got one,
  /// false on time-out (the count is then untouched by this call). A
  /// timeout <= 0 (or NaN) makes it try_acquire(); any timeout, however
  /// large (nanoseconds::max(), duration<double>(1e30)), is valid: one
  /// longer than about 146 years waits without limit.
  template <class Rep, class Period>
  [[nodiscard]] bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout) {
    if (try_acquire()) return true;
    // In floating point the comparison and the conversion cannot overflow.
    const float_seconds t(timeout);
    if (!(t.count() > 0)) return false;
    if (spin_acquire()) return true;
    const std::chrono::steady_clock::time_point until = steady_deadline_after(t);
    return wait_timed([until]() -> std::optional<std::chrono::steady_clock::time_point> {
      if (std::chrono::steady_clock::now() >= until) return std::nullopt;
      return until;
    });
  }

  /// Takes one unit, waiting until `deadline` of `Clock` at the latest; true
  /// when it got one, false on time-out. With a deadline in the past it is
  /// try_acquire(). Any deadline is valid (time_point::max() and min()
  /// included). The wait itself runs on steady_clock for the time left, and
  /// repeats until Clock says the deadline has passed, so a clock that is
  /// set forward or back is followed (late by up to the time slept).
  template <chrono_clock Clock, class Duration>
  [[nodiscard]] bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline) {
    if (try_acquire()) return true;
    if (!(time_left(deadline).count() > 0)) return false;
    if (spin_acquire()) return true;
    return wait_timed([&deadline]() -> std::optional<std::chrono::steady_clock::time_point> {
      const float_seconds left = time_left(deadline);
      if (!(left.count() > 0)) return std::nullopt;
      return steady_deadline_after(left);
    });
  }

  /// Adds `n` (0 <= n, count + n <= max(), checked by ELECTRON_ASSERT) to
  /// the count, waking sleepers as the class comment says.
  ELECTRON_ALWAYS_INLINE void release(std::ptrdiff_t n = 1) noexcept {
    ELECTRON_ASSERT(n >= 0 && n <= max(), "semaphore::release: count out of range");
    if (ELECTRON_UNLIKELY(n <= 0)) return;
    const std::uint64_t add = static_cast<std::uint64_t>(n) << count_shift;
    std::uint64_t w = m_state.load(std::memory_order_relaxed);
    for (;;) {
      ELECTRON_ASSERT(static_cast<std::uint64_t>(n) <= (count_max - (w >> count_shift)),
                      "semaphore::release: count overflows");
      if (ELECTRON_UNLIKELY((w & timed_flag) != 0)) {
        release_timed(add, n);
        return;
      }
      // Release: what we wrote is visible to whoever takes the unit. The
      // same read-modify-write publishes the units and tells us whether
      // anyone sleeps, so nothing can register unseen in between, and after
      // it we touch the semaphore only through a notify on the word's
      // address (see the notes below).
      if (ELECTRON_LIKELY(
              m_state.compare_exchange_weak(w, w + add, std::memory_order_release, std::memory_order_relaxed)))
        break;
    }
    if (ELECTRON_UNLIKELY((w & sleeper_mask) != 0)) notify_sleepers(n);
  }

  /// The count now (a snapshot: other threads may change it at once).
  [[nodiscard]] std::ptrdiff_t available() const noexcept {
    return static_cast<std::ptrdiff_t>(m_state.load(std::memory_order_relaxed) >> count_shift);
  }

 private:
  // m_state: bit 0 says timed waiters are registered (m_timed > 0), bits
  // 1-23 count the registered acquire() sleepers, bits 24-63 hold the count.
  // The count on top: a count that overflowed despite the assertion would
  // wrap without touching the sleeper fields.
  static constexpr std::uint64_t timed_flag = 1;
  static constexpr int sleeper_shift = 1;
  static constexpr int sleeper_bits = 23;
  static constexpr std::uint64_t sleeper_unit = std::uint64_t{1} << sleeper_shift;
  static constexpr std::uint64_t sleeper_mask = ((std::uint64_t{1} << sleeper_bits) - 1) << sleeper_shift;
  static constexpr int count_shift = sleeper_shift + sleeper_bits;
  static constexpr int count_bits = 64 - count_shift;
  static constexpr std::uint64_t count_unit = std::uint64_t{1} << count_shift;
  static constexpr std::uint64_t count_max = (std::uint64_t{1} << count_bits) - 1;

  using float_seconds = std::chrono::duration<double>;

  // No lost wake-up. Everything that decides whether to sleep or to wake is
  // a read-modify-write of m_state, so all of it is ordered by the word's
  // modification order (no seq_cst needed).
  //
  // acquire() sleepers: a waiter adds sleeper_unit only in a compare-
  // exchange that saw the count at 0, then sleeps with waiter::wait(m_state,
  // v) on the value v it wrote or saw since, which compares and sleeps
  // atomically (the 64-bit form: the standard library's atomic wait). A release's compare-exchange is either earlier in
  // the modification order (the waiter's compare-exchange then sees the units) or later (the release sees the sleeper
  // and, after publishing, notifies; the word is no longer v, so the waiter either does not sleep or is woken). A woken
  // waiter takes a unit and leaves the sleeper count in one compare-exchange, or sleeps again if a newcomer took the
  // unit first. release(1) needs to wake only one: every release changes the word, so a sleeper that had compared
  // before it is queued when the notify comes, and one already awake rechecks by itself.
  //
  // Timed sleepers: m_timed counts them under m_mutex, and timed_flag is set
  // exactly while m_timed > 0 (both change under the mutex). A timed waiter
  // sets the flag, then looks at the count and sleeps on the condition
  // variable without releasing the mutex in between. A release that sees the
  // flag takes the mutex before it adds its units, so it cannot add them
  // between that look and the sleep; its compare-exchange fails if the flag
  // was set since it read the word.
  //
  // Destruction. A thread may destroy the semaphore once it took a unit,
  // while the releaser is still returning. So once a unit is in the count,
  // a releaser must not read or write the semaphore: on the fast path its
  // last access is the compare-exchange that publishes the unit; after it,
  // only waiter::wake_* on m_state, which passes the address on (a futex
  // wake on a freed or reused address wakes nobody or wakes spuriously) and
  // reads no memory of the object (libstdc++: a 64-bit atomic waits on a
  // shared, static waiter table; the futex-based libc++ likewise; the
  // portable backend locks a bucket of its own static table). On the
  // timed path the releaser holds m_mutex from before publishing until it
  // has woken the timed sleepers, and the destructor takes m_mutex.

  ELECTRON_NOINLINE void acquire_slow() noexcept {
    if (spin_acquire()) return;
    bool registered = false;
    detail::backoff overflow_poll;
    std::uint64_t w = m_state.load(std::memory_order_relaxed);
    for (;;) {
      if (w >= count_unit) {
        const std::uint64_t next = w - count_unit - (registered ? sleeper_unit : 0);
        if (m_state.compare_exchange_weak(w, next, std::memory_order_acquire, std::memory_order_relaxed)) return;
        continue;
      }
      if (!registered) {
        if (ELECTRON_UNLIKELY((w & sleeper_mask) == sleeper_mask)) {
          // 2^23 - 1 sleepers already: poll rather than overflow the field.
          overflow_poll.pause_or_sleep();
          w = m_state.load(std::memory_order_relaxed);
          continue;
        }
        // Relaxed: the registration publishes no data.
        if (!m_state.compare_exchange_weak(w, w + sleeper_unit, std::memory_order_relaxed, std::memory_order_relaxed))
          continue;
        w += sleeper_unit;
        registered = true;
      }
      detail::waiter::wait(m_state, w);
      w = m_state.load(std::memory_order_relaxed);
    }
  }

  // After a release that saw acquire() sleepers: the last use of the
  // semaphore by the releaser, and it only names the word's address.
  void notify_sleepers(std::ptrdiff_t n) noexcept {
    if (n == 1) {
      detail::waiter::wake_one(m_state);
    } else {
      detail::waiter::wake_all(m_state);
    }
  }

  ELECTRON_NOINLINE void release_timed(std::uint64_t add, std::ptrdiff_t n) noexcept {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::uint64_t prev = m_state.fetch_add(add, std::memory_order_release);
    if ((prev & sleeper_mask) != 0) notify_sleepers(n);
    if (m_timed != 0) {
      // Under m_mutex: a timed waiter reads the epoch under it too, after
      // its last look at the count, so it either sees these units or sleeps
      // on an epoch that has moved on (and does not sleep at all).
      m_timed_epoch.fetch_add(1, std::memory_order_relaxed);
      if (n == 1) {
        detail::waiter::wake_one(m_timed_epoch);
      } else {
        detail::waiter::wake_all(m_timed_epoch);
      }
    }
  }

  // The timed wait proper. next_deadline() returns the steady_clock time to
  // sleep until, or nullopt once the caller's deadline has passed. The
  // waiter is only ever given a steady_clock time point. The look at the
  // count and the read of the epoch happen under m_mutex, and a releaser
  // that saw timed sleepers adds its units and bumps the epoch under it,
  // so the sleep that follows returns at once if such a release came
  // after the look.
  template <class NextDeadline>
  bool wait_timed(NextDeadline next_deadline) {
    std::unique_lock<std::mutex> lock(m_mutex);
    const timed_registration registered(*this);
    for (;;) {
      if (try_acquire()) return true;
      const std::optional<std::chrono::steady_clock::time_point> until = next_deadline();
      if (!until) return false;
      const std::uint32_t epoch = m_timed_epoch.load(std::memory_order_relaxed);
      lock.unlock();
      (void)detail::waiter::wait_until(m_timed_epoch, epoch, *until);
      lock.lock();
    }
  }

  // Counts a timed waiter in m_timed and timed_flag while it may sleep (also
  // when a clock throws). Constructed and destroyed with m_mutex held.
  struct timed_registration {
    semaphore& s;
    explicit timed_registration(semaphore& sem) noexcept : s(sem) {
      // The flag's read-modify-write comes before the waiter's first look
      // at the count, in the word's modification order.
      if (s.m_timed++ == 0) s.m_state.fetch_or(timed_flag, std::memory_order_relaxed);
    }
    timed_registration(const timed_registration&) = delete;
    timed_registration& operator=(const timed_registration&) = delete;
    ~timed_registration() {
      if (--s.m_timed == 0) s.m_state.fetch_and(~timed_flag, std::memory_order_relaxed);
    }
  };

  bool spin_acquire() noexcept {
    for (detail::backoff b; b.pause();) {
      if (m_state.load(std::memory_order_relaxed) >= count_unit && try_acquire()) return true;
    }
    return false;
  }

  // `deadline` - Clock::now(), in floating-point seconds, so that no
  // deadline (max(), min(), a coarse Duration that the clock's would
  // overflow) overflows. The rounding (~0.2 us for system_clock) only moves
  // the last sleep; wait_timed asks again after each one.
  template <class Clock, class Duration>
  static float_seconds time_left(const std::chrono::time_point<Clock, Duration>& deadline) {
    const auto now = Clock::now();
    return float_seconds(deadline.time_since_epoch()) - float_seconds(now.time_since_epoch());
  }

  // steady_clock::now() + d (d > 0), rounded up, or time_point::max() when d
  // is more than half of the room left before max() (~146 years): a wait
  // that long is a wait without limit.
  static std::chrono::steady_clock::time_point steady_deadline_after(float_seconds d) noexcept {
    using steady = std::chrono::steady_clock;
    const steady::time_point now = steady::now();
    const float_seconds room = steady::time_point::max() - now;
    if (!(d < room / 2)) return steady::time_point::max();
    return now + std::chrono::ceil<steady::duration>(d);
  }

  std::atomic<std::uint64_t> m_state;
  std::size_t m_timed = 0;                      // timed waiters registered; guarded by m_mutex
  std::mutex m_mutex;                           // timed waiters and their releasers only
  std::atomic<std::uint32_t> m_timed_epoch{0};  // bumped by releases that saw timed waiters; under m_mutex
};

}  // namespace sync
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_SYNC_HPP
