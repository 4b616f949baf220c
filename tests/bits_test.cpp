// SPDX-License-Identifier: MIT
// Tests for electron/bits.hpp. Built twice: with SIMD kernels and with
// ELECTRON_DISABLE_SIMD (every kernel scalar).
#include "electron/bits.hpp"

#include "child_process.hpp"
#include "electron/arena.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/bitset_property.hpp"

#include <algorithm>
#include <bitset>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <new>
#include <random>
#include <ranges>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bits = electron::bits;
using electron::test::check_no_alloc;

// ===========================================================================
// Word functions against bit-by-bit reference implementations
// ===========================================================================
namespace ref {
template <class T>
constexpr int digits = std::numeric_limits<T>::digits;

template <class T>
int popcount(T x) {
  int n = 0;
  for (int i = 0; i < digits<T>; ++i) n += static_cast<int>((std::uint64_t{x} >> i) & 1u);
  return n;
}
template <class T>
int leading_zeros(T x) {
  int n = 0;
  for (int i = digits<T> - 1; i >= 0 && ((std::uint64_t{x} >> i) & 1u) == 0; --i) ++n;
  return n;
}
template <class T>
int trailing_zeros(T x) {
  int n = 0;
  for (int i = 0; i < digits<T> && ((std::uint64_t{x} >> i) & 1u) == 0; ++i) ++n;
  return n;
}
template <class T>
T rotate_left(T x, int k) {
  int r = k % digits<T>;
  if (r < 0) r += digits<T>;
  for (int i = 0; i < r; ++i) x = static_cast<T>(static_cast<T>(x << 1) | static_cast<T>(x >> (digits<T> - 1)));
  return x;
}
template <class T>
T rotate_right(T x, int k) {
  int r = k % digits<T>;  // in (-digits, digits): negating it cannot overflow
  return rotate_left(x, -r);
}
template <class T>
T round_up_pow2(T x) {
  for (int j = 0; j < digits<T>; ++j) {
    const T p = static_cast<T>(T{1} << j);
    if (p >= x) return p;
  }
  return 0;
}
}  // namespace ref

// Checks every word function on x; returns "" or the first disagreement.
template <class T>
std::string check_word(T x, std::initializer_list<int> rotations) {
  std::ostringstream err;
  if (bits::popcount(x) != ref::popcount(x)) err << "popcount(" << +x << ")";
  if (bits::leading_zeros(x) != ref::leading_zeros(x)) err << "leading_zeros(" << +x << ")";
  if (bits::trailing_zeros(x) != ref::trailing_zeros(x)) err << "trailing_zeros(" << +x << ")";
  if (bits::round_up_pow2(x) != ref::round_up_pow2(x)) err << "round_up_pow2(" << +x << ")";
  if (bits::is_pow2(x) != (ref::popcount(x) == 1)) err << "is_pow2(" << +x << ")";
  if (bits::bit_width(x) != ref::digits<T> - ref::leading_zeros(x)) err << "bit_width(" << +x << ")";
  for (int k : rotations) {
    if (bits::rotate_left(x, k) != ref::rotate_left(x, k)) err << "rotate_left(" << +x << ", " << k << ")";
    if (bits::rotate_right(x, k) != ref::rotate_right(x, k)) err << "rotate_right(" << +x << ", " << k << ")";
  }
  return err.str();
}

TEST_CASE("word functions: exhaustive on 8 and 16 bits", "[bits]") {
  std::string first;
  std::size_t bad = 0;
  for (unsigned v = 0; v <= 0xFFu; ++v) {
    const std::string e = check_word(static_cast<std::uint8_t>(v), {-17, -9, -8, -1, 0, 1, 3, 7, 8, 9, 16, 100});
    if (!e.empty() && bad++ == 0) first = e;
  }
  for (unsigned v = 0; v <= 0xFFFFu; ++v) {
    const std::string e = check_word(static_cast<std::uint16_t>(v), {-33, -16, -1, 0, 1, 5, 15, 16, 17});
    if (!e.empty() && bad++ == 0) first = e;
  }
  INFO(first);
  CHECK(bad == 0);
}

