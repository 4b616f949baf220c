// SPDX-License-Identifier: MIT
// Links TUs built for different instruction sets and configuration macros
// and checks that each kept its own copy of Electron's inline functions
// (different ABI namespaces), and that every copy computes the same results.
// Exit 77 = skipped.
#include "electron/config.hpp"
#include "electron/cpu.hpp"
#include "odr_report.hpp"

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace {
int failures = 0;
void expect(bool ok, const char* what, std::string_view a, std::string_view b) {
  if (ok) return;
  ++failures;
  std::printf("FAILED: %s (%.*s vs %.*s)\n", what, static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()),
              b.data());
}
}  // namespace

int main() {
  std::vector<odr_report> reports;
#if defined(ELECTRON_ODR_HAS_BASELINE)
  reports.push_back(odr_report_baseline());
#endif
#if defined(ELECTRON_ODR_HAS_SCALAR)
  reports.push_back(odr_report_scalar());
#endif
#if defined(ELECTRON_ODR_HAS_NOMEMBARRIER)
  reports.push_back(odr_report_nomembarrier());
#endif
#if defined(ELECTRON_ODR_HAS_UNKNOWN_SIMD)
  reports.push_back(odr_report_unknown_simd());
#endif
#if defined(ELECTRON_ODR_HAS_V3)
  const auto& c = electron::cpu();
  if (c.avx2 && c.bmi1 && c.bmi2 && c.fma && c.lzcnt && c.popcnt) {
    reports.push_back(odr_report_v3());
  } else {
    std::printf("this CPU lacks x86-64-v3: the AVX2 TU is not run\n");
  }
#endif
  if (reports.size() < 2) {
    std::printf("fewer than two variants can run here: skipped\n");
    return 77;
  }
  for (const auto& r : reports) {
    std::printf("%-14.*s TU %-40.*s arch %-10.*s count %zu\n", static_cast<int>(r.variant.size()), r.variant.data(),
                static_cast<int>(r.abi_namespace.size()), r.abi_namespace.data(), static_cast<int>(r.arch_name.size()),
                r.arch_name.data(), r.bitset_count);
  }
  // Every pair of variants differs in flags or configuration macros, so every
  // pair must have its own ABI namespace and its own copies.
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (std::size_t j = i + 1; j < reports.size(); ++j) {
      const odr_report& a = reports[i];
      const odr_report& b = reports[j];
      expect(a.abi_namespace != b.abi_namespace, "ABI namespaces differ", a.variant, b.variant);
      // Were the ABI namespace the same, the linker would have merged these
      // inline functions into one copy, compiled with one TU's flags.
      expect(a.count_fn != b.count_fn, "bitset::count copies are distinct", a.variant, b.variant);
      expect(a.popcount_fn != b.popcount_fn, "popcount copies are distinct", a.variant, b.variant);
      expect(a.cpu_fn != b.cpu_fn, "cpu() copies are distinct", a.variant, b.variant);
      expect(a.barrier_fn != b.barrier_fn, "process_wide_barrier copies are distinct", a.variant, b.variant);
      expect(a.xxh3_long_fn != b.xxh3_long_fn, "xxh3 stripe loop copies are distinct", a.variant, b.variant);
    }
  }
  const odr_report& ref = reports.front();
  for (const odr_report& r : reports) {
    expect(r.bitset_count == 334 && r.bitset_count == ref.bitset_count, "bitset::count agrees", r.variant, ref.variant);
    expect(r.first_after_500 == 501 && r.first_after_500 == ref.first_after_500, "find_next_set agrees", r.variant,
           ref.variant);
    expect(r.popcount_sum == ref.popcount_sum, "popcount agrees", r.variant, ref.variant);
    expect(r.queue_sum == 999 * 1000 / 2, "mpmc_queue round trip", r.variant, ref.variant);
    expect(r.xxh3_long_hash == ref.xxh3_long_hash, "xxh3_64 agrees", r.variant, ref.variant);
  }
  std::printf("%s\n", failures == 0 ? "odr: all variants distinct and in agreement" : "odr: FAILED");
  return failures == 0 ? 0 : 1;
}
