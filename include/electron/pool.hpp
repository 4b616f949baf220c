// SPDX-License-Identifier: MIT
// electron/pool.hpp: object and buffer pools with per-thread caches.
//
// - object_pool<T>: reuses objects; each comes back reset (t.reset(), or a
//   reset function of yours). get()/put() or RAII acquire().
// - buffer_pool: byte buffers in 14 power-of-two classes, 512 B to 4 MiB;
//   larger requests are served and freed, not pooled.
// - sized_pool: the same with four classes (<1 KiB, 1-8 KiB, 8-64 KiB, and
//   >64 KiB in 64 KiB steps).
//
// Concurrency follows Go's sync.Pool: every thread has a small cache per
// class in front of a shared depot (a mutex and a vector), so get/put are a
// few loads and stores on the calling thread's cache, and a buffer put on
// one thread can be got on another (caches spill into and refill from the
// depot in batches). Retained memory is bounded per class; trim() returns
// the depot's and the calling thread's cached items to the upstream
// std::pmr::memory_resource every pool allocates from (default:
// std::pmr::new_delete_resource()).
//
// Sizes: a buffer pool's get(n) refuses n > max_size() (2^47 bytes on 64-bit
// targets) with std::length_error before anything is allocated, as
// std::vector does beyond its max_size(); below that, a request the upstream
// resource cannot serve throws what it throws (std::bad_alloc by default).
// So a length read from the network can never yield a buffer whose size()
// is larger than its memory.
//
//   electron::pool::buffer_pool pool;
//   {
//     auto buf = pool.get(4096);               // capacity >= 4096, 64-byte aligned
//     std::memcpy(buf.data(), src, 4096);
//   }                                          // back in the pool
//
// All pools are thread-safe. A pool must outlive the objects and buffers it
// handed out, and every thread's use of it. Internals (thread slots, the free
// lists) live in electron/pool/detail/.
#ifndef ELECTRON_POOL_HPP
#define ELECTRON_POOL_HPP

#include "electron/arena.hpp"
#include "electron/config.hpp"
#include "electron/pool/detail/free_lists.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <memory_resource>
#include <new>
#include <span>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

ELECTRON_BEGIN_NAMESPACE
namespace pool {

// ===========================================================================
// Concepts
// ===========================================================================

// "reset" means one thing in this module: an object (or the per-request
// memory of an arena_of_pools) goes back to its fresh state in place,
// keeping what it owns for the next use. Giving memory back is put() (to a
// pool) or give_back() (by a buffer handle).

/// A type with a reset() member that returns it to a reusable state.
template <class T>
concept resettable = requires(T& t) {
  t.reset();
};

/// A pool of reusable contexts: get() hands out a
/// reset context, put(c) takes it back, reset(c) resets it in place.
template <class P>
concept context_pool = requires(P& p, typename P::pointer c) {
  typename P::value_type;
  { p.get() } -> std::same_as<typename P::pointer>;
  p.put(c);
  p.reset(c);
};

/// A source of byte buffers, as strings::basic_builder and arena_of_pools
/// use one. p.get(n) returns a buffer handle that
/// - has data() (convertible to std::byte*) and size() >= n: its bytes;
/// - is default-constructible (an empty handle that owns nothing) and
///   movable (moving transfers the bytes; assigning over a handle gives
///   its old bytes back);
/// - gives its bytes back to the source when destroyed.
/// get(n) reports a request it cannot serve by throwing. A capacity()
/// member (>= size()), when the handle has one, tells the builder how many
/// bytes it may use beyond size(). buffer_pool and sized_pool satisfy it.
template <class P>
concept buffer_source = requires(P& p, std::size_t n) {
  { p.get(n).data() } -> std::convertible_to<std::byte*>;
  { p.get(n).size() } -> std::convertible_to<std::size_t>;
  requires std::movable<decltype(p.get(n))>;
  requires std::default_initializable<decltype(p.get(n))>;
};

// ===========================================================================
// object_pool
// ===========================================================================

/// Resets an object by calling its reset() member.
struct member_reset {
  template <resettable T>
  void operator()(T& t) const noexcept(noexcept(t.reset())) {
    t.reset();
  }
};

/// A pool of reusable T objects (value-initialized when new). put() resets
/// an object with ResetFn and keeps it for the next get(); objects beyond
/// the pool's bound are destroyed. Satisfies context_pool. Every allocation
/// (objects, each thread's cache, the depot) comes from the upstream
/// std::pmr::memory_resource given to the constructor (default:
/// std::pmr::new_delete_resource()) and goes back to it.
///
/// Debug checks (ELECTRON_ASSERT): put() of an object that did not come from
/// this pool, a second put() of the same object, and destroying the pool
/// while objects are out.
template <class T, class ResetFn = member_reset>
requires std::default_initializable<T> && std::invocable<ResetFn&, T&>
class object_pool {
 public:
  using value_type = T;
  using pointer = T*;

