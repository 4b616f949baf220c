// SPDX-License-Identifier: MIT
// Tests for electron/simd.hpp: every byte kernel (each distinct ISA path the
// compiler flags allow, and the scalar twin) against reference code on every
// length 0..300 and alignment, plus inputs ending at a protected page.
#include "electron/simd.hpp"

#include "byte_paths.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/byte_search_property.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace es = electron::simd;
namespace sd = electron::detail;
using electron::detail::scalar_arch;
using byte = unsigned char;

namespace {

// A reference over a string_view, written independently of the kernels.
std::size_t ref_index(std::string_view s, byte c) {
  const auto it = std::find(s.begin(), s.end(), static_cast<char>(c));
  return it == s.end() ? electron::npos : static_cast<std::size_t>(it - s.begin());
}

std::size_t ref_last_index(std::string_view s, byte c) {
  const auto it = std::find(s.rbegin(), s.rend(), static_cast<char>(c));
  return it == s.rend() ? electron::npos : static_cast<std::size_t>(s.rend() - it) - 1;
}

template <class Arch>
std::string check_arch(Arch arch) {
  std::ostringstream err;
  std::mt19937 rng(17);
  const byte specials[] = {0x00, 0x80, 0xFF, 0x7F, 'a'};
  std::vector<byte> buf(300 + 64 + 64), other(buf.size());
  for (std::size_t off = 0; off < 64 && err.str().empty(); ++off) {
    for (std::size_t n = 0; n <= 300 && err.str().empty(); ++n) {
      // Exactly sized copies, so ASan sees any read past the end.
      std::vector<byte> exact(n);
      byte* p = buf.data() + off;
      const byte c = specials[(n + off) % 5];
      for (std::size_t i = 0; i < n; ++i) {
        byte b = specials[rng() % 5];
        if (rng() % 2) b = static_cast<byte>(rng());
        p[i] = b == c ? static_cast<byte>(c ^ 1) : b;
      }
      if (n != 0) std::memcpy(exact.data(), p, n);
      const std::string_view sv(reinterpret_cast<const char*>(exact.data()), n);
      // index_byte: absent, then present at sampled positions (all for short).
      if (sd::index_byte(arch, exact.data(), n, c) != electron::npos)
        err << "index_byte absent n=" << n << " off=" << off;
      if (sd::index_byte_near(arch, exact.data(), n, c) != electron::npos) {
        err << "index_byte_near absent n=" << n << " off=" << off;
      }
      const std::size_t step = n <= 80 ? 1 : 7;
      for (std::size_t at = 0; at < n; at += step) {
        const byte keep = exact[at];
        exact[at] = c;
        if (sd::index_byte(arch, exact.data(), n, c) != at) err << "index_byte n=" << n << " at=" << at;
        if (sd::index_byte_near(arch, exact.data(), n, c) != at) err << "index_byte_near n=" << n << " at=" << at;
        exact[at] = keep;
      }
      // last_index_byte: absent, then present at sampled positions, then at
      // two positions (the later one wins).
      if (sd::last_index_byte(arch, exact.data(), n, c) != electron::npos) {
        err << "last_index_byte absent n=" << n << " off=" << off;
      }
      for (std::size_t at = 0; at < n; at += step) {
        const byte keep = exact[at];
        exact[at] = c;
        if (sd::last_index_byte(arch, exact.data(), n, c) != at) err << "last_index_byte n=" << n << " at=" << at;
        const std::size_t before = (at * 5) / 7;
        const byte keep_before = exact[before];
        exact[before] = c;
        if (sd::last_index_byte(arch, exact.data(), n, c) != at) {
          err << "last_index_byte two n=" << n << " at=" << at << " before=" << before;
        }
        exact[before] = keep_before;
        exact[at] = keep;
      }
      // count: many matches, compared with the reference.
      std::vector<byte> dense(exact);
      for (std::size_t i = 0; i < n; ++i)
        if (rng() % 3 == 0) dense[i] = c;
      if (sd::count(arch, dense.data(), n, c) != static_cast<std::size_t>(std::count(dense.begin(), dense.end(), c))) {
        err << "count n=" << n << " off=" << off;
      }
      if (sd::index_byte(arch, dense.data(), n, c) !=
          ref_index(std::string_view(reinterpret_cast<const char*>(dense.data()), n), c)) {
        err << "index_byte first of many n=" << n;
      }
      if (sd::index_byte_near(arch, dense.data(), n, c) != sd::index_byte(scalar_arch{}, dense.data(), n, c)) {
        err << "index_byte_near first of many n=" << n;
      }
      if (sd::last_index_byte(arch, dense.data(), n, c) !=
          ref_last_index(std::string_view(reinterpret_cast<const char*>(dense.data()), n), c)) {
        err << "last_index_byte last of many n=" << n << " off=" << off;
      }
      // equal: same bytes at a different alignment, then one difference per position.
      byte* q = other.data() + (off * 7 % 64);
      if (n != 0) std::memcpy(q, exact.data(), n);
      if (!sd::equal(arch, exact.data(), q, n)) err << "equal n=" << n << " off=" << off;
      for (std::size_t at = 0; at < n; at += step) {
        q[at] ^= 0x80;
        if (sd::equal(arch, exact.data(), q, n)) err << "unequal n=" << n << " at=" << at;
        q[at] ^= 0x80;
      }
      // find: needles cut from the haystack, mutated ones, and absent ones.
      if (off % 8 == 0) {
        for (std::size_t m = 0; m <= 20 && m <= n + 1; ++m) {
          std::string needle;
          if (m <= n) {
            const std::size_t from = n == m ? 0 : rng() % (n - m + 1);
            needle.assign(sv.substr(from, m));
          } else {
            needle.assign(m, 'x');
          }
          for (int variant = 0; variant < 3; ++variant) {
            if (variant == 1 && !needle.empty()) needle.back() = static_cast<char>(needle.back() ^ 1);
            if (variant == 2 && needle.size() > 2) needle[needle.size() / 2] = static_cast<char>(0xFF);
            const std::size_t want = sv.find(needle);
            const std::size_t got = sd::find(arch, exact.data(), n, reinterpret_cast<const byte*>(needle.data()), m);
            if (got != (want == std::string_view::npos ? electron::npos : want)) err << "find n=" << n << " m=" << m;
          }
        }
      }
    }
  }
  return err.str();
}

}  // namespace