TEMPLATE_TEST_CASE("word functions: randomized on wide words", "[bits]", std::uint32_t, std::uint64_t,
                   unsigned long long, std::size_t) {
  std::mt19937_64 rng(42);
  std::string first;
  std::size_t bad = 0;
  for (int i = 0; i < 20000; ++i) {
    // Vary the bit density so leading/trailing zero runs of every length occur.
    TestType x = static_cast<TestType>(rng());
    x = static_cast<TestType>(x >> (rng() % ref::digits<TestType>));
    if (i % 3 == 0) x = static_cast<TestType>(x << (rng() % ref::digits<TestType>));
    const std::string e = check_word(x, {INT_MIN, -65, -64, -1, 0, 1, 31, 32, 63, 64, 65, INT_MAX});
    if (!e.empty() && bad++ == 0) first = e;
  }
  for (int j = 0; j < ref::digits<TestType>; ++j) {  // every power of two and its neighbours
    const TestType p = static_cast<TestType>(TestType{1} << j);
    for (TestType x : {static_cast<TestType>(p - 1), p, static_cast<TestType>(p + 1)}) {
      const std::string e = check_word(x, {0, 1});
      if (!e.empty() && bad++ == 0) first = e;
    }
  }
  INFO(first);
  CHECK(bad == 0);
}

// Results at the edges are defined, and usable at compile time.
static_assert(bits::popcount(0u) == 0 && bits::popcount(0xFFFFFFFFu) == 32);
static_assert(bits::leading_zeros(std::uint8_t{0}) == 8 && bits::leading_zeros(std::uint64_t{0}) == 64);
static_assert(bits::trailing_zeros(std::uint16_t{0}) == 16 && bits::trailing_zeros(std::uint64_t{1} << 63) == 63);
static_assert(bits::rotate_left(std::uint8_t{0x81}, 1) == 0x03 && bits::rotate_left(std::uint8_t{0x81}, -1) == 0xC0);
static_assert(bits::rotate_left(std::uint32_t{1}, INT_MIN) == 1u);  // INT_MIN % 32 == 0
static_assert(bits::rotate_right(std::uint64_t{1}, 1) == std::uint64_t{1} << 63);
static_assert(bits::round_up_pow2(0u) == 1u && bits::round_up_pow2(1u) == 1u && bits::round_up_pow2(17u) == 32u);
static_assert(bits::round_up_pow2(std::uint8_t{128}) == 128 && bits::round_up_pow2(std::uint8_t{129}) == 0);
static_assert(bits::round_up_pow2(std::uint64_t{1} << 63) == std::uint64_t{1} << 63);
static_assert(bits::round_up_pow2((std::uint64_t{1} << 63) + 1) == 0);
static_assert(bits::round_up_pow2(~std::uint64_t{0}) == 0);
static_assert(!bits::is_pow2(0u) && bits::is_pow2(64u) && bits::bit_width(0u) == 0 && bits::bit_width(255u) == 8);

// Concepts: what is accepted and what is not.
static_assert(bits::unsigned_word<unsigned char> && bits::unsigned_word<std::uint64_t> &&
              bits::unsigned_word<std::size_t>);
static_assert(!bits::unsigned_word<int> && !bits::unsigned_word<bool> && !bits::unsigned_word<char8_t> &&
              !bits::unsigned_word<char32_t> && !bits::unsigned_word<double>);
static_assert(bits::word_allocator<std::allocator<std::uint64_t>> &&
              bits::word_allocator<std::pmr::polymorphic_allocator<std::uint64_t>>);
static_assert(!bits::word_allocator<std::allocator<int>>);
template <class T>
concept has_popcount = requires(T x) {
  bits::popcount(x);
};
static_assert(has_popcount<unsigned> && !has_popcount<int> && !has_popcount<bool>);

// noexcept where it cannot fail.
static_assert(noexcept(bits::popcount(1u)) && noexcept(bits::round_up_pow2(1u)));
static_assert(noexcept(std::declval<const bits::bitset&>().count()));
static_assert(noexcept(std::declval<const bits::bitset&>().find_next_set(0)));
static_assert(noexcept(std::declval<bits::bitset&>().set(0)));
static_assert(std::is_nothrow_move_constructible_v<bits::bitset> && std::is_nothrow_move_assignable_v<bits::bitset>);
static_assert(std::is_nothrow_swappable_v<bits::bitset>);
static_assert(std::forward_iterator<bits::set_bit_iterator>);
static_assert(std::ranges::forward_range<bits::set_bit_range> && std::ranges::view<bits::set_bit_range>);

