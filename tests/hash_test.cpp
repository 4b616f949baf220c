// SPDX-License-Identifier: MIT
// Tests for electron/hash.hpp.
#include "electron/hash.hpp"

#include "child_process.hpp"
#include "electron/test.hpp"
#include "electron_catch.hpp"
#include "fuzz/interner_property.hpp"
#include "fuzz/xxhash_property.hpp"

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <memory_resource>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#if defined(__has_include)
#if __has_include(<boost/unordered/hash_traits.hpp>)
#include <boost/unordered/hash_traits.hpp>
#define ELECTRON_TEST_HAVE_BOOST_HASH_TRAITS 1
#endif
#endif

#if defined(ELECTRON_TEST_HAVE_XXHASH)
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 warns inside its own AVX-512 intrinsics as inlined into libxxhash's
// XXH3 (third-party code, flagged at the point of inlining, so the whole TU).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#define XXH_INLINE_ALL
#include <xxhash.h>
#endif

namespace eh = electron::hash;
namespace et = electron::test;

namespace {
std::span<const std::byte> bytes(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

// SMHasher's VerificationTest (Appleby, SMHasher, KeysetTest.cpp): hash the
// keys {}, {0}, {0,1}, ... {0..254} with seed 256 - length, hash the
// concatenated results with seed 0, and take the first 4 bytes little-endian.
template <class Fn>
std::uint32_t smhasher_verification(Fn hash_into, std::size_t hash_bytes) {
  std::vector<unsigned char> key(256), hashes(256 * hash_bytes), final(hash_bytes);
  for (std::size_t i = 0; i < 256; ++i) {
    key[i] = static_cast<unsigned char>(i);
    hash_into(key.data(), i, static_cast<std::uint32_t>(256 - i), &hashes[i * hash_bytes]);
  }
  hash_into(hashes.data(), hashes.size(), 0, final.data());
  return static_cast<std::uint32_t>(final[0]) | static_cast<std::uint32_t>(final[1]) << 8 |
         static_cast<std::uint32_t>(final[2]) << 16 | static_cast<std::uint32_t>(final[3]) << 24;
}
std::string_view as_sv(const unsigned char* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }
void put64(unsigned char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
}  // namespace

// Published vectors, checked at compile time.
// XXH64 of the empty input, seed 0 (xxHash's own sanity test).
static_assert(eh::xxhash64("") == 0xEF46DB3751D8E999ULL);
// MetroHash64 reference test vectors: the 63-byte digit string, seeds 0 and 1
// (bytes 6B 75 3D AE 06 70 4B AD and 3B 0D 48 1C F4 B9 B8 DF, little-endian).
constexpr std::string_view metro_key = "012345678901234567890123456789012345678901234567890123456789012";
// XXH3_64bits of the empty input, seed 0 (xxHash specification, XXH3 test values).
static_assert(eh::xxh3_64("") == 0x2D06800538D394C2ULL);
static_assert(eh::metro64(metro_key, 0) == 0xAD4B7006AE3D756BULL);
static_assert(eh::metro64(metro_key, 1) == 0xDFB8B9F41C480D3BULL);
// MurmurHash3_x64_128("hello", 0) = cbd8a7b341bd9b02 5b1e906a48ae1d19.
static_assert(eh::murmur3("hello") == 0xcbd8a7b341bd9b02ULL);
static_assert(eh::murmur3_128("hello").high == 0x5b1e906a48ae1d19ULL);

static_assert(eh::hasher<eh::xxh3_64_hasher> && eh::hasher<eh::xxhash64_hasher> && eh::hasher<eh::metro64_hasher> &&
              eh::hasher<eh::murmur3_hasher>);
static_assert(!eh::hasher<int> && !eh::hasher<std::hash<int>>);
static_assert(noexcept(eh::xxhash64(std::string_view{})) && noexcept(eh::murmur3(std::string_view{})));

// xxhash64_state in a constant expression, on clang++ as on g++ (clang++ 14
// rejected this before the fix), equal to the one-shot hash for a split
// inside the buffer, a split across a 32-byte stripe and many stripes.
constexpr std::uint64_t streamed(std::string_view a, std::string_view b, std::uint64_t seed) {
  eh::xxhash64_state st(seed);
  st.update(a).update(b);
  return st.digest();
}
static_assert([] {
  eh::xxhash64_state st;
  st.update("hello, ");
  st.update("world");
  return st.digest();
}() == eh::xxhash64("hello, world"));
static_assert(streamed("hello, ", "world", 0) == eh::xxhash64("hello, world"));
static_assert(streamed("", "", 9) == eh::xxhash64("", 9));
static_assert(streamed("the first twenty-nine bytes..", "and the rest, past one stripe and into the next", 3) ==
              eh::xxhash64("the first twenty-nine bytes..and the rest, past one stripe and into the next", 3));
static_assert(streamed("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "0123456789abcdef01234",
                       5) ==
              eh::xxhash64("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234", 5));

TEST_CASE("hash: SMHasher verification values", "[hash]") {
  // XXH64: 0x024B7CF4, MurmurHash3_x64_128: 0x6384BA69 (SMHasher's table).
  CHECK(smhasher_verification([](const unsigned char* p, std::size_t n, std::uint32_t seed,
                                 unsigned char* out) { put64(out, eh::xxhash64(as_sv(p, n), seed)); },
                              8) == 0x024B7CF4u);
  CHECK(smhasher_verification(
            [](const unsigned char* p, std::size_t n, std::uint32_t seed, unsigned char* out) {
              const eh::hash128 h = eh::murmur3_128(as_sv(p, n), seed);
              put64(out, h.low);
              put64(out + 8, h.high);
            },
            16) == 0x6384BA69u);
}

TEST_CASE("hash: string and byte overloads agree, constexpr and run time agree", "[hash]") {
  std::mt19937_64 rng(3);
  std::string s(300, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  for (std::size_t n = 0; n <= s.size(); ++n) {
    const std::string_view v(s.data(), n);
    REQUIRE(eh::xxhash64(v, n) == eh::xxhash64(bytes(v), n));
    REQUIRE(eh::metro64(v, n) == eh::metro64(bytes(v), n));
    REQUIRE(eh::murmur3(v, n) == eh::murmur3(bytes(v), n));
  }
  constexpr std::uint64_t ct = eh::xxhash64("compile time, a string of more than 32 bytes", 7);
  volatile std::size_t len = 44;  // run time
  CHECK(eh::xxhash64(std::string_view("compile time, a string of more than 32 bytes", len), 7) == ct);
  constexpr std::uint64_t ct_m = eh::murmur3("0123456789abcdefXYZ", 3);
  CHECK(eh::murmur3(std::string_view("0123456789abcdefXYZ", len - 25), 3) == ct_m);
}

#if defined(ELECTRON_TEST_HAVE_XXHASH)
TEST_CASE("xxhash64 is bit-exact with libxxhash's XXH64", "[hash]") {
  std::mt19937_64 rng(11);
  std::vector<char> buf(70000);
  for (auto& c : buf) c = static_cast<char>(rng());
  std::size_t bad = 0;
  for (std::size_t n = 0; n < 600; ++n) {
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}, std::uint64_t{rng()}}) {
      const std::size_t off = n % 7;  // unaligned starts too
      bad += eh::xxhash64(std::string_view(buf.data() + off, n), seed) != XXH64(buf.data() + off, n, seed);
    }
  }
  bad += eh::xxhash64(std::string_view(buf.data(), buf.size()), 5) != XXH64(buf.data(), buf.size(), 5);
  CHECK(bad == 0);
}
#endif

