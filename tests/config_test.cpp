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

// Run before main(): check_cpu() and cpu() must work from a static
// initialiser (nothing they use waits for dynamic initialisation).
namespace {
const electron::cpu_check g_static_check = electron::check_cpu();
const electron::feature_set g_static_cpu = electron::cpu().as_set();
}  // namespace

#if ELECTRON_ARCH_X86 && (defined(__GNUC__) || defined(__clang__))
TEST_CASE("cpu(): agrees with the compiler's own detection", "[config][cpu]") {
  // __builtin_cpu_supports is an independent implementation (libgcc/compiler-rt).
  __builtin_cpu_init();
  const auto& c = electron::cpu();
#define ELECTRON_TEST_SUPPORTS(field, name)                            \
  do {                                                                 \
    INFO(name);                                                        \
    CHECK(c.field == static_cast<bool>(__builtin_cpu_supports(name))); \
  } while (false)
  ELECTRON_TEST_SUPPORTS(sse3, "sse3");
  ELECTRON_TEST_SUPPORTS(ssse3, "ssse3");
  ELECTRON_TEST_SUPPORTS(sse41, "sse4.1");
  ELECTRON_TEST_SUPPORTS(sse42, "sse4.2");
  ELECTRON_TEST_SUPPORTS(popcnt, "popcnt");
  ELECTRON_TEST_SUPPORTS(avx, "avx");
  ELECTRON_TEST_SUPPORTS(avx2, "avx2");
  ELECTRON_TEST_SUPPORTS(fma, "fma");
  ELECTRON_TEST_SUPPORTS(bmi1, "bmi");
  ELECTRON_TEST_SUPPORTS(bmi2, "bmi2");
  ELECTRON_TEST_SUPPORTS(avx512f, "avx512f");
  ELECTRON_TEST_SUPPORTS(avx512bw, "avx512bw");
  ELECTRON_TEST_SUPPORTS(avx512vl, "avx512vl");
  ELECTRON_TEST_SUPPORTS(avx512dq, "avx512dq");
  ELECTRON_TEST_SUPPORTS(avx512cd, "avx512cd");
  ELECTRON_TEST_SUPPORTS(avx512er, "avx512er");
  ELECTRON_TEST_SUPPORTS(avx512pf, "avx512pf");
  ELECTRON_TEST_SUPPORTS(avx512vbmi, "avx512vbmi");
  ELECTRON_TEST_SUPPORTS(avx512ifma, "avx512ifma");
  ELECTRON_TEST_SUPPORTS(avx5124vnniw, "avx5124vnniw");
  ELECTRON_TEST_SUPPORTS(avx5124fmaps, "avx5124fmaps");
  ELECTRON_TEST_SUPPORTS(avx512vpopcntdq, "avx512vpopcntdq");
  ELECTRON_TEST_SUPPORTS(avx512vbmi2, "avx512vbmi2");
  ELECTRON_TEST_SUPPORTS(gfni, "gfni");
  ELECTRON_TEST_SUPPORTS(vpclmulqdq, "vpclmulqdq");
  ELECTRON_TEST_SUPPORTS(avx512vnni, "avx512vnni");
  ELECTRON_TEST_SUPPORTS(avx512bitalg, "avx512bitalg");
  ELECTRON_TEST_SUPPORTS(sse4a, "sse4a");
  ELECTRON_TEST_SUPPORTS(fma4, "fma4");
  ELECTRON_TEST_SUPPORTS(xop, "xop");
  ELECTRON_TEST_SUPPORTS(aes, "aes");
  ELECTRON_TEST_SUPPORTS(pclmul, "pclmul");
#if !defined(__clang__)
  // g++ 11 and later know every extension by its -m name; clang++ 14 fewer.
  ELECTRON_TEST_SUPPORTS(avx512bf16, "avx512bf16");
  ELECTRON_TEST_SUPPORTS(avx512vp2intersect, "avx512vp2intersect");
  ELECTRON_TEST_SUPPORTS(avx512fp16, "avx512fp16");
  ELECTRON_TEST_SUPPORTS(lzcnt, "lzcnt");
  ELECTRON_TEST_SUPPORTS(movbe, "movbe");
  ELECTRON_TEST_SUPPORTS(f16c, "f16c");
  ELECTRON_TEST_SUPPORTS(rdrnd, "rdrnd");
  ELECTRON_TEST_SUPPORTS(rdseed, "rdseed");
  ELECTRON_TEST_SUPPORTS(adx, "adx");
  ELECTRON_TEST_SUPPORTS(sha, "sha");
  ELECTRON_TEST_SUPPORTS(xsave, "xsave");
  ELECTRON_TEST_SUPPORTS(xsaveopt, "xsaveopt");
  ELECTRON_TEST_SUPPORTS(xsavec, "xsavec");
  ELECTRON_TEST_SUPPORTS(xsaves, "xsaves");
  ELECTRON_TEST_SUPPORTS(fsgsbase, "fsgsbase");
  ELECTRON_TEST_SUPPORTS(clflushopt, "clflushopt");
  ELECTRON_TEST_SUPPORTS(clwb, "clwb");
  ELECTRON_TEST_SUPPORTS(pku, "pku");
  ELECTRON_TEST_SUPPORTS(rdpid, "rdpid");
  ELECTRON_TEST_SUPPORTS(vaes, "vaes");
  ELECTRON_TEST_SUPPORTS(movdiri, "movdiri");
  ELECTRON_TEST_SUPPORTS(movdir64b, "movdir64b");
  ELECTRON_TEST_SUPPORTS(cldemote, "cldemote");
  ELECTRON_TEST_SUPPORTS(serialize, "serialize");
  ELECTRON_TEST_SUPPORTS(tsxldtrk, "tsxldtrk");
  ELECTRON_TEST_SUPPORTS(waitpkg, "waitpkg");
  ELECTRON_TEST_SUPPORTS(avxvnni, "avxvnni");
  ELECTRON_TEST_SUPPORTS(amx_tile, "amx-tile");
  ELECTRON_TEST_SUPPORTS(amx_int8, "amx-int8");
  ELECTRON_TEST_SUPPORTS(amx_bf16, "amx-bf16");
  ELECTRON_TEST_SUPPORTS(prfchw, "prfchw");
  ELECTRON_TEST_SUPPORTS(rtm, "rtm");
  ELECTRON_TEST_SUPPORTS(sgx, "sgx");
  ELECTRON_TEST_SUPPORTS(shstk, "shstk");
  ELECTRON_TEST_SUPPORTS(uintr, "uintr");
  ELECTRON_TEST_SUPPORTS(hreset, "hreset");
  ELECTRON_TEST_SUPPORTS(kl, "kl");
  ELECTRON_TEST_SUPPORTS(widekl, "widekl");
  ELECTRON_TEST_SUPPORTS(wbnoinvd, "wbnoinvd");
  ELECTRON_TEST_SUPPORTS(clzero, "clzero");
  ELECTRON_TEST_SUPPORTS(mwaitx, "mwaitx");
  ELECTRON_TEST_SUPPORTS(ptwrite, "ptwrite");
  ELECTRON_TEST_SUPPORTS(enqcmd, "enqcmd");
  ELECTRON_TEST_SUPPORTS(pconfig, "pconfig");
#endif
#undef ELECTRON_TEST_SUPPORTS
  CHECK_FALSE(c.neon);
  // Implications that hold on every real CPU and OS.
  if (c.avx2) CHECK(c.avx);
  if (c.avx512bw) CHECK(c.avx512f);
  if (c.avx512vl) CHECK(c.avx512f);
  if (c.crc32 || c.sse42) CHECK(c.crc32 == c.sse42);  // one CPUID bit, two -m names
  if (c.abm || c.lzcnt) CHECK(c.abm == c.lzcnt);
}
#endif

