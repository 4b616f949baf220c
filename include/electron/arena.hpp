// SPDX-License-Identifier: MIT
// electron/arena.hpp: a bump allocator over a chain of blocks.
//
// `arena::allocate` is a pointer bump in the common case; `reset()` rewinds and
// keeps the largest block, so a request loop allocates nothing from the
// system in steady state. Objects that need destruction (`make<T>` of a
// non-trivially destructible T) are destroyed in reverse order on reset(),
// release() and destruction; the records for that live in the arena itself.
// Interop: `arena_resource` (std::pmr::memory_resource) and
// `arena_allocator<T>` (a standard allocator).
//
//   electron::arena::arena a;                       // first block 64 KiB
//   auto* ctx = electron::arena::make<context>(a);  // value-initialized
//   std::span<int> ids = electron::arena::make_slice<int>(a, 100);
//   std::string_view name = electron::arena::make_string(a, "request-42");
//   a.reset();                                      // all of the above is gone
//
// Thread safety: an arena is single-threaded; use one per thread or request.
// Precondition: every alignment is a power of two (ELECTRON_ASSERT).
// Errors: a size or alignment above arena::max_size (2^62 on 64-bit
// targets), or one the upstream resource cannot serve -> std::bad_alloc
// (std::bad_array_new_length for allocate_slice's n * size that overflows). Never a wrapped pointer or a
// block smaller than it claims: the constructors clamp block sizes to
// max_size too. Under ASan, memory not handed out (and memory rewound by
// reset) is poisoned, so use-after-reset is reported.
#ifndef ELECTRON_ARENA_HPP
#define ELECTRON_ARENA_HPP

#include "electron/config.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <new>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#if ELECTRON_ASAN && defined(__has_include)
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#define ELECTRON_DETAIL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ELECTRON_DETAIL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#endif
#endif
#ifndef ELECTRON_DETAIL_POISON
#define ELECTRON_DETAIL_POISON(p, n) static_cast<void>(0)
#define ELECTRON_DETAIL_UNPOISON(p, n) static_cast<void>(0)
#endif

ELECTRON_BEGIN_NAMESPACE
namespace arena {

/// A bump allocator: `a.allocate(bytes, align)` returns `bytes` bytes
/// aligned to `align` (a power of two) as a `void*`, or throws; the memory
/// stays valid until `a.reset()` or the allocator's destruction (the concept
/// has no deallocate: nothing is freed one by one), and `a.reset()` takes
/// it all back at once. `arena` models it; `hash::basic_string_interner`
/// and `pool::arena_of_pools` accept any type that does.
///
///   struct my_bump {
///     void* allocate(std::size_t bytes, std::size_t align);
///     void reset() noexcept;
///   };
///   static_assert(electron::arena::bump_allocator<my_bump>);
template <class A>
concept bump_allocator = requires(A& a, std::size_t n) {
  { a.allocate(n, n) } -> std::same_as<void*>;
  a.reset();
};

namespace detail {
[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD inline void bad_size() {
  electron::detail::throw_error<std::bad_alloc>("electron::arena: allocation size too large");
}
[[noreturn]] ELECTRON_NOINLINE ELECTRON_COLD inline void bad_array_length() {
  electron::detail::throw_error<std::bad_array_new_length>("electron::arena: array length overflows");
}
}  // namespace detail

/// A chain of memory blocks handed out by bumping a pointer.
///
/// Not copyable; movable (the moved-from arena is empty and usable).
/// Single-threaded. Blocks come from an upstream std::pmr::memory_resource
/// (default: std::pmr::new_delete_resource()).
class arena {
 public:
  /// Size of the first block when none is given.
  static constexpr std::size_t default_block_size = 64 * 1024;
  /// The largest size or alignment allocate() accepts.
  static constexpr std::size_t max_size = std::size_t{1} << (sizeof(std::size_t) * 8 - 2);
  /// Block sizes double up to this; larger requests get a block of their own size.
  static constexpr std::size_t max_block_growth = std::size_t{64} << 20;

  /// An arena whose first block (allocated on first use) has
  /// `first_block_size` usable bytes (at least 64, at most max_size); later
  /// blocks grow geometrically. A block the upstream cannot serve throws
  /// std::bad_alloc from the allocate() that needs it.
  explicit arena(std::size_t first_block_size = default_block_size,
                 std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) noexcept
      : m_upstream(upstream),
        m_first_block_size(clamp_block_size(first_block_size)),
        m_next_block_size(m_first_block_size) {}