  /// The largest `thread_cache` the constructor accepts.
  static constexpr std::uint32_t max_thread_cache = 65536;

  /// Keeps at most `max_retained` idle objects in the shared depot (plus up
  /// to `thread_cache` in each thread's cache, whose array of that many
  /// pointers is allocated on the thread's first use). Memory comes from
  /// `upstream`, which must outlive the pool. Throws std::length_error when
  /// thread_cache > max_thread_cache.
  ///
  ///   object_pool<ctx> p(1024, 32, {}, &my_resource);
  explicit object_pool(std::size_t max_retained = 1024, std::uint32_t thread_cache = 32, ResetFn reset_fn = {},
                       std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_lists(make_limits(max_retained, thread_cache), upstream), m_reset(std::move(reset_fn)), m_upstream(upstream) {
    ELECTRON_ASSERT(upstream != nullptr, "object_pool: upstream resource is null");
  }
  object_pool(const object_pool&) = delete;
  object_pool& operator=(const object_pool&) = delete;
  ~object_pool() {
    ELECTRON_ASSERT(m_outstanding.load(std::memory_order_relaxed) == 0,
                    "object_pool destroyed while objects are still out");
    m_lists.drain([this](std::size_t, void* n) noexcept { destroy_node(static_cast<node*>(n)); });
  }

  /// A reset object: a pooled one, or a new value-initialized T.
  [[nodiscard]] T* get() {
    node* n = static_cast<node*>(m_lists.pop(0));
    if (ELECTRON_UNLIKELY(n == nullptr)) n = new_node();
    ELECTRON_ASSERT(n->state == state_in, "object_pool: corrupt free list");
    n->state = state_out;
    count_out(1);
    return std::addressof(n->value);  // not &: T may overload unary operator&
  }

  /// Resets `p` and takes it back (or destroys it when the pool is full).
  /// Precondition: p came from this pool's get() and was not put since
  /// (checked in debug builds). nullptr is ignored.
  void put(T* p) noexcept(std::is_nothrow_invocable_v<ResetFn&, T&>) {
    if (p == nullptr) return;
    node* n = node_of(p);
    ELECTRON_ASSERT(n->owner == this, "object_pool::put: object is not from this pool");
    ELECTRON_ASSERT(n->state == state_out, "object_pool::put: object put twice");
    std::invoke(m_reset, *p);
    n->state = state_in;
    count_out(-1);
    if (ELECTRON_UNLIKELY(!m_lists.push(0, n))) destroy_node(n);  // full: destroy
  }

  /// Resets `p` in place without returning it.
  void reset(T* p) noexcept(std::is_nothrow_invocable_v<ResetFn&, T&>) { std::invoke(m_reset, *p); }

  /// Returns the object to the pool on destruction.
  struct returner {
    object_pool* pool;
    void operator()(T* p) const noexcept { pool->put(p); }
  };
  using handle = std::unique_ptr<T, returner>;

  /// get() wrapped in a handle that put()s it back.
  [[nodiscard]] handle acquire() { return handle(get(), returner{this}); }

  /// The resource the pool allocates from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_upstream; }

  /// Destroys the idle objects of the depot and of the calling thread's cache.
  void trim() {
    m_lists.trim([this](std::size_t, void* n) { destroy_node(static_cast<node*>(n)); });
  }

 private:
  static constexpr std::uint32_t state_in = 0x1D1E0B1Eu;
  static constexpr std::uint32_t state_out = 0x0B1EC7EDu;

  // The value comes first; the bookkeeping sits after it, so a node is a T
  // at its own address.
  struct node {
    T value{};
    const object_pool* owner;
    std::uint32_t state;
  };
  // value is the first member of a node (which has no virtual functions and
  // no base), so a node and its value share an address on every ABI Electron
  // supports (guaranteed by the standard when T is standard-layout).
  static node* node_of(T* p) noexcept { return reinterpret_cast<node*>(p); }

  node* new_node() {
    void* mem = m_upstream->allocate(sizeof(node), alignof(node));
    node* n = nullptr;
#if ELECTRON_HAS_EXCEPTIONS
    try {
      n = ::new (mem) node{};
    } catch (...) {
      m_upstream->deallocate(mem, sizeof(node), alignof(node));
      throw;
    }
#else
    n = ::new (mem) node{};
#endif
    n->owner = this;
    n->state = state_in;
    return n;
  }
  void destroy_node(node* n) noexcept {
    n->~node();
    m_upstream->deallocate(n, sizeof(node), alignof(node));
  }

  void count_out([[maybe_unused]] int d) noexcept {
#if ELECTRON_ASSERTS_ENABLED
    m_outstanding.fetch_add(d, std::memory_order_relaxed);
#endif
  }

  static typename detail::free_lists<1>::limits make_limits(std::size_t max_retained, std::uint32_t thread_cache) {
    if (thread_cache > max_thread_cache) {
      electron::detail::throw_error<std::length_error>("electron::pool::object_pool: thread_cache too large");
    }
    typename detail::free_lists<1>::limits l{};
    l.local[0] = thread_cache == 0 ? 1 : thread_cache;
    l.depot[0] = max_retained;
    return l;
  }

  detail::free_lists<1> m_lists;
  [[no_unique_address]] ResetFn m_reset;
  std::pmr::memory_resource* m_upstream;
  std::atomic<long> m_outstanding{0};
};

// ===========================================================================
// Byte buffers
// ===========================================================================

/// A byte buffer from a pool: data(), size() (what was asked for),
/// capacity() (>= size()); goes back to its pool when destroyed, assigned
/// over, or by give_back(). Move-only; a default-constructed one is empty.
template <class Pool>
class basic_pooled_buffer {
 public:
  basic_pooled_buffer() noexcept = default;
  basic_pooled_buffer(basic_pooled_buffer&& o) noexcept
      : m_data(std::exchange(o.m_data, nullptr)),
        m_size(std::exchange(o.m_size, 0)),
        m_capacity(std::exchange(o.m_capacity, 0)),
        m_pool(std::exchange(o.m_pool, nullptr)) {}
  basic_pooled_buffer& operator=(basic_pooled_buffer&& o) noexcept {
    if (this != &o) {
      give_back();
      m_data = std::exchange(o.m_data, nullptr);
      m_size = std::exchange(o.m_size, 0);
      m_capacity = std::exchange(o.m_capacity, 0);
      m_pool = std::exchange(o.m_pool, nullptr);
    }
    return *this;
  }
  basic_pooled_buffer(const basic_pooled_buffer&) = delete;
  basic_pooled_buffer& operator=(const basic_pooled_buffer&) = delete;
  ~basic_pooled_buffer() { give_back(); }

