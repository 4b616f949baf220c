// SPDX-License-Identifier: MIT
// Tests for electron/config.hpp and electron/cpu.hpp: feature detection, the
// compile-time choice, the ABI namespace, check_cpu(), assertions, checked
// arithmetic.
#include "electron/config.hpp"
#include "electron/cpu.hpp"

#include "child_process.hpp"
#include "electron/detail/simd.hpp"
#include "electron/simd.hpp"
#include "electron/version.hpp"
#include "electron_catch.hpp"

#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#if ELECTRON_HAS_SIMD
#include <xsimd/xsimd.hpp>
#endif

TEST_CASE("version macros agree with each other", "[config]") {
  const std::string expect = std::to_string(ELECTRON_VERSION_MAJOR) + "." + std::to_string(ELECTRON_VERSION_MINOR) +
                             "." + std::to_string(ELECTRON_VERSION_PATCH);
  CHECK(electron::version_string == expect);
  CHECK(ELECTRON_VERSION == ELECTRON_VERSION_MAJOR * 10000 + ELECTRON_VERSION_MINOR * 100 + ELECTRON_VERSION_PATCH);
  const std::string ns = "v" + std::to_string(ELECTRON_VERSION_MAJOR) + "_" + std::to_string(ELECTRON_VERSION_MINOR);
  CHECK(electron::abi_namespace.substr(0, ns.size()) == ns);
}

#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
TEST_CASE("cpu(): agrees with the compiler's own detection", "[config][cpu]") {
  // __builtin_cpu_supports is an independent implementation (libgcc/compiler-rt).
  __builtin_cpu_init();
  const auto& c = electron::cpu();
  CHECK(c.sse42 == static_cast<bool>(__builtin_cpu_supports("sse4.2")));
  CHECK(c.popcnt == static_cast<bool>(__builtin_cpu_supports("popcnt")));
  CHECK(c.avx == static_cast<bool>(__builtin_cpu_supports("avx")));
  CHECK(c.avx2 == static_cast<bool>(__builtin_cpu_supports("avx2")));
  CHECK(c.fma == static_cast<bool>(__builtin_cpu_supports("fma")));
  CHECK(c.bmi1 == static_cast<bool>(__builtin_cpu_supports("bmi")));
  CHECK(c.bmi2 == static_cast<bool>(__builtin_cpu_supports("bmi2")));
  CHECK(c.avx512f == static_cast<bool>(__builtin_cpu_supports("avx512f")));
  CHECK(c.avx512bw == static_cast<bool>(__builtin_cpu_supports("avx512bw")));
  CHECK(c.avx512vpopcntdq == static_cast<bool>(__builtin_cpu_supports("avx512vpopcntdq")));
  CHECK_FALSE(c.neon);
  // Implications that hold on every real CPU and OS.
  if (c.avx2) CHECK(c.avx);
  if (c.avx512bw) CHECK(c.avx512f);
}
#endif

TEST_CASE("cpu(): one cached value, safe from many threads", "[config][cpu]") {
  const electron::cpu_features* first = &electron::cpu();
  std::vector<std::thread> threads;
  std::vector<std::uint32_t> masks(4);
  std::vector<const electron::cpu_features*> where(4);
  for (std::size_t i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      where[i] = &electron::cpu();
      masks[i] = electron::cpu().mask();
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(where[i] == first);
    CHECK(masks[i] == first->mask());
  }
}

TEST_CASE("cpu_features: mask and has() agree with the fields", "[config][cpu]") {
  electron::cpu_features f;
  CHECK(f.mask() == 0);
  f.avx2 = true;
  f.neon = true;
  CHECK(f.has(electron::feature::avx2));
  CHECK(f.has(electron::feature::neon));
  CHECK_FALSE(f.has(electron::feature::avx));
  CHECK(f.mask() ==
        (static_cast<std::uint32_t>(electron::feature::avx2) | static_cast<std::uint32_t>(electron::feature::neon)));
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    CHECK(std::strcmp(electron::feature_name(static_cast<electron::feature>(1u << i)), "?") != 0);
  }
}

TEST_CASE("feature_table: one row per feature, in bit order, unique names and macros", "[config][cpu]") {
  STATIC_REQUIRE(std::size(electron::feature_table) == electron::feature_count);
  std::set<std::string_view> names;
  std::set<std::string_view> macros;
  std::uint32_t all = 0;
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    const electron::feature_info& f = electron::feature_table[i];
    const std::string_view name = f.name;
    const std::string_view macro = f.macro;
    INFO(name);
    CHECK(static_cast<std::uint32_t>(f.id) == (1u << i));
    CHECK_FALSE(name.empty());
    CHECK(macro.substr(0, 2) == "__");
    CHECK(names.insert(name).second);
    CHECK(macros.insert(macro).second);
    CHECK(std::string_view(electron::feature_name(f.id)) == name);
    all |= static_cast<std::uint32_t>(f.id);
  }
  CHECK(all == (electron::feature_count == 32 ? ~0u : (1u << electron::feature_count) - 1));
  CHECK(std::string_view(electron::feature_name(static_cast<electron::feature>(0))) == "?");
  // Every field of cpu_features is one row: setting the row's field sets its bit only.
  electron::cpu_features f;
  f.sse42 = true;
  CHECK(f.mask() == static_cast<std::uint32_t>(electron::feature::sse42));
  STATIC_REQUIRE(sizeof(electron::cpu_features) == electron::feature_count);
}