#if defined(ELECTRON_TEST_HAVE_XXHASH)
TEST_CASE("xxh3_64 is bit-exact with libxxhash's XXH3_64bits on every length class", "[hash]") {
  std::mt19937_64 rng(12);
  std::vector<char> buf(70000);
  for (auto& c : buf) c = static_cast<char>(rng());
  std::size_t bad = 0, checked = 0;
  // Every length to 2100 covers 0-3, 4-8, 9-16, 17-128, 129-240 and the
  // long path with two full 1 KiB blocks, a partial block and the last stripe.
  for (std::size_t n = 0; n <= 2100; ++n) {
    const std::size_t off = n % 7;  // unaligned starts too
    const char* p = buf.data() + off;
    const std::string_view v(p, n);
    bad += eh::xxh3_64(v) != XXH3_64bits(p, n);
    bad += eh::xxh3_64(bytes(v)) != XXH3_64bits(p, n);
    for (std::uint64_t seed : {std::uint64_t{1}, ~std::uint64_t{0}, std::uint64_t{rng()}}) {
      bad += eh::xxh3_64(v, seed) != XXH3_64bits_withSeed(p, n, seed);
      ++checked;
    }
  }
  bad += eh::xxh3_64(std::string_view(buf.data(), buf.size()), 9) != XXH3_64bits_withSeed(buf.data(), buf.size(), 9);
  CHECK(checked == 3 * 2101);
  CHECK(bad == 0);
}
#endif

TEST_CASE("xxh3_64 is constexpr and equal at compile time and run time", "[hash]") {
  constexpr std::string_view text =
      "A string long enough to take the long path of XXH3 needs more than two hundred and forty bytes, so this one "
      "goes on for a while: the quick brown fox jumps over the lazy dog, again and again, the quick brown fox jumps "
      "over the lazy dog, and once more for luck.";
  static_assert(text.size() > 240);
  constexpr std::uint64_t ct_long = eh::xxh3_64(text, 42);
  constexpr std::uint64_t ct_mid = eh::xxh3_64(text.substr(0, 200), 3);
  constexpr std::uint64_t ct_short = eh::xxh3_64(text.substr(0, 30));
  volatile std::size_t cut = 200;  // run time
  CHECK(eh::xxh3_64(std::string_view(text.data(), text.size()), 42) == ct_long);
  CHECK(eh::xxh3_64(text.substr(0, cut), 3) == ct_mid);
  CHECK(eh::xxh3_64(text.substr(0, cut - 170)) == ct_short);
#if defined(ELECTRON_TEST_HAVE_XXHASH)
  CHECK(ct_long == XXH3_64bits_withSeed(text.data(), text.size(), 42));
  CHECK(ct_mid == XXH3_64bits_withSeed(text.data(), 200, 3));
#endif
  // Distinct inputs of every short length hash apart (a planted bug in a
  // length class would collide them).
  std::unordered_map<std::uint64_t, std::string> seen;
  for (std::size_t n = 0; n <= 300; ++n) {
    for (char c : {'a', 'b'}) {
      std::string s(n, 'x');
      if (n > 0) s[n / 2] = c;
      const auto [it, fresh] = seen.emplace(eh::xxh3_64(s), s);
      CHECK((fresh || it->second == s));
    }
  }
  // The unseeded overloads (default secret folded in) equal seed 0, at
  // compile time and at run time, on every length class.
  static_assert(eh::xxh3_64(text, 0) == eh::xxh3_64(text) &&
                eh::xxh3_64(text.substr(0, 100), 0) == eh::xxh3_64(text.substr(0, 100)));
  std::size_t unseeded_bad = 0;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string_view v = text.substr(0, n);
    unseeded_bad += eh::xxh3_64(v) != eh::xxh3_64(v, 0);
    unseeded_bad += eh::xxh3_64(bytes(v)) != eh::xxh3_64(bytes(v), 0);
  }
  CHECK(unseeded_bad == 0);
  CHECK(eh::xxh3_64_hasher{}("key") == eh::xxh3_64("key"));
  CHECK(eh::xxh3_64_hasher{7}("key") == eh::xxh3_64("key", 7));
}

