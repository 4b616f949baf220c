// SPDX-License-Identifier: MIT
// electron/metrics/detail/process_test_alloc.hpp: makes alloc_stats() read
// electron/test.hpp's allocation counter (for tests and benches that count
// allocations: every field of alloc_statistics is then filled in).
//
//   electron::metrics::use_test_alloc_counter();
//   auto s = electron::metrics::alloc_stats();   // s.source == alloc_source::test_counter
#ifndef ELECTRON_METRICS_DETAIL_PROCESS_TEST_ALLOC_HPP
#define ELECTRON_METRICS_DETAIL_PROCESS_TEST_ALLOC_HPP

#include "electron/config.hpp"
#include "electron/metrics/process.hpp"
#include "electron/test.hpp"

ELECTRON_BEGIN_NAMESPACE
namespace metrics {
namespace detail {
// The counters of the counting operator new; false when it is not installed.
inline bool process_test_alloc_provider(alloc_statistics& s) noexcept {
  if (!test::counting_allocations()) return false;
  const test::alloc_counts c = test::current_alloc_counts(test::scope_threads::all_threads);
  s.source = alloc_source::test_counter;
  s.blocks_total = c.allocations;
  s.bytes_total = c.bytes_allocated;
  s.blocks_in_use = c.allocations >= c.deallocations ? c.allocations - c.deallocations : 0;
  s.bytes_in_use = c.bytes_allocated >= c.bytes_freed ? c.bytes_allocated - c.bytes_freed : 0;
  return true;
}
}  // namespace detail

/// Makes alloc_stats() report the test allocation counter when it is
/// installed (and fall back to the platform's source when it is not).
inline void use_test_alloc_counter() noexcept { set_alloc_stats_provider(&detail::process_test_alloc_provider); }

}  // namespace metrics
ELECTRON_END_NAMESPACE

#endif  // ELECTRON_METRICS_DETAIL_PROCESS_TEST_ALLOC_HPP