  [[nodiscard]] std::byte* data() noexcept { return m_data; }
  [[nodiscard]] const std::byte* data() const noexcept { return m_data; }
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
  [[nodiscard]] std::byte* begin() noexcept { return m_data; }
  [[nodiscard]] std::byte* end() noexcept { return m_data + m_size; }
  [[nodiscard]] const std::byte* begin() const noexcept { return m_data; }
  [[nodiscard]] const std::byte* end() const noexcept { return m_data + m_size; }
  [[nodiscard]] std::byte& operator[](std::size_t i) noexcept {
    ELECTRON_ASSERT(i < m_size, "pooled buffer index out of range");
    return m_data[i];
  }
  [[nodiscard]] const std::byte& operator[](std::size_t i) const noexcept {
    ELECTRON_ASSERT(i < m_size, "pooled buffer index out of range");
    return m_data[i];
  }
  [[nodiscard]] std::span<std::byte> span() noexcept { return {m_data, m_size}; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {m_data, m_size}; }
  /// Sets size() to n. Precondition: n <= capacity() (ELECTRON_ASSERT).
  void resize(std::size_t n) noexcept {
    ELECTRON_ASSERT(n <= m_capacity, "pooled buffer: resize beyond capacity");
    m_size = n;
  }
  /// Gives the bytes back to their pool now; the handle becomes empty (what
  /// std::unique_ptr::reset() does to its pointer). Nothing on an empty one.
  void give_back() noexcept {
    if (m_data != nullptr) m_pool->recycle(m_data, m_capacity);
    m_data = nullptr;
    m_size = m_capacity = 0;
    m_pool = nullptr;
  }