TEST_CASE("cpu(), check_cpu(): work from a static initialiser", "[config][cpu]") {
  CHECK(g_static_cpu == electron::cpu().as_set());
  CHECK(g_static_check.ok());
  CHECK(g_static_check.missing() == electron::check_cpu().missing());
}

TEST_CASE("cpu(): one cached value, safe from many threads", "[config][cpu]") {
  const electron::cpu_features* first = &electron::cpu();
  std::vector<std::thread> threads;
  std::vector<electron::feature_set> sets(4);
  std::vector<const electron::cpu_features*> where(4);
  for (std::size_t i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      where[i] = &electron::cpu();
      sets[i] = electron::cpu().as_set();
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(where[i] == first);
    CHECK(sets[i] == first->as_set());
  }
}

TEST_CASE("feature_set: a set of features", "[config][cpu]") {
  using electron::feature;
  using electron::feature_set;
  constexpr feature_set none;
  STATIC_REQUIRE(none.empty());
  STATIC_REQUIRE(none.size() == 0);
  constexpr feature_set ab{feature::avx2, feature::bmi2};
  STATIC_REQUIRE(ab.has(feature::avx2) && ab.has(feature::bmi2) && !ab.has(feature::avx));
  STATIC_REQUIRE(ab.size() == 2);
  // Features in both words (the table has more than 64 rows).
  STATIC_REQUIRE(electron::feature_count > 64);
  const auto last = static_cast<feature>(electron::feature_count - 1);
  feature_set s{feature::sse42, last};
  CHECK(s.has(last));
  CHECK(s.size() == 2);
  CHECK((s | ab).size() == 4);
  CHECK((s & ab).empty());
  CHECK((s | ab) - ab == s);
  CHECK(((s | ab) & ab) == ab);
  CHECK_FALSE(s == ab);
  // A value that is not a feature is never in a set.
  s.insert(static_cast<feature>(electron::feature_count));
  CHECK(s.size() == 2);
  CHECK_FALSE(s.has(static_cast<feature>(200)));
  // Every feature, one at a time, against a reference.
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    feature_set one;
    one.insert(static_cast<feature>(i));
    CHECK(one.size() == 1);
    for (std::size_t j = 0; j < electron::feature_count; ++j) CHECK(one.has(static_cast<feature>(j)) == (i == j));
  }
}

