// SPDX-License-Identifier: MIT
// Tests for strings::basic_builder's seam: any pool::buffer_source supplies
// its storage (a user-defined one, sized_pool, a buffer_pool over a counting
// upstream resource), and clear() keeps that storage.
#include "electron/encoding/sink.hpp"
#include "electron/strings.hpp"

#include "electron/test.hpp"
#include "electron_catch.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace es = electron::strings;
namespace ep = electron::pool;
namespace et = electron::test;

namespace {

// A buffer source of the user's own: exact-size heap blocks, counted. Its
// buffer has data() and size() only (no capacity()).
class counting_source {
 public:
  long gets = 0;
  long returns = 0;
  long live = 0;
  std::size_t live_bytes = 0;
  const std::byte* last = nullptr;  // the newest block handed out
  bool fail_next = false;

  class buffer {
   public:
    buffer() noexcept = default;
    buffer(buffer&& o) noexcept
        : m_src(std::exchange(o.m_src, nullptr)),
          m_data(std::exchange(o.m_data, nullptr)),
          m_size(std::exchange(o.m_size, 0)) {}
    buffer& operator=(buffer&& o) noexcept {
      if (this != &o) {
        release();
        m_src = std::exchange(o.m_src, nullptr);
        m_data = std::exchange(o.m_data, nullptr);
        m_size = std::exchange(o.m_size, 0);
      }
      return *this;
    }
    ~buffer() { release(); }
    std::byte* data() noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }

   private:
    friend counting_source;
    buffer(counting_source* s, std::byte* d, std::size_t n) noexcept : m_src(s), m_data(d), m_size(n) {}
    void release() noexcept {
      if (m_src == nullptr) return;
      ++m_src->returns;
      --m_src->live;
      m_src->live_bytes -= m_size;
      delete[] m_data;
      m_src = nullptr;
      m_data = nullptr;
      m_size = 0;
    }
    counting_source* m_src = nullptr;
    std::byte* m_data = nullptr;
    std::size_t m_size = 0;
  };

  buffer get(std::size_t n) {
    if (fail_next) {
      fail_next = false;
      throw std::bad_alloc();
    }
    auto* d = new std::byte[n == 0 ? 1 : n];
    ++gets;
    ++live;
    live_bytes += n;
    last = d;
    return buffer(this, d, n);
  }
};

// Not sources: a buffer that cannot be default-constructed, one that cannot
// move, one without size(), and a type without get().
struct no_default_source {
  struct buffer {
    explicit buffer(int) {}
    std::byte* data();
    std::size_t size() const;
  };
  buffer get(std::size_t);
};
struct immovable_source {
  struct buffer {
    buffer() = default;
    buffer(buffer&&) = delete;
    std::byte* data();
    std::size_t size() const;
  };
  buffer get(std::size_t);
};
struct sizeless_source {
  struct buffer {
    std::byte* data();
  };
  buffer get(std::size_t);
};

// Counts what goes through it (forwards to new_delete_resource()).
class counting_resource final : public std::pmr::memory_resource {
 public:
  long allocations = 0;
  long deallocations = 0;
  long long live_bytes = 0;

 private:
  void* do_allocate(std::size_t n, std::size_t a) override {
    ++allocations;
    live_bytes += static_cast<long long>(n);
    return std::pmr::new_delete_resource()->allocate(n, a);
  }
  void do_deallocate(void* p, std::size_t n, std::size_t a) override {
    ++deallocations;
    live_bytes -= static_cast<long long>(n);
    std::pmr::new_delete_resource()->deallocate(p, n, a);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
};

// True when [v.data(), v.data() + v.size()) lies in [base, base + cap).
bool inside(std::string_view v, const std::byte* base, std::size_t cap) {
  const auto* b = reinterpret_cast<const char*>(base);
  return v.empty() || (v.data() >= b && v.data() + v.size() <= b + cap);
}

}  // namespace

static_assert(ep::buffer_source<counting_source> && ep::buffer_source<ep::buffer_pool> &&
              ep::buffer_source<ep::sized_pool>);
static_assert(!ep::buffer_source<no_default_source> && !ep::buffer_source<immovable_source> &&
              !ep::buffer_source<sizeless_source> && !ep::buffer_source<int>);
