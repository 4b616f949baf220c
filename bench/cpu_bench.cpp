// SPDX-License-Identifier: MIT
// electron/cpu.hpp against the compiler's facility and a raw CPUID read.
//
// What each row measures (they are not all the same work; see each group):
// - query/*: "does this CPU have AVX2?" once the features are known.
//     electron              electron::cpu().has(feature::avx2): a call to
//                           cpu() (out of line, compiled for the baseline
//                           ISA: a guarded function-local static, then its
//                           address) and the switch in cpu_features::has,
//                           which inlines to one byte load for a constant
//                           feature.
//     electron_field        electron::cpu().avx2: the same without has().
//     electron_feature_set  feature_set::has(feature::avx2) on a set taken
//                           once from cpu().as_set() (a bit test; the call
//                           stays out of line, the set is compiled for the
//                           baseline ISA).
//     builtin_cpu_supports  GCC/Clang's __builtin_cpu_supports("avx2"): a
//                           load of the runtime library's __cpu_model and a
//                           bit test, inlined (after __builtin_cpu_init()
//                           once). Like Electron, it counts AVX2 only if the
//                           OS saves the YMM registers.
//     cpuid                 <cpuid.h>'s __get_cpuid_count(7, 0) and the bit:
//                           no cache, so two CPUID instructions per call
//                           (the maximum-leaf check and leaf 7) and no
//                           XGETBV, i.e. it does not check the OS state.
//   A compiler barrier in every row makes each iteration read the cached
//   state again (otherwise the load could leave the loop).
// - detect/*: a full, uncached detection.
//     electron              electron::detail::detect_cpu_features(): no
//                           public entry point detects again (cpu() caches),
//                           so this is the detail function cpu() calls once:
//                           10 CPUIDs, XGETBV, every row of the table.
//     cpuid_same_leaves     the same 10 CPUIDs through <cpuid.h>'s
//                           __cpuid_count and nothing else: the floor of
//                           the work above, to show what the table costs on
//                           top of the instructions.
//     cpuid_one_leaf        __get_cpuid_count(7, 0): what a program that only
//                           wants AVX2 pays (two CPUIDs, no OS check).
//   __builtin_cpu_init() has no row: after its first call it returns at once
//   (libgcc and compiler-rt both cache), so it cannot be timed again.
// - check_cpu/electron: electron::check_cpu() (compiled_features against
//   cpu(), building a cpu_check); check_cpu_missing/electron:
//   check_cpu_for(every feature, no feature), the failure path that also
//   writes the message naming all of them. Neither the compiler nor
//   the standard library offers a "can this CPU run this binary" check, so
//   these rows have no peer.
// In a virtual machine CPUID traps to the hypervisor, so the CPUID rows there
// are far slower than on bare metal.
#include "bench_util.hpp"
#include "electron/cpu.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define ELECTRON_BENCH_CPU_X86 1
#else
#define ELECTRON_BENCH_CPU_X86 0
#endif

namespace {

using electron_bench::clobber;
using electron_bench::escape;
using electron_bench::keep;

// ---- query -------------------------------------------------------------------
void query_electron(benchmark::State& state) {
  for (auto _ : state) {
    clobber();
    keep(electron::cpu().has(electron::feature::avx2));
  }
  state.SetItemsProcessed(state.iterations());
}

void query_electron_field(benchmark::State& state) {
  for (auto _ : state) {
    clobber();
    keep(electron::cpu().avx2);
  }
  state.SetItemsProcessed(state.iterations());
}

void query_electron_feature_set(benchmark::State& state) {
  electron::feature_set s = electron::cpu().as_set();
  for (auto _ : state) {
    escape(s);  // the set may have changed: has() runs again
    keep(s.has(electron::feature::avx2));
  }
  state.SetItemsProcessed(state.iterations());
}

#if ELECTRON_BENCH_CPU_X86
void query_builtin_cpu_supports(benchmark::State& state) {
  __builtin_cpu_init();
  for (auto _ : state) {
    clobber();
    keep(__builtin_cpu_supports("avx2") != 0);
  }
  state.SetItemsProcessed(state.iterations());
}

// CPUID.(EAX=7, ECX=0):EBX[5] is AVX2 (Intel SDM vol. 2A, CPUID).
bool cpuid_has_avx2(unsigned leaf) noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_count(leaf, 0, &a, &b, &c, &d) == 0) return false;
  return ((b >> 5) & 1u) != 0;
}