// ===========================================================================
// Kernels: every vector architecture the flags allow against the scalar twin
// ===========================================================================
namespace kd = electron::bits::detail;
using electron::detail::scalar_arch;

template <class Arch>
std::string check_kernels(Arch arch) {
  std::ostringstream err;
  std::mt19937_64 rng(7);
  for (std::size_t n = 0; n <= 300 && err.str().empty(); ++n) {
    for (std::size_t off = 0; off < 8 && err.str().empty(); ++off) {
      // Exactly-sized buffers, so ASan sees any read past the end.
      std::vector<std::uint64_t> a(n + off), b(n + off), out1(n + off), out2(n + off);
      for (auto& w : a) w = rng() & rng();  // density ~1/4: zero words occur
      for (auto& w : b) w = (rng() % 3 == 0) ? 0 : rng();
      const std::uint64_t* pa = a.data() + off;
      const std::uint64_t* pb = b.data() + off;
      const std::size_t pc_ref = kd::popcount_words(scalar_arch{}, pa, n);
      std::size_t naive = 0;
      for (std::size_t i = 0; i < n; ++i) naive += static_cast<std::size_t>(ref::popcount(pa[i]));
      if (pc_ref != naive || kd::popcount_words(arch, pa, n) != pc_ref) err << "popcount n=" << n << " off=" << off;
      // find_nonzero_word: all zero, then a single non-zero word at every position.
      std::vector<std::uint64_t> z(n + off, 0);
      if (kd::find_nonzero_word(arch, z.data() + off, n) != n) err << "find_nonzero all-zero n=" << n;
      // Every position at offset 0; a sample at the other offsets (time).
      for (std::size_t p = 0; p < n; p += off == 0 ? 1 : 5) {
        z[off + p] = std::uint64_t{1} << (p % 64);
        if (kd::find_nonzero_word(arch, z.data() + off, n) != p) err << "find_nonzero n=" << n << " p=" << p;
        z[off + p] = 0;
      }
      if (kd::find_nonzero_word(arch, pa, n) != kd::find_nonzero_word(scalar_arch{}, pa, n)) err << "find_nonzero rnd";
      auto same = [&](const char* what) {
        if (!std::equal(out1.begin(), out1.end(), out2.begin())) err << what << " n=" << n << " off=" << off;
      };
      kd::combine_words<kd::word_op::and_>(arch, out1.data() + off, pa, pb, n);
      kd::combine_words<kd::word_op::and_>(scalar_arch{}, out2.data() + off, pa, pb, n);
      same("and");
      kd::combine_words<kd::word_op::or_>(arch, out1.data() + off, pa, pb, n);
      kd::combine_words<kd::word_op::or_>(scalar_arch{}, out2.data() + off, pa, pb, n);
      same("or");
      kd::combine_words<kd::word_op::xor_>(arch, out1.data() + off, pa, pb, n);
      kd::combine_words<kd::word_op::xor_>(scalar_arch{}, out2.data() + off, pa, pb, n);
      same("xor");
      kd::combine_words<kd::word_op::and_not>(arch, out1.data() + off, pa, pb, n);
      kd::combine_words<kd::word_op::and_not>(scalar_arch{}, out2.data() + off, pa, pb, n);
      same("and_not");
      for (std::size_t i = 0; i < n; ++i) {
        if (out2[off + i] != (pa[i] & ~pb[i])) err << "scalar and_not n=" << n;
      }
      kd::not_words(arch, out1.data() + off, pa, n);
      kd::not_words(scalar_arch{}, out2.data() + off, pa, n);
      same("not");
      // equal_words: equal, then one difference at every position.
      std::vector<std::uint64_t> c(a);
      if (!kd::equal_words(arch, pa, c.data() + off, n)) err << "equal n=" << n;
      for (std::size_t p = 0; p < n; p += off == 0 ? 1 : 5) {
        c[off + p] ^= std::uint64_t{1} << (rng() % 64);
        if (kd::equal_words(arch, pa, c.data() + off, n)) err << "unequal n=" << n << " p=" << p;
        c[off + p] = a[off + p];
      }
    }
  }
  return err.str();
}

TEST_CASE("kernels: scalar twin against naive loops", "[bits][kernels]") {
  const std::string e = check_kernels(scalar_arch{});
  INFO(e);
  CHECK(e.empty());
}