// ---- XXH3's stripe loop: every vector kernel against the scalar twin ----------
namespace {
namespace hd = electron::hash::detail;

// 2 KiB plus a spare 64 bytes for the unaligned starts, then a few long inputs.
struct xxh3_case {
  std::size_t len, off;
  std::uint64_t seed;
  std::uint64_t want;  // the scalar twin's value
};
const std::vector<unsigned char>& xxh3_buffer() {
  static const std::vector<unsigned char> b = [] {
    std::mt19937_64 rng(31);
    std::vector<unsigned char> v((1u << 20) + 200);
    for (auto& c : v) c = static_cast<unsigned char>(rng());
    return v;
  }();
  return b;
}
// Every length the stripe loop can take (it needs one whole stripe, 64
// bytes; xxh3_64 sends it only inputs above 240) up to two blocks and a
// partial one, with the start moving through all 64 alignments; seeds 0
// (the default secret), 1, ~0 and a random one (derived secrets). Then
// inputs of about 1 MiB. The expected values come from the scalar twin.
const std::vector<xxh3_case>& xxh3_cases() {
  static const std::vector<xxh3_case> cases = [] {
    std::mt19937_64 rng(32);
    const std::uint64_t seeds[] = {0, 1, ~std::uint64_t{0}, rng()};
    std::vector<xxh3_case> v;
    for (std::size_t n = 64; n <= 2100; ++n) v.push_back({n, n % 64, seeds[n % 4], 0});
    for (std::size_t n : {241u, 1024u, 1025u, 2048u + 63u}) {
      for (std::size_t off = 0; off < 64; ++off) v.push_back({n, off, seeds[off % 4], 0});
    }
    for (std::size_t n : {std::size_t{1} << 20, (std::size_t{1} << 20) + 37, std::size_t{100003}}) {
      for (std::uint64_t s : seeds) v.push_back({n, static_cast<std::size_t>(s % 64), s, 0});
    }
    for (auto& c : v) c.want = hd::xxh3_long(hd::scalar_arch{}, xxh3_buffer().data() + c.off, c.len, c.seed);
    return v;
  }();
  return cases;
}

#if ELECTRON_HAS_SIMD
// Each input is copied to a buffer of exactly its size, so ASan sees a read
// past its end.
template <class Arch, bool Native>
std::string check_xxh3_kernel(Arch arch) {
  std::ostringstream err;
  std::vector<unsigned char> exact;
  std::size_t bad = 0;
  for (const xxh3_case& c : xxh3_cases()) {
    exact.assign(xxh3_buffer().data() + c.off, xxh3_buffer().data() + c.off + c.len);
    const std::uint64_t got = hd::xxh3_long<Arch, Native>(arch, exact.data(), c.len, c.seed);
    if (got != c.want && bad++ < 5) err << " len=" << c.len << " off=" << c.off << " seed=" << c.seed << ";";
  }
  if (bad != 0) err << " " << bad << " mismatches";
  return err.str();
}
#endif
}  // namespace

TEST_CASE("xxh3 stripe loop: the scalar twin at run time", "[hash][xxh3]") {
  // The scalar twin is the reference for the vector kernels below; here it
  // is checked itself, through xxh3_64, against libxxhash when installed, and
  // against a value computed at compile time.
  REQUIRE(xxh3_cases().size() > 2000);
#if defined(ELECTRON_TEST_HAVE_XXHASH)
  std::size_t bad = 0;
  for (const xxh3_case& c : xxh3_cases()) {
    if (c.len <= 240) continue;  // below that XXH3 takes other paths
    bad += c.want != XXH3_64bits_withSeed(xxh3_buffer().data() + c.off, c.len, c.seed);
  }
  CHECK(bad == 0);
#endif
}

