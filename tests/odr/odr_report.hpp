// SPDX-License-Identifier: MIT
#ifndef ELECTRON_TESTS_ODR_REPORT_HPP
#define ELECTRON_TESTS_ODR_REPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

// What one TU saw: its compile-time choice, the addresses of inline library
// functions as that TU links them, and results computed with them.
struct odr_report {
  std::string_view variant;
  std::string_view arch_name;
  std::string_view abi_namespace;
  const void* count_fn;      // &electron::bits::bitset::count
  const void* popcount_fn;   // &electron::bits::popcount<std::uint64_t>
  const void* cpu_fn;        // &electron::cpu
  const void* barrier_fn;    // &electron::lockfree::detail::process_wide_barrier
  std::size_t bitset_count;  // bitset with every third of 1000 bits set
  std::size_t first_after_500;
  int popcount_sum;              // sum of popcount(i * 0x9e3779b97f4a7c15) over i < 1000
  std::uint64_t queue_sum;       // 0 + 1 + ... + 999 through an mpmc_queue
  const void* xxh3_long_fn;      // &electron::hash::detail::xxh3_long_runtime (vector or scalar stripe loop)
  std::uint64_t xxh3_long_hash;  // xxh3_64 of 3000 bytes 0, 1, 2, ..., seed 7
};

odr_report odr_report_baseline();
odr_report odr_report_scalar();
odr_report odr_report_nomembarrier();
odr_report odr_report_unknown_simd();
odr_report odr_report_v3();

#endif  // ELECTRON_TESTS_ODR_REPORT_HPP