#if ELECTRON_HAS_SIMD
TEST_CASE("kernels: every supported xsimd architecture against the scalar twin", "[bits][kernels][simd]") {
  std::size_t tested = 0;
  xsimd::supported_architectures::for_each([&](auto arch) {
    const std::string e = check_kernels(arch);
    INFO("arch " << decltype(arch)::name() << ": " << e);
    CHECK(e.empty());
    ++tested;
  });
  CHECK(tested >= 1);
  CHECK(std::string(electron::detail::default_arch::name()) == std::string(electron::simd_arch_name));
}
#else
TEST_CASE("kernels: the scalar build uses the scalar architecture", "[bits][kernels]") {
  STATIC_REQUIRE(std::is_same_v<electron::detail::default_arch, scalar_arch>);
  CHECK(electron::simd_arch_name == "scalar");
}
#endif

// ===========================================================================
// bitset
// ===========================================================================
TEST_CASE("bitset: construction, size and padding", "[bits][bitset]") {
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
    bits::bitset zeros(n), ones(n, true);
    CHECK(zeros.size() == n);
    CHECK(zeros.word_count() == (n + 63) / 64);
    CHECK(zeros.count() == 0);
    CHECK(ones.count() == n);
    CHECK(ones.all());
    CHECK(zeros.none());
    CHECK(ones.any() == (n > 0));
    CHECK(zeros.all() == (n == 0));                                  // like std::bitset<0>::all()
    if (n % 64 != 0) CHECK((ones.data()[n / 64] >> (n % 64)) == 0);  // padding is zero
    CHECK(~zeros == ones);
    CHECK((ones ^ ones) == zeros);
  }
  bits::bitset e;
  CHECK(e.empty());
  CHECK(e.find_first_set() == bits::bitset::npos);
  CHECK(e.find_next_set(0) == bits::bitset::npos);
  CHECK(e.find_last_set() == bits::bitset::npos);
  CHECK(std::ranges::distance(e.set_bits()) == 0);
}

TEST_CASE("bitset: single bits and search at word boundaries", "[bits][bitset]") {
  bits::bitset b(300);
  for (std::size_t i : {0u, 63u, 64u, 127u, 128u, 255u, 299u}) b.set(i);
  CHECK(b.count() == 7);
  CHECK(b.find_first_set() == 0);
  CHECK(b.find_next_set(0) == 63);
  CHECK(b.find_next_set(63) == 64);
  CHECK(b.find_next_set(64) == 127);
  CHECK(b.find_next_set(128) == 255);
  CHECK(b.find_next_set(255) == 299);
  CHECK(b.find_next_set(299) == bits::bitset::npos);
  CHECK(b.find_next_set(5000) == bits::bitset::npos);
  CHECK(b.find_next_set(bits::bitset::npos) == bits::bitset::npos);
  CHECK(b.find_last_set() == 299);
  std::vector<std::size_t> got(b.set_bits().begin(), b.set_bits().end());
  CHECK(got == std::vector<std::size_t>{0, 63, 64, 127, 128, 255, 299});
  b.clear(0).flip(63).set(1, true).reset(299);
  CHECK(b.find_first_set() == 1);
  CHECK(!b.test(63));
  CHECK(b[64]);
  CHECK(b.find_last_set() == 255);
  CHECK(b.at(64));
  CHECK_THROWS_AS((void)b.at(300), std::out_of_range);
  CHECK_THROWS_AS((void)b.at(static_cast<std::size_t>(-1)), std::out_of_range);
}

TEST_CASE("bitset: set bits range works with std::ranges", "[bits][bitset]") {
  bits::bitset b(10000);
  for (std::size_t i = 7; i < 10000; i += 997) b.set(i);
  auto r = b.set_bits();
  CHECK(static_cast<std::size_t>(std::ranges::distance(r)) == b.count());
  CHECK(*std::ranges::find_if(r, [](std::size_t i) { return i > 5000; }) == 5989);
  auto it = r.begin();
  auto old = it++;
  CHECK(*old == 7);
  CHECK(*it == 1004);
  // (No std::views adaptors here: clang 14 cannot compile libstdc++ 12's.)
  CHECK(std::ranges::count_if(r, [](std::size_t i) { return i % 2 == 1; }) ==
        static_cast<std::ptrdiff_t>(std::count_if(r.begin(), r.end(), [](std::size_t i) { return i % 2 == 1; })));
  CHECK(std::ranges::equal(r, std::vector<std::size_t>(r.begin(), r.end())));
}

