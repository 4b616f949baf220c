// SPDX-License-Identifier: MIT
// electron/io/ring_buffer.hpp: a single-producer/single-consumer byte ring.
//
// One thread writes bytes, one thread reads them, in order, with no lock and
// no copy that the caller does not ask for: the producer is handed the free
// space as spans (prepare), fills them (e.g. with read(2) straight into the
// ring) and publishes them (commit); the consumer is handed the readable
// bytes as spans (peek) and gives them back (consume). Around the end of the
// ring the free or readable bytes are two spans; a mirrored ring (Linux:
// memfd_create and two mappings of the same pages) makes them always one.
//
//   electron::io::ring_buffer r(64 * 1024);     // capacity: a power of two
//   // producer thread:
//   auto w = r.prepare(4096);                    // up to 4096 free bytes
//   std::size_t n = fill(w.first);               // write into the ring
//   r.commit(n);                                 // publish n bytes
//   // consumer thread:
//   auto rd = r.peek();                          // readable bytes, in order
//   handle(rd.first); handle(rd.second);
//   r.consume(rd.size());                        // give the space back
//
// The design is Lamport's single-producer/single-consumer ring (1983: each
// index is written by one side only, so one release store publishes) with
// the now classic refinements (e.g. E. Rigtorp's SPSCQueue): free-running
// indices masked by a power-of-two capacity, each side's index on its own
// cache lines, and each side keeping a private copy of the other side's
// index, re-read only when the copy says the ring is full (or empty), so the
// two cores exchange the index lines about once per ring's worth of data
// rather than once per operation.
//
// Allocation: only in the constructor (one block of `capacity` bytes from
// the std::pmr::memory_resource given, new/delete by default; or the
// mirrored mapping), given back by the destructor. Nothing here throws
// after construction; everything after it is noexcept.
#ifndef ELECTRON_IO_RING_BUFFER_HPP
#define ELECTRON_IO_RING_BUFFER_HPP

#include "electron/cache/padded.hpp"
#include "electron/config.hpp"
#include "electron/io/detail/ring_memory.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory_resource>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>

ELECTRON_BEGIN_NAMESPACE
namespace io {

/// Up to two spans of a ring, in ring order: `first` then `second`. When
/// `first` is empty so is `second`; `second` is empty unless the bytes wrap
/// around the end of the ring (never for a mirrored ring). B is `byte` for
/// free space (prepare) and `const byte` for readable bytes (peek).
template <class B>
struct ring_spans {
  std::span<B> first;
  std::span<B> second;

  /// first.size() + second.size().
  [[nodiscard]] constexpr std::size_t size() const noexcept { return first.size() + second.size(); }
  /// No bytes at all.
  [[nodiscard]] constexpr bool empty() const noexcept { return first.empty(); }
};

/// How a ring_buffer's bytes are mapped.
enum class ring_mapping {
  /// One block from the memory resource; free and readable bytes may come
  /// as two spans around the end of the ring.
  plain,
  /// The ring's pages mapped twice in a row (Linux: memfd_create and mmap),
  /// so free and readable bytes always come as one span. The capacity is
  /// also rounded up to the page size. Where this is not available, the
  /// constructor throws std::system_error (ENOSYS on other systems, or the
  /// errno of the failed call).
  mirrored,
  /// mirrored when available, otherwise plain (is_mirrored() tells which).
  mirrored_if_available,
};

/// A bounded FIFO of bytes between exactly one producer thread and one
/// consumer thread, lock-free (wait-free: every call is a bounded number of
/// steps). Capacity is a power of two, chosen at construction.
///
/// Thread safety: the producer calls prepare/commit/write_some/try_write,
/// the consumer calls peek/consume/read_some/try_read; at most one thread at
/// a time in each role (a role may move between threads that synchronize
/// with each other). size()/empty()/capacity() may be called from any
/// thread; size() and empty() are then a snapshot that may be stale at once.
///
/// Destroy after handoff: the consumer may destroy the ring as soon as it
/// has consumed (or peeked) the last bytes it expects: commit's last access
/// to the ring is the store that publishes the bytes.
///
/// Not copyable or movable (the two threads hold its address).
class ring_buffer {
 public:
  /// The largest capacity the constructors accept: 2^46 bytes on 64-bit
  /// targets, 2^29 on 32-bit ones (half of electron's max_allocation_size,
  /// so that a mirrored ring's double mapping fits in it too).
  [[nodiscard]] static constexpr std::size_t max_capacity() noexcept {
    return electron::detail::max_allocation_size / 2;
  }