namespace {
// last_index_byte past 300 bytes: from 8 vectors on (512 bytes on
// AVX-512BW) it switches to loads ending at aligned addresses, so lengths
// up to 1100 at 64 alignments, with matches at the ends, around every
// vector boundary from the end and at random places.
template <class Arch>
std::string check_last_long(Arch arch) {
  std::ostringstream err;
  std::mt19937 rng(5);
  std::vector<byte> buf(1100 + 64);
  for (auto& b : buf) b = static_cast<byte>('a' + rng() % 26);
  for (std::size_t off = 0; off < 64 && err.str().empty(); ++off) {
    for (std::size_t n = 0; n <= 1100 && err.str().empty(); n += (n < 600 ? 1 : 3)) {
      byte* p = buf.data() + off;
      if (sd::last_index_byte(arch, p, n, '#') != electron::npos) err << "absent n=" << n << " off=" << off;
      std::size_t probes[8] = {0, n - 1, n / 2, rng() % (n + 1), n - 64, n - 65, n - 129, n - 257};
      for (const std::size_t at : probes) {
        if (at >= n) continue;
        p[at] = '#';
        if (sd::last_index_byte(arch, p, n, '#') != at) err << "n=" << n << " off=" << off << " at=" << at;
        p[at] = static_cast<byte>('a' + at % 26);
      }
    }
  }
  return err.str();
}

// index_byte and count past 300 bytes: from 8 vectors on (512 bytes on
// AVX-512BW) they read one unaligned vector, then vectors from the next
// aligned address on; count's per-lane 8-bit counters are summed before 255
// steps of 4 vectors. Lengths up to 1100 at 64 alignments, with matches
// around the first aligned address and vector boundaries; then inputs long
// enough for several counter flushes, all of them matches (every lane
// counts every step), against std::count.
template <class Arch>
std::string check_forward_long(Arch arch) {
  std::ostringstream err;
  std::mt19937 rng(11);
  std::vector<byte> buf(1100 + 64);
  for (auto& b : buf) b = static_cast<byte>('a' + rng() % 26);
  for (std::size_t off = 0; off < 64 && err.str().empty(); ++off) {
    byte* p = buf.data() + off;
    const std::size_t aligned = 64 - (reinterpret_cast<std::uintptr_t>(p) & 63);  // first 64-aligned index (1..64)
    for (std::size_t n = 0; n <= 1100 && err.str().empty(); n += (n < 600 ? 1 : 3)) {
      if (sd::index_byte(arch, p, n, '#') != electron::npos) err << "absent n=" << n << " off=" << off;
      if (sd::count(arch, p, n, '#') != 0) err << "count absent n=" << n << " off=" << off;
      const std::size_t probes[12] = {
          0, 1, 15, 16, 31, 32, aligned - 1, aligned % 64, aligned + 1, n / 2, rng() % (n + 1), n - 1};
      for (const std::size_t at : probes) {
        if (at >= n) continue;
        p[at] = '#';
        if (sd::index_byte(arch, p, n, '#') != at) err << "n=" << n << " off=" << off << " at=" << at;
        if (sd::count(arch, p, n, '#') != 1) err << "count n=" << n << " off=" << off << " at=" << at;
        p[at] = static_cast<byte>('a' + at % 26);
      }
      const byte c = static_cast<byte>('a' + n % 26);
      if (sd::count(arch, p, n, c) != static_cast<std::size_t>(std::count(p, p + n, c))) {
        err << "count dense n=" << n << " off=" << off;
      }
    }
  }
  // Several flushes of the 8-bit counters: 4 vectors x 255 steps is 16 KiB
  // (SSE2, NEON) to 64 KiB (AVX-512BW). Exactly sized, so that ASan sees a
  // read past the end; the start moves through 16 alignments.
  for (const std::size_t len : {std::size_t{16 * 1024 + 5}, std::size_t{70'000}, std::size_t{300'001}}) {
    std::vector<byte> all(len, 'x');
    for (std::size_t off = 0; off < 64 && err.str().empty(); off += 5) {
      const std::size_t n = len - off;
      if (sd::count(arch, all.data() + off, n, 'x') != n) err << "count all n=" << n << " off=" << off;
      all[len - 1] = 'y';
      if (sd::count(arch, all.data() + off, n, 'x') != n - 1) err << "count all but one n=" << n << " off=" << off;
      if (sd::index_byte(arch, all.data() + off, n, 'y') != n - 1) err << "index last n=" << n << " off=" << off;
      all[len - 1] = 'x';
    }
  }
  return err.str();
}
}  // namespace