TEST_CASE("bitset: randomized against a std::vector<bool> model", "[bits][bitset]") {
  // The same property the libFuzzer target runs, on reproducible inputs.
  CHECK(electron::test::fuzz_bytes(electron_fuzz::bitset_ops_property, {.seed = 1, .runs = 1500, .max_size = 400}));
  CHECK(electron::test::fuzz_bytes(electron_fuzz::bitset_ops_property, {.seed = 2, .runs = 200, .max_size = 3000}));
}

TEST_CASE("bitset: randomized binary operations with zero extension", "[bits][bitset]") {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 300; ++round) {
    const std::size_t na = rng() % 400, nb = rng() % 400;
    bits::bitset a(na), b(nb);
    std::vector<bool> ma(na), mb(nb);
    for (std::size_t i = 0; i < na; ++i)
      if (rng() % 3 == 0) a.set(i), ma[i] = true;
    for (std::size_t i = 0; i < nb; ++i)
      if (rng() % 2 == 0) b.set(i), mb[i] = true;
    const std::size_t n = std::max(na, nb);
    auto at = [](const std::vector<bool>& v, std::size_t i) { return i < v.size() && v[i]; };
    const bits::bitset r_and = a & b, r_or = a | b, r_xor = a ^ b;
    bits::bitset r_diff = a;
    r_diff.and_not(b);
    REQUIRE(r_and.size() == n);
    REQUIRE(r_or.size() == n);
    REQUIRE(r_xor.size() == n);
    REQUIRE(r_diff.size() == n);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bad += r_and.test(i) != (at(ma, i) && at(mb, i));
      bad += r_or.test(i) != (at(ma, i) || at(mb, i));
      bad += r_xor.test(i) != (at(ma, i) != at(mb, i));
      bad += r_diff.test(i) != (at(ma, i) && !at(mb, i));
    }
    REQUIRE(bad == 0);
    CHECK((a == b) == (ma == mb));
    CHECK(((a ^ b) == (b ^ a)));
  }
}

TEMPLATE_TEST_CASE_SIG("bitset agrees with std::bitset", "[bits][bitset]", ((std::size_t N), N), 1, 63, 64, 65, 200) {
  std::mt19937_64 rng(N);
  std::bitset<N> s;
  bits::bitset b(N);
  for (int step = 0; step < 2000; ++step) {
    const std::size_t i = rng() % N;
    switch (rng() % 5) {
      case 0:
        s.set(i), b.set(i);
        break;
      case 1:
        s.reset(i), b.clear(i);
        break;
      case 2:
        s.flip(i), b.flip(i);
        break;
      case 3:
        s.flip(), b.flip();
        break;
      default:
        break;
    }
    REQUIRE(b.count() == s.count());
    REQUIRE(b.all() == s.all());
    REQUIRE(b.any() == s.any());
    REQUIRE(b.test(i) == s.test(i));
  }
  std::string from_std = s.to_string(), ours;
  for (std::size_t i = N; i-- > 0;) ours += b.test(i) ? '1' : '0';
  CHECK(ours == from_std);
}

TEST_CASE("bitset: resize and push_back keep bits and padding", "[bits][bitset]") {
  bits::bitset b(70, true);
  b.resize(130, false);
  CHECK(b.count() == 70);
  b.resize(200, true);
  CHECK(b.count() == 140);
  CHECK(!b.test(129));
  CHECK(b.test(130));
  b.resize(65);
  CHECK(b.count() == 65);
  CHECK(b.all());
  b.resize(3);
  CHECK(b.count() == 3);
  CHECK(b.data()[0] == 0b111);
  for (int i = 0; i < 130; ++i) b.push_back(i % 2 == 0);
  CHECK(b.size() == 133);
  CHECK(b.count() == 3 + 65);
  CHECK(b.test(3));
  CHECK(!b.test(4));
}

TEST_CASE("bitset: copy, move, swap", "[bits][bitset]") {
  bits::bitset a(100);
  a.set(5).set(99);
  bits::bitset b = a;
  CHECK(b == a);
  bits::bitset c = std::move(b);
  CHECK(c == a);
  CHECK(b.size() == 0);  // NOLINT(bugprone-use-after-move): moved-from is empty, documented
  CHECK(b.count() == 0);
  bits::bitset d(3);
  swap(c, d);
  CHECK(d == a);
  CHECK(c.size() == 3);
  c = std::move(d);
  CHECK(c == a);
}

