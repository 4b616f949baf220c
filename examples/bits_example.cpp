// SPDX-License-Identifier: MIT
// electron::bits in a few lines: the sieve of Eratosthenes on a bitset.
#include "electron/bits.hpp"

#include <cstdio>

int main() {
  namespace bits = electron::bits;
  constexpr std::size_t limit = 1'000'000;

  bits::bitset composite(limit + 1);
  composite.set(0).set(1);
  for (std::size_t p = 2; p * p <= limit; ++p) {
    if (composite.test(p)) continue;
    for (std::size_t m = p * p; m <= limit; m += p) composite.set(m);
  }
  const bits::bitset primes = ~composite;  // same size, every bit inverted

  std::printf("primes below %zu: %zu\n", limit, primes.count());
  std::printf("first ten:");
  std::size_t shown = 0;
  for (std::size_t p : primes.set_bits()) {
    if (shown++ == 10) break;
    std::printf(" %zu", p);
  }
  std::printf("\nlargest: %zu\n", primes.find_last_set());
  std::printf("table size for 1000 entries: %u\n", bits::round_up_pow2(1000u));
  // pi(10^6) = 78498 (OEIS A006880).
  return primes.count() == 78498 ? 0 : 1;
}