TEST_CASE("index_byte and count on long inputs: every path against references", "[simd][kernels]") {
  CHECK(check_forward_long(scalar_arch{}).empty());
#if ELECTRON_SIMD_BYTE_KERNELS
  for_each_byte_path([&](auto arch) {
    const std::string e = check_forward_long(arch);
    INFO("kernels of " << sd::byte_arch<decltype(arch)>::name() << ": " << e);
    CHECK(e.empty());
  });
#endif
}

TEST_CASE("last_index_byte on long inputs: every path against the scalar twin", "[simd][kernels]") {
  CHECK(check_last_long(scalar_arch{}).empty());
#if ELECTRON_SIMD_BYTE_KERNELS
  for_each_byte_path([&](auto arch) {
    const std::string e = check_last_long(arch);
    INFO("kernels of " << sd::byte_arch<decltype(arch)>::name() << ": " << e);
    CHECK(e.empty());
  });
#endif
}

TEST_CASE("simd kernels: scalar twin against references", "[simd][kernels]") {
  const std::string e = check_arch(scalar_arch{});
  INFO(e);
  CHECK(e.empty());
}

#if ELECTRON_SIMD_BYTE_KERNELS
TEST_CASE("simd kernels: every ISA path the flags allow against references", "[simd][kernels]") {
  const std::set<std::string> paths = for_each_byte_path([&](auto arch) {
    const std::string e = check_arch(arch);
    INFO("kernels of " << sd::byte_arch<decltype(arch)>::name() << ": " << e);
    CHECK(e.empty());
  });
  // The public functions use one of the tested paths, and the one expected
  // for the target: the vector kernels really run.
  CHECK(paths.count(default_byte_path()) == 1);
#if defined(__aarch64__)
  CHECK(default_byte_path() == xsimd::neon64::name());
#elif defined(__AVX512BW__)
  CHECK(default_byte_path() == xsimd::avx512bw::name());
#elif defined(__AVX2__)
  CHECK(default_byte_path() == xsimd::avx2::name());
#else
  CHECK(default_byte_path() == xsimd::sse2::name());
#endif
}