TEST_CASE("bitset: read operations do not allocate", "[bits][bitset][alloc]") {
  bits::bitset a(5000), b(5000);
  for (std::size_t i = 0; i < 5000; i += 7) a.set(i);
  b.set(4999);
  std::size_t sink = 0;
  CHECK(check_no_alloc([&] {
    sink += a.count() + a.find_first_set() + a.find_next_set(100) + a.find_last_set();
    for (std::size_t i : a.set_bits()) sink += i;
    sink += static_cast<std::size_t>(a.any()) + static_cast<std::size_t>(a.all()) + static_cast<std::size_t>(a == b) +
            static_cast<std::size_t>(a.test(7));
    a.set(1).clear(1).flip(2);
    a &= b;  // same size: in place
    a |= b;
    a ^= b;
    a.and_not(b);
    a.flip();
  }));
  CHECK(sink > 0);
  electron::test::alloc_scope scope;
  bits::bitset c(1000);
  electron::test::do_not_optimize(c.data());  // or clang may elide the allocation
  const electron::test::alloc_counts counted = scope.counts();
  CHECK(counted.allocations == 1);
  CHECK(counted.bytes_allocated == 16 * sizeof(std::uint64_t));
}

TEST_CASE("bitset: std::pmr allocator", "[bits][bitset][alloc]") {
  std::byte buffer[4096];
  std::pmr::monotonic_buffer_resource arena(buffer, sizeof buffer, std::pmr::null_memory_resource());
  electron::test::alloc_scope scope;
  {
    bits::pmr::bitset b(2000, false, &arena);
    b.set(1999);
    bits::pmr::bitset c(b, &arena);  // allocator-extended copy
    c |= b;
    CHECK(c.count() == 1);
    CHECK(b.get_allocator().resource() == &arena);
  }
  CHECK(scope.allocations() == 0);  // everything came from the buffer
  bits::pmr::bitset too_big(&arena);
  CHECK_THROWS_AS(too_big.resize(1 << 20), std::bad_alloc);  // null upstream: clear error, no UB
}

TEST_CASE("bitset: a size above max_size() throws std::length_error and changes nothing", "[bits][bitset][sizes]") {
  bits::bitset b(100);
  b.set(3).set(99);
  const std::uint64_t* words = b.data();
  CHECK(b.max_size() == static_cast<std::size_t>(PTRDIFF_MAX));
  for (std::size_t n : electron::test::huge_sizes(64)) {
    // Sizes up to max_size() go to std::allocator: tested below with an
    // allocator that refuses them, never by asking the system for terabytes.
    if (n <= b.max_size()) continue;
    CAPTURE(n);
    CHECK_THROWS_AS(bits::bitset(n), std::length_error);
    CHECK_THROWS_AS(bits::bitset(n, true), std::length_error);
    CHECK_THROWS_AS(b.resize(n), std::length_error);
    CHECK_THROWS_AS(b.resize(n, true), std::length_error);
    CHECK_THROWS_AS(b.reserve(n), std::length_error);
    REQUIRE(b.size() == 100);
    REQUIRE(b.data() == words);
    REQUIRE(b.count() == 2);
  }
  CHECK_THROWS_AS(b.resize(b.max_size() + 1), std::length_error);
  b.resize(200, true);
  CHECK(b.count() == 102);
}

TEST_CASE("bitset: a size the allocator refuses leaves the bitset as it was", "[bits][bitset][sizes]") {
  // Small requests come from the buffer, large ones reach the null upstream.
  std::byte buffer[4096];
  std::pmr::monotonic_buffer_resource small(buffer, sizeof buffer, std::pmr::null_memory_resource());
  bits::pmr::bitset b(10, false, &small);
  b.set(2);
  const std::uint64_t* words = b.data();
  for (std::size_t n : electron::test::huge_sizes(64)) {
    CAPTURE(n);
    if (n > b.max_size()) {
      CHECK_THROWS_AS(bits::pmr::bitset(n, false, &small), std::length_error);
      CHECK_THROWS_AS(b.resize(n, true), std::length_error);
      CHECK_THROWS_AS(b.reserve(n), std::length_error);
    } else {
      CHECK_THROWS_AS(bits::pmr::bitset(n, false, &small), std::bad_alloc);
      // Before the fix, resize set the padding bits of the last word to 1
      // before growing, and left them set when the growth threw.
      CHECK_THROWS_AS(b.resize(n, true), std::bad_alloc);
      CHECK_THROWS_AS(b.reserve(n), std::bad_alloc);
    }
    REQUIRE(b.size() == 10);
    REQUIRE(b.data() == words);
    REQUIRE(b.count() == 1);
    REQUIRE(b.find_last_set() == 2);
  }
  b.resize(70, true);
  CHECK(b.count() == 61);
  CHECK(b.find_first_set() == 2);
}