TEST_CASE("compiled_features: the table's macros agree with #if on each", "[config][cpu]") {
  // An independent reference: one #if per macro, as a build would test them.
  std::uint32_t expect = 0;
  auto bit = [&expect](electron::feature f) { expect |= static_cast<std::uint32_t>(f); };
#if defined(__SSE4_2__)
  bit(electron::feature::sse42);
#endif
#if defined(__POPCNT__)
  bit(electron::feature::popcnt);
#endif
#if defined(__AVX__)
  bit(electron::feature::avx);
#endif
#if defined(__AVX2__)
  bit(electron::feature::avx2);
#endif
#if defined(__FMA__)
  bit(electron::feature::fma);
#endif
#if defined(__BMI__)
  bit(electron::feature::bmi1);
#endif
#if defined(__BMI2__)
  bit(electron::feature::bmi2);
#endif
#if defined(__LZCNT__)
  bit(electron::feature::lzcnt);
#endif
#if defined(__AVX512F__)
  bit(electron::feature::avx512f);
#endif
#if defined(__AVX512BW__)
  bit(electron::feature::avx512bw);
#endif
#if defined(__AVX512VPOPCNTDQ__)
  bit(electron::feature::avx512vpopcntdq);
#endif
#if defined(__ARM_NEON)
  bit(electron::feature::neon);
#endif
  CHECK(electron::compiled_features == expect);
  // The test behind the table: an undefined name stringizes to itself.
  STATIC_REQUIRE_FALSE(
      electron::detail::macro_defined("ELECTRON_TEST_NEVER_DEFINED", ELECTRON_PP_STR(ELECTRON_TEST_NEVER_DEFINED)));
  STATIC_REQUIRE(electron::detail::macro_defined("__cplusplus", ELECTRON_PP_STR(__cplusplus)));
}

TEST_CASE("check_cpu(): passes on the machine that runs the tests", "[config][cpu]") {
  const electron::cpu_check c = electron::check_cpu();
  INFO(c.message());
  CHECK(c.ok());
  CHECK(static_cast<bool>(c));
  CHECK(c.missing() == 0);
  CHECK(std::string_view(c.message()).empty());
}

TEST_CASE("check_cpu_for(): names every missing feature", "[config][cpu]") {
  constexpr std::uint32_t need = static_cast<std::uint32_t>(electron::feature::avx2) |
                                 static_cast<std::uint32_t>(electron::feature::bmi2) |
                                 static_cast<std::uint32_t>(electron::feature::avx512bw);
  electron::cpu_features have;
  have.avx2 = true;
  const electron::cpu_check c = electron::check_cpu_for<need>(have);
  CHECK_FALSE(c.ok());
  CHECK(c.missing() == (static_cast<std::uint32_t>(electron::feature::bmi2) |
                        static_cast<std::uint32_t>(electron::feature::avx512bw)));
  const std::string msg = c.message();
  CHECK(msg.find("bmi2") != std::string::npos);
  CHECK(msg.find("avx512bw") != std::string::npos);
  CHECK(msg.find("avx2") == std::string::npos);
  have.bmi2 = have.avx512bw = true;
  CHECK(electron::check_cpu_for<need>(have).ok());
  // Every feature missing at once still fits the message buffer, terminated.
  const electron::cpu_check all = electron::check_cpu_for<0xFFFu>(electron::cpu_features{});
  CHECK(std::strlen(all.message()) < 256);
  CHECK(std::string_view(all.message()).find("neon") != std::string_view::npos);
}

TEST_CASE("compile-time SIMD choice matches xsimd", "[config][simd]") {
  using arch = electron::detail::default_arch;
#if ELECTRON_HAS_SIMD
  CHECK(electron::simd_enabled);
  CHECK(electron::simd_arch_name == arch::name());
  CHECK(electron::simd_width == arch::alignment());
#if XSIMD_VERSION_MAJOR == 8
  // xsimd 8 knows no architecture above the ones config.hpp lists, so its
  // choice and Electron's are the same (a newer xsimd may rank others above).
  STATIC_REQUIRE(std::is_same_v<arch, xsimd::default_arch>);
#endif
#else
  CHECK_FALSE(electron::simd_enabled);
  CHECK(electron::simd_arch_name == "scalar");
  CHECK(electron::simd_width == 8);
  STATIC_REQUIRE(std::is_same_v<arch, electron::detail::scalar_arch>);
#endif
  // The arch name's tag is part of the ABI namespace.
  CHECK(electron::abi_namespace.find("::") != std::string_view::npos);
  // What the TU requires is what the CPU must have (the tests run here).
  CHECK((electron::compiled_features & ~electron::cpu().mask()) == 0);
}