 private:
  friend Pool;
  basic_pooled_buffer(std::byte* d, std::size_t size, std::size_t cap, Pool* p) noexcept
      : m_data(d), m_size(size), m_capacity(cap), m_pool(p) {}
  std::byte* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  Pool* m_pool = nullptr;
};

/// Size classes of buffer_pool: 14 powers of two from 512 B to 4 MiB.
struct pow2_classes {
  static constexpr std::size_t count = 14;
  static constexpr std::size_t min_size = 512;
  static constexpr std::size_t max_pooled = min_size << (count - 1);  // 4 MiB
  /// Class of a request, or count when it is not pooled.
  static constexpr std::size_t class_of(std::size_t n) noexcept {
    if (n <= min_size) return 0;
    if (n > max_pooled) return count;
    return static_cast<std::size_t>(std::bit_width(n - 1)) - 9;  // 2^9 = 512
  }
  static constexpr std::size_t capacity(std::size_t cls, std::size_t) noexcept { return min_size << cls; }
  static constexpr bool variable(std::size_t) noexcept { return false; }
};

/// Size classes of sized_pool: < 1 KiB, 1-8 KiB, 8-64 KiB, and > 64 KiB in
/// 64 KiB steps up to 4 MiB (that class holds buffers of several
/// capacities; its retention limits are counted in 4 MiB buffers, so the
/// byte bounds hold); larger requests are not pooled.
struct four_classes {
  static constexpr std::size_t count = 4;
  static constexpr std::size_t huge_step = 64 * 1024;
  static constexpr std::size_t max_pooled = std::size_t{4} << 20;
  static constexpr std::size_t class_of(std::size_t n) noexcept {
    if (n <= 1024) return 0;
    if (n <= 8 * 1024) return 1;
    if (n <= 64 * 1024) return 2;
    return n <= max_pooled ? 3 : count;
  }
  static constexpr std::size_t capacity(std::size_t cls, std::size_t n) noexcept {
    constexpr std::size_t fixed[3] = {1024, 8 * 1024, 64 * 1024};
    return cls < 3 ? fixed[cls] : (n + huge_step - 1) / huge_step * huge_step;
  }
  static constexpr bool variable(std::size_t cls) noexcept { return cls == 3; }
};

/// How much a buffer pool keeps.
struct buffer_pool_options {
  /// Bytes of idle buffers the shared depot keeps per class.
  std::size_t max_retained_bytes_per_class = 16u << 20;
  /// Bytes of idle buffers each thread's cache keeps per class (at least one buffer).
  std::size_t thread_cache_bytes_per_class = 256u << 10;
};

/// A pool of byte buffers in size classes (see pow2_classes, four_classes).
/// get(size) returns a buffer of capacity >= size, aligned to 64 bytes, that
/// returns itself on destruction. Requests over the largest class are served
/// and freed, not pooled. Sizes above max_size() throw std::length_error
/// before anything is allocated. Every allocation (buffers, each thread's
/// cache, the depot) comes from the upstream std::pmr::memory_resource
/// (default: std::pmr::new_delete_resource()) and goes back to it.
/// Thread-safe.
template <class Classes>
class basic_buffer_pool {
 public:
  using buffer = basic_pooled_buffer<basic_buffer_pool>;
  static constexpr std::size_t buffer_alignment = 64;

