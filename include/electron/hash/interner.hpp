// SPDX-License-Identifier: MIT
// electron/hash/interner.hpp: the string interner of electron/hash.hpp:
// dense ids for strings, the strings stored in a bump allocator.
//
// It composes through two concepts: any hash::hasher hashes the strings and
// any arena::bump_allocator stores them (electron::arena::arena by default).
// A std::pmr::memory_resource handed to the constructor serves the default
// arena's blocks and the interner's own tables.
//
//   electron::hash::string_interner names;
//   auto [id, inserted] = names.intern("alice");   // {0, true}
//   assert(names.intern("alice").id == id && names.at(id) == "alice");
#ifndef ELECTRON_HASH_INTERNER_HPP
#define ELECTRON_HASH_INTERNER_HPP

#include "electron/arena.hpp"
#include "electron/config.hpp"
#include "electron/hash/functions.hpp"
#include "electron/hash/hasher.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

ELECTRON_BEGIN_NAMESPACE
namespace hash {

/// What basic_string_interner::intern returns, like try_emplace: the id of
/// the string and whether this call added it.
///
///   auto [id, inserted] = names.intern("alice");
struct intern_result {
  std::uint32_t id;
  bool inserted;
  friend constexpr bool operator==(const intern_result&, const intern_result&) noexcept = default;
};

namespace detail {
// The largest single allocation A serves: A::max_size when it declares one.
template <class A>
constexpr std::size_t allocation_limit() noexcept {
  if constexpr (requires {
                  { A::max_size } -> std::convertible_to<std::size_t>;
                }) {
    return static_cast<std::size_t>(A::max_size);
  } else {
    return static_cast<std::size_t>(-1);
  }
}
}  // namespace detail

/// Maps strings to dense ids 0, 1, 2, ... and back. Strings are copied once
/// into the bump allocator A (one allocate() per new string); ids never
/// change and the views at() returns stay valid for the interner's lifetime,
/// across growth. Open addressing with linear probing over (string, id,
/// hash tag) slots, at most half full. Single-threaded.
///
/// H is any hash::hasher. One that does not declare is_avalanching (such as
/// std::hash) has its output mixed once more (detail::mix64), since the
/// table uses the low bits as the slot and the high 32 as a tag. The default,
/// XXH3, hashes short keys of varying length without mispredicted branches
/// (5x faster than XXH64 on 17-40 byte keys).
///
/// A is any arena::bump_allocator. With one that is constructible from
/// (block size, std::pmr::memory_resource*), as arena::arena is, the
/// constructors taking a block size and an upstream build it; any other is
/// handed over built (or default-constructed). The interner never calls
/// A's reset(): memory is returned when the interner is destroyed.
template <hasher H = xxh3_64_hasher, arena::bump_allocator A = arena::arena>
class basic_string_interner {
 public:
  using id_type = std::uint32_t;
  using hasher_type = H;
  using arena_type = A;
  using intern_result = hash::intern_result;

  /// The largest number of strings (ids are 32-bit; the top value marks an empty slot).
  static constexpr std::size_t max_strings = 0xFFFFFFFEu;
  /// The longest string: its length is stored in 32 bits, and with that
  /// length and a NUL it must fit in one allocation (below A::max_size when
  /// A declares one).
  static constexpr std::size_t max_string_size = detail::allocation_limit<A>() - sizeof(std::uint32_t) - 1 < 0xFFFFFFFFu
                                                     ? detail::allocation_limit<A>() - sizeof(std::uint32_t) - 1
                                                     : 0xFFFFFFFFu;
  /// The largest arena block size the constructors accept.
  static constexpr std::size_t max_arena_block = electron::detail::max_allocation_size;
  /// The arena block size when none is given.
  static constexpr std::size_t default_arena_block = 64 * 1024;

  /// An empty interner on the default hasher and allocator; nothing is
  /// allocated until the first intern().
  /// Not copyable: two copies would share the allocator's blocks (a
  /// copyable bump allocator copies its pointer, not its memory). Movable:
  /// ids and views stay valid in the moved-to interner.
  basic_string_interner(const basic_string_interner&) = delete;
  basic_string_interner& operator=(const basic_string_interner&) = delete;
  basic_string_interner(basic_string_interner&&) noexcept(
      std::is_nothrow_move_constructible_v<H>&& std::is_nothrow_move_constructible_v<A>) = default;
  // Not noexcept: the tables are std::pmr vectors, which copy (and may
  // throw) when the two interners' upstream resources differ.
  basic_string_interner& operator=(basic_string_interner&&) = default;  // NOLINT(performance-noexcept-move-constructor)