namespace {
// to_mask: one bit per true lane at lane << lane_shift, for every single lane
// and for random patterns; first_lane and lane_count read it back.
template <class Arch>
std::string check_to_mask(Arch) {
  using A = sd::byte_arch<Arch>;
  constexpr std::size_t w = sd::bytes<A>::size;
  std::ostringstream err;
  std::mt19937 rng(9);
  alignas(64) byte lanes[w];
  auto expect = [&] {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < w; ++i)
      if (lanes[i] == 0xFF) m |= std::uint64_t{1} << (i << sd::lane_shift<A>);
    return m;
  };
  for (int round = -1; round < static_cast<int>(w) + 200; ++round) {
    for (std::size_t i = 0; i < w; ++i) {
      lanes[i] = round < 0                     ? 0
                 : round < static_cast<int>(w) ? (i == static_cast<std::size_t>(round) ? 0xFF : 0)
                                               : (rng() % 2 ? 0xFF : static_cast<byte>(rng() % 255));
    }
    const std::uint64_t got = sd::to_mask<A>(sd::bytes<A>::load_aligned(lanes) == sd::bytes<A>(0xFF));
    const std::uint64_t want = expect();
    if (got != want) err << "round " << round << ": mask " << got << " want " << want << "; ";
    std::size_t set = 0, first = w;
    for (std::size_t i = w; i-- > 0;) {
      if (lanes[i] == 0xFF) {
        ++set;
        first = i;
      }
    }
    if (sd::lane_count(got) != set) err << "round " << round << ": lane_count; ";
    if (set != 0 && sd::first_lane<A>(got) != first) err << "round " << round << ": first_lane; ";
  }
  return err.str();
}
}  // namespace

TEST_CASE("simd kernels: the compare-to-bit-mask shim of every path", "[simd][kernels]") {
  for_each_byte_path([&](auto arch) {
    const std::string e = check_to_mask(arch);
    INFO("kernels of " << sd::byte_arch<decltype(arch)>::name() << ": " << e);
    CHECK(e.empty());
  });
}
#endif

namespace {
// Two pages; `guard_after` protects the second (inputs end at the boundary),
// otherwise the first (inputs start at the boundary).
struct guarded_page {
  std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  byte* base = nullptr;
  explicit guarded_page(bool guard_after) {
    void* m = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    base = static_cast<byte*>(m);
    REQUIRE(mprotect(guard_after ? base + page : base, page, PROT_NONE) == 0);
  }
  ~guarded_page() { munmap(base, 2 * page); }
  byte* ending_at_boundary(std::size_t n) const { return base + page - n; }
  byte* starting_at_boundary() const { return base + page; }
};

template <class Arch>
void run_all_at(Arch arch, const byte* p, const byte* q, std::size_t n) {
  static volatile std::size_t sink = 0;
  sink = sink + sd::index_byte(arch, p, n, 0x42) + sd::index_byte_near(arch, p, n, 0x42) +
         sd::last_index_byte(arch, p, n, 0x42) + sd::count(arch, p, n, 0x42) +
         static_cast<std::size_t>(sd::equal(arch, p, q, n));
  const byte needle[17] = {0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x42};
  for (std::size_t m = 1; m <= 17; ++m) sink = sink + sd::find(arch, p, n, needle, m);
  for (std::size_t k = 1; k <= 9; ++k) sink = sink + sd::index_any(arch, p, n, needle, k);
}
template <class Arch>
void page_boundaries(Arch arch) {
  guarded_page after(true), before(false), other(true);
  for (std::size_t n = 0; n <= 1100; n += (n < 300 ? 1 : 7)) {
    byte* p = after.ending_at_boundary(n);
    byte* q = other.ending_at_boundary(n);
    std::memset(p, 0x41, n);
    std::memset(q, 0x41, n);
    run_all_at(arch, p, q, n);  // a read past the end faults here
    byte* s = before.starting_at_boundary();
    std::memset(s, 0x41, n);
    run_all_at(arch, s, q, n);  // a read before the start faults here
  }
}
}  // namespace