#if ELECTRON_ASSERTS_ENABLED
TEST_CASE("bitset: out-of-range index trips ELECTRON_ASSERT", "[bits][bitset][assert]") {
  const auto st = electron_tests::run_in_child([] {
    bits::bitset b(10);
    b.set(10);
  });
  CHECK(st.signaled);
  CHECK(st.signal == SIGABRT);
}
#endif

// ===========================================================================
// Adversarial use: self-move, a refusing allocator, allocation counts,
// allocators without a default constructor, temporaries
// ===========================================================================
namespace {
// What a refusing_allocator did, shared by its copies.
struct alloc_log {
  std::size_t allocations = 0;
  std::size_t refused = 0;
  std::size_t max_elements = static_cast<std::size_t>(-1);  // larger requests throw std::bad_alloc
};

// A stateful standard allocator that counts its allocations and refuses any
// request above log->max_elements. No default constructor.
template <class T>
class refusing_allocator {
 public:
  using value_type = T;
  explicit refusing_allocator(alloc_log& log) noexcept : m_log(&log) {}
  template <class U>
  refusing_allocator(const refusing_allocator<U>& o) noexcept : m_log(o.log()) {}  // NOLINT: converting
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > m_log->max_elements) {
      ++m_log->refused;
      throw std::bad_alloc();
    }
    ++m_log->allocations;
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>{}.deallocate(p, n); }
  [[nodiscard]] alloc_log* log() const noexcept { return m_log; }
  template <class U>
  friend bool operator==(const refusing_allocator& a, const refusing_allocator<U>& b) noexcept {
    return a.log() == b.log();
  }

 private:
  alloc_log* m_log;
};

using logged_bitset = bits::basic_bitset<refusing_allocator<std::uint64_t>>;

// The same object, out of sight of -Wself-move.
template <class T>
T& same(T& x) noexcept {
  return x;
}

template <class B>
concept set_bits_of_rvalue = requires {
  std::declval<B>().set_bits();
};
}  // namespace

TEST_CASE("bitset: self-move leaves the bitset unchanged", "[bits][bitset][contract]") {
  // Before the fix the size stayed and the words went: test(99) read past
  // the end of an empty vector.
  bits::bitset b(100);
  b.set(5).set(99);
  const bits::bitset want = b;
  b = std::move(same(b));
  CHECK(b.size() == 100);
  CHECK(b.word_count() == 2);
  CHECK(b == want);
  CHECK(b.test(99));
  std::swap(b, b);  // moves b into itself on the way
  CHECK(b == want);

  alloc_log log;
  logged_bitset l(130, true, refusing_allocator<std::uint64_t>(log));  // allocators that only compare equal
  l = std::move(same(l));
  CHECK(l.size() == 130);
  CHECK(l.count() == 130);

  std::byte buffer[1024];
  std::pmr::monotonic_buffer_resource mr(buffer, sizeof buffer, std::pmr::null_memory_resource());
  bits::pmr::bitset p(64, true, &mr);
  p = std::move(same(p));
  CHECK(p.size() == 64);
  CHECK(p.all());
  CHECK(p.count() == 64);
}

TEST_CASE("bitset: resize(n, true) that the allocator refuses changes nothing", "[bits][bitset][contract][alloc]") {
  alloc_log log;
  log.max_elements = 8;  // 512 bits at most
  logged_bitset b(100, true, refusing_allocator<std::uint64_t>(log));
  const std::uint64_t* words = b.data();
  const std::vector<std::uint64_t> before(b.data(), b.data() + b.word_count());
  CHECK_THROWS_AS(b.resize(1000, true), std::bad_alloc);
  CHECK(log.refused == 1);
  CHECK(b.size() == 100);
  CHECK(b.count() == 100);  // not 128: the padding of the last word is still zero
  CHECK(b.data() == words);
  CHECK(std::vector<std::uint64_t>(b.data(), b.data() + b.word_count()) == before);
  CHECK(b.all());
  CHECK_THROWS_AS(b.resize(1000, false), std::bad_alloc);
  CHECK(b.count() == 100);
  b.resize(500, true);  // within the limit: works
  CHECK(b.count() == 500);
  CHECK(b.all());
}

