// SPDX-License-Identifier: MIT
// Compiled once per variant (ELECTRON_ODR_VARIANT), each with its own flags
// and configuration macros.
#include "electron/bits.hpp"
#include "electron/cpu.hpp"
#include "electron/hash.hpp"
#include "electron/lockfree.hpp"
#include "odr_report.hpp"

#define ELECTRON_ODR_FN ELECTRON_PP_CAT(odr_report_, ELECTRON_ODR_VARIANT)

namespace {
template <class F>
const void* address_of(F f) {
  // Function pointers and member function pointers alike: copy the bytes of
  // the pointer's first word, which is the code address on the Itanium ABI.
  const void* p = nullptr;
  static_assert(sizeof(F) >= sizeof(p));
  __builtin_memcpy(&p, &f, sizeof(p));
  return p;
}
}  // namespace

odr_report ELECTRON_ODR_FN() {
  electron::bits::bitset b(1000);
  for (std::size_t i = 0; i < 1000; i += 3) b.set(i);
  int sum = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) sum += electron::bits::popcount(i * 0x9e3779b97f4a7c15ULL);
  electron::lockfree::mpmc_queue<std::uint64_t> q(64);
  std::uint64_t queue_sum = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    q.push(i);
    queue_sum += q.pop();
  }
  static char text[3000];
  for (std::size_t i = 0; i < sizeof text; ++i) text[i] = static_cast<char>(i);
  return odr_report{ELECTRON_PP_STR(ELECTRON_ODR_VARIANT),
                    electron::simd_arch_name,
                    electron::abi_namespace,
                    address_of(&electron::bits::bitset::count),
                    address_of(&electron::bits::popcount<std::uint64_t>),
                    address_of(&electron::cpu),
                    address_of(&electron::lockfree::detail::process_wide_barrier),
                    b.count(),
                    b.find_next_set(500),
                    sum,
                    queue_sum,
                    address_of(&electron::hash::detail::xxh3_long_runtime),
                    electron::hash::xxh3_64(std::string_view(text, sizeof text), 7)};
}