#if ELECTRON_HAS_SIMD
TEST_CASE("xxh3 stripe loop: every supported xsimd architecture against the scalar twin", "[hash][xxh3][simd]") {
  std::size_t tested = 0;
  xsimd::supported_architectures::for_each([&](auto arch) {
    using arch_t = decltype(arch);
    const std::string native = check_xxh3_kernel<arch_t, true>(arch);
    INFO("arch " << arch_t::name() << " (kernel width "
                 << sizeof(xsimd::batch<std::uint64_t, hd::xxh3_lane_arch<arch_t>>)
                 << " bytes), intrinsics shims:" << native);
    CHECK(native.empty());
    const std::string generic = check_xxh3_kernel<arch_t, false>(arch);
    INFO("arch " << arch_t::name() << ", generic xsimd forms:" << generic);
    CHECK(generic.empty());
    ++tested;
  });
  CHECK(tested >= 1);
}
TEST_CASE("xxh3_64 runs the stripe loop with the vector kernel of the compiled ISA", "[hash][xxh3][simd]") {
  STATIC_REQUIRE(electron::detail::is_simd_arch<hd::xxh3_kernel_arch>);
  CHECK(std::string(hd::xxh3_kernel_arch::name()) == std::string(electron::simd_arch_name));
  // And xxh3_64 itself agrees with the scalar twin above 240 bytes.
  std::size_t bad = 0;
  for (const xxh3_case& c : xxh3_cases()) {
    if (c.len <= 240) continue;
    const char* p = reinterpret_cast<const char*>(xxh3_buffer().data()) + c.off;
    bad += eh::xxh3_64(std::string_view(p, c.len), c.seed) != c.want;
  }
  CHECK(bad == 0);
}
#else
TEST_CASE("xxh3_64 runs the scalar stripe loop without SIMD", "[hash][xxh3]") {
  STATIC_REQUIRE(std::is_same_v<hd::xxh3_kernel_arch, hd::scalar_arch>);
}
#endif

namespace {
// Bytes made at compile time (a 64-bit LCG, Knuth's MMIX constants).
template <std::size_t N>
constexpr std::array<std::byte, N> lcg_bytes(std::uint64_t x) {
  std::array<std::byte, N> a{};
  for (auto& b : a) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    b = static_cast<std::byte>(x >> 56);
  }
  return a;
}
constexpr auto ct_input = lcg_bytes<2100>(5);
}  // namespace

TEST_CASE("xxh3_64 over two blocks and a partial one: compile time equals run time", "[hash][xxh3]") {
  constexpr std::uint64_t ct0 = eh::xxh3_64(std::span<const std::byte>(ct_input));
  constexpr std::uint64_t ct7 = eh::xxh3_64(std::span<const std::byte>(ct_input), 7);
  std::vector<std::byte> rt(ct_input.begin(), ct_input.end());  // at run time, from the heap
  CHECK(eh::xxh3_64(std::span<const std::byte>(rt)) == ct0);
  CHECK(eh::xxh3_64(std::span<const std::byte>(rt), 7) == ct7);
  CHECK(ct0 != ct7);
#if defined(ELECTRON_TEST_HAVE_XXHASH)
  CHECK(ct0 == XXH3_64bits(rt.data(), rt.size()));
  CHECK(ct7 == XXH3_64bits_withSeed(rt.data(), rt.size(), 7));
#endif
}

TEST_CASE("xxhash64_state equals the one-shot hash for every split", "[hash]") {
  std::mt19937_64 rng(21);
  std::string s(700, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  std::size_t bad = 0;
  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string_view v(s.data(), n);
    const std::uint64_t want = eh::xxhash64(v, 99);
    for (std::size_t cut = 0; cut <= n; ++cut) {  // every two-piece split
      eh::xxhash64_state st(99);
      st.update(v.substr(0, cut)).update(v.substr(cut));
      bad += st.digest() != want;
    }
  }
  for (int round = 0; round < 300; ++round) {  // random many-piece splits, bytes and chars mixed
    const std::size_t n = rng() % s.size();
    eh::xxhash64_state st(static_cast<std::uint64_t>(round));
    std::size_t at = 0;
    while (at < n) {
      const std::size_t k = std::min<std::size_t>(n - at, rng() % 70);
      if (rng() % 2 == 0) {
        st.update(std::string_view(s.data() + at, k));
      } else {
        st.update(bytes(std::string_view(s.data() + at, k)));
      }
      at += k;
    }
    bad += st.digest() != eh::xxhash64(std::string_view(s.data(), n), static_cast<std::uint64_t>(round));
  }
  CHECK(bad == 0);
  eh::xxhash64_state st;
  st.update("abc");
  CHECK(st.digest() == st.digest());  // digest does not change the state
  st.reset(5);
  CHECK(st.digest() == eh::xxhash64("", 5));
}

#if defined(ELECTRON_TEST_HAVE_XXHASH)
namespace {
struct libxxhash {
  std::uint64_t xxh64(const void* p, std::size_t n, std::uint64_t seed) const { return XXH64(p, n, seed); }
  std::uint64_t xxh3_64(const void* p, std::size_t n, std::uint64_t seed) const {
    return XXH3_64bits_withSeed(p, n, seed);
  }
};
}  // namespace
#endif

TEST_CASE("xxhash64_state in random pieces, alignment and overloads (the libFuzzer property)", "[hash][fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::xxhash_property<>{}, {.seed = 1, .runs = 2000, .max_size = 600}));
#if defined(ELECTRON_TEST_HAVE_XXHASH)
  CHECK(et::fuzz_bytes(electron_fuzz::xxhash_property<libxxhash>{}, {.seed = 2, .runs = 2000, .max_size = 600}));
#endif
}