static_assert(std::is_same_v<es::builder, es::basic_builder<ep::buffer_pool>>);
static_assert(std::is_nothrow_move_constructible_v<es::builder> && std::is_nothrow_move_assignable_v<es::builder> &&
              !std::is_copy_constructible_v<es::builder>);
static_assert(noexcept(std::declval<es::builder&>().clear()));
// Class template argument deduction from the source.
static_assert(
    std::is_same_v<decltype(es::basic_builder(std::declval<ep::sized_pool&>())), es::basic_builder<ep::sized_pool>>);

TEST_CASE("builder: a user-defined buffer_source supplies every byte and gets each back", "[strings][builder][seam]") {
  counting_source src;
  std::string model;
  std::mt19937_64 rng(0xB01D);
  long system = 0;
  {
    et::alloc_scope scope;
    {
      es::basic_builder<counting_source> b(src, 16);
      bool all_inside = true;
      bool one_live = true;
      for (int i = 0; i < 2000; ++i) {
        const std::size_t n = rng() % 40;
        const char c = static_cast<char>('a' + i % 26);
        const std::string piece(n, c);  // SSO for most; the heap ones are counted below
        b.append(piece);
        model += piece;
        if (i % 7 == 0) {
          b.append(i);
          model += std::to_string(i);
        }
        all_inside = all_inside && inside(b.view(), src.last, b.capacity());
        one_live = one_live && src.live == 1;
      }
      CHECK(all_inside);  // the text lives in the newest buffer from the source
      CHECK(one_live);    // the previous one went back as soon as the text moved
      CHECK(b.view() == model);
      CHECK(b.capacity() == src.live_bytes);  // no capacity(): the builder uses size()
      CHECK(src.gets > 5);
      CHECK(src.returns == src.gets - 1);
    }
    system = static_cast<long>(scope.allocations());
  }
  CHECK(src.live == 0);
  CHECK(src.live_bytes == 0);
  CHECK(src.returns == src.gets);
  CHECK(system >= src.gets);  // (the model string allocates too; the leak check below is exact)

  // Exactly: every allocation is the source's, and all are freed.
  counting_source src2;
  long system2 = 0;
  {
    et::alloc_scope scope;
    {
      es::basic_builder<counting_source> b(src2, 0);
      for (int i = 0; i < 500; ++i) b.append("0123456789abcdef").append(i);
    }
    system2 = static_cast<long>(scope.allocations());
  }
  CHECK(src2.gets > 3);
  CHECK(system2 == src2.gets);
  CHECK(src2.live == 0);
  CHECK(et::check_leaks([] {
    counting_source s;
    es::basic_builder<counting_source> b(s);
    for (int i = 0; i < 300; ++i) b.append("leak check ");
  }));
}

TEST_CASE("builder: clear() empties and keeps the source's buffer", "[strings][builder][seam]") {
  counting_source src;
  es::basic_builder<counting_source> b(src, 64);
  CHECK(src.gets == 1);
  b.append(std::string(60, 'x'));
  const std::size_t cap = b.capacity();
  const char* data = b.view().data();
  for (int i = 0; i < 100; ++i) {
    b.clear();
    CHECK(b.empty());
    b.append(std::string(64, 'y'));
  }
  CHECK(src.gets == 1);  // nothing more was asked for
  CHECK(b.capacity() == cap);
  CHECK(b.view().data() == data);
  CHECK(b.view() == std::string(64, 'y'));
}

TEST_CASE("builder: truncate() keeps a prefix and the buffer", "[strings][builder][seam]") {
  counting_source src;
  es::basic_builder<counting_source> b(src, 64);
  b.append(std::string_view("/a/bc/def"));
  const char* data = b.view().data();
  b.truncate(5);
  CHECK(b.view() == "/a/bc");
  b.truncate(5);
  CHECK(b.view() == "/a/bc");
  b.append(std::string_view("/x"));
  CHECK(b.view() == "/a/bc/x");
  b.truncate(0);
  CHECK(b.empty());
  CHECK(b.view().data() == data);
  CHECK(src.gets == 1);
  static_assert(noexcept(b.truncate(0)));
}