  /// A pool with the given retention bounds that allocates from `upstream`
  /// (which must outlive the pool).
  ///
  ///   buffer_pool p({}, &my_resource);
  explicit basic_buffer_pool(const buffer_pool_options& opt = {},
                             std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : m_lists(make_limits(opt), upstream), m_upstream(upstream) {
    ELECTRON_ASSERT(upstream != nullptr, "buffer pool: upstream resource is null");
  }
  basic_buffer_pool(const basic_buffer_pool&) = delete;
  basic_buffer_pool& operator=(const basic_buffer_pool&) = delete;
  ~basic_buffer_pool() {
    m_lists.drain([this](std::size_t c, void* p) noexcept { free_buffer(p, stored_capacity(c, p)); });
  }

  /// The largest size get() accepts: electron::detail::max_allocation_size,
  /// 2^47 bytes on 64-bit targets (2^30 on 32-bit ones).
  [[nodiscard]] static constexpr std::size_t max_size() noexcept { return electron::detail::max_allocation_size; }

  /// A buffer with size() == n and capacity() >= n. Throws std::length_error
  /// when n > max_size() (the pool is unchanged); what the upstream throws
  /// (std::bad_alloc by default) when it cannot serve n.
  [[nodiscard]] ELECTRON_ALWAYS_INLINE buffer get(std::size_t n) {
    const std::size_t c = Classes::class_of(n);
    if (ELECTRON_LIKELY(c < Classes::count)) {
      if (void* p = m_lists.pop(c)) {
        const std::size_t cap = stored_capacity(c, p);
        if (ELECTRON_LIKELY(cap >= n)) return buffer(static_cast<std::byte*>(p), n, cap, this);
        free_buffer(p, cap);  // a variable-class buffer too small for this request
      }
    }
    return get_new(n, c);
  }

  /// Takes a buffer back (the same as destroying it).
  void put(buffer&& b) noexcept { b.give_back(); }

  /// Frees the idle buffers of the depot and of the calling thread's cache.
  void trim() {
    m_lists.trim([this](std::size_t c, void* p) { free_buffer(p, stored_capacity(c, p)); });
  }

  /// The resource the pool allocates from.
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return m_upstream; }

  /// Idle buffers of class c in the shared depot (a snapshot).
  [[nodiscard]] std::size_t depot_size(std::size_t c) { return m_lists.depot_size(c); }

 private:
  friend buffer;
  // Called by a buffer when it lets go of its bytes.
  void recycle(std::byte* p, std::size_t cap) noexcept {
    const std::size_t c = Classes::class_of(cap);
    if (ELECTRON_LIKELY(c < Classes::count && Classes::capacity(c, cap) == cap)) {
      // Variable-capacity classes keep the capacity in the idle buffer itself.
      if (Classes::variable(c)) std::memcpy(p, &cap, sizeof cap);
      if (ELECTRON_LIKELY(m_lists.push(c, p))) return;
    }
    free_buffer(p, cap);
  }

  static std::size_t stored_capacity(std::size_t c, void* p) noexcept {
    if (Classes::variable(c)) {
      std::size_t cap = 0;
      std::memcpy(&cap, p, sizeof cap);
      return cap;
    }
    return Classes::capacity(c, 0);
  }
  ELECTRON_NOINLINE buffer get_new(std::size_t n, std::size_t c) {
    // Checked here, off the pooled path: every class is far below the limit.
    // An aligned allocation rounds the size up to the alignment, which
    // wrapped around to a tiny block for n within 63 of SIZE_MAX (libstdc++
    // 12's aligned operator new, under new_delete_resource()).
    if (ELECTRON_UNLIKELY(n > max_size())) {
      electron::detail::throw_error<std::length_error>("electron::pool: buffer size above max_size()");
    }
    const std::size_t cap = c < Classes::count ? Classes::capacity(c, n) : (n == 0 ? 1 : n);
    auto* p = static_cast<std::byte*>(m_upstream->allocate(cap, buffer_alignment));
    return buffer(p, n, cap, this);
  }
  void free_buffer(void* p, std::size_t cap) noexcept { m_upstream->deallocate(p, cap, buffer_alignment); }
  static typename detail::free_lists<Classes::count>::limits make_limits(const buffer_pool_options& opt) {
    typename detail::free_lists<Classes::count>::limits l{};
    for (std::size_t c = 0; c < Classes::count; ++c) {
      // A variable class is counted at its largest capacity, so the byte bounds hold.
      const std::size_t cap = Classes::variable(c) ? Classes::max_pooled : Classes::capacity(c, 0);
      const std::size_t local = opt.thread_cache_bytes_per_class / cap;
      l.local[c] = static_cast<std::uint32_t>(std::clamp<std::size_t>(local, 1, 64));
      l.depot[c] = opt.max_retained_bytes_per_class / cap;  // may be 0: nothing kept in the depot
    }
    return l;
  }