TEST_CASE("bitset: a & b, a | b and a ^ b allocate once", "[bits][bitset][alloc]") {
  alloc_log log;
  const refusing_allocator<std::uint64_t> alloc(log);
  logged_bitset a(1000, false, alloc), b(1000, false, alloc);
  for (std::size_t i = 0; i < 1000; i += 3) a.set(i);
  for (std::size_t i = 0; i < 1000; i += 5) b.set(i);
  const std::size_t base = log.allocations;
  {
    const logged_bitset r = a & b;  // one copy of a, moved out
    CHECK(log.allocations == base + 1);
    CHECK(r.count() == 67);  // multiples of 15 below 1000
  }
  {
    const logged_bitset r = a | b;
    CHECK(log.allocations == base + 2);
    CHECK(r.count() == 334 + 200 - 67);
  }
  {
    const logged_bitset r = a ^ b;
    CHECK(log.allocations == base + 3);
    CHECK(r.count() == 334 + 200 - 2 * 67);
  }
  {
    const logged_bitset r = ~a;
    CHECK(log.allocations == base + 4);
    CHECK(r.count() == 1000 - 334);
  }
  logged_bitset t = a;
  CHECK(log.allocations == base + 5);
  const logged_bitset r = std::move(t) & b;  // a temporary left operand: no allocation at all
  CHECK(log.allocations == base + 5);
  CHECK(r.count() == 67);
}

TEST_CASE("bitset: nothrow default construction follows the allocator's", "[bits][bitset][contract]") {
  // Before the fix, the first of these was a hard compile error: the
  // constructor's noexcept named arena_allocator(), which does not exist.
  STATIC_REQUIRE_FALSE(
      std::is_nothrow_default_constructible_v<bits::basic_bitset<electron::arena::arena_allocator<std::uint64_t>>>);
  STATIC_REQUIRE_FALSE(std::is_nothrow_default_constructible_v<logged_bitset>);
  STATIC_REQUIRE(std::is_nothrow_default_constructible_v<bits::bitset>);
  STATIC_REQUIRE(std::is_nothrow_default_constructible_v<bits::pmr::bitset>);
  electron::arena::arena ar;
  bits::basic_bitset<electron::arena::arena_allocator<std::uint64_t>> b(
      electron::arena::arena_allocator<std::uint64_t>{ar});
  b.resize(100, true);
  CHECK(b.count() == 100);
}

TEST_CASE("bitset: set_bits() of a temporary does not compile", "[bits][bitset][contract]") {
  // `for (auto i : (a & b).set_bits())` read freed memory before C++23 (the
  // temporary died before the loop ran); now it is rejected.
  STATIC_REQUIRE_FALSE(set_bits_of_rvalue<bits::bitset>);
  STATIC_REQUIRE_FALSE(set_bits_of_rvalue<const bits::bitset>);
  STATIC_REQUIRE(set_bits_of_rvalue<bits::bitset&>);
  STATIC_REQUIRE(set_bits_of_rvalue<const bits::bitset&>);
  bits::bitset a(200), b(200);
  a.set(7).set(150).set(199);
  b.set(150).set(199).set(3);
  const bits::bitset both = a & b;  // named: the range refers to it
  std::vector<std::size_t> got;
  for (std::size_t i : both.set_bits()) got.push_back(i);
  CHECK(got == std::vector<std::size_t>{150, 199});
}

TEST_CASE("bitset: words written through data() and clear_unused_bits keep the invariant", "[bitset]") {
  for (const std::size_t n : {1u, 63u, 64u, 65u, 130u}) {
    electron::bits::bitset b(n);
    for (std::size_t w = 0; w < b.word_count(); ++w) b.data()[w] = ~std::uint64_t{0};
    b.clear_unused_bits();
    CHECK(b.count() == n);
    CHECK(b.all());
    CHECK(b == electron::bits::bitset(n, true));
    std::size_t last = 0;
    for (const std::size_t i : b.set_bits()) last = i;
    CHECK(last == n - 1);
  }
  electron::bits::bitset empty;
  empty.clear_unused_bits();
  CHECK(empty.count() == 0);
}