  /// An arena that first hands out `buffer[0, size)` (owned by the caller,
  /// never freed by the arena), then grows from `upstream`.
  arena(void* buffer, std::size_t size, std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) noexcept
      : m_upstream(upstream),
        m_initial(static_cast<std::byte*>(buffer)),
        m_initial_size(size),
        m_first_block_size(size < 64 ? default_block_size
                                     : clamp_block_size(size > max_size / 2 ? max_size : size * 2)),
        m_next_block_size(m_first_block_size) {
    start_initial();
  }

  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;
  arena(arena&& other) noexcept { take(other); }
  arena& operator=(arena&& other) noexcept {
    if (this != &other) {
      release();
      ELECTRON_DETAIL_UNPOISON(m_initial, m_initial_size);  // our caller's buffer is theirs again
      take(other);
    }
    return *this;
  }
  ~arena() {
    release();
    ELECTRON_DETAIL_UNPOISON(m_initial, m_initial_size);  // the caller's buffer is theirs again
  }

  /// `size` bytes aligned to `align`. allocate(0) returns a distinct valid
  /// pointer (it takes one byte). Inlined bump in the common case.
  /// Precondition: `align` is a power of two (ELECTRON_ASSERT). Throws
  /// std::bad_alloc when the size or alignment cannot be served.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE void* allocate(std::size_t size, std::size_t align = alignof(std::max_align_t)) {
    ELECTRON_ASSERT(align != 0 && (align & (align - 1)) == 0, "arena: alignment is not a power of two");
    size += static_cast<std::size_t>(size == 0);
    const std::uintptr_t cur = reinterpret_cast<std::uintptr_t>(m_ptr);
    const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(m_end);
    // The padding to the next multiple of align, computed without forming
    // cur + align - 1 (which wraps for a block near the top of the address
    // space, as on 32-bit targets, and would give a tiny "aligned" address).
    const std::uintptr_t pad = (std::uintptr_t{0} - cur) & static_cast<std::uintptr_t>(align - 1);
    if (ELECTRON_LIKELY(pad <= end - cur && size <= end - cur - pad)) {
      const std::uintptr_t aligned = cur + pad;
      m_ptr = reinterpret_cast<std::byte*>(aligned + size);
      ELECTRON_DETAIL_UNPOISON(reinterpret_cast<void*>(aligned), size);
      return reinterpret_cast<void*>(aligned);
    }
    return allocate_slow(size, align);
  }

  /// `n` elements of `elem_size` bytes; throws std::bad_array_new_length when
  /// n * elem_size overflows.
  /// Precondition as for allocate().
  [[nodiscard]] void* allocate_slice(std::size_t n, std::size_t elem_size, std::size_t align) {
    std::size_t bytes = 0;
    if (electron::detail::checked_mul(n, elem_size, &bytes)) detail::bad_array_length();
    return allocate(bytes, align);
  }

  /// Gives back the most recent allocation if `p` is it (a push then pop of
  /// a temporary costs nothing); otherwise does nothing. Never needed for
  /// correctness.
  void deallocate(void* p, std::size_t size) noexcept {
    if (p == nullptr) return;
    size += static_cast<std::size_t>(size == 0);
    if (static_cast<std::byte*>(p) + size == m_ptr) {
      m_high_water = high_water();  // the peak counts even when undone
      m_ptr = static_cast<std::byte*>(p);
      ELECTRON_DETAIL_POISON(p, size);
    }
  }

  /// Destroys the recorded objects (newest first), frees every block but the
  /// largest, and rewinds. Keeps the caller's buffer. Blocks double, so after
  /// a few rounds one kept block holds a whole round, and from then on a loop
  /// that allocates no more than before allocates nothing upstream.
  /// Destructors run here must not use this arena.
  void reset() noexcept {
    run_destructors();
    note_high_water();
    // Keep the largest owned block as the spare; free the rest.
    block* keep = m_spare;
    for (block* b = m_blocks; b != nullptr;) {
      block* prev = b->prev;
      if (keep == nullptr || b->size > keep->size) {
        if (keep != nullptr) free_block(keep);
        keep = b;
      } else {
        free_block(b);
      }
      b = prev;
    }
    m_blocks = nullptr;
    m_spare = keep;
    m_used_before = 0;
    if (m_initial != nullptr) {
      start_initial();
    } else if (m_spare != nullptr) {
      use_block(std::exchange(m_spare, nullptr));
    } else {
      m_ptr = m_end = m_begin = nullptr;
    }
  }