TEST_CASE("simd kernels never read outside their input (guard pages)", "[simd][kernels]") {
  page_boundaries(scalar_arch{});
#if ELECTRON_SIMD_BYTE_KERNELS
  for_each_byte_path([&](auto arch) { page_boundaries(arch); });
#endif
  SUCCEED("no fault");
}

TEST_CASE("simd public functions: string and byte overloads", "[simd]") {
  const std::string s = "hello, world: the quick brown fox jumps over the lazy dog";
  const auto b = std::as_bytes(std::span<const char>(s.data(), s.size()));
  CHECK(es::index_byte(s, 'w') == 7);
  CHECK(es::index_byte(b, std::byte{'w'}) == 7);
  CHECK(es::index_byte(s, '#') == electron::npos);
  CHECK(es::last_index_byte(s, 'o') == s.rfind('o'));
  CHECK(es::last_index_byte(b, std::byte{'o'}) == s.rfind('o'));
  CHECK(es::last_index_byte(s, 'h') == s.rfind('h'));
  CHECK(es::last_index_byte(s, '#') == electron::npos);
  CHECK(es::last_index_byte("", 'a') == electron::npos);
  CHECK(es::last_index_byte("a", 'a') == 0);
  const std::string high = "\x80x\xFFy\x80";
  CHECK(es::last_index_byte(high, '\x80') == 4);
  CHECK(es::last_index_byte(high, '\xFF') == 2);
  CHECK(es::count(s, 'o') == 6);
  CHECK(es::count(b, std::byte{'o'}) == 6);
  CHECK(es::find(s, "lazy") == s.find("lazy"));
  CHECK(es::find(b, std::as_bytes(std::span<const char>("fox", 3))) == s.find("fox"));
  CHECK(es::find(s, "") == 0);
  CHECK(es::find("", "a") == electron::npos);
  CHECK(es::contains(s, "brown"));
  CHECK_FALSE(es::contains(s, "browne"));
  CHECK(es::equal(s, s));
  CHECK_FALSE(es::equal(s, std::string_view(s).substr(1)));
  CHECK(es::equal(b, b));
  CHECK(es::has_avx2() == electron::cpu().avx2);
  CHECK(es::has_sse42() == electron::cpu().sse42);
}

TEST_CASE("find stays correct on adversarial input", "[simd]") {
  // Every position passes the first/last-byte filter: verification is
  // budgeted, then a linear-time search finishes the job.
  const std::string hay(200000, 'a');
  std::string needle(1000, 'a');
  needle.back() = 'b';
  CHECK(es::find(hay, needle) == electron::npos);
  std::string hay2 = hay + needle;
  CHECK(es::find(hay2, needle) == hay.size());
  needle.front() = 'b';
  needle.back() = 'a';
  CHECK(es::find(hay2, needle) == std::string_view(hay2).find(needle));
  const std::string periodic = [] {
    std::string r;
    for (int i = 0; i < 20000; ++i) r += "abaab";
    return r;
  }();
  CHECK(es::find(periodic, "abaababaabaab") == periodic.find("abaababaabaab"));
  CHECK(es::find(periodic, "abaababaabaabb") == electron::npos);
}

TEST_CASE("byte searches agree with std on random inputs (the libFuzzer property)", "[simd][fuzz]") {
  // find, contains, index_byte, count, equal and strings::index_any /
  // contains_any, with needles cut from the haystack and near misses.
  CHECK(electron::test::fuzz_bytes(electron_fuzz::byte_search_property, {.seed = 1, .runs = 4000, .max_size = 400}));
  CHECK(electron::test::fuzz_bytes(electron_fuzz::byte_search_property, {.seed = 2, .runs = 300, .max_size = 3000}));
}