TEST_CASE("cpu_features: as_set and has() agree with the fields", "[config][cpu]") {
  electron::cpu_features f;
  CHECK(f.as_set().empty());
  f.avx2 = true;
  f.neon = true;
  f.avx512vbmi = true;
  CHECK(f.has(electron::feature::avx2));
  CHECK(f.has(electron::feature::neon));
  CHECK(f.has(electron::feature::avx512vbmi));
  CHECK_FALSE(f.has(electron::feature::avx));
  CHECK(f.as_set() ==
        electron::feature_set{electron::feature::avx2, electron::feature::neon, electron::feature::avx512vbmi});
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    CHECK(std::strcmp(electron::feature_name(static_cast<electron::feature>(i)), "?") != 0);
  }
}

TEST_CASE("feature_table: one row per feature, in order, unique names, macros and CPUID bits", "[config][cpu]") {
  STATIC_REQUIRE(std::size(electron::feature_table) == electron::feature_count);
  std::set<std::string_view> names;
  std::set<std::string_view> macros;
  std::set<std::string> bits;
  electron::feature_set all;
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    const electron::feature_info& f = electron::feature_table[i];
    const std::string_view name = f.name;
    const std::string_view macro = f.macro;
    INFO(name);
    CHECK(static_cast<std::size_t>(f.id) == i);
    CHECK_FALSE(name.empty());
    CHECK(macro.substr(0, 2) == "__");
    CHECK(names.insert(name).second);
    CHECK(macros.insert(macro).second);
    CHECK(std::string_view(electron::feature_name(f.id)) == name);
    CHECK(std::string_view("abcd").find(f.cpuid_register) != std::string_view::npos);
    CHECK(f.cpuid_bit < 32);
    // Two rows on one CPUID bit would be a copy-and-paste slip, except for
    // the compilers' aliases: crc32 is part of SSE4.2, abm is LZCNT's bit.
    if (f.cpuid_leaf != 0 && name != "crc32" && name != "abm") {
      const std::string where = std::to_string(f.cpuid_leaf) + "." + std::to_string(f.cpuid_subleaf) + "." +
                                f.cpuid_register + "." + std::to_string(f.cpuid_bit);
      CHECK(bits.insert(where).second);
    }
    all.insert(f.id);
  }
  CHECK(all.size() == electron::feature_count);
  CHECK(std::string_view(electron::feature_name(static_cast<electron::feature>(electron::feature_count))) == "?");
  // Every field of cpu_features is one row: setting the row's field sets its bit only.
  electron::cpu_features f;
  f.sse42 = true;
  CHECK(f.as_set() == electron::feature_set{electron::feature::sse42});
  STATIC_REQUIRE(sizeof(electron::cpu_features) == electron::feature_count);
  // The rows the check covered first keep their positions (append only).
  STATIC_REQUIRE(static_cast<int>(electron::feature::sse42) == 0);
  STATIC_REQUIRE(static_cast<int>(electron::feature::neon) == 11);
}

