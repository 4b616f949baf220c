// SPDX-License-Identifier: MIT
// Tests for electron/config.hpp: feature detection, the compile-time choice,
// check_cpu(), assertions.
#include "electron/config.hpp"

#include "child_process.hpp"
#include "electron/version.hpp"
#include "electron_catch.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <thread>
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
#if ELECTRON_HAS_SIMD
  CHECK(electron::simd_enabled);
  CHECK(electron::simd_arch_name == xsimd::default_arch::name());
  CHECK(electron::simd_width == xsimd::default_arch::alignment());
#else
  CHECK_FALSE(electron::simd_enabled);
  CHECK(electron::simd_arch_name == "scalar");
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