  /// Destroys the recorded objects and returns every block upstream. The arena stays usable and starts again from its
  /// first block size.
  void release() noexcept {
    run_destructors();
    note_high_water();
    for (block* b = m_blocks; b != nullptr;) {
      block* prev = b->prev;
      free_block(b);
      b = prev;
    }
    if (m_spare != nullptr) free_block(m_spare);
    m_blocks = m_spare = nullptr;
    m_used_before = 0;
    m_block_count = 0;
    m_reserved = 0;
    m_next_block_size = m_first_block_size;
    if (m_initial != nullptr) {
      start_initial();
    } else {
      m_ptr = m_end = m_begin = nullptr;
    }
  }

  // ---- introspection ------------------------------------------------------
  /// Bytes handed out since the last reset (including alignment padding).
  [[nodiscard]] std::size_t bytes_used() const noexcept {
    return m_used_before + static_cast<std::size_t>(m_ptr - m_begin);
  }
  /// Bytes held in blocks from upstream (not counting the caller's buffer).
  [[nodiscard]] std::size_t bytes_reserved() const noexcept { return m_reserved; }
  /// The largest bytes_used() seen.
  [[nodiscard]] std::size_t high_water() const noexcept {
    const std::size_t now = bytes_used();
    return now > m_high_water ? now : m_high_water;
  }
  /// Blocks held from upstream.
  [[nodiscard]] std::size_t block_count() const noexcept { return m_block_count; }
  /// The upstream resource blocks come from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_upstream; }

  // ---- destructor records (the mechanism behind make / make_slice) ---------
  /// Registers objects to destroy on reset/release/destruction, newest first.
  /// A record is reserved before the objects are constructed, so committing
  /// it afterwards cannot fail. Use make<T>/make_slice<T> rather than these.
  struct destructor_record {
    void (*destroy)(void*, std::size_t) noexcept;
    void* object;
    std::size_t count;
    destructor_record* prev;
  };
  [[nodiscard]] destructor_record* reserve_record() {
    return static_cast<destructor_record*>(allocate(sizeof(destructor_record), alignof(destructor_record)));
  }
  void commit_record(destructor_record* r, void (*destroy)(void*, std::size_t) noexcept, void* p,
                     std::size_t n) noexcept {
    r->destroy = destroy;
    r->object = p;
    r->count = n;
    r->prev = m_destructors;
    m_destructors = r;
  }

 private:
  struct block {
    block* prev;
    std::size_t size;  // usable bytes after the header
  };
  static constexpr std::size_t header =
      (sizeof(block) + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);

  static std::byte* data_of(block* b) noexcept { return reinterpret_cast<std::byte*>(b) + header; }

  // A block's header + size is computed from it: at most max_size, it cannot
  // wrap around into a small request upstream.
  static constexpr std::size_t clamp_block_size(std::size_t n) noexcept {
    return n < 64 ? 64 : (n > max_size ? max_size : n);
  }

  void start_initial() noexcept {
    m_begin = m_ptr = m_initial;
    m_end = m_initial + m_initial_size;
    ELECTRON_DETAIL_POISON(m_initial, m_initial_size);
  }

  void use_block(block* b) noexcept {
    b->prev = m_blocks;
    m_blocks = b;
    m_begin = m_ptr = data_of(b);
    m_end = m_begin + b->size;
  }

  void free_block(block* b) noexcept {
    ELECTRON_DETAIL_UNPOISON(b, header + b->size);
    m_reserved -= header + b->size;
    --m_block_count;
    m_upstream->deallocate(b, header + b->size, alignof(std::max_align_t));
  }