  detail::free_lists<Classes::count> m_lists;
  std::pmr::memory_resource* m_upstream;
};

/// 14 power-of-two classes, 512 B to 4 MiB.
using buffer_pool = basic_buffer_pool<pow2_classes>;
/// Four classes: < 1 KiB, 1-8 KiB, 8-64 KiB, > 64 KiB.
using sized_pool = basic_buffer_pool<four_classes>;
/// buffer_pool's buffer type (sized_pool's is sized_pool::buffer).
using pooled_buffer = buffer_pool::buffer;

static_assert(buffer_source<buffer_pool> && buffer_source<sized_pool>);

// ===========================================================================
// arena_of_pools
// ===========================================================================

/// Per-request memory in one place: contexts from
/// an object pool, byte buffers from a buffer pool, and strings and small
/// objects bumped from an arena that reset() rewinds at the end of each
/// request. Any types satisfying the concepts plug in.
///
/// A request loop allocates nothing from the system once warm: contexts and
/// buffers are reused, the arena keeps its largest block.
///
///   electron::pool::arena_of_pools<request_context> mem;
///   for (auto& req : requests) {
///     auto* ctx = mem.allocate_context();
///     auto body = mem.allocate_buffer(req.size);
///     std::string_view path = mem.make_string(req.path);
///     handle(*ctx, body, path);
///     mem.release_context(ctx);
///     mem.reset();  // strings gone; body returns to its pool at the end of the iteration
///   }
///
/// Thread safety: the arena part is single-threaded, so one arena_of_pools
/// serves one thread at a time.
///
/// Destruction: the arena (and the objects make<T> put in it) first, then
/// the contexts, then the buffer pool, so an idle context may keep a buffer
/// and an arena object may hold a context or a buffer until then.
template <class Context, arena::bump_allocator Arena = arena::arena, context_pool ContextPool = object_pool<Context>,
          buffer_source BufferPool = buffer_pool>
requires std::same_as<typename ContextPool::value_type, Context>
class arena_of_pools {
 public:
  using context_type = Context;
  using context_pointer = typename ContextPool::pointer;
  using buffer = decltype(std::declval<BufferPool&>().get(std::size_t{}));

  arena_of_pools() = default;
  /// Builds each part in place from a tuple of constructor arguments, e.g.
  /// arena_of_pools<ctx> m(std::piecewise_construct, std::forward_as_tuple(256 * 1024),
  ///                      std::forward_as_tuple(64), std::forward_as_tuple(buffer_pool_options{}));
  template <class... A, class... C, class... B>
  arena_of_pools(std::piecewise_construct_t, std::tuple<A...> arena_args, std::tuple<C...> context_args,
                 std::tuple<B...> buffer_args)
      : m_buffers(std::make_from_tuple<BufferPool>(std::move(buffer_args))),
        m_contexts(std::make_from_tuple<ContextPool>(std::move(context_args))),
        m_arena(std::make_from_tuple<Arena>(std::move(arena_args))) {}

  /// A reset context from the pool.
  [[nodiscard]] context_pointer allocate_context() { return m_contexts.get(); }
  /// Gives a context back (it is reset on the way in).
  void release_context(context_pointer c) { m_contexts.put(c); }
  /// A buffer of at least n bytes; it goes back to the pool when destroyed.
  /// A size the pool refuses throws what the pool's get() throws
  /// (buffer_pool: std::length_error above max_size()).
  [[nodiscard]] buffer allocate_buffer(std::size_t n) { return m_buffers.get(n); }
  /// A copy of s that lives until the next reset(). A size the arena refuses
  /// throws what the arena throws (arena::arena: std::bad_alloc).
  [[nodiscard]] std::string_view make_string(std::string_view s) { return arena::make_string(m_arena, s); }
  /// Ends a request: rewinds the arena (strings from make_string are gone).
  void reset() noexcept(noexcept(std::declval<Arena&>().reset())) { m_arena.reset(); }

  [[nodiscard]] Arena& get_arena() noexcept { return m_arena; }
  [[nodiscard]] ContextPool& contexts() noexcept { return m_contexts; }
  [[nodiscard]] BufferPool& buffers() noexcept { return m_buffers; }

 private:
  // Destroyed in reverse: first the arena (its objects may hold contexts and
  // buffers), then the contexts (an idle one keeps what it owns, which may
  // be a buffer), then the buffer pool they all give back to. The other
  // order destroyed the buffer pool first, so an idle context's buffer, or
  // an arena object's context, went back to a destroyed pool.
  BufferPool m_buffers;
  ContextPool m_contexts;
  Arena m_arena;
};

}  // namespace pool
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_POOL_HPP