TEST_CASE("hashers work as transparent std::unordered_map hashes", "[hash]") {
  std::unordered_map<std::string, int, eh::xxhash64_hasher, std::equal_to<>> m;
  m["alpha"] = 1;
  m["beta"] = 2;
  CHECK(m.find(std::string_view("beta"))->second == 2);  // no std::string built
  CHECK(m.find("gamma") == m.end());
  eh::xxhash64_hasher seeded{7};
  CHECK(seeded("x") == eh::xxhash64("x", 7));
  CHECK(eh::murmur3_hasher{}("x") == eh::murmur3("x"));
  CHECK(eh::metro64_hasher{}("x") == eh::metro64("x"));
}

TEST_CASE("string_interner: dense ids, lookups, stable views", "[hash][interner]") {
  eh::string_interner in;
  CHECK(in.empty());
  CHECK(in.intern("alice") == eh::intern_result{0, true});
  CHECK(in.intern("bob") == eh::intern_result{1, true});
  CHECK(in.intern("alice") == eh::intern_result{0, false});
  const auto [empty_id, empty_added] = in.intern("");  // structured bindings, like try_emplace
  CHECK(empty_id == 2);
  CHECK(empty_added);
  CHECK(in.size() == 3);
  CHECK(in.at(1) == "bob");
  CHECK(in[2].empty());
  CHECK(in.find("bob") == 1u);
  CHECK_FALSE(in.find("carol").has_value());
  CHECK(in.size() == 3);  // find does not insert
  CHECK_THROWS_AS((void)in.at(3), std::out_of_range);
  CHECK_THROWS_AS((void)in.at(0xFFFFFFFFu), std::out_of_range);
  // Views stay valid (and ids unchanged) while the table grows a lot.
  const std::string_view alice = in.at(0);
  std::vector<std::string> words;
  for (int i = 0; i < 50000; ++i) words.push_back("word-" + std::to_string(i));
  for (std::size_t i = 0; i < words.size(); ++i) REQUIRE(in.intern(words[i]).id == i + 3);
  CHECK(alice.data() == in.at(0).data());
  CHECK(alice == "alice");
  for (std::size_t i = 0; i < words.size(); i += 997) CHECK(in.at(static_cast<std::uint32_t>(i + 3)) == words[i]);
  CHECK(in.memory_bytes() > 0);
}

TEST_CASE("string_interner agrees with a std::unordered_map model", "[hash][interner]") {
  std::mt19937 rng(8);
  eh::basic_string_interner<eh::murmur3_hasher> in;  // any hasher plugs in
  std::unordered_map<std::string, std::uint32_t> model;
  std::vector<std::string> by_id;
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 12, 'a');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 4);  // many repeats and collisions of prefixes
    auto [it, added] = model.emplace(s, static_cast<std::uint32_t>(by_id.size()));
    if (added) by_id.push_back(s);
    REQUIRE(in.intern(s).id == it->second);
  }
  REQUIRE(in.size() == by_id.size());
  for (std::size_t id = 0; id < by_id.size(); ++id) REQUIRE(in.at(static_cast<std::uint32_t>(id)) == by_id[id]);
}

TEST_CASE("string_interner: operation sequences against a std model (the libFuzzer property)",
          "[hash][interner][fuzz]") {
  CHECK(et::fuzz_bytes(electron_fuzz::interner_property, {.seed = 1, .runs = 2000, .max_size = 600}));
  CHECK(et::fuzz_bytes(electron_fuzz::interner_property, {.seed = 2, .runs = 100, .max_size = 5000}));
}

TEST_CASE("string_interner: a hit allocates nothing, a new string one bump", "[hash][interner][alloc]") {
  eh::string_interner in;
  for (int i = 0; i < 1000; ++i) (void)in.intern("key-" + std::to_string(i));
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("key-" + std::to_string(i));
  std::uint64_t sum = 0;
  CHECK(et::check_no_alloc([&] {
    for (const auto& k : keys) sum += in.intern(k).id + in.find(k).value_or(0);
  }));
  CHECK(sum == 2 * (999 * 1000 / 2));
}

static_assert(std::is_nothrow_invocable_v<const eh::xxhash64_hasher&, std::string_view>);
static_assert(noexcept(std::declval<const eh::string_interner&>().find("x")));

// Two copies would share the arena's blocks; moving keeps ids and views.
static_assert(!std::is_copy_constructible_v<electron::hash::string_interner> &&
              !std::is_copy_assignable_v<electron::hash::string_interner>);
static_assert(std::is_move_constructible_v<electron::hash::string_interner> &&
              std::is_move_assignable_v<electron::hash::string_interner>);

TEST_CASE("string_interner: copy-list-initialization and a throwing-free find", "[hash][interner]") {
  eh::string_interner in = {};
  CHECK(in.empty());
  CHECK_FALSE(in.find("nothing").has_value());  // find on an empty interner
}

TEST_CASE("string_interner: a hash that always collides still works", "[hash][interner]") {
  struct constant_hash {
    std::uint64_t operator()(std::string_view) const noexcept { return 42; }
  };
  eh::basic_string_interner<constant_hash> in;
  for (int i = 0; i < 300; ++i) REQUIRE(in.intern(std::to_string(i)).id == static_cast<std::uint32_t>(i));
  for (int i = 0; i < 300; ++i) REQUIRE(in.find(std::to_string(i)) == static_cast<std::uint32_t>(i));
  CHECK_FALSE(in.find("300").has_value());
}