  ELECTRON_NOINLINE void* allocate_slow(std::size_t size, std::size_t align) {
    if (size > max_size || align > max_size) detail::bad_size();
    // Only with assertions off: a zero alignment would mask every address
    // to 0 below; serve it as 1 (every bad alignment lands here or gets a
    // misaligned but in-bounds pointer from the fast path).
    align += static_cast<std::size_t>(align == 0);
    // Worst-case padding inside a fresh block whose data is max_align_t aligned.
    const std::size_t pad = align > alignof(std::max_align_t) ? align - alignof(std::max_align_t) : 0;
    const std::size_t need = size + pad;
    // Counted only once the switch to a new block cannot fail any more.
    const std::size_t used_here = static_cast<std::size_t>(m_ptr - m_begin);
    // The spare block kept by reset() first, if it is big enough.
    if (m_spare != nullptr && m_spare->size >= need) {
      m_used_before += used_here;
      use_block(std::exchange(m_spare, nullptr));
    } else {
      const std::size_t bytes = need > m_next_block_size ? need : m_next_block_size;
      void* raw = m_upstream->allocate(header + bytes, alignof(std::max_align_t));
      auto* b = static_cast<block*>(raw);
      b->size = bytes;
      m_reserved += header + bytes;
      ++m_block_count;
      // Geometric growth of the regular block size, up to max_block_growth;
      // a one-off large request does not inflate it.
      if (m_next_block_size < max_block_growth) m_next_block_size *= 2;
      m_used_before += used_here;
      use_block(b);
      ELECTRON_DETAIL_POISON(m_begin, bytes);
    }
    // The bump from the part of the old block that is left is abandoned:
    // blocks are not revisited, which keeps allocate() a single comparison.
    const std::uintptr_t cur = reinterpret_cast<std::uintptr_t>(m_ptr);
    const std::uintptr_t aligned = (cur + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1);
    m_ptr = reinterpret_cast<std::byte*>(aligned + size);
    ELECTRON_DETAIL_UNPOISON(reinterpret_cast<void*>(aligned), size);
    return reinterpret_cast<void*>(aligned);
  }

  void run_destructors() noexcept {
    for (destructor_record* r = m_destructors; r != nullptr;) {
      destructor_record* prev = r->prev;  // read first: destroy may touch arena memory
      r->destroy(r->object, r->count);
      r = prev;
    }
    m_destructors = nullptr;
    // Rewound memory becomes unusable until handed out again.
    for (block* b = m_blocks; b != nullptr; b = b->prev) ELECTRON_DETAIL_POISON(data_of(b), b->size);
    if (m_spare != nullptr) ELECTRON_DETAIL_POISON(data_of(m_spare), m_spare->size);
    if (m_initial != nullptr) ELECTRON_DETAIL_POISON(m_initial, m_initial_size);
  }

  void note_high_water() noexcept { m_high_water = high_water(); }

  void take(arena& o) noexcept {
    m_upstream = o.m_upstream;
    m_blocks = std::exchange(o.m_blocks, nullptr);
    m_spare = std::exchange(o.m_spare, nullptr);
    m_destructors = std::exchange(o.m_destructors, nullptr);
    m_initial = std::exchange(o.m_initial, nullptr);
    m_initial_size = std::exchange(o.m_initial_size, 0);
    m_begin = std::exchange(o.m_begin, nullptr);
    m_ptr = std::exchange(o.m_ptr, nullptr);
    m_end = std::exchange(o.m_end, nullptr);
    m_used_before = std::exchange(o.m_used_before, 0);
    m_reserved = std::exchange(o.m_reserved, 0);
    m_high_water = std::exchange(o.m_high_water, 0);
    m_block_count = std::exchange(o.m_block_count, 0);
    m_first_block_size = o.m_first_block_size;
    m_next_block_size = o.m_next_block_size;
  }

