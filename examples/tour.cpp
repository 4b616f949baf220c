// SPDX-License-Identifier: MIT
// The Electron tour: what this machine has, what Electron was compiled for,
// and every implemented module at work. scripts/tour.sh runs it, then the
// side-by-side benchmark summary.
#define ELECTRON_TEST_COUNT_ALLOCATIONS
#include "electron/electron.hpp"
#include "electron/test.hpp"
#include "fuzz/bitset_property.hpp"

#include <chrono>
#include <cstdio>

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  std::printf("  [%s] %s\n", ok ? "ok" : "FAILED", what);
  failures += ok ? 0 : 1;
}
}  // namespace

int main() {
  // First of all: refuse clearly, rather than crash, on a CPU without the
  // instructions this binary was compiled for.
  if (const electron::cpu_check c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "electron tour: %s\n", c.message());
    return 2;
  }

  std::printf("Electron %s  (ABI namespace electron::%s)\n", ELECTRON_VERSION_STRING, electron::abi_namespace.data());
  std::printf("\n== config: this machine and this build\n");
  const auto& cpu = electron::cpu();
  std::printf("  CPU features:");
  for (std::size_t i = 0; i < electron::feature_count; ++i) {
    const auto f = static_cast<electron::feature>(1u << i);
    std::printf(" %s%s", cpu.has(f) ? "+" : "-", electron::feature_name(f));
  }
  std::printf("\n  kernels compiled for: %s (%zu-byte vectors, SIMD %s)\n", electron::simd_arch_name.data(),
              electron::simd_width, electron::simd_enabled ? "on" : "off");

  std::printf("\n== bits: word functions and a dynamic bitset\n");
  namespace bits = electron::bits;
  std::printf(
      "  popcount(0xF0F0) = %d, leading_zeros(1u) = %d, round_up_pow2(1000u) = %u, round_up_pow2(2^63+1) = %llu\n",
      bits::popcount(0xF0F0u), bits::leading_zeros(1u), bits::round_up_pow2(1000u),
      static_cast<unsigned long long>(bits::round_up_pow2((std::uint64_t{1} << 63) + 1)));
  constexpr std::size_t limit = 10'000'000;
  const auto t0 = std::chrono::steady_clock::now();
  bits::bitset composite(limit + 1);
  composite.set(0).set(1);
  for (std::size_t p = 2; p * p <= limit; ++p) {
    if (composite.test(p)) continue;
    for (std::size_t m = p * p; m <= limit; m += p) composite.set(m);
  }
  const bits::bitset primes = ~composite;
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  sieve to 10^7: %zu primes in %.1f ms, the largest %zu\n", primes.count(), ms, primes.find_last_set());
  expect(primes.count() == 664579, "pi(10^7) = 664579 (OEIS A006880)");

  std::printf("\n== test: allocation counter and property checks\n");
  std::size_t sink = 0;
  const auto no_alloc = electron::test::check_no_alloc([&] {
    sink += primes.count();
    for (std::size_t p : primes.set_bits()) sink ^= p;
  });
  expect(static_cast<bool>(no_alloc), "counting and iterating a bitset allocates nothing");
  int* leaked = nullptr;
  const auto leak = electron::test::check_leaks([&] {
    leaked = new int(7);
    electron::test::do_not_optimize(leaked);
  });
  delete leaked;
  std::printf("  a deliberate leak is reported as: %s\n", leak.message.c_str());
  expect(!leak, "check_leaks catches a deliberate leak");
  const auto prop = electron::test::fuzz_bytes(electron_fuzz::bitset_ops_property, {.runs = 300});
  expect(static_cast<bool>(prop), "bitset agrees with a std::vector<bool> model on 300 random programs");

  std::printf("\n%s\n", failures == 0 ? "tour: all checks passed" : "tour: SOME CHECKS FAILED");
  return failures == 0 ? 0 : 1;
}