namespace {
int g_handler_calls = 0;
void counting_handler(const char*, const char*, const char*, int) { ++g_handler_calls; }
}  // namespace

TEST_CASE("set_assert_handler replaces and restores the handler", "[config][assert]") {
  const electron::assert_handler old = electron::set_assert_handler(counting_handler);
  CHECK(old == nullptr);
  CHECK(electron::set_assert_handler(nullptr) == &counting_handler);
  // A failed assertion calls the handler and then aborts, even if it returns.
  const auto st = electron_tests::run_in_child([] {
    electron::set_assert_handler(counting_handler);
    electron::detail::assert_fail("1 == 2", "test", __FILE__, __LINE__);
  });
  CHECK(st.signaled);
  CHECK(st.signal == SIGABRT);
#if ELECTRON_ASSERTS_ENABLED
  const auto st2 = electron_tests::run_in_child([] { ELECTRON_ASSERT(g_handler_calls < 0, "must fail"); });
  CHECK(st2.signaled);
  CHECK(st2.signal == SIGABRT);
#endif
  const auto st3 = electron_tests::run_in_child([] { ELECTRON_ASSERT(g_handler_calls >= 0, "holds"); });
  CHECK_FALSE(st3.signaled);
  CHECK(st3.exit_code == 0);
}

TEST_CASE("cache_line_size is a power of two of at least 64", "[config]") {
  STATIC_REQUIRE((electron::cache_line_size & (electron::cache_line_size - 1)) == 0);
  STATIC_REQUIRE(electron::cache_line_size >= 64);
}

// Built a second time as config_unknown_simd_test, where config.hpp acts as if
// xsimd had enabled only an architecture it does not know.
TEST_CASE("an xsimd architecture config.hpp does not know builds scalar, and the tag says so", "[config][simd]") {
  const bool tagged = electron::abi_namespace.find("unknown_simd") != std::string_view::npos;
#if defined(ELECTRON_DETAIL_TEST_UNKNOWN_XSIMD_ARCH)
  CHECK(tagged);
  CHECK_FALSE(electron::simd_enabled);
  CHECK(electron::simd_arch_name == "scalar");
  STATIC_REQUIRE(ELECTRON_HAS_SIMD == 0);
  STATIC_REQUIRE(std::is_same_v<electron::detail::default_arch, electron::detail::scalar_arch>);
#else
  CHECK_FALSE(tagged);
#endif
  // The public functions work whatever the choice.
  const std::string text(300, 'a');
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string t = text;
    t[i] = 'z';
    CHECK(electron::simd::index_byte(t, 'z') == i);
  }
}

namespace {
namespace ed = electron::detail;

template <class T>
struct overflow_case {
  T a, b;
  bool mul_overflows, add_overflows;
};

// Exact results from a wider type, where there is one.
template <class T>
void check_against_wide(T a, T b) {
  // The exact sum and product in a type twice as wide (or wider).
#if defined(__SIZEOF_INT128__)
  __extension__ using u128 = unsigned __int128;
  using wide = std::conditional_t<(sizeof(T) < sizeof(std::uint64_t)), std::uint64_t, u128>;
#else
  if constexpr (sizeof(T) >= sizeof(std::uint64_t)) return;
  using wide = std::uint64_t;
#endif
  const wide p = static_cast<wide>(static_cast<wide>(a) * b), s = static_cast<wide>(static_cast<wide>(a) + b);
  const wide max = std::numeric_limits<T>::max();
  T out{};
  CHECK(ed::checked_mul<T>(a, b, &out) == (p > max));
  CHECK(out == static_cast<T>(p));
  CHECK(ed::checked_mul_portable<T>(a, b, &out) == (p > max));
  CHECK(out == static_cast<T>(p));
  CHECK(ed::checked_add<T>(a, b, &out) == (s > max));
  CHECK(out == static_cast<T>(s));
  CHECK(ed::checked_add_portable<T>(a, b, &out) == (s > max));
  CHECK(out == static_cast<T>(s));
}

constexpr bool mul_overflows(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  return ed::checked_mul(a, b, &out);
}
constexpr bool mul_overflows_portable(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  return ed::checked_mul_portable<std::size_t>(a, b, &out);
}
constexpr bool add_overflows(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  return ed::checked_add(a, b, &out);
}
constexpr bool add_overflows_portable(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  return ed::checked_add_portable<std::size_t>(a, b, &out);
}
}  // namespace