  std::byte* m_ptr = nullptr;  // next free byte (hot: first)
  std::byte* m_end = nullptr;
  std::byte* m_begin = nullptr;
  std::pmr::memory_resource* m_upstream = std::pmr::new_delete_resource();
  block* m_blocks = nullptr;  // blocks in use, newest first
  block* m_spare = nullptr;   // kept by reset()
  destructor_record* m_destructors = nullptr;
  std::byte* m_initial = nullptr;
  std::size_t m_initial_size = 0;
  std::size_t m_used_before = 0;  // bytes used in blocks before the current one
  std::size_t m_reserved = 0;
  std::size_t m_high_water = 0;
  std::size_t m_block_count = 0;
  std::size_t m_first_block_size = default_block_size;
  std::size_t m_next_block_size = default_block_size;
};

static_assert(bump_allocator<arena>);

// ===========================================================================
// Typed helpers
// ===========================================================================

namespace detail {
template <class T>
void destroy_n(void* p, std::size_t n) noexcept {
  T* first = static_cast<T*>(p);
  for (std::size_t i = n; i-- > 0;) first[i].~T();
}
}  // namespace detail

/// Constructs a T in the arena (value-initialized with no arguments). A T that is not trivially destructible is
/// destroyed on reset()/release()/destruction of the arena, newest first.
template <class T, class... Args>
requires std::constructible_from<T, Args...>
[[nodiscard]] T* make(arena& a, Args&&... args) {
  if constexpr (std::is_trivially_destructible_v<T>) {
    void* p = a.allocate(sizeof(T), alignof(T));
    return ::new (p) T(std::forward<Args>(args)...);
  } else {
    arena::destructor_record* r = a.reserve_record();
    void* p = a.allocate(sizeof(T), alignof(T));
    T* obj = ::new (p) T(std::forward<Args>(args)...);
    a.commit_record(r, &detail::destroy_n<T>, obj, 1);
    return obj;
  }
}

/// n value-initialized Ts in the arena, as a span. Destruction as for make.
template <class T>
requires std::default_initializable<T>
[[nodiscard]] std::span<T> make_slice(arena& a, std::size_t n) {
  if constexpr (std::is_trivially_destructible_v<T>) {
    T* p = static_cast<T*>(a.allocate_slice(n, sizeof(T), alignof(T)));
    std::uninitialized_value_construct_n(p, n);
    return {p, n};
  } else {
    arena::destructor_record* r = a.reserve_record();
    T* p = static_cast<T*>(a.allocate_slice(n, sizeof(T), alignof(T)));
    std::uninitialized_value_construct_n(p, n);  // destroys what it built if a constructor throws
    a.commit_record(r, &detail::destroy_n<T>, p, n);
    return {p, n};
  }
}

/// A copy of `s` in the arena (NUL-terminated, not counted in the view).
/// Works with any bump_allocator. Throws std::bad_alloc when s.size() + 1
/// overflows, and whatever a.allocate() throws (arena: std::bad_alloc above
/// max_size).
template <bump_allocator A>
[[nodiscard]] std::string_view make_string(A& a, std::string_view s) {
  if (ELECTRON_UNLIKELY(s.size() == static_cast<std::size_t>(-1))) detail::bad_size();
  char* p = static_cast<char*>(a.allocate(s.size() + 1, 1));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return {p, s.size()};
}

// ===========================================================================
// Standard interop
// ===========================================================================

/// A std::pmr::memory_resource that allocates from an arena (deallocate
/// gives back only the most recent allocation). The arena must outlive it.
/// It compares equal only to itself (share one resource per arena).
///
///   electron::arena::arena a;
///   electron::arena::arena_resource r(a);
///   std::pmr::vector<int> v(&r);
class arena_resource final : public std::pmr::memory_resource {
 public:
  explicit arena_resource(arena& a) noexcept : m_arena(&a) {}
  [[nodiscard]] arena& get_arena() const noexcept { return *m_arena; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override { return m_arena->allocate(bytes, align); }
  void do_deallocate(void* p, std::size_t bytes, std::size_t) override { m_arena->deallocate(p, bytes); }
  // Only the same object: telling another arena_resource on the same arena
  // from some other resource needs RTTI (-fno-rtti builds must compile), and
  // "not equal" is always safe (a container then copies instead of stealing).
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
  arena* m_arena;
};

/// A standard allocator drawing from an arena: std::vector<int,
/// arena_allocator<int>> v(arena_allocator<int>(a)). Copies share the arena;
/// deallocate gives back only the most recent allocation.
template <class T>
class arena_allocator {
 public:
  using value_type = T;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;

  explicit arena_allocator(arena& a) noexcept : m_arena(&a) {}
  template <class U>
  arena_allocator(const arena_allocator<U>& o) noexcept : m_arena(&o.get_arena()) {}  // NOLINT: converting

  [[nodiscard]] T* allocate(std::size_t n) {
    return static_cast<T*>(m_arena->allocate_slice(n, sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { m_arena->deallocate(p, n * sizeof(T)); }
  [[nodiscard]] arena& get_arena() const noexcept { return *m_arena; }

  template <class U>
  friend bool operator==(const arena_allocator& a, const arena_allocator<U>& b) noexcept {
    return &a.get_arena() == &b.get_arena();
  }

 private:
  arena* m_arena;
};

}  // namespace arena
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_ARENA_HPP