TEST_CASE("builder: moves carry the buffer; assigning over one gives its buffer back", "[strings][builder][seam]") {
  counting_source src;
  {
    es::basic_builder<counting_source> a(src, 32);
    a.append("first");
    es::basic_builder<counting_source> b(std::move(a));
    CHECK(b.view() == "first");
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(src.live == 1);
    es::basic_builder<counting_source> c(src, 32);
    c.append("second");
    CHECK(src.live == 2);
    c = std::move(b);  // c's buffer goes back
    CHECK(src.live == 1);
    CHECK(c.view() == "first");
    auto& self = c;
    c = std::move(self);  // self-move: unchanged
    CHECK(c.view() == "first");
    a.append("reuse");  // the moved-from builder still has its source
    CHECK(a.view() == "reuse");
    CHECK(src.live == 2);
  }
  CHECK(src.live == 0);
  CHECK(src.returns == src.gets);
}

TEST_CASE("builder: a source that throws leaves the text as it was", "[strings][builder][seam]") {
  counting_source src;
  es::basic_builder<counting_source> b(src, 8);
  b.append("12345678");
  src.fail_next = true;
  CHECK_THROWS_AS(b.append("9"), std::bad_alloc);
  CHECK(b.view() == "12345678");
  CHECK(src.live == 1);
  b.append("9");
  CHECK(b.view() == "123456789");
  CHECK(src.live == 1);
}

TEST_CASE("builder: sized_pool as the source; the whole pooled capacity is used", "[strings][builder][seam]") {
  ep::sized_pool pool;
  es::basic_builder<ep::sized_pool> b(pool, 100);
  CHECK(b.capacity() == 1024);  // the pooled buffer's capacity(), not the 100 asked for
  std::string model;
  for (int i = 0; i < 1000; ++i) {
    b.append(i).append(';');
    model += std::to_string(i) + ';';
  }
  CHECK(b.view() == model);
  CHECK(b.capacity() % 1024 == 0);
  CHECK(es::basic_builder<ep::sized_pool>::max_size() == ep::sized_pool::max_size());
}

TEST_CASE("builder over a buffer_pool with an upstream resource: its bytes come from there",
          "[strings][builder][seam][upstream]") {
  {  // (the first pool use on a thread registers a thread-exit hook)
    ep::buffer_pool warm;
    warm.put(warm.get(1));
  }
  counting_resource up;
  long system = 0;
  {
    et::alloc_scope scope;
    {
      ep::buffer_pool pool({}, &up);
      es::builder b(pool);
      for (int i = 0; i < 5000; ++i) b.append("upstream ").append(i);
      b.clear();
      b.append("done");
    }
    system = static_cast<long>(scope.allocations());
  }
  CHECK(up.allocations > 3);
  CHECK(system == up.allocations);
  CHECK(up.deallocations == up.allocations);
  CHECK(up.live_bytes == 0);
}

TEST_CASE("builder: prepare and commit write in place and grow like append", "[strings][builder]") {
  static_assert(electron::encoding::contiguous_byte_sink<electron::strings::builder>);
  static_assert(electron::encoding::byte_sink<std::string>);
  static_assert(!electron::encoding::contiguous_byte_sink<std::string>);
  electron::strings::builder b;
  std::string model;
  std::uint64_t x = 7;
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t n = static_cast<std::size_t>(x >> 58);  // 0..63
    const std::size_t k = n == 0 ? 0 : static_cast<std::size_t>((x >> 20) % (n + 1));
    char* p = electron::encoding::sink_prepare(b, n);
    REQUIRE(b.capacity() - b.size() >= n);
    for (std::size_t j = 0; j < k; ++j) p[j] = static_cast<char>('a' + (i + static_cast<int>(j)) % 26);
    electron::encoding::sink_commit(b, k);
    model.append(p, k);
    if (i % 7 == 0) {
      electron::encoding::sink_append(b, "|");
      model += '|';
    }
  }
  CHECK(b.view() == model);
  CHECK_THROWS_AS((void)b.prepare(electron::strings::builder::max_size()), std::length_error);
  CHECK(b.view() == model);
}
