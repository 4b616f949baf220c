// SPDX-License-Identifier: MIT
// A program as a user writes it, built against Electron in each of the three
// ways it is delivered (find_package, FetchContent, single header). It starts
// threads (sched, sync), so it needs what electron::electron links.
#include <electron/electron.hpp>

#include <atomic>
#include <cstdio>
#include <vector>

int main() {
  if (const auto c = electron::check_cpu(); !c) {
    std::fprintf(stderr, "%s\n", c.message());
    return 2;
  }
  electron::bits::bitset b(1000);
  for (std::size_t i = 0; i < 1000; i += 10) b.set(i);
  std::size_t sum = 0;
  for (std::size_t i : b.set_bits()) sum += i;
  bool ok = b.count() == 100 && sum == 49500 && b.find_next_set(990) == electron::bits::bitset::npos &&
            electron::bits::round_up_pow2(1000u) == 1024u;

  electron::sched::scheduler s(2);
  std::vector<unsigned> v(10000, 1);
  electron::sync::sharded_mutex<8> locks;
  std::atomic<unsigned> locked{0};
  electron::sched::parallel_for(s, std::size_t{0}, v.size(), 256, [&](std::size_t i) {
    v[i] *= 2;
    locks.lock(i);
    locked.fetch_add(1, std::memory_order_relaxed);
    locks.unlock(i);
  });
  unsigned total = 0;
  for (unsigned x : v) total += x;
  ok = ok && total == 20000 && locked.load() == 10000;

  std::printf("consumer: electron %s, kernels %s: %s\n", ELECTRON_VERSION_STRING, electron::simd_arch_name.data(),
              ok ? "ok" : "WRONG RESULTS");
  return ok ? 0 : 1;
}