TEST_CASE("string_interner: a string above max_string_size is refused before it is read", "[hash][interner][sizes]") {
  eh::string_interner in;
  CHECK(in.intern("alpha").id == 0);
  const std::size_t memory = in.memory_bytes();
  // Views of impossible lengths over a short buffer: the length must be
  // refused before a byte is hashed (before the fix, intern() hashed the
  // whole view first, far past the buffer, and only then checked it).
  const char text[] = "alpha and the bytes past it are never read";
  for (std::size_t n : et::huge_sizes(64)) {
    CAPTURE(n);
    CHECK_THROWS_AS(in.intern(std::string_view(text, n)), std::length_error);
    CHECK_FALSE(in.find(std::string_view(text, n)).has_value());
  }
  if constexpr (sizeof(std::size_t) >= 8) {
    CHECK(eh::string_interner::max_string_size == 0xFFFFFFFFu);
    CHECK_THROWS_AS(in.intern(std::string_view(text, std::size_t{0xFFFFFFFFu} + 1)), std::length_error);
  }
  CHECK(in.size() == 1);
  CHECK(in.memory_bytes() == memory);
  CHECK(in.intern("beta").id == 1);
  CHECK(in.find("alpha") == 0u);
}

TEST_CASE("string_interner: an arena block above max_arena_block is refused", "[hash][interner][sizes]") {
  // Before, the size went to the arena, whose block header + size wrapped
  // around for SIZE_MAX - k: strings were then written past a tiny block.
  for (std::size_t n : et::huge_sizes(64)) {
    CAPTURE(n);
    CHECK_THROWS_AS(eh::string_interner(eh::xxh3_64_hasher{}, n), std::length_error);
  }
  CHECK_THROWS_AS(eh::string_interner(eh::xxh3_64_hasher{}, eh::string_interner::max_arena_block + 1),
                  std::length_error);
  eh::string_interner in(eh::xxh3_64_hasher{}, 128);
  for (int i = 0; i < 100; ++i) REQUIRE(in.intern(std::to_string(i)).id == static_cast<std::uint32_t>(i));
}

TEST_CASE("string_interner: strong exception guarantee when memory runs out", "[hash][interner][alloc]") {
  if (!et::allocation_failures_supported()) {
    SUCCEED("a sanitizer owns operator new here: fault injection is not available");
    return;
  }
  std::size_t failures_seen = 0;
  // Fail the 1st, 2nd, ... allocation of a run of inserts that crosses every
  // kind of growth (vectors, table, arena blocks); after each failure the
  // interner must be exactly as before the failing intern().
  for (std::int64_t n = 1; n <= 40; ++n) {
    eh::basic_string_interner<eh::xxhash64_hasher> in(eh::xxhash64_hasher{}, 256);
    std::vector<std::string> keys;
    for (int i = 0; i < 300; ++i) keys.push_back("key-number-" + std::to_string(i));
    std::size_t done = 0, wrong_ids = 0;
    {
      et::fail_nth_allocation f(n);
      try {  // (not inside REQUIRE: Catch would take the exception as a failure)
        for (; done < keys.size(); ++done) wrong_ids += in.intern(keys[done]).id != done;
      } catch (const std::bad_alloc&) {
        ++failures_seen;
      }
    }
    REQUIRE(wrong_ids == 0);
    REQUIRE(in.size() == done);  // the failing intern added nothing
    for (std::size_t i = 0; i < done; ++i) REQUIRE(in.find(keys[i]) == i);
    if (done < keys.size()) REQUIRE_FALSE(in.find(keys[done]).has_value());
    for (std::size_t i = done; i < keys.size(); ++i) REQUIRE(in.intern(keys[i]).id == i);  // and it recovers
  }
  CHECK(failures_seen > 10);
}

// ---------------------------------------------------------------------------
// Seams: the hasher and the bump allocator are concepts; the user's own plug in.
// ---------------------------------------------------------------------------

static_assert(eh::is_avalanching_v<eh::xxhash64_hasher> && eh::is_avalanching_v<eh::xxh3_64_hasher> &&
              eh::is_avalanching_v<eh::metro64_hasher> && eh::is_avalanching_v<eh::murmur3_hasher>);
static_assert(!eh::is_avalanching_v<std::hash<std::string_view>>);
#if defined(ELECTRON_TEST_HAVE_BOOST_HASH_TRAITS)
static_assert(boost::unordered::hash_is_avalanching<eh::xxh3_64_hasher>::value);
static_assert(boost::unordered::hash_is_avalanching<eh::xxhash64_hasher>::value);
#endif

namespace electron_tests {
std::uint64_t simd_alone_batch_hash(std::string_view key);  // hash_include_chain.cpp
}

TEST_CASE("simd.hpp alone (no arena, no interner) hashes as the full header does", "[hash][includes]") {
  CHECK(electron_tests::simd_alone_batch_hash("alice") == static_cast<std::size_t>(eh::xxh3_64("alice")));
}

namespace {
// FNV-1a, 64-bit: a hasher of the user's own, without is_avalanching (the
// interner mixes its output once more).
struct fnv1a_hasher {
  std::uint64_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
  }
};

// A bump allocator of the user's own over std::pmr::monotonic_buffer_resource
// (neither movable nor constructible from a block size: it is built in place).
struct monotonic_bump {
  std::pmr::monotonic_buffer_resource res;
  std::size_t calls = 0;
  void* allocate(std::size_t bytes, std::size_t align) {
    ++calls;
    return res.allocate(bytes, align);
  }
  void reset() noexcept { res.release(); }
};
// A movable one, handed to the interner built.
struct boxed_bump {
  std::unique_ptr<std::pmr::monotonic_buffer_resource> res = std::make_unique<std::pmr::monotonic_buffer_resource>();
  std::size_t bytes = 0;
  static constexpr std::size_t max_size = 1000;  // the interner takes its limit from here
  void* allocate(std::size_t n, std::size_t align) {
    bytes += n;
    return res->allocate(n, align);
  }
  void reset() noexcept { res->release(); }
};