TEST_CASE("checked_mul and checked_add: the builtin and the portable path agree at the edges", "[config][checked]") {
#if defined(__GNUC__) || defined(__clang__)
  // These compilers have the builtins, so checked_mul below is the builtin
  // path and checked_mul_portable the fallback: both are tested.
  STATIC_REQUIRE(ELECTRON_DETAIL_BUILTIN_OVERFLOW == 1);
#endif
  constexpr std::size_t max = SIZE_MAX;
  constexpr std::size_t half = std::size_t{1} << (std::numeric_limits<std::size_t>::digits / 2);
  const std::vector<overflow_case<std::size_t>> cases = {
      {0, 0, false, false},
      {0, max, false, false},
      {max, 0, false, false},
      {1, max, false, true},
      {max, 1, false, true},
      {2, max / 2, false, false},
      {2, max / 2 + 1, true, false},
      {max / 2 + 1, 2, true, false},
      {half, half, true, false},
      {half - 1, half + 1, false, false},
      {half, half - 1, false, false},
      {max, max, true, true},
      {max - 1, 1, false, false},
      {3, max / 3, false, false},
      {3, max / 3 + 1, true, false},
      {max / 2, max / 2 + 1, true, false},
      {max / 2 + 1, max / 2 + 1, true, true},
  };
  for (const auto& c : cases) {
    INFO(c.a << " op " << c.b);
    std::size_t out = 0, out_portable = 0;
    CHECK(ed::checked_mul(c.a, c.b, &out) == c.mul_overflows);
    CHECK(ed::checked_mul_portable<std::size_t>(c.a, c.b, &out_portable) == c.mul_overflows);
    CHECK(out == static_cast<std::size_t>(c.a * c.b));  // the wrapped product either way
    CHECK(out_portable == out);
    CHECK(ed::checked_add(c.a, c.b, &out) == c.add_overflows);
    CHECK(ed::checked_add_portable<std::size_t>(c.a, c.b, &out_portable) == c.add_overflows);
    CHECK(out == static_cast<std::size_t>(c.a + c.b));
    CHECK(out_portable == out);
    check_against_wide(c.a, c.b);
  }
  // Both paths in constant expressions.
  STATIC_REQUIRE(mul_overflows(max, 2));
  STATIC_REQUIRE(!mul_overflows(max, 1));
  STATIC_REQUIRE(mul_overflows_portable(max, 2));
  STATIC_REQUIRE(!mul_overflows_portable(max / 2, 2));
  STATIC_REQUIRE(add_overflows(max, 1));
  STATIC_REQUIRE(!add_overflows(max - 1, 1));
  STATIC_REQUIRE(add_overflows_portable(max, 1));
  STATIC_REQUIRE(!add_overflows_portable(max, 0));
  // The operand type is the type of *out; bool is not an operand type.
  STATIC_REQUIRE(ed::checked_unsigned<std::uint8_t>);
  STATIC_REQUIRE(ed::checked_unsigned<std::size_t>);
  STATIC_REQUIRE_FALSE(ed::checked_unsigned<bool>);
  STATIC_REQUIRE_FALSE(ed::checked_unsigned<int>);
  STATIC_REQUIRE(noexcept(ed::checked_mul(std::size_t{1}, std::size_t{1}, static_cast<std::size_t*>(nullptr))));
}

TEMPLATE_TEST_CASE("checked_mul and checked_add: every narrow operand pair, random wide ones", "[config][checked]",
                   std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t) {
  using T = TestType;
  constexpr T max = std::numeric_limits<T>::max();
  // Values near 0, near sqrt(max) and near max, crossed.
  std::vector<T> edges;
  const T root = static_cast<T>(T{1} << (std::numeric_limits<T>::digits / 2));
  for (const T base : {T{0}, static_cast<T>(root - 2), static_cast<T>(max - 3)}) {
    for (T d = 0; d < 5; ++d) edges.push_back(static_cast<T>(base + d));
  }
  edges.push_back(static_cast<T>(max / 2));
  edges.push_back(static_cast<T>(max / 2 + 1));
  for (const T a : edges) {
    for (const T b : edges) check_against_wide(a, b);
  }
  // A fixed-seed xorshift over random magnitudes: both halves of the space.
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const int shift_a = static_cast<int>(x % std::numeric_limits<T>::digits);
    const int shift_b = static_cast<int>((x >> 8) % std::numeric_limits<T>::digits);
    const T a = static_cast<T>(static_cast<T>(x >> 16) >> shift_a);
    const T b = static_cast<T>(static_cast<T>(x >> 24) >> shift_b);
    check_against_wide(a, b);
  }
}