  basic_string_interner() requires std::default_initializable<H> &&
      (std::default_initializable<A> || std::constructible_from<A, std::size_t, std::pmr::memory_resource*>)
      : m_hasher(), m_arena(make_arena(default_arena_block, std::pmr::new_delete_resource())) {}

  /// Strings are stored in arena blocks of `arena_block` bytes and more,
  /// from `upstream`, which also serves the interner's tables. Throws
  /// std::length_error when arena_block > max_arena_block.
  explicit basic_string_interner(H h, std::size_t arena_block = default_arena_block,
                                 std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) requires
      std::constructible_from<A, std::size_t, std::pmr::memory_resource*>
      : m_hasher(std::move(h)),
        m_arena(make_arena(checked_block(arena_block), upstream)),
        m_views(upstream),
        m_hashes(upstream),
        m_slots(upstream) {}

  /// Every allocation, the arena's blocks and the tables, from `upstream`.
  ///
  ///   counting_resource counter;                 // any std::pmr::memory_resource
  ///   electron::hash::string_interner names(&counter);
  explicit basic_string_interner(std::pmr::memory_resource* upstream) requires std::default_initializable<H> &&
      std::constructible_from<A, std::size_t, std::pmr::memory_resource*>
      : basic_string_interner(H{}, default_arena_block, upstream) {}

  /// Strings go to `allocator` (moved in); the tables come from `upstream`.
  basic_string_interner(
      H h, A allocator,
      std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) requires std::move_constructible<A>
      : m_hasher(std::move(h)),
        m_arena(std::move(allocator)),
        m_views(upstream),
        m_hashes(upstream),
        m_slots(upstream) {}