TEST_CASE("compiled_features: the table's macros agree with #if on each", "[config][cpu]") {
  // An independent reference: one #if per macro, as a build would test them.
  electron::feature_set expect;
  auto bit = [&expect](electron::feature f) { expect.insert(f); };
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
  electron::feature_set first12;
  for (std::size_t i = 0; i < 12; ++i) first12.insert(static_cast<electron::feature>(i));
  CHECK((electron::compiled_features & first12) == expect);
  // A few of the later rows: the AVX-512 family a Skylake-SP lacks part of,
  // and extensions the compilers use without intrinsics.
#if ELECTRON_ARCH_X86
  CHECK(electron::compiled_features.has(electron::feature::avx512vl) == (ELECTRON_PP_STR(__AVX512VL__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::avx512dq) == (ELECTRON_PP_STR(__AVX512DQ__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::avx512vbmi) == (ELECTRON_PP_STR(__AVX512VBMI__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::movbe) == (ELECTRON_PP_STR(__MOVBE__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::f16c) == (ELECTRON_PP_STR(__F16C__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::sse3) == (ELECTRON_PP_STR(__SSE3__)[0] == '1'));
  CHECK(electron::compiled_features.has(electron::feature::cx16) ==
        (ELECTRON_PP_STR(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)[0] == '1'));
#else
  CHECK((electron::compiled_features - electron::feature_set{electron::feature::neon}).empty());
#endif
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
  CHECK(c.missing().empty());
  CHECK(std::string_view(c.message()).empty());
}

TEST_CASE("check_cpu_for(): names every missing feature", "[config][cpu]") {
  using electron::feature;
  const electron::feature_set need{feature::avx2, feature::bmi2, feature::avx512bw, feature::avx512vbmi};
  electron::cpu_features have;
  have.avx2 = true;
  const electron::cpu_check c = electron::check_cpu_for(need, have);
  CHECK_FALSE(c.ok());
  CHECK(c.missing() == electron::feature_set{feature::bmi2, feature::avx512bw, feature::avx512vbmi});
  const std::string msg = c.message();
  CHECK(msg ==
        "this program was compiled for CPU instructions this processor lacks (bmi2, avx512bw, avx512vbmi); "
        "rebuild it without -march=native or for this machine");
  have.bmi2 = have.avx512bw = true;
  CHECK(electron::check_cpu_for(need, have).missing() == electron::feature_set{feature::avx512vbmi});
  have.avx512vbmi = true;
  CHECK(electron::check_cpu_for(need, have).ok());
  CHECK(electron::check_cpu_for(electron::feature_set{}, electron::cpu_features{}).ok());
  // Every feature missing at once: the message names all of them, and its end.
  electron::feature_set every;
  for (std::size_t i = 0; i < electron::feature_count; ++i) every.insert(static_cast<electron::feature>(i));
  const electron::cpu_check all = electron::check_cpu_for(every, electron::cpu_features{});
  CHECK(all.missing() == every);
  const std::string_view text = all.message();
  CHECK(text.size() < sizeof(electron::cpu_check));
  for (const electron::feature_info& f : electron::feature_table) {
    CHECK(text.find(std::string(f.name) + (f.id == static_cast<feature>(electron::feature_count - 1) ? ")" : ",")) !=
          std::string_view::npos);
  }
  CHECK(text.ends_with("for this machine"));
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
  CHECK((electron::compiled_features - electron::cpu().as_set()).empty());
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