  /// An empty ring of `capacity` bytes rounded up to a power of two (0 and
  /// 1 give 1), taken from `upstream` (one allocation, aligned to a cache
  /// line, given back by the destructor). Throws std::length_error when
  /// capacity > max_capacity() (before allocating), and what `upstream`
  /// throws (std::bad_alloc). Precondition: upstream is not null and
  /// outlives the ring.
  explicit ring_buffer(std::size_t capacity, std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : ring_buffer(capacity, ring_mapping::plain, upstream) {}

  /// An empty ring of `capacity` bytes (rounded up to a power of two; for a
  /// mirrored one, also to at least a page), mapped as `mapping` says.
  /// Throws std::length_error when capacity > max_capacity(), and
  /// std::system_error when `mapping` is ring_mapping::mirrored and the
  /// mirrored mapping cannot be made (see ring_mapping). `upstream` serves
  /// the plain mapping only.
  ring_buffer(std::size_t capacity, ring_mapping mapping,
              std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_upstream(upstream) {
    ELECTRON_ASSERT(upstream != nullptr, "electron::io::ring_buffer: null memory_resource");
    std::size_t cap = io::detail::ring_round_capacity(capacity, max_capacity());
    bool mapped = false;
    if (mapping != ring_mapping::plain) {
      const std::size_t page = io::detail::ring_page_size();
      int err = ENOSYS;
      if (page != 0) {
        // max_capacity() is a multiple of every page size in use, so this
        // stays within it.
        err = io::detail::ring_map_mirrored(std::max(cap, page), m_memory);
      }
      if (err == 0) {
        mapped = true;
      } else if (mapping == ring_mapping::mirrored) {
        throw_mapping_error(err);
      }
    }
    if (!mapped) m_memory = io::detail::ring_allocate_plain(cap, upstream);
    cap = m_memory.capacity;
    m_mask = cap - 1;
    // For a mirrored ring a run may go on past the end of the first copy.
    m_span_end = m_memory.mirrored ? 2 * cap : cap;
  }

  ring_buffer(const ring_buffer&) = delete;
  ring_buffer& operator=(const ring_buffer&) = delete;

  /// Gives the memory back. Precondition: no other call is in progress.
  ~ring_buffer() {
    if (m_memory.mirrored) {
      io::detail::ring_unmap_mirrored(m_memory);
    } else {
      io::detail::ring_release_plain(m_memory, m_upstream);
    }
  }

  /// The number of bytes the ring holds when full (a power of two).
  [[nodiscard]] std::size_t capacity() const noexcept { return m_mask + 1; }

  /// Whether free and readable bytes always come as one span.
  [[nodiscard]] bool is_mirrored() const noexcept { return m_memory.mirrored; }

  /// The number of readable bytes: exact from the producer or the consumer
  /// thread while the other is idle, a snapshot otherwise (between 0 and
  /// capacity()). Any thread.
  [[nodiscard]] std::size_t size() const noexcept {
    // The read index first: write indices only grow, so the later load of
    // the write index is at least the read index loaded earlier (no wrap
    // below 0); the difference can exceed the capacity if both sides moved
    // in between, hence the clamp.
    const std::size_t r = m_read.value.load(std::memory_order_acquire);
    const std::size_t w = m_write.value.load(std::memory_order_acquire);
    return std::min(w - r, capacity());
  }

  /// size() == 0 (a snapshot from a third thread). Any thread.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  // ------------------------------------------------------------ producer

  /// The free space, at most `max` bytes of it, as up to two spans the
  /// producer may write into; publish them with commit(). Empty when the
  /// ring is full (or max == 0). Replaces any earlier prepare's allowance.
  /// The consumer's index is re-read only when the private copy of it shows
  /// fewer than `max` bytes free, so asking for what you need (not npos)
  /// keeps the consumer's cache line where it is. Producer thread. O(1).
  [[nodiscard]] ring_spans<byte> prepare(std::size_t max = npos) noexcept {
    const std::size_t n = free_for(max);
    m_producer.allowed = n;
    return spans<byte>(m_producer.index, n);
  }

  /// Publishes the first n bytes of the last prepare() (in ring order) to
  /// the consumer. Precondition: n <= what prepare() returned minus what
  /// was committed since (ELECTRON_ASSERT). The bytes' contents become
  /// visible to the consumer with them (release). Producer thread. O(1).
  void commit(std::size_t n) noexcept {
    ELECTRON_ASSERT(n <= m_producer.allowed, "electron::io::ring_buffer::commit: more than prepared");
    m_producer.allowed -= n;
    publish_write(n);
  }

  /// Copies as much of `data` as fits (all of it, or the free space) into
  /// the ring and publishes it; returns the number of bytes copied (0 when
  /// full). Ends what an earlier prepare() allowed. Producer thread.
  /// O(data.size()).
  std::size_t write_some(std::span<const byte> data) noexcept {
    // prepare + copy + commit with no span building: the copying calls are
    // the small-chunk hot path.
    const std::size_t n = free_for(data.size());
    m_producer.allowed = 0;
    copy_in(m_producer.index, data.data(), n);
    publish_write(n);
    return n;
  }
  /// write_some for characters.
  std::size_t write_some(std::string_view data) noexcept { return write_some(as_bytes(data)); }

  /// Copies all of `data` into the ring and publishes it if it fits in the
  /// free space; otherwise writes nothing and returns false (always when
  /// data.size() > capacity()). Ends what an earlier prepare() allowed.
  /// Producer thread. O(data.size()).
  [[nodiscard]] bool try_write(std::span<const byte> data) noexcept {
    m_producer.allowed = 0;
    if (free_for(data.size()) != data.size()) return false;
    copy_in(m_producer.index, data.data(), data.size());
    publish_write(data.size());
    return true;
  }
  /// try_write for characters.
  [[nodiscard]] bool try_write(std::string_view data) noexcept { return try_write(as_bytes(data)); }

  // ------------------------------------------------------------ consumer

  /// The readable bytes, at most `max` of them, oldest first, as up to two
  /// spans; give them back with consume(). Empty when the ring is empty (or
  /// max == 0). Replaces any earlier peek's allowance. The producer's index
  /// is re-read only when the private copy of it shows fewer than `max`
  /// bytes readable. Consumer thread. O(1).
  [[nodiscard]] ring_spans<const byte> peek(std::size_t max = npos) noexcept {
    const std::size_t n = readable_for(max);
    m_consumer.allowed = n;
    return spans<const byte>(m_consumer.index, n);
  }

  /// Gives the first n bytes of the last peek() back to the producer (they
  /// are read, and their space is free). Precondition: n <= what peek()
  /// returned minus what was consumed since (ELECTRON_ASSERT). Consumer
  /// thread. O(1).
  void consume(std::size_t n) noexcept {
    ELECTRON_ASSERT(n <= m_consumer.allowed, "electron::io::ring_buffer::consume: more than peeked");
    m_consumer.allowed -= n;
    publish_read(n);
  }

  /// Copies up to out.size() readable bytes into `out` and consumes them;
  /// returns the number copied (0 when empty). Ends what an earlier peek()
  /// allowed. Consumer thread.
  std::size_t read_some(std::span<byte> out) noexcept {
    const std::size_t n = readable_for(out.size());
    m_consumer.allowed = 0;
    copy_out(m_consumer.index, out.data(), n);
    publish_read(n);
    return n;
  }
  /// read_some into characters.
  std::size_t read_some(std::span<char> out) noexcept { return read_some(as_writable_bytes(out)); }

  /// Copies exactly out.size() bytes into `out` and consumes them if that
  /// many are readable; otherwise reads nothing and returns false. Ends
  /// what an earlier peek() allowed. Consumer thread.
  [[nodiscard]] bool try_read(std::span<byte> out) noexcept {
    m_consumer.allowed = 0;
    if (readable_for(out.size()) != out.size()) return false;
    copy_out(m_consumer.index, out.data(), out.size());
    publish_read(out.size());
    return true;
  }
  /// try_read into characters.
  [[nodiscard]] bool try_read(std::span<char> out) noexcept { return try_read(as_writable_bytes(out)); }

 private:
  // The bytes [index, index + n) of the ring as spans (n <= capacity).
  template <class B>
  ring_spans<B> spans(std::size_t index, std::size_t n) const noexcept {
    const std::size_t off = index & m_mask;
    const std::size_t first = std::min(n, m_span_end - off);
    return {std::span<B>(m_memory.data + off, first), std::span<B>(m_memory.data, n - first)};
  }

  // min(max, free space): the consumer's index is re-read only when the
  // copy of it shows fewer than `max` bytes free.
  std::size_t free_for(std::size_t max) noexcept {
    const std::size_t w = m_producer.index;
    std::size_t free = capacity() - (w - m_producer.cached_other);
    if (free < max) {
      // Acquire pairs with consume's release: the consumer's reads of these
      // bytes happen before the producer overwrites them.
      m_producer.cached_other = m_read.value.load(std::memory_order_acquire);
      free = capacity() - (w - m_producer.cached_other);
    }
    return std::min(free, max);
  }
  // min(max, readable bytes), the mirror image.
  std::size_t readable_for(std::size_t max) noexcept {
    const std::size_t r = m_consumer.index;
    std::size_t avail = m_consumer.cached_other - r;
    if (avail < max) {
      // Acquire pairs with commit's release: the bytes' contents are visible.
      m_consumer.cached_other = m_write.value.load(std::memory_order_acquire);
      avail = m_consumer.cached_other - r;
    }
    return std::min(avail, max);
  }
  // The publishing stores: the last access of commit (and write_some) to
  // the ring, which is what lets the consumer destroy it right after. None
  // for 0 bytes: a side retrying on a full (empty) ring would otherwise
  // take the line the other side is polling away from it on every try.
  void publish_write(std::size_t n) noexcept {
    if (n == 0) return;
    m_producer.index += n;
    m_write.value.store(m_producer.index, std::memory_order_release);
  }
  void publish_read(std::size_t n) noexcept {
    if (n == 0) return;
    m_consumer.index += n;
    m_read.value.store(m_consumer.index, std::memory_order_release);
  }

  // n bytes (n <= free space) from src into the ring at `index`. memcpy with
  // a null pointer is undefined even for 0 bytes (an empty string_view may
  // carry one), hence the tests.
  void copy_in(std::size_t index, const byte* src, std::size_t n) const noexcept {
    const std::size_t off = index & m_mask;
    const std::size_t first = std::min(n, m_span_end - off);
    if (first != 0) io::detail::ring_copy(m_memory.data + off, src, first);
    if (n != first) io::detail::ring_copy(m_memory.data, src + first, n - first);
  }
  void copy_out(std::size_t index, byte* dst, std::size_t n) const noexcept {
    const std::size_t off = index & m_mask;
    const std::size_t first = std::min(n, m_span_end - off);
    if (first != 0) io::detail::ring_copy(dst, m_memory.data + off, first);
    if (n != first) io::detail::ring_copy(dst + first, m_memory.data, n - first);
  }
  static std::span<const byte> as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const byte*>(s.data()), s.size()};
  }
  static std::span<byte> as_writable_bytes(std::span<char> s) noexcept {
    return {reinterpret_cast<byte*>(s.data()), s.size()};
  }