void query_cpuid(benchmark::State& state) {
  unsigned leaf = 7;
  for (auto _ : state) {
    escape(leaf);  // clang's __cpuid_count asm is not volatile: keep it in the loop
    keep(cpuid_has_avx2(leaf));
  }
  state.SetItemsProcessed(state.iterations());
}
#endif

// ---- detect ------------------------------------------------------------------
void detect_electron(benchmark::State& state) {
  for (auto _ : state) {
    const electron::cpu_features f = electron::detail::detect_cpu_features();
    keep(f);
  }
  state.SetItemsProcessed(state.iterations());
}

#if ELECTRON_BENCH_CPU_X86
void detect_cpuid_same_leaves(benchmark::State& state) {
  // The maximum-leaf reads electron::detail::read_cpuid starts with, then the
  // table's leaves (taken from the same list, so the two stay in step).
  unsigned zero = 0, ext = 0x80000000u;
  for (auto _ : state) {
    escape(zero);
    escape(ext);
    unsigned a = 0, b = 0, c = 0, d = 0, acc = 0;
    __cpuid_count(zero, 0, a, b, c, d);
    acc ^= a ^ b ^ c ^ d;
    __cpuid_count(ext, 0, a, b, c, d);
    acc ^= a ^ b ^ c ^ d;
    for (const electron::detail::cpuid_query& q : electron::detail::cpuid_queries) {
      __cpuid_count(q.leaf, q.subleaf, a, b, c, d);
      acc ^= a ^ b ^ c ^ d;
    }
    keep(acc);
  }
  state.SetItemsProcessed(state.iterations());
}

void detect_cpuid_one_leaf(benchmark::State& state) {
  unsigned leaf = 7;
  for (auto _ : state) {
    escape(leaf);
    keep(cpuid_has_avx2(leaf));
  }
  state.SetItemsProcessed(state.iterations());
}
#endif

// ---- check_cpu ---------------------------------------------------------------
void check_cpu_electron(benchmark::State& state) {
  for (auto _ : state) {
    clobber();
    const electron::cpu_check c = electron::check_cpu();
    keep(c.ok());
    keep(c.message()[0]);
  }
  state.SetItemsProcessed(state.iterations());
}

void check_cpu_missing_all(benchmark::State& state) {
  electron::feature_set all;
  for (const electron::feature_info& f : electron::feature_table) all.insert(f.id);
  const electron::cpu_features none;  // nothing present: every feature is missing
  for (auto _ : state) {
    escape(all);
    const electron::cpu_check c = electron::check_cpu_for(all, none);
    keep(c.ok());
    keep(c.message()[0]);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(query_electron)->Name("query/electron");
BENCHMARK(query_electron_field)->Name("query/electron_field");
BENCHMARK(query_electron_feature_set)->Name("query/electron_feature_set");
#if ELECTRON_BENCH_CPU_X86
BENCHMARK(query_builtin_cpu_supports)->Name("query/builtin_cpu_supports");
BENCHMARK(query_cpuid)->Name("query/cpuid");
#endif
BENCHMARK(detect_electron)->Name("detect/electron");
#if ELECTRON_BENCH_CPU_X86
BENCHMARK(detect_cpuid_same_leaves)->Name("detect/cpuid_same_leaves");
BENCHMARK(detect_cpuid_one_leaf)->Name("detect/cpuid_one_leaf");
#endif
BENCHMARK(check_cpu_electron)->Name("check_cpu/electron");
BENCHMARK(check_cpu_missing_all)->Name("check_cpu_missing/electron");

BENCHMARK_MAIN();