// Counts what the interner asks of it; serves from a buffer reserved up
// front, so that nothing reaches the global operator new.
class counting_resource final : public std::pmr::memory_resource {
 public:
  explicit counting_resource(std::size_t capacity)
      : m_buffer(std::make_unique<std::byte[]>(capacity)),
        m_inner(m_buffer.get(), capacity, std::pmr::null_memory_resource()) {}
  std::size_t allocations = 0, deallocations = 0, live_bytes = 0;

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    void* p = m_inner.allocate(bytes, align);
    ++allocations;
    live_bytes += bytes;
    return p;
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    ++deallocations;
    live_bytes -= bytes;
    m_inner.deallocate(p, bytes, align);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
  std::unique_ptr<std::byte[]> m_buffer;
  std::pmr::monotonic_buffer_resource m_inner;
};

template <class Interner>
void check_against_model(Interner& in, std::size_t n) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back("user-" + std::to_string(i * 7919 % n));
  std::unordered_map<std::string, std::uint32_t> model;
  for (const auto& k : keys) {
    const auto [it, added] = model.emplace(k, static_cast<std::uint32_t>(model.size()));
    REQUIRE(in.intern(k) == eh::intern_result{it->second, added});
  }
  REQUIRE(in.size() == model.size());
  for (const auto& [k, id] : model) {
    REQUIRE(in.at(id) == k);
    REQUIRE(in.find(k) == id);
  }
  CHECK_FALSE(in.find("absent").has_value());
}
}  // namespace

static_assert(eh::hasher<fnv1a_hasher> && !eh::is_avalanching_v<fnv1a_hasher>);
static_assert(electron::arena::bump_allocator<monotonic_bump> && electron::arena::bump_allocator<boxed_bump> &&
              electron::arena::bump_allocator<electron::arena::arena>);
static_assert(!electron::arena::bump_allocator<std::pmr::monotonic_buffer_resource> &&  // no reset()
              !electron::arena::bump_allocator<std::allocator<char>> && !electron::arena::bump_allocator<int>);
static_assert(
    std::is_same_v<eh::string_interner, eh::basic_string_interner<eh::xxh3_64_hasher, electron::arena::arena>>);

TEST_CASE("string_interner: a hasher of the user's own plugs in (and std::hash)", "[hash][interner][seams]") {
  eh::basic_string_interner<fnv1a_hasher> in;
  check_against_model(in, 5000);
  eh::basic_string_interner<std::hash<std::string_view>> by_std;  // not avalanching: mixed again
  check_against_model(by_std, 5000);
  static_assert(std::is_same_v<decltype(by_std)::hasher_type, std::hash<std::string_view>>);
}

TEST_CASE("string_interner: a bump allocator of the user's own plugs in", "[hash][interner][seams]") {
  eh::basic_string_interner<eh::xxh3_64_hasher, monotonic_bump> in;  // built in place, not movable
  check_against_model(in, 3000);
  CHECK(in.get_arena().calls == in.size());  // one allocate() per new string
  CHECK(in.memory_bytes() > 0);              // the tables (the allocator reports no bytes)

  eh::basic_string_interner<fnv1a_hasher, boxed_bump> boxed(fnv1a_hasher{}, boxed_bump{});
  CHECK(boxed.intern("abc") == eh::intern_result{0, true});
  CHECK(boxed.get_arena().bytes == sizeof(std::uint32_t) + 3 + 1);  // [length][bytes][NUL]
  // The limit follows the allocator's max_size.
  static_assert(decltype(boxed)::max_string_size == boxed_bump::max_size - sizeof(std::uint32_t) - 1);
  const std::string longest(decltype(boxed)::max_string_size, 'x');
  CHECK(boxed.intern(longest).id == 1);
  CHECK_THROWS_AS(boxed.intern(longest + "x"), std::length_error);
  CHECK(boxed.size() == 2);
}

TEST_CASE("string_interner: a pmr upstream serves every allocation", "[hash][interner][seams][alloc]") {
  counting_resource counter(8 << 20);
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back("pmr-key-" + std::to_string(i));
  std::size_t found = 0, live_while_used = 0;
  // The interner's arena blocks and its tables all come from the resource:
  // building, filling and destroying it calls the global operator new never.
  const auto no_global = et::check_no_alloc([&] {
    eh::string_interner in(&counter);
    for (const auto& k : keys) (void)in.intern(k);
    for (const auto& k : keys) found += in.find(k).has_value();
    live_while_used = counter.live_bytes;
  });
  CHECK(no_global);
  CHECK(found == keys.size());
  CHECK(counter.allocations > 4);  // arena blocks, ids, hashes, slots
  CHECK(live_while_used > 3000 * 8);
  CHECK(counter.deallocations == counter.allocations);
  CHECK(counter.live_bytes == 0);

  // With a block size too: the same, and the first block is that size.
  counting_resource small(8 << 20);
  {
    eh::string_interner in(eh::xxh3_64_hasher{}, 256, &small);
    for (int i = 0; i < 100; ++i) REQUIRE(in.intern(keys[static_cast<std::size_t>(i)]).inserted);
    CHECK(in.get_arena().upstream() == &small);
    CHECK(in.get_arena().block_count() > 1);  // 100 strings of ~15 bytes do not fit 256
  }
  CHECK(small.live_bytes == 0);
}

