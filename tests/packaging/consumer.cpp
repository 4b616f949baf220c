// SPDX-License-Identifier: MIT
// A program as a user writes it, built against Electron in each of the three
// ways it is delivered (find_package, FetchContent, single header).
#include <electron/electron.hpp>

#include <cstdio>

int main() {
  if (const auto c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "%s\n", c.message());
    return 2;
  }
  electron::bits::bitset b(1000);
  for (std::size_t i = 0; i < 1000; i += 10) b.set(i);
  std::size_t sum = 0;
  for (std::size_t i : b.set_bits()) sum += i;
  const bool ok = b.count() == 100 && sum == 49500 && b.find_next_set(990) == electron::bits::bitset::npos &&
                  electron::bits::round_up_pow2(1000u) == 1024u;
  std::printf("consumer: electron %s, kernels %s: %s\n", ELECTRON_VERSION_STRING, electron::simd_arch_name.data(),
              ok ? "ok" : "WRONG RESULTS");
  return ok ? 0 : 1;
}