  [[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD static void throw_mapping_error(int err) {
#if ELECTRON_HAS_EXCEPTIONS
    throw std::system_error(err, std::generic_category(), "electron::io::ring_buffer: mirrored mapping");
#else
    static_cast<void>(err);
    electron::detail::throw_error<std::runtime_error>("electron::io::ring_buffer: mirrored mapping unavailable");
#endif
  }

  // Each side's published index is alone on its lines: the other side
  // polls it, so anything else written there would be one more transfer of
  // the line per operation. Each side's private state (its own index, the
  // other side's index as last seen, and what the last prepare/peek allowed,
  // for the precondition check) is on lines the other side never touches.
  struct alignas(cache::false_sharing_range) published_index {
    std::atomic<std::size_t> value{0};
  };
  struct alignas(cache::false_sharing_range) side_state {
    std::size_t index = 0;  // this side's position (== its published value)
    std::size_t cached_other = 0;
    std::size_t allowed = 0;
  };

  // Read by both sides, written only by the constructor: shared, never
  // bounced.
  io::detail::ring_memory m_memory;
  std::pmr::memory_resource* m_upstream;
  std::size_t m_mask = 0;
  std::size_t m_span_end = 0;
  published_index m_write;
  published_index m_read;
  side_state m_producer;
  side_state m_consumer;
};

}  // namespace io
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_IO_RING_BUFFER_HPP