TEST_CASE("batch_hash and batch_compare", "[simd][batch]") {
  const std::vector<std::string_view> keys = {"", "a", "hello", "a much longer key, more than 32 bytes long", "x"};
  std::vector<std::uint64_t> out(keys.size());
  es::batch_hash(keys, out, 3);
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(out[i] == electron::hash::xxhash64(keys[i], 3));
  CHECK(es::batch_hash(keys) ==
        std::vector<std::uint64_t>{electron::hash::xxhash64(keys[0]), electron::hash::xxhash64(keys[1]),
                                   electron::hash::xxhash64(keys[2]), electron::hash::xxhash64(keys[3]),
                                   electron::hash::xxhash64(keys[4])});
  const std::string_view hay = "GET /index.html HTTP/1.1\r\nHost: example\r\n";
  const std::vector<std::string_view> needles = {"GET", "POST", "Host:", "\r\n", "", "html HTTP/2"};
  bool res[6] = {};
  es::batch_compare(needles, hay, res);
  CHECK((res[0] && !res[1] && res[2] && res[3] && res[4] && !res[5]));
  CHECK(es::batch_compare(needles, hay) == std::vector<bool>{true, false, true, true, true, false});
  CHECK(electron::test::check_no_alloc([&] {
    es::batch_hash(keys, out);
    es::batch_compare(needles, hay, res);
  }));
}

namespace {
// A hasher of the user's own (FNV-1a, 64-bit): batch_hash takes any hash::hasher.
struct fnv1a_hasher {
  std::uint64_t basis = 0xcbf29ce484222325ULL;
  std::uint64_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = basis;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
  }
};
// One that may throw: the overload's noexcept follows the hasher's.
struct throwing_hasher {
  std::size_t operator()(std::string_view s) const { return s.size(); }
};
}  // namespace

static_assert(electron::hash::hasher<fnv1a_hasher> && electron::hash::hasher<throwing_hasher>);
static_assert(noexcept(es::batch_hash(std::span<const std::string_view>{}, std::span<std::uint64_t>{},
                                      fnv1a_hasher{})));
static_assert(!noexcept(es::batch_hash(std::span<const std::string_view>{}, std::span<std::uint64_t>{},
                                       throwing_hasher{})));

TEST_CASE("batch_hash over any hasher: the user's own, std::hash and Electron's", "[simd][batch][hash]") {
  std::mt19937_64 rng(11);
  std::vector<std::string> store;
  for (std::size_t n = 0; n < 300; ++n) {  // every length 0..299, random bytes
    std::string k(n, '\0');
    for (auto& c : k) c = static_cast<char>(rng());
    store.push_back(std::move(k));
  }
  const std::vector<std::string_view> keys(store.begin(), store.end());
  std::vector<std::uint64_t> out(keys.size() + 1, 7);  // one spare: left alone
  const fnv1a_hasher fnv{12345};
  es::batch_hash(keys, out, fnv);
  for (std::size_t i = 0; i < keys.size(); ++i) REQUIRE(out[i] == fnv(keys[i]));
  CHECK(out.back() == 7);
  CHECK(es::batch_hash(keys, fnv) == std::vector<std::uint64_t>(out.begin(), out.end() - 1));
  const std::hash<std::string_view> std_hash;
  const auto by_std = es::batch_hash(keys, std_hash);
  REQUIRE(by_std.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) REQUIRE(by_std[i] == std_hash(keys[i]));
  // The seed overloads stay XXH64; the Electron hashers give their functions.
  const auto xxh3 = es::batch_hash(keys, electron::hash::xxh3_64_hasher{5});
  const auto xxh64 = es::batch_hash(keys, 5);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(xxh3[i] == static_cast<std::size_t>(electron::hash::xxh3_64(keys[i], 5)));
    REQUIRE(xxh64[i] == electron::hash::xxhash64(keys[i], 5));
  }
  // Nothing, for no keys; and the span form allocates nothing.
  CHECK(es::batch_hash(std::span<const std::string_view>{}, fnv).empty());
  CHECK(electron::test::check_no_alloc([&] { es::batch_hash(keys, out, fnv); }));
}

static_assert(noexcept(es::find(std::string_view{}, std::string_view{})) && noexcept(es::count(std::string_view{},
                                                                                               'a')));
static_assert(noexcept(es::last_index_byte(std::string_view{}, 'a')));