TEST_CASE("string_interner: merging two interners (the recipe in docs/hash.md)", "[hash][interner]") {
  eh::string_interner a, b;
  for (const char* s : {"alice", "bob", "carol"}) (void)a.intern(s);
  for (const char* s : {"dave", "bob", "", "alice", "erin"}) (void)b.intern(s);

  // Merge b into a: remap[id in b] is the same string's id in a.
  std::vector<std::uint32_t> remap;
  remap.reserve(b.size());
  for (std::uint32_t id = 0; id < b.size(); ++id) remap.push_back(a.intern(b[id]).id);

  CHECK(remap == std::vector<std::uint32_t>{3, 1, 4, 0, 5});
  REQUIRE(a.size() == 6);
  for (std::uint32_t id = 0; id < b.size(); ++id) CHECK(a.at(remap[id]) == b.at(id));
  CHECK(a.at(0) == "alice");  // a's own ids do not move
  CHECK(a.at(2) == "carol");

  // Randomized: a model of the union.
  std::mt19937 rng(3);
  eh::string_interner x, y;
  std::vector<std::string> x_strings;
  for (int i = 0; i < 2000; ++i) {
    const std::string s = std::to_string(rng() % 3000);
    if (x.intern(s).inserted) x_strings.push_back(s);
    (void)y.intern(std::to_string(rng() % 3000));
  }
  std::vector<std::uint32_t> map_y;
  map_y.reserve(y.size());
  for (std::uint32_t id = 0; id < y.size(); ++id) map_y.push_back(x.intern(y[id]).id);
  for (std::uint32_t id = 0; id < y.size(); ++id) REQUIRE(x.at(map_y[id]) == y.at(id));
  for (std::size_t id = 0; id < x_strings.size(); ++id) REQUIRE(x.at(static_cast<std::uint32_t>(id)) == x_strings[id]);
}

TEST_CASE("string_interner: intern_result, at() and operator[]", "[hash][interner]") {
  eh::string_interner in;
  static_assert(std::is_aggregate_v<eh::intern_result>);
  static_assert(std::is_same_v<decltype(in.intern("")), eh::intern_result>);
  static_assert(std::is_same_v<decltype(in.at(0)), std::string_view>);
  CHECK_THROWS_AS((void)in.at(0), std::out_of_range);  // empty
  const auto [id, inserted] = in.intern("x");
  CHECK((id == 0 && inserted));
  CHECK(in.at(id) == "x");
  CHECK(in[id] == "x");
  CHECK(in.at(id).data()[1] == '\0');  // stored NUL-terminated
  CHECK_THROWS_AS((void)in.at(1), std::out_of_range);
#if ELECTRON_ASSERTS_ENABLED
  const auto st = electron_tests::run_in_child([] {
    eh::string_interner i;
    (void)i.intern("x");
    (void)i[1];
  });
  CHECK(st.signaled);
#endif
}

TEST_CASE("string_interner: moving keeps ids and views; the moved-from one is empty and usable", "[hash][interner]") {
  eh::string_interner a;
  for (int i = 0; i < 1000; ++i) REQUIRE(a.intern("m-" + std::to_string(i)).inserted);
  const std::string_view v = a.at(500);
  eh::string_interner b(std::move(a));
  CHECK(b.size() == 1000);
  CHECK(b.at(500).data() == v.data());  // the arena's blocks moved, not the strings
  CHECK(b.find("m-999") == 999u);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
  CHECK_FALSE(a.find("m-1").has_value());
  CHECK(a.intern("again") == eh::intern_result{0, true});
  a = std::move(b);
  CHECK(a.size() == 1000);
  CHECK(a.at(500) == "m-500");
  CHECK(a.intern("m-7") == eh::intern_result{7, false});
  static_assert(std::is_nothrow_move_constructible_v<eh::string_interner>);
}

TEST_CASE("string_interner: the empty view with a null data() is interned and found without memcmp(p, nullptr, 0)",
          "[hash][interner][contract]") {
  // Before the fix the second intern compared the stored empty string with
  // memcmp(p, nullptr, 0): undefined behaviour, which clang's UBSan with
  // -fno-sanitize-recover=all aborts on.
  eh::string_interner in;
  const std::string_view null_empty{};
  REQUIRE(null_empty.data() == nullptr);
  CHECK(in.intern(null_empty) == eh::intern_result{0, true});
  CHECK(in.intern(null_empty) == eh::intern_result{0, false});
  CHECK(in.intern("") == eh::intern_result{0, false});
  CHECK(in.find(null_empty) == 0u);
  CHECK(in.intern("x") == eh::intern_result{1, true});
  CHECK(in.at(0).empty());
  CHECK(in.at(0).data() != nullptr);                    // stored: a NUL in the arena
  eh::basic_string_interner<eh::murmur3_hasher> other;  // and with another hasher
  CHECK(other.intern(std::string_view{}).inserted);
  CHECK(!other.intern(std::string_view{}).inserted);
  CHECK(other.find(std::string_view{}) == 0u);
}