  /// The id of s, adding it if new: {id, true} when this call added it,
  /// {id, false} when it was there. O(1) expected. Throws std::length_error
  /// when s.size() > max_string_size (before reading s) or the interner
  /// holds max_strings, std::bad_alloc (or what A::allocate throws) when
  /// memory runs out. Strong exception guarantee for the contents: if it
  /// throws, the strings, their ids and every view handed out are unchanged
  /// (the slot table may already have grown, which changes memory_bytes()
  /// but no answer).
  intern_result intern(std::string_view s) {
    if (s.size() > max_string_size) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: string too long");
    }
    const std::uint64_t h = hash_of(s);
    if (m_slots.empty()) grow();
    std::size_t i = static_cast<std::size_t>(h) & m_mask;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (;; i = (i + 1) & m_mask) {
      const slot sl = m_slots[i];
      if (sl.id == no_id) break;
      if (sl.tag == tag && same(sl.data, s)) return {sl.id, false};
    }
    if (m_views.size() >= max_strings) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: too many strings");
    }
    // Everything that can throw comes before the first change of contents
    // (grow() only rehashes what is there).
    if (m_views.size() == m_views.capacity() || m_hashes.size() == m_hashes.capacity()) {
      const std::size_t want = m_views.empty() ? 16 : 2 * m_views.size();
      m_views.reserve(want);
      m_hashes.reserve(want);
    }
    if (2 * (m_views.size() + 1) > m_slots.size()) {
      grow();  // s is absent: its slot is the first empty one from h
      for (i = static_cast<std::size_t>(h) & m_mask; m_slots[i].id != no_id; i = (i + 1) & m_mask) {
      }
    }
    const std::string_view stored = store(s);
    const auto id = static_cast<id_type>(m_views.size());
    m_views.push_back(stored);  // cannot throw: capacity reserved
    m_hashes.push_back(h);
    m_slots[i] = slot{stored.data(), id, tag};
    return {id, true};
  }

  /// The id of s if it was interned, without adding it (never for s longer
  /// than max_string_size, which is not read). O(1) expected; allocates nothing.
  [[nodiscard]] std::optional<id_type> find(std::string_view s) const
      noexcept(std::is_nothrow_invocable_v<const H&, std::string_view>) {
    if (m_slots.empty() || s.size() > max_string_size) return std::nullopt;
    const std::uint64_t h = hash_of(s);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = static_cast<std::size_t>(h) & m_mask;; i = (i + 1) & m_mask) {
      const slot sl = m_slots[i];
      if (sl.id == no_id) return std::nullopt;
      if (sl.tag == tag && same(sl.data, s)) return sl.id;
    }
  }

  /// The string of an id; throws std::out_of_range for an id never handed out.
  [[nodiscard]] std::string_view at(id_type id) const {
    if (id >= m_views.size()) {
      electron::detail::throw_error<std::out_of_range>("electron::hash::string_interner::at: unknown id");
    }
    return m_views[id];
  }
  /// The string of an id without the check. Precondition: id < size() (ELECTRON_ASSERT).
  [[nodiscard]] std::string_view operator[](id_type id) const noexcept {
    ELECTRON_ASSERT(id < m_views.size(), "string_interner: unknown id");
    return m_views[id];
  }

  /// The number of strings (the next new string gets this id).
  [[nodiscard]] std::size_t size() const noexcept { return m_views.size(); }
  [[nodiscard]] bool empty() const noexcept { return m_views.empty(); }
  /// Bytes held: the tables, and the allocator's blocks when A reports them
  /// (a bytes_reserved() member, as arena::arena has).
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t n = m_views.capacity() * sizeof(std::string_view) + m_hashes.capacity() * sizeof(std::uint64_t) +
                    m_slots.capacity() * sizeof(slot);
    if constexpr (requires(const A& a) {
                    { a.bytes_reserved() } -> std::convertible_to<std::size_t>;
                  }) {
      n += static_cast<std::size_t>(m_arena.bytes_reserved());
    }
    return n;
  }
  /// The allocator the strings live in.
  [[nodiscard]] const A& get_arena() const noexcept { return m_arena; }
  /// The hasher.
  [[nodiscard]] const H& hash_function() const noexcept { return m_hasher; }

 private:
  // The slot points at the string itself (its length is stored just before
  // its bytes in the arena), so a hit touches the slot and the string: no
  // id -> view indirection on the lookup path.
  struct slot {
    const char* data;
    id_type id;
    std::uint32_t tag;  // high half of the hash: most mismatches end here
  };
  static constexpr id_type no_id = 0xFFFFFFFFu;

  std::uint64_t hash_of(std::string_view s) const noexcept(std::is_nothrow_invocable_v<const H&, std::string_view>) {
    const auto h = static_cast<std::uint64_t>(m_hasher(s));
    if constexpr (is_avalanching_v<H>) {
      return h;
    } else {
      return electron::detail::mix64(h);
    }
  }
  static bool same(const char* data, std::string_view s) noexcept {
    std::uint32_t len;
    std::memcpy(&len, data - sizeof len, sizeof len);
    // Lengths first; and no memcmp for the empty string, whose view may
    // have a null data() (std::string_view{}): memcmp(p, nullptr, 0) is
    // undefined behaviour, which UBSan reports.
    return len == s.size() && (len == 0 || std::memcmp(data, s.data(), s.size()) == 0);
  }
  // [u32 length][bytes][NUL] in the arena; the view is of the bytes.
  std::string_view store(std::string_view s) {
    auto* p = static_cast<char*>(m_arena.allocate(sizeof(std::uint32_t) + s.size() + 1, alignof(std::uint32_t)));
    const auto len = static_cast<std::uint32_t>(s.size());
    std::memcpy(p, &len, sizeof len);
    if (!s.empty()) std::memcpy(p + sizeof len, s.data(), s.size());
    p[sizeof len + s.size()] = '\0';
    return {p + sizeof len, s.size()};
  }

  static std::size_t checked_block(std::size_t n) {
    if (n > max_arena_block) {
      electron::detail::throw_error<std::length_error>("electron::hash::string_interner: arena block too large");
    }
    return n;
  }
  static A make_arena(std::size_t block, std::pmr::memory_resource* upstream) {
    if constexpr (std::constructible_from<A, std::size_t, std::pmr::memory_resource*>) {
      return A(block, upstream);
    } else {
      return A();
    }
  }

  void grow() {
    const std::size_t n = m_slots.empty() ? 16 : m_slots.size() * 2;
    std::pmr::vector<slot> next(n, slot{nullptr, no_id, 0}, m_slots.get_allocator());
    const std::size_t mask = n - 1;
    for (std::size_t id = 0; id < m_views.size(); ++id) {
      std::size_t i = static_cast<std::size_t>(m_hashes[id]) & mask;
      while (next[i].id != no_id) i = (i + 1) & mask;
      next[i] = slot{m_views[id].data(), static_cast<id_type>(id), static_cast<std::uint32_t>(m_hashes[id] >> 32)};
    }
    m_slots.swap(next);
    m_mask = mask;
  }

  [[no_unique_address]] H m_hasher;
  A m_arena;
  std::pmr::vector<std::string_view> m_views{std::pmr::new_delete_resource()};  // by id
  std::pmr::vector<std::uint64_t> m_hashes{std::pmr::new_delete_resource()};    // by id, for growth
  std::pmr::vector<slot> m_slots{std::pmr::new_delete_resource()};
  std::size_t m_mask = 0;
};

/// The interner with XXH3 and an electron::arena::arena.
using string_interner = basic_string_interner<>;

}  // namespace hash
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_HASH_INTERNER_HPP
